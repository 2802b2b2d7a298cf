"""Transliteration to Latin capitals (ICAO Doc 9303 Part 3 §6 where it has a table).

* Cyrillic: ICAO Doc 9303-3 §6 Table B, with its language-specific rows (``И`` → ``Y`` in
  Ukrainian, ``Г`` → ``H`` in Belarusian and Serbian, ...). Data file ``cyrillic_icao.csv``.
* Arabic script (Arabic, Persian/Dari, Pashto, Kurdish): ICAO Doc 9303-3 §6 Table C, in two forms.
  ``mrz=True`` gives the table's MRZ transliteration, escapes included (``ح`` → ``XH``, ``ش`` →
  ``XSH``): it is what an ICAO-conformant passport carries and it can be turned back into Arabic.
  The default drops the ``X`` escape and keeps the closest Latin letters (``محمد`` → ``MHMD``),
  writes ``و``/``ي`` as the vowels ``U``/``I`` after a consonant, and separates the article
  ``ال`` (``AL``) so that :func:`name_parts` can treat it as a particle. Letters of Pashto and
  Kurdish that the ICAO table lacks are marked "HBM judgement" in ``arabic_icao.csv``.
* Ethiopic (Ge'ez; Tigrinya, Amharic): no ICAO table; BGN/PCGN 1967 Amharic romanisation reduced
  to A–Z (data file ``ethiopic_bgn.csv``, rules in :func:`_ethiopic_word`).
* Anything else: `anyascii` (ISC licence), filtered to A–Z.

Output is upper-case ``A``-``Z`` words separated by one space: hyphens become spaces and
apostrophes disappear, as in the MRZ (Doc 9303-3 §6.1).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Final

from anyascii import anyascii

from hbm.engines.names._data import read_table
from hbm.engines.names._text import Script, char_script, normalise

__all__ = ["LANGUAGES", "to_latin"]

LANGUAGES: Final = frozenset(
    {"ukr", "rus", "bel", "bul", "srp", "mkd", "ara", "fas", "prs", "pus", "tir", "amh"}
)
_UKRAINIAN_LETTERS: Final = frozenset("ІЇЄҐ")
_BELARUSIAN_LETTERS: Final = frozenset("Ў")


@lru_cache(maxsize=1)
def _cyrillic() -> dict[str, dict[str, str]]:
    """``{language or "": {letter: latin}}``."""
    table: dict[str, dict[str, str]] = {}
    for row in read_table("cyrillic_icao.csv"):
        table.setdefault(row["language"], {})[row["char"]] = row["latin"]
    return table


@lru_cache(maxsize=1)
def _arabic() -> tuple[dict[str, str], dict[str, str]]:
    """``(mrz, readable)`` maps of Arabic-script letters."""
    mrz: dict[str, str] = {}
    readable: dict[str, str] = {}
    for row in read_table("arabic_icao.csv"):
        mrz[row["char"]] = row["mrz"]
        readable[row["char"]] = row["latin"]
    return mrz, readable


@lru_cache(maxsize=1)
def _ethiopic() -> dict[int, tuple[str, str, bool]]:
    """``{first code point of a series: (consonant, first-order vowel, labialised)}``."""
    return {
        ord(row["first"]): (row["consonant"], row["first_order"], row["kind"] == "labialised")
        for row in read_table("ethiopic_bgn.csv")
    }


def _cyrillic_language(word: str, language: str | None) -> str:
    if language in {"ukr", "rus", "bel", "bul", "srp", "mkd"}:
        return language
    if any(char in _UKRAINIAN_LETTERS for char in word):
        return "ukr"
    if any(char in _BELARUSIAN_LETTERS for char in word):
        return "bel"
    return "rus"


_WAW: Final = "و"
_YEH: Final = frozenset("يی")
_ALEF: Final = "ا"
_ARTICLE: Final = "ال"
_ABD: Final = "عبد"


def _arabic_word(word: str, mrz: bool) -> str:
    mrz_map, readable_map = _arabic()
    if mrz:
        escaped: list[str] = []
        for index, char in enumerate(word):
            if char == "ة" and index == len(word) - 1:
                escaped.append("XAH")
            else:
                escaped.append(mrz_map.get(char, _fallback(char)))
        return "".join(escaped)
    prefix = ""
    if word.startswith(_ABD + _ARTICLE) and len(word) > 5:
        prefix, word = "ABD AL ", word[5:]
    elif word.startswith(_ARTICLE) and len(word) > 3:
        prefix, word = "AL ", word[2:]
    out: list[str] = []
    for index, char in enumerate(word):
        following = word[index + 1] if index + 1 < len(word) else ""
        after_consonant = bool(out) and bool(out[-1]) and out[-1][-1] not in "AEIOU"
        if char == _WAW and after_consonant and following != _ALEF:
            out.append("U")
        elif char in _YEH and after_consonant and following != _ALEF:
            out.append("I")
        else:
            out.append(readable_map.get(char, _fallback(char)))
    return prefix + "".join(out)


_ETHIOPIC_VOWELS: Final = ("", "U", "I", "A", "E", "", "O", "WA")
_ETHIOPIC_LABIAL_VOWELS: Final = ("WE", "", "WI", "WA", "WE", "W", "", "")


def _ethiopic_sixth(char: str) -> bool:
    code = ord(char)
    return 0x1200 <= code <= 0x135A and code % 8 == 5 and (code & ~7) in _ethiopic()


def _ethiopic_word(word: str) -> str:
    """Romanise one Ethiopic word.

    Each syllable is consonant + vowel order. Orders 2..5 and 7 give U, I, A, E, O; the 8th form
    is WA. The first order is E (BGN ä), but A after the laryngeals ሀ ሐ ኀ አ ዐ, as names are
    usually written (ሀይለ → HAYLE, አበበ → ABEBE). The sixth order (BGN ə, often silent) is the bare
    consonant, except at the start of a word or before another sixth order, where it is written I
    (ምሕረት → MIHRET, ክብሮም → KIBROM, ሃብተ → HABTE).
    """
    series = _ethiopic()
    out = []
    for index, char in enumerate(word):
        code = ord(char)
        base = code & ~7
        if base not in series:
            out.append(_fallback(char))
            continue
        consonant, first_order, labialised = series[base]
        order = code - base
        if labialised:
            out.append(consonant + _ETHIOPIC_LABIAL_VOWELS[order])
        elif order == 0:
            out.append(consonant + first_order)
        elif order == 5:
            following = word[index + 1] if index + 1 < len(word) else ""
            needs_vowel = index == 0 or (bool(following) and _ethiopic_sixth(following))
            out.append(consonant + ("I" if needs_vowel or not consonant else ""))
        else:
            out.append(consonant + _ETHIOPIC_VOWELS[order])
    return "".join(out)


def _fallback(char: str) -> str:
    return "".join(letter for letter in anyascii(char).upper() if "A" <= letter <= "Z")


def _latin_only(text: str) -> str:
    return "".join(char if "A" <= char <= "Z" else " " for char in text.replace("'", ""))


@lru_cache(maxsize=1 << 18)
def to_latin(text: str, language: str | None = None, *, mrz: bool = False) -> str:
    """Transliterate a name into upper-case ``A``-``Z`` words separated by single spaces.

    `language` is an ISO 639-3 code when known (``ukr``, ``rus``, ``bel``, ``ara``, ``fas``,
    ``prs``, ``pus``, ``tir``, ``amh``, ...); for Cyrillic it selects the language-specific rows of
    the ICAO table, and when absent Ukrainian or Belarusian is recognised by their own letters
    (``І Ї Є Ґ``, ``Ў``). `mrz` selects the exact ICAO MRZ form for Arabic script (see the module
    documentation); other scripts are the same either way. Latin input is only normalised.
    """
    normal = normalise(text)
    if normal.isascii():
        return " ".join(_latin_only(normal).split())
    words = [_word_to_latin(word, language, mrz) for word in normal.replace("-", " ").split(" ")]
    return " ".join(" ".join(words).split())


@lru_cache(maxsize=1 << 18)
def _word_to_latin(word: str, language: str | None, mrz: bool) -> str:
    """One word of a normalised name in Latin letters (spaces where it held punctuation). Cached
    on its own: a whole name written in its own script is often new (a new combination of
    given name and family name) when its words are not."""
    pieces: list[str] = []
    run: list[str] = []
    run_script = Script.OTHER
    for char in [*word, ""]:
        script = char_script(char) if char else Script.OTHER
        if run and (script is not run_script or not char):
            pieces.append(_convert_run("".join(run), run_script, language, mrz))
            run = []
        if not char:
            break
        if script in {Script.CYRILLIC, Script.ARABIC, Script.ETHIOPIC}:
            run.append(char)
            run_script = script
        elif "A" <= char <= "Z":
            pieces.append(char)
        elif char == "'":
            continue
        elif char.isalpha():
            pieces.append(_fallback(char))
        else:
            pieces.append(" ")
    return "".join(pieces)


def _cyrillic_letter(char: str, specific: Mapping[str, str], common: Mapping[str, str]) -> str:
    found = specific.get(char)
    if found is None:
        found = common.get(char)
    return found if found is not None else _fallback(char)


def _convert_run(run: str, script: Script, language: str | None, mrz: bool) -> str:
    if script is Script.CYRILLIC:
        tables = _cyrillic()
        specific = tables.get(_cyrillic_language(run, language), {})
        common = tables[""]
        return "".join(_cyrillic_letter(char, specific, common) for char in run)
    if script is Script.ARABIC:
        return _arabic_word(run, mrz)
    return _ethiopic_word(run)
