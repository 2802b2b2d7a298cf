"""Records turned into rows of integer codes, and the blocking keys of a record.

A :class:`Featuriser` owns the vocabularies (string ↔ dense code) that rows refer to, so that a
whole population (the sweep) or a growing index (online checks) compares codes with NumPy and
looks strings up only for the Jaro–Winkler bands. Everything about a name comes from
:mod:`hbm.engines.names`.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Final

import numpy as np
import numpy.typing as npt

from hbm.engines.matching._records import BirthAccuracy, IdDocument, MatchRecord, document_number_form
from hbm.engines.names import (
    NameKeys,
    Script,
    canonical,
    name_keys,
    name_parts,
    phonetic_key,
    place_name,
    script_form,
)

__all__ = ["COLUMNS", "Featuriser", "Vocabulary", "blocking_keys", "compared_documents"]

Int64Array = npt.NDArray[np.int64]

# Columns of a feature row (all int64; -1 where the value is unknown).
GIVEN_CANON: Final = 0
GIVEN_KEY: Final = 1
GIVEN_FIRST: Final = 2
SURNAME_CANON: Final = 3
SURNAME_KEY: Final = 4
SURNAME_FIRST: Final = 5
BIRTH_ORDINAL: Final = 6
BIRTH_YEAR: Final = 7
BIRTH_MONTH: Final = 8
BIRTH_DAY: Final = 9
ACCURACY: Final = 10
SEX: Final = 11
NATIONALITY: Final = 12
PLACE_CANON: Final = 13
PLACE_KEY: Final = 14
GROUP: Final = 15
RELATIVES: Final = 16  # bits 0-61 of the relatives' given-name hashes
RELATIVES_HIGH: Final = 17  # bits 62-123
ORIGINAL: Final = 18  # the name in its own script (names.script_form), coded
ORIGINAL_SCRIPT: Final = 19  # which script that is (index in names.Script)
BIRTH_CODE: Final = 20  # an exact birth date, coded (for how common that date is)
GIVEN_REST: Final = 21  # phonetic keys of the given-name parts after the first (a father's name)
SURNAME_REST: Final = 22  # phonetic keys of the surname parts after the first
GIVEN_WRITTEN: Final = 23  # the given names as written (normalised parts), in the names vocabulary
SURNAME_WRITTEN: Final = 24
RELATIVES_PREFIX: Final = 25  # bits 0-61 of the hashes of the relatives' names' first three letters
RELATIVES_PREFIX_HIGH: Final = 26  # bits 62-123
RELATIVES_SHAPE: Final = 27  # bits 0-61 of the hashes of their first letter, last two and length
RELATIVES_SHAPE_HIGH: Final = 28  # bits 62-123
# The parents' names (see _parent_forms), in the names and keys vocabularies: canonical forms,
# phonetic keys, the first part's key, the further parts' keys, the parts as written.
FATHER_CANON: Final = 29
FATHER_KEY: Final = 30
FATHER_FIRST: Final = 31
FATHER_REST: Final = 32
FATHER_WRITTEN: Final = 33
MOTHER_CANON: Final = 34
MOTHER_KEY: Final = 35
MOTHER_FIRST: Final = 36
MOTHER_REST: Final = 37
MOTHER_WRITTEN: Final = 38
# Up to two identity documents (see compared_documents): kind (DOCUMENT_KINDS), issuing state (in the
# nationalities vocabulary) and number (document_number_form, in the numbers vocabulary).
DOCUMENT_SLOTS: Final = ((39, 40, 41), (42, 43, 44))
COLUMNS: Final = 45
_SCRIPTS: Final = {script: index for index, script in enumerate(Script)}

ACCURACY_CODES: Final = {BirthAccuracy.EXACT: 0, BirthAccuracy.YEAR: 1, BirthAccuracy.ESTIMATED: 2}
SEX_CODES: Final = {"F": 0, "M": 1}
# Document kinds, in the order a record's documents are kept when it has more than two: the
# passport and the national identity card are the ones a person shows again.
DOCUMENT_KINDS: Final = {"passport": 0, "identity_card": 1, "travel_document": 2, "other": 3}
MAX_KEY_LENGTH: Final = 96
_RELATIVE_BITS: Final = 62  # bits of each relatives column: non-negative in an int64
_LOW_MASK: Final = (1 << _RELATIVE_BITS) - 1


class Vocabulary:
    """Strings and their dense codes 0, 1, 2, …; the empty string is -1."""

    __slots__ = ("_codes", "_filled", "strings")

    def __init__(self) -> None:
        self._codes: dict[str, int] = {}
        self.strings: list[str] = []
        # The strings as an object array with room to grow, and how many of it are filled: one
        # tuple, replaced whole, so a thread never sees an array with a count it does not hold.
        self._filled: tuple[npt.NDArray[np.object_], int] = (np.empty(0, dtype=object), 0)

    def code(self, text: str) -> int:
        if not text:
            return -1
        found = self._codes.get(text)
        if found is None:
            found = self._codes[text] = len(self.strings)
            self.strings.append(text)
        return found

    def __len__(self) -> int:
        return len(self.strings)

    def array(self) -> npt.NDArray[np.object_]:
        """The strings as a NumPy object array indexed by code (longer than the vocabulary: read
        only the codes you hold). New strings are copied in, the array doubles when full: an online
        check that brings one new name no longer copies every string known (at a million records,
        hundreds of thousands per check)."""
        array, filled = self._filled
        count = len(self.strings)
        if filled == count:
            return array
        if len(array) < count:
            grown = np.empty(max(1024, 2 * count), dtype=object)
            grown[:filled] = array[:filled]
            array = grown
        array[filled:count] = self.strings[filled:count]
        self._filled = (array, count)
        return array


@lru_cache(maxsize=1 << 16)
def _place_forms(place: str) -> tuple[str, str]:
    """The compared form of a place of birth and its phonetic key: the gazetteer's name when it
    knows the place (Lvov, Lemberg and Львів are LVIV), else the place's own parts."""
    known = place_name(place)
    parts = name_parts(known or place)
    form = known or " ".join(canonical(part) for part in parts)
    return form, " ".join(phonetic_key(part) for part in parts)


_NO_PARENT: Final = ("", "", "", "", "")


@lru_cache(maxsize=1 << 18)
def _parent_parts(name: str, language: str | None) -> tuple[tuple[str, str, str], ...]:
    """A parent's name as (part, canonical form, phonetic key) per part."""
    return tuple((part, canonical(part), phonetic_key(part)) for part in name_parts(name, language))


def _family_keys(surname_keys: Sequence[str]) -> frozenset[str]:
    """The keys a parent's family name may have where the person's has these: the same, or with
    the feminine -A of Slavic family names added or taken off (IVANOVA, daughter of IVANOV; the key
    of VERBYTSKA is already VERBYTSKYI's)."""
    found: set[str] = set()
    for key in surname_keys:
        if key:
            found |= {key, key[:-1] if key.endswith("A") else f"{key}A"}
    return frozenset(found)


def _parent(
    name: str, record: MatchRecord, given_rest: frozenset[str], family: frozenset[str]
) -> tuple[str, str, str, str, str]:
    """A parent's name as five compared forms — the canonical parts, their phonetic keys, the
    first part's key, the further parts' keys (a grandfather's name, as Afghan and Iraqi papers
    add it) and the parts as written — less what the person's own names already say.

    The person's family name written after the parent's given name (VOLODYMYR VERBYTSKYI, father
    of OLENA VERBYTSKA) is left out: the surname field compares it, and kept it would make two
    fathers of one family name look alike. A parent's name that is then one of the person's own
    further names is not compared at all: an Eritrean's second name *is* the father's given name,
    and Afghans and Syrians often add the father's name to their own."""
    if not name:
        return _NO_PARENT
    parts = [part for part in _parent_parts(name, record.language) if part[2] not in family]
    if not parts or parts[0][2] in given_rest:
        return _NO_PARENT
    keys = [key for _, _, key in parts]
    return (
        " ".join(canon for _, canon, _ in parts),
        " ".join(keys),
        keys[0],
        " ".join(keys[1:]),
        " ".join(part for part, _, _ in parts),
    )


def _bit(text: str) -> int:
    return 1 << (zlib.crc32(text.encode()) % (2 * _RELATIVE_BITS)) if text else 0


@lru_cache(maxsize=1 << 16)
def _relative_bits(name: str) -> tuple[int, int, int]:
    """A relative's first given name as three bits among 2 × 62 each (see :data:`RELATIVES_HIGH`):
    its phonetic key, and the first three letters and the shape (first letter, last two, length)
    of its variant-table form.

    The key makes spellings of one name agree; the other two make one typing slip in a
    companion's name agree too — a slip leaves either the start or the end and the length of a
    name as they were, and the first letter is the one people rarely mistype (Pollock & Zamora,
    "Automatic spelling correction in scientific and scholarly text", CACM 27(4), 1984).
    """
    parts = name_parts(name)
    if not parts:
        return 0, 0, 0
    form = canonical(parts[0])  # the variant table's form: LAILA and LAYLA are one name
    shape = f"{form[0]}{form[-2:]}{len(form)}" if len(form) >= 3 else ""
    return _bit(phonetic_key(parts[0])), _bit(form[:3]), _bit(shape)


def _keys_of(record: MatchRecord) -> NameKeys:
    return name_keys(record.given, record.surname, record.original, record.language)


def _blocking_keys(
    keys: NameKeys, record: MatchRecord, documents: Sequence[tuple[int, str, str]] | None = None
) -> tuple[str, ...]:
    given = keys.first_given_key
    surname = keys.surname_keys[0] if keys.surname_keys else ""
    names = sorted({key for key in (given, surname) if key})
    found: list[str] = []
    if given and surname:
        found.append(f"N:{names[0]}|{names[-1]}")
    born = record.birth_date
    if born is not None:
        if keys.surname_key:
            found.append(f"S:{keys.surname_key}:{born.year}")
        if given:
            found.append(f"G:{given}:{born.year}")
        if record.birth_accuracy is BirthAccuracy.ESTIMATED:
            found += [f"E:{name}:{year}" for name in names for year in range(born.year - 1, born.year + 2)]
        if record.birth_accuracy is BirthAccuracy.EXACT:
            found += [f"D:{born.isoformat()}:{initial}" for initial in sorted({name[0] for name in names})]
    if record.original:
        found.append(f"O:{script_form(record.original)}")
    kept = compared_documents(record.documents) if documents is None else documents
    found += [f"I:{_number_digest(number)}" for _, _, number in kept]
    return tuple(dict.fromkeys(key[:MAX_KEY_LENGTH] for key in found))


def _number_digest(number: str) -> str:
    """A document number as a blocking key holds it: a digest, so the table of keys a database
    keeps per person does not become a second register of document numbers."""
    return hashlib.blake2b(number.encode(), digest_size=10).hexdigest()


def compared_documents(documents: Sequence[IdDocument]) -> list[tuple[int, str, str]]:
    """At most two of ``documents`` as (kind code, issuing state, number form): those with a number
    long enough to compare, passports and identity cards first (:data:`DOCUMENT_KINDS`), each
    number once."""
    kept: dict[str, tuple[int, str, str]] = {}
    for document in documents:
        number = document_number_form(document.number)
        if number and number not in kept:
            kind = DOCUMENT_KINDS.get(document.kind, DOCUMENT_KINDS["other"])
            kept[number] = (kind, document.state.upper(), number)
    return sorted(kept.values())[:2]


def blocking_keys(record: MatchRecord) -> tuple[str, ...]:
    """The blocking keys of ``record``: two records are compared only if they share one.

    Plain strings of at most 96 characters, each key once, one per rule and value that applies:

    * ``N:<key>|<key>`` — the phonetic keys of the first given name and the first surname part,
      sorted, so a swapped order meets; no date (catches missing, estimated and mistyped dates);
    * ``S:<surname keys>:<birth year>`` — catches a mistyped or different given name;
    * ``G:<first given key>:<birth year>`` — catches a mistyped surname or a dropped particle;
    * ``E:<key>:<year>`` — estimated ages only: the key of the first given name and of the first
      surname part, each with the year before, the year of and the year after the estimate (an
      age estimated twice differs by a year or two), so a mistyped name and a re-estimated age
      still meet;
    * ``D:<birth date>:<letter>`` — exact dates only, once with the first letter of the given
      name's key and once with the surname's: catches names spelt too differently for any key,
      swapped or not;
    * ``O:<name in its own script>`` (:func:`~hbm.engines.names.script_form`) — catches Latin
      spellings too far apart for any key when both registrations wrote the name as its owner
      does;
    * ``I:<digest of a document number>`` — one key per document compared (at most two): the
      same passport shown twice meets whatever became of the names and dates. A digest, not the
      number (see :func:`_number_digest`).
    """
    return _blocking_keys(_keys_of(record), record)


def _parent_codes(
    names: Vocabulary, phonetic: Vocabulary, forms: tuple[str, str, str, str, str]
) -> tuple[int, int, int, int, int]:
    canon, key, first, rest, written = forms
    return (
        names.code(canon),
        phonetic.code(key),
        phonetic.code(first),
        phonetic.code(rest),
        names.code(written),
    )


class Featuriser:
    """Turns records into feature rows (see the column constants) and blocking keys."""

    __slots__ = ("dates", "groups", "keys", "names", "nationalities", "numbers", "originals", "places")

    def __init__(self) -> None:
        self.names = Vocabulary()  # canonical forms of names (given and surname alike)
        self.keys = Vocabulary()  # phonetic keys of names
        self.places = Vocabulary()  # canonical forms and keys of places of birth
        self.nationalities = Vocabulary()
        self.groups = Vocabulary()
        self.originals = Vocabulary()  # names in their own script (script_form)
        self.dates = Vocabulary()  # exact birth dates
        self.numbers = Vocabulary()  # document numbers (document_number_form)

    def row(self, record: MatchRecord) -> tuple[tuple[int, ...], tuple[str, ...]]:
        """The feature row of ``record`` and its :func:`blocking_keys`."""
        keys = _keys_of(record)
        born = record.birth_date
        place_canon, place_key = _place_forms(record.place_of_birth) if record.place_of_birth else ("", "")
        relatives = prefixes = shapes = 0
        for name in record.relatives:
            key_bit, prefix_bit, shape_bit = _relative_bits(name)
            relatives |= key_bit
            prefixes |= prefix_bit
            shapes |= shape_bit
        names, phonetic = self.names, self.keys
        given_rest = frozenset(keys.given_keys[1:]) - {""}
        family = _family_keys(keys.surname_keys)
        father = _parent(record.father, record, given_rest, family)
        mother = _parent(record.mother, record, given_rest, family)
        documents = compared_documents(record.documents) if record.documents else []
        row = (
            names.code(" ".join(keys.given_canonical)),
            phonetic.code(" ".join(keys.given_keys)),
            phonetic.code(keys.first_given_key),
            names.code(" ".join(keys.surname_canonical)),
            phonetic.code(keys.surname_key),
            phonetic.code(keys.surname_keys[0] if keys.surname_keys else ""),
            born.toordinal() if born else -1,
            born.year if born else -1,
            born.month if born else -1,
            born.day if born else -1,
            ACCURACY_CODES[record.birth_accuracy] if born else -1,
            SEX_CODES.get(record.sex, -1),
            self.nationalities.code(record.nationality.upper()),
            self.places.code(place_canon),
            self.places.code(place_key),
            self.groups.code(min(record.family)) if record.family else -1,
            relatives & _LOW_MASK,
            relatives >> _RELATIVE_BITS,
            self.originals.code(script_form(record.original)) if record.original else -1,
            _SCRIPTS[keys.original_script] if record.original else -1,
            self.dates.code(born.isoformat())
            if born and record.birth_accuracy is BirthAccuracy.EXACT
            else -1,
            phonetic.code(" ".join(keys.given_keys[1:])),
            phonetic.code(" ".join(keys.surname_keys[1:])),
            names.code(" ".join(keys.given)),
            names.code(" ".join(keys.surname)),
            prefixes & _LOW_MASK,
            prefixes >> _RELATIVE_BITS,
            shapes & _LOW_MASK,
            shapes >> _RELATIVE_BITS,
            *_parent_codes(names, phonetic, father),
            *_parent_codes(names, phonetic, mother),
            *self._document_codes(documents),
        )
        return row, _blocking_keys(keys, record, documents)

    def _document_codes(self, kept: Sequence[tuple[int, str, str]]) -> tuple[int, ...]:
        codes: list[int] = []
        for slot in range(len(DOCUMENT_SLOTS)):
            if slot < len(kept):
                kind, state, number = kept[slot]
                codes += [kind, self.nationalities.code(state), self.numbers.code(number)]
            else:
                codes += [-1, -1, -1]
        return tuple(codes)

    def table(self, records: Sequence[MatchRecord]) -> tuple[Int64Array, list[tuple[str, ...]]]:
        """Rows of ``records`` as an (n, COLUMNS) array, and the blocking keys of each record."""
        rows: list[tuple[int, ...]] = []
        keys: list[tuple[str, ...]] = []
        for record in records:
            row, record_keys = self.row(record)
            rows.append(row)
            keys.append(record_keys)
        if not rows:
            return np.empty((0, COLUMNS), dtype=np.int64), keys
        return np.array(rows, dtype=np.int64), keys

    def rows(self, records: Iterable[MatchRecord]) -> Int64Array:
        return self.table(list(records))[0]
