"""Phonetic keys for names transliterated from Arabic, Persian, Slavic, Ge'ez and Somali.

English Soundex keeps the first letter and codes consonants in six classes; it fails here because
the variation is elsewhere: short vowels are not written in Arabic script and every writer adds
their own (MOHAMMED, MUHAMMAD, MOHAMED), consonants are spelt by the conventions of the writer's
language (SH/CH/SCH for one sound, KH/H/CH for another, J/DJ/ZH/DZH), letters are doubled or not,
and endings vary (FATIMA, FATIMAH, FATEMEH; AMIN, AMINE). The HBM key:

1. rewrites the spellings of one sound to one symbol (longest first): ``SHCH SCH TSCH TCH CH SH
   SZ CZ`` → ``X``; ``KH`` → ``H``; ``DZH DSCH DJ ZH`` → ``J``; ``GH`` → ``G``; ``PH`` → ``F``;
   ``TH`` → ``T``; ``DH`` → ``D``; ``Q CK`` and ``C`` not before E/I/Y → ``K``; ``C`` before
   E/I/Y → ``S``; ``X`` (the Latin letter) → ``KS``; ``W`` → ``V``; a word-initial ``OU`` or
   ``I``/``Y`` before a vowel is the consonant ``V``/``Y``, and a word-initial ``Y`` before a
   consonant the vowel ``I`` (YRYNA, IRYNA: Ukrainian И and І are both written Y or I);
2. unifies the Arabic compounds: ``ABD``+(vowel)+``L`` or a sun-letter assimilation at the start
   (ABDUL, ABDEL, ABDOUL, ABDUR-RAHMAN) → ``ABDAL``; ``-ULLAH/-ALLAH/-OLLAH`` → ``ALLAH``;
   ``-UDDIN/-EDDINE/-ADDIN/-ALDIN`` → ``ADIN``;
3. drops a final H after a vowel (-AH, -EH → A) and a silent final E after a consonant (French);
4. collapses doubled symbols, drops every vowel except the *first* vowel (as ``U`` for O/U, ``A``
   for A/E/I/Y) and a final-vowel mark ``A``.

Keeping the first vowel's class separates names whose consonants agree but which are different
names (HASAN ``HASN`` / HUSAYN ``HUSN``; MAHMUD ``MAHMD`` / MUHAMMAD ``MUHMD``) while writers'
free choice of later short vowels is ignored. :func:`consonant_key` drops every vowel: it is
the key to compare with names transliterated from Arabic script, where short vowels are absent.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

__all__ = ["consonant_key", "skeleton"]

_VOWELS: Final = frozenset("AEIOUY")
_REWRITES: Final[tuple[tuple[re.Pattern[str], str], ...]] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        # Arabic compounds first, on the spelling as written.
        (r"^ABD(?:[AEIOU]{0,2}L|[AEOU]{0,2}(?=[DNRSTZ]))", "ABDAL"),
        (r"(?<=[A-Z]{2})[AEIOU]{1,2}LL?AH?$", "ALLAH"),
        (r"(?<=[A-Z]{3})(?:[AEIOU]{0,2}L)?[AEIOU]{0,2}D{1,2}(?:I{1,2}|EE|E)NE?$", "ADIN"),
        # Endings: a silent final E (French AMINE), then the H of -AH/-EH (FATIMAH, FATEMEH).
        (r"(?<=[^AEIOUY])E$", ""),
        (r"(?<=[AEIOU])H$", ""),
        # Word-initial glides, and a Y before a consonant, which is a vowel (YRYNA is IRYNA).
        (r"^Y(?=[^AEIOUY])", "I"),
        (r"^OU(?=[AEI])", "V"),
        (r"^[IJ](?=[AOU])", "Y"),
        (r"^I(?=E)", "Y"),
        # One symbol per sound, longest spelling first.
        (r"SHCH|TSCH|SCH|TCH|CH|SH|SZ|CZ", "X_"),
        (r"X(?!_)", "KS"),
        (r"X_", "X"),
        (r"DZH|DSCH|DJ|ZH", "J"),
        (r"KH", "H"),
        (r"GH", "G"),
        (r"PH", "F"),
        (r"TH", "T"),
        (r"DH", "D"),
        (r"CK|Q", "K"),
        (r"C(?=[EIY])", "S"),
        (r"C", "K"),
        (r"W", "V"),
    )
)


def _rewrite(word: str) -> str:
    for pattern, replacement in _REWRITES:
        word = pattern.sub(replacement, word)
    return word


def _letters(part: str) -> str:
    return "".join(char for char in part.upper() if "A" <= char <= "Z")


@lru_cache(maxsize=1 << 18)
def skeleton(part: str) -> str:
    """The HBM phonetic key of one Latin name part (see the module documentation).

    Letters other than A–Z are ignored; an empty part gives ``""``.
    """
    word = _rewrite(_letters(part))
    out: list[str] = []
    first_vowel_done = False
    previous = ""
    index, length = 0, len(word)
    while index < length:
        char = word[index]
        if char in _VOWELS and not (char == "Y" and index == 0):
            end = index
            while end < length and word[end] in _VOWELS:
                end += 1
            if not first_vowel_done:
                out.append("U" if char in "OU" else "A")
                first_vowel_done = True
            elif end == length:
                out.append("A")
            previous = ""
            index = end
            continue
        if char != previous:
            out.append(char)
        previous = char
        index += 1
    return "".join(out)


@lru_cache(maxsize=1 << 18)
def consonant_key(part: str) -> str:
    """The consonants of :func:`skeleton` only: no vowel at all (A E I O U, and Y after the start).

    This is what survives transliteration from Arabic script, which writes no short vowels
    (``محمد`` → ``MHMD``, as MUHAMMAD and MOHAMED).
    """
    word = _rewrite(_letters(part))
    out: list[str] = []
    previous = ""
    for index, char in enumerate(word):
        if char in _VOWELS and not (char == "Y" and index == 0):
            previous = ""
            continue
        if char != previous:
            out.append(char)
        previous = char
    return "".join(out)
