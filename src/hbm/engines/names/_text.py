"""Unicode normalisation and script detection (no transliteration here)."""

from __future__ import annotations

import enum
import unicodedata
from functools import lru_cache
from typing import Final

__all__ = [
    "SCRIPT_FOLD",
    "Script",
    "normalise",
    "script_form",
    "script_letters_fold",
    "script_letters_table",
    "script_of",
]


class Script(enum.Enum):
    """The writing system a name is written in, as far as the engine distinguishes them."""

    LATIN = "latin"
    ARABIC = "arabic"
    CYRILLIC = "cyrillic"
    ETHIOPIC = "ethiopic"
    OTHER = "other"


# Latin letters that do not decompose into a base letter plus marks (ICAO Doc 9303-3 §6 Table A
# gives the same digraphs: Æ→AE, Œ→OE, Ø→OE, Þ→TH, ß→SS).
_LATIN_SPECIAL: Final = str.maketrans(
    {
        "Æ": "AE",
        "Œ": "OE",
        "Ø": "OE",
        "Þ": "TH",
        "Ð": "D",
        "Đ": "D",
        "Ł": "L",
        "Ħ": "H",
        "Ŋ": "N",
        "ẞ": "SS",
        "ı": "I",
        "Ŧ": "T",
        "Ŀ": "L",
        "Ɗ": "D",
        "Ɓ": "B",
        "Ƙ": "K",
    }
)
_HYPHENS: Final = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u058a\u05be\u1806\ufe58\ufe63\uff0d\u2e3a\u2e3b"
_APOSTROPHES: Final = "\u2018\u2019\u201b\u02bc\u02bb\u02bd\u02b9\u02be\u02bf\u0060\u00b4\u2032\uff07"
_PUNCT_TABLE: Final = str.maketrans({**dict.fromkeys(_HYPHENS, "-"), **dict.fromkeys(_APOSTROPHES, "'")})
# Arabic harakat, superscript alef, tatweel, and the zero-width (non-)joiners Persian uses between
# the parts of one word: optional marks that writers use inconsistently.
_ARABIC_OPTIONAL: Final = frozenset(
    [*map(chr, range(0x064B, 0x0660)), "\u0670", "\u0640", "\u200c", "\u200d", "\u200e", "\u200f"]
)


def _is_latin_code(code: int) -> bool:
    return code < 0x0250 or 0x1E00 <= code <= 0x1EFF


@lru_cache(maxsize=1 << 16)
def normalise(text: str) -> str:
    """Return `text` in NFKC, upper case, without Latin diacritics, with one kind of hyphen,
    apostrophe and space.

    The script is kept: Cyrillic stays Cyrillic (``Й`` keeps its breve: it is a letter of its own),
    Arabic stays Arabic but loses the optional vowel marks (harakat), tatweel and zero-width joiners.
    Hyphens become ``-``, apostrophes and similar marks ``'``, every run of white space one space;
    leading and trailing space is removed. The function is idempotent.
    """
    text = unicodedata.normalize("NFKC", text).upper().translate(_PUNCT_TABLE)
    if not text.isascii():
        text = text.translate(_LATIN_SPECIAL)
        decomposed = unicodedata.normalize("NFD", text)
        kept: list[str] = []
        base_is_latin = False
        for char in decomposed:
            if char in _ARABIC_OPTIONAL:
                continue
            if unicodedata.combining(char):
                if base_is_latin:
                    continue
            else:
                base_is_latin = _is_latin_code(ord(char))
            kept.append(char)
        text = unicodedata.normalize("NFC", "".join(kept)).upper()
    return " ".join(text.split())


# Letters writers of Arabic script use interchangeably in names: hamza-carrying alefs, alef
# maqsura and yeh (Arabic and Persian), teh marbuta and heh, Persian and Arabic kaf. And the letters
# of Pashto and Urdu that Arabic and Persian keyboards lack, which writers replace by the letter
# without the ring, dots or tail (the one transliteration gives the same Latin letters): Pashto
# tteh, ddal, rreh ټ ډ ړ and Urdu ٹ ڈ ڑ → ت د ر; Pashto zhe ږ → ژ and xin ښ → ش; Pashto gaf ګ → گ;
# Pashto nnoon ڼ and Urdu noon ghunna ں → ن; Pashto e ې and ai ۍ, Urdu yeh barree ے ۓ → ي; Urdu heh
# goal ہ ۂ, heh doachashmee ھ and teh marbuta goal ۃ → ه. Pashto dze ځ and tse څ are kept: their
# stand-ins vary by writer (ز or ج, س or چ), and a wrong fold would make two names one.
SCRIPT_FOLD: Final = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ئ": "ي",
        "ې": "ي",
        "ۍ": "ي",
        "ے": "ي",
        "ۓ": "ي",
        "ة": "ه",
        "ۀ": "ه",
        "ہ": "ه",
        "ۂ": "ه",
        "ھ": "ه",
        "ۃ": "ه",
        "ک": "ك",
        "ؤ": "و",
        "ټ": "ت",
        "ٹ": "ت",
        "ډ": "د",
        "ڈ": "د",
        "ړ": "ر",
        "ڑ": "ر",
        "ږ": "ژ",
        "ښ": "ش",
        "ګ": "گ",
        "ڼ": "ن",
        "ں": "ن",
    }
)


_SCRIPT_LETTERS: Final[dict[int, str | None]] = {**SCRIPT_FOLD, **{ord(c): None for c in _ARABIC_OPTIONAL}}


def script_letters_fold(text: str) -> str:
    """`text` with the Arabic-script letters writers interchange folded (:data:`SCRIPT_FOLD`: أ إ آ ٱ
    → ا, ى ی ئ → ي, ة ۀ → ه, ک → ك, ؤ → و, and Pashto and Urdu letters to the Arabic or Persian
    letter typed in their place: ټ ٹ → ت, ښ → ش, ې ے → ي, ہ ھ → ه …) and the optional marks dropped
    (harakat, superscript alef, tatweel, zero-width (non-)joiners, direction marks); nothing else
    changes: no case, no spacing, other scripts kept as they are. Give it composed text (NFC or
    NFKC): decomposed, ۀ is ە and a hamza, and only the hamza would go."""
    return text.translate(_SCRIPT_LETTERS)


def script_letters_table() -> dict[str, str]:
    """What :func:`script_letters_fold` does, letter by letter: ``{letter: replacement}``, ``""`` for
    a mark dropped. For a fold made elsewhere (the field app's look-up, in JavaScript) to be this one,
    and for a digest of it (folded values stored under another table are made again)."""
    return {chr(code): to or "" for code, to in sorted(_SCRIPT_LETTERS.items())}


@lru_cache(maxsize=1 << 16)
def script_form(text: str) -> str:
    """A name as written in its own script, reduced to what does not vary between writers: the
    :func:`normalise` form with the interchangeable Arabic-script letters folded (أ إ آ → ا,
    ى ی → ي, ة → ه, ک → ك), punctuation dropped and the words sorted (the order of given name
    and surname is the registering officer's, not the person's). Empty for an empty name."""
    folded = normalise(text).translate(SCRIPT_FOLD).replace("-", " ").replace("'", "")
    return " ".join(sorted(folded.split()))


_RANGES: Final[tuple[tuple[int, int, Script], ...]] = (
    (0x0041, 0x024F, Script.LATIN),
    (0x1E00, 0x1EFF, Script.LATIN),
    (0x0400, 0x052F, Script.CYRILLIC),
    (0x1C80, 0x1C8F, Script.CYRILLIC),
    (0x2DE0, 0x2DFF, Script.CYRILLIC),
    (0xA640, 0xA69F, Script.CYRILLIC),
    (0x0600, 0x06FF, Script.ARABIC),
    (0x0750, 0x077F, Script.ARABIC),
    (0x08A0, 0x08FF, Script.ARABIC),
    (0xFB50, 0xFDFF, Script.ARABIC),
    (0xFE70, 0xFEFF, Script.ARABIC),
    (0x1200, 0x139F, Script.ETHIOPIC),
    (0x2D80, 0x2DDF, Script.ETHIOPIC),
    (0xAB00, 0xAB2F, Script.ETHIOPIC),
)


def char_script(char: str) -> Script:
    """The script of one letter (``OTHER`` for digits, punctuation and unlisted scripts)."""
    if not char.isalpha():
        return Script.OTHER
    code = ord(char)
    for low, high, script in _RANGES:
        if low <= code <= high:
            return script
    return Script.OTHER


@lru_cache(maxsize=1 << 18)
def script_of(text: str) -> Script:
    """The script most letters of `text` are written in; ``OTHER`` when it has no letters.

    Ties go to the script met first. Digits and punctuation do not count.
    """
    counts: dict[Script, int] = {}
    for char in text:
        script = char_script(char)
        if script is not Script.OTHER or char.isalpha():
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return Script.OTHER
    return max(counts, key=lambda script: counts[script])
