"""Small pure rules used by registration: ages, age bands, name folding, birth dates."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from datetime import date
from functools import lru_cache
from typing import Final

from hbm.engines.names import script_letters_fold, script_letters_table, sound_keys, sound_keys_version
from hbm.registration.enums import AgeBand

_AGE_BAND_LIMITS: tuple[tuple[int, AgeBand], ...] = (
    (4, AgeBand.AGE_0_4),
    (11, AgeBand.AGE_5_11),
    (17, AgeBand.AGE_12_17),
    (59, AgeBand.AGE_18_59),
)
MAX_AGE_YEARS = 120


def age_on(birth: date, day: date) -> int:
    """Completed years of age on ``day``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def age_band_of(age: int) -> AgeBand:
    for upper, band in _AGE_BAND_LIMITS:
        if age <= upper:
            return band
    return AgeBand.AGE_60_PLUS


def birth_date_from_estimated_age(age: int, on: date) -> date:
    """A conventional date of birth for an estimated age: 1 January of the implied year.

    1 January is the usual convention for unknown birth dates in registration systems; the record
    keeps ``birth_date_accuracy = estimated`` so no one mistakes it for a real date.
    """
    return date(on.year - age, 1, 1)


def search_fold(text: str) -> str:
    """``text`` as the person search compares it: 'Zoë  Müller' → 'ZOE MULLER', 'مُحَمَّد' → 'محمد',
    'коваленко' → 'КОВАЛЕНКО', 'کریمی' (Persian keyboard) and 'كريمي' (Arabic keyboard) → 'كريمي'.

    Script-agnostic, so one fold serves Latin letters and original scripts, and a part of a name
    folded the same way is found in a folded name however it was typed:

    1. compatibility composition (NFKC: Arabic presentation forms become their letters);
    2. the letters writers of Arabic script interchange unified and the optional marks dropped, by
       the names engine's own table (:func:`hbm.engines.names.script_letters_fold`, the knowledge
       de-duplication compares original names with): YEH U+064A, ALEF MAKSURA U+0649, FARSI YEH
       U+06CC and YEH WITH HAMZA ABOVE U+0626 → YEH; KEHEH U+06A9 → KAF U+0643; TEH MARBUTA U+0629
       and HEH WITH YEH ABOVE U+06C0 → HEH U+0647; alefs with hamza or madda and ALEF WASLA → ALEF;
       WAW WITH HAMZA ABOVE → WAW; the Pashto and Urdu letters Arabic and Persian keyboards lack →
       the letter typed in their place (ټ ٹ → ت, ډ ڈ → د, ړ ڑ → ر, ږ → ژ, ښ → ش, ګ → گ, ڼ ں → ن,
       ې ۍ ے ۓ → ي, ہ ۂ ھ ۃ → ه); TATWEEL U+0640, ZERO WIDTH NON-JOINER U+200C, ZERO WIDTH
       JOINER U+200D and the direction marks U+200E/U+200F dropped;
    3. compatibility decomposition (NFKD) and every combining mark dropped (accents, harakat,
       hamza above or below, Cyrillic breve: Й → И);
    4. upper case (any script: Cyrillic and Greek too, which SQLite's LIKE would not fold) and
       single spaces.

    Digits are left as typed (Arabic-Indic and Persian digits are not names' letters)."""
    letters = script_letters_fold(unicodedata.normalize("NFKC", text))
    folded = "".join(c for c in unicodedata.normalize("NFKD", letters) if not unicodedata.combining(c))
    return " ".join(folded.upper().split())


def search_name_of(surname: str, given_names: str) -> str:
    """A person's names, surname first, folded for search (:func:`search_fold`): the Latin names
    ('Müller, Zoë' → 'MULLER ZOE', ``search_name``) or those in the original script
    ('Коваленко, Олена' → 'КОВАЛЕНКО ОЛЕНА', ``search_original``)."""
    return search_fold(f"{surname} {given_names}")


# What a name is written with or without, which search ignores: a space ('Abdul Rahman' and
# 'Abdulrahman'), a hyphen ('Al-Assad' and 'Al Assad', 'Alassad'), an apostrophe — ASCII, the
# typographic RIGHT SINGLE QUOTATION MARK U+2019, and MODIFIER LETTER APOSTROPHE U+02BC, which
# Ukrainian spelling uses ("Mar'iana", "Мар’яна").
SEARCH_JOINERS: Final = (" ", "-", "'", "\u2019", "\u02bc")


def search_compact(folded: str) -> str:
    """A folded name (:func:`search_fold`) without :data:`SEARCH_JOINERS`: 'ABDUL RAHMAN' →
    'ABDULRAHMAN'. The database computes the same for the stored names (``Person.search_words``)."""
    for joiner in SEARCH_JOINERS:
        folded = folded.replace(joiner, "")
    return folded


def search_words(text: str) -> list[str]:
    """The words of a name search as it compares them: folded (:func:`search_fold`), split at the
    spaces typed, each without the other joiners: 'Abdul-Rahman  Ali' → ['ABDULRAHMAN', 'ALI'].

    A person matches when every word is part of one of the person's names written without joiners
    (``Person.search_words``): in any order ('Olena Kovalenko' finds 'KOVALENKO OLENA'), however
    the parts were spaced or hyphenated ('Abdulrahman' finds 'Abdul Rahman' and back)."""
    return [word for word in (search_compact(part) for part in search_fold(text).split()) if word]


def search_sounds_of(*names: str) -> str:
    """The sound keys of a person's names (:func:`hbm.engines.names.sound_keys`: the Latin names and
    those in the original script), sorted, one space between and around them (``' ALKSNDR KUVLNKA
    ~KVLNK ~LKSNDR '``), so that a key is found whole by ``LIKE '% KEY %'`` and by the trigram
    index: what a "sounds like" person search reads (``Person.search_sounds``, and the parents'
    ``Person.parents_search_sounds``). ``''`` without keys."""
    keys = sorted(sound_keys(names))
    return f" {' '.join(keys)} " if keys else ""


# The columns the person search reads that Python makes (the database derives ``search_words`` and
# ``parents_search_words`` from the first four), and the person's columns they are made from, in the
# order :func:`search_columns_of` takes them.
SEARCH_COLUMNS: Final = (
    "search_name",
    "search_original",
    "father_search_name",
    "mother_search_name",
    "search_sounds",
    "parents_search_sounds",
)
SEARCH_SOURCES: Final = (
    "surname_latin",
    "given_names_latin",
    "surname_original",
    "given_names_original",
    "father_name",
    "mother_name",
)
# Raise by one whenever search_fold, search_name_of or search_sounds_of changes otherwise than through
# the names engine's tables and rules (which search_columns_version reads for itself): stored values
# made by the former rules are made again at the next migrate. 2: the parents' sound keys.
SEARCH_RULES: Final = 2


def search_columns_of(
    surname_latin: str,
    given_names_latin: str,
    surname_original: str,
    given_names_original: str,
    father_name: str,
    mother_name: str,
) -> dict[str, str]:
    """Every column of :data:`SEARCH_COLUMNS` for a person with these names: what the services that
    write names store, and what a remake after a change of rules compares the stored values with."""
    return {
        "search_name": search_name_of(surname_latin, given_names_latin),
        "search_original": search_name_of(surname_original, given_names_original),
        "father_search_name": search_fold(father_name),
        "mother_search_name": search_fold(mother_name),
        "search_sounds": search_sounds_of(
            given_names_latin, surname_latin, given_names_original, surname_original
        ),
        "parents_search_sounds": search_sounds_of(father_name, mother_name),
    }


@lru_cache(maxsize=1)
def search_columns_version() -> str:
    """A digest of everything :func:`search_columns_of` depends on: :data:`SEARCH_RULES`, the names
    engine's letter fold (:func:`~hbm.engines.names.script_letters_table`) and sound keys
    (:func:`~hbm.engines.names.sound_keys_version`), and the Unicode version of Python's
    normalisation. Values stored under another version may differ from those made now."""
    digest = hashlib.blake2b(digest_size=8)
    digest.update(f"{SEARCH_RULES} {unicodedata.unidata_version} {sound_keys_version()} ".encode())
    digest.update(json.dumps(script_letters_table(), sort_keys=True).encode())
    return digest.hexdigest()
