"""How one name gets written many ways: transliteration variants, particles, typos.

* Cyrillic → Latin by letter, with every common rendering of each letter (the first is
  Ukraine's national system of 2010 for Ukrainian and BGN/PCGN for Russian; the others are the
  ICAO, German, French, Polish and informal habits seen on registrations).
* A Latin spelling varied by one rule from :data:`LATIN_RULES` (vowel and consonant habits of
  transcribing Arabic, Persian and Tigrinya), or replaced by another spelling of the same name
  from the names engine's variant table.
* Arabic particles written another way (``Al-Hasan``/``Al Hasan``/``Alhasan``/``El-Hasan``/``Hasan``;
  ``Abd al-Rahman``/``Abdulrahman``/``Abdel Rahman``).
* Typos: a keyboard-adjacent letter (QWERTY), a dropped letter, a doubled letter, two letters
  swapped.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache
from typing import Final

from hbm.engines.names import canonical, variant_sets

# Ukrainian letters: (national 2010 at the start of a word, elsewhere, *other renderings*).
_UKR: Final[dict[str, tuple[str, ...]]] = {
    "А": ("A", "A"),
    "Б": ("B", "B"),
    "В": ("V", "V", "W"),
    "Г": ("H", "H", "G", "GH"),
    "Ґ": ("G", "G"),
    "Д": ("D", "D"),
    "Е": ("E", "E"),
    "Є": ("YE", "IE", "JE", "E"),
    "Ж": ("ZH", "ZH", "J", "Z", "ZS"),
    "З": ("Z", "Z", "S"),
    "И": ("Y", "Y", "I"),
    "І": ("I", "I", "Y"),
    "Ї": ("YI", "I", "JI", "YI"),
    "Й": ("Y", "I", "J", "Y"),
    "К": ("K", "K"),
    "Л": ("L", "L"),
    "М": ("M", "M"),
    "Н": ("N", "N"),
    "О": ("O", "O"),
    "П": ("P", "P"),
    "Р": ("R", "R"),
    "С": ("S", "S"),
    "Т": ("T", "T"),
    "У": ("U", "U", "OU"),
    "Ф": ("F", "F"),
    "Х": ("KH", "KH", "H", "CH"),
    "Ц": ("TS", "TS", "C", "TZ"),
    "Ч": ("CH", "CH", "TCH", "TSCH"),
    "Ш": ("SH", "SH", "SCH", "CH"),
    "Щ": ("SHCH", "SHCH", "SCH", "SHTCH"),
    "Ь": ("", "", "I"),
    "Ю": ("YU", "IU", "JU", "U"),
    "Я": ("YA", "IA", "JA", "A"),
    "'": ("", ""),
    "’": ("", ""),
}
# Russian letters, BGN/PCGN first.
_RUS: Final[dict[str, tuple[str, ...]]] = {
    **_UKR,
    "Г": ("G", "G", "H"),
    "Е": ("YE", "E", "JE"),
    "Ё": ("YO", "E", "JO", "O"),
    "И": ("I", "I", "Y"),
    "Й": ("Y", "Y", "I", "J"),
    "Ы": ("Y", "Y", "I"),
    "Э": ("E", "E"),
    "Ъ": ("", ""),
    "Ь": ("", "", "I"),
    "Ю": ("YU", "YU", "IU", "JU"),
    "Я": ("YA", "YA", "IA", "JA"),
}
_TABLES: Final = {"ukr": _UKR, "rus": _RUS}


def cyrillic_to_latin(text: str, language: str, rng: random.Random | None = None, share: float = 0.0) -> str:
    """``text`` in Latin capitals: the official rendering, or — with ``rng`` — each letter that
    has other renderings takes one of them with probability ``share``."""
    table = _TABLES[language]
    out = []
    initial = True
    for char in text.upper():
        forms = table.get(char)
        if forms is None:
            out.append(char)
            initial = not char.isalpha()
            continue
        form = forms[0] if initial else forms[1]
        if rng is not None and len(forms) > 2 and rng.random() < share:
            form = rng.choice(forms[1:])
        out.append(form)
        initial = False
    return "".join(out)


# One-rule variations of a Latin spelling: (pattern, replacement) applied at one random match.
LATIN_RULES: Final = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        ("OU", "U"),
        ("(?<=[^AEIOU])U(?=[^AEIOU])", "OU"),
        ("EE", "I"),
        ("(?<=.)I(?=[^AEIOU])", "EE"),
        ("(?<=.)O", "U"),
        ("(?<=.)U", "O"),
        ("(?<=.)E(?=.)", "A"),
        ("(?<=.)A(?=.)", "E"),
        ("KH", "H"),
        ("KH", "CH"),
        ("Q", "K"),
        ("(?<=.)K", "Q"),
        ("DH", "D"),
        ("TH", "T"),
        ("J", "DJ"),
        ("(?<=.)Y(?=.)", "I"),
        ("(?<=.)I(?=[AEOU])", "Y"),
        ("SS", "S"),
        ("MM", "M"),
        ("(?<=[AEIOU])M(?=[AEIOU])", "MM"),
        ("(?<=[AEIOU])S(?=[AEIOU])", "SS"),
        ("AH$", "A"),
        ("(?<=[^AEIOUH])A$", "AH"),
        ("AY$", "AI"),
        ("AI$", "AY"),
        ("(?<=.)E$", ""),
        ("W", "OU"),
        ("(?<=.)Y$", "I"),
        ("PH", "F"),
        ("(?<=.)F", "PH"),
        ("GH", "G"),
        ("Z", "DH"),
        ("TS", "TZ"),
    )
)


@lru_cache(maxsize=1)
def _table_variants() -> dict[str, tuple[str, ...]]:
    return {vs.canonical: (vs.canonical, *vs.variants) for vs in variant_sets()}


def latin_variant(word: str, rng: random.Random, table_share: float = 0.5) -> str:
    """Another common spelling of one Latin name part (upper case): from the variant table with
    probability ``table_share`` when the table knows the name, else by one rule."""
    upper = word.upper()
    if rng.random() < table_share:
        spellings = _table_variants().get(canonical(upper))
        if spellings:
            return rng.choice(spellings)
    rules = [(p, r) for p, r in LATIN_RULES if p.search(upper)]
    if not rules:
        return upper
    pattern, replacement = rng.choice(rules)
    matches = list(pattern.finditer(upper))
    match = rng.choice(matches)
    return upper[: match.start()] + replacement + upper[match.end() :]


_ARTICLE: Final = re.compile(r"^(AL|EL)[- ]?(?=[A-Z]{3})")
_ABD: Final = re.compile(r"^ABD(?:UL| AL-?|EL| EL-?|AL)[ -]?")


def particle_variant(name: str, rng: random.Random) -> str:
    """``name`` with its Arabic article or ``Abd al-`` written another common way (unchanged
    when it has neither)."""
    upper = name.upper()
    if (match := _ABD.match(upper)) is not None:
        rest = upper[match.end() :]
        return rng.choice(("ABDUL", "ABD AL-", "ABDEL", "ABD EL ", "ABDUL ", "ABD AL ")) + rest
    if (match := _ARTICLE.match(upper)) is not None:
        rest = upper[match.end() :]
        return rng.choice(("AL-", "AL ", "AL", "EL-", "EL ", "")) + rest
    if " AL-" in upper:  # Nour al-Din
        return upper.replace(" AL-", rng.choice(("UD", " AL ", "ED", " EL-", " AL-")), 1)
    return upper


_ROWS: Final = ("QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM")


@lru_cache(maxsize=1)
def _neighbours() -> dict[str, str]:
    found: dict[str, str] = {}
    for r, row in enumerate(_ROWS):
        for c, char in enumerate(row):
            near = [row[i] for i in (c - 1, c + 1) if 0 <= i < len(row)]
            for other in (r - 1, r + 1):
                if 0 <= other < len(_ROWS):
                    near += [_ROWS[other][i] for i in (c - 1, c, c + 1) if 0 <= i < len(_ROWS[other])]
            found[char] = "".join(near)
    return found


def typo(word: str, rng: random.Random) -> str:
    """``word`` with one typing mistake, never in its first letter (people rarely get that wrong):
    a keyboard-adjacent letter (40 %), a dropped letter (25 %), a doubled letter (20 %) or two
    neighbouring letters swapped (15 %). Words shorter than 3 letters are left alone."""
    if len(word) < 3:
        return word
    at = rng.randrange(1, len(word))
    roll = rng.random()
    char = word[at]
    if roll < 0.40:
        near = _neighbours().get(char)
        return word[:at] + rng.choice(near) + word[at + 1 :] if near else word
    if roll < 0.65:
        return word[:at] + word[at + 1 :]
    if roll < 0.85:
        return word[:at] + char + word[at:]
    if at + 1 < len(word):
        return word[:at] + word[at + 1] + char + word[at + 2 :]
    return word[: at - 1] + char + word[at - 1]
