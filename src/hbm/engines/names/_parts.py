"""Splitting a name into parts, with the particles of Arabic and European names handled.

Rules, applied left to right to the words of :func:`to_latin`:

* Arabic compounds with a first element are one part: ``ABD``/``ABDUL``/``ABDEL``/``ABU``/``ABOU``/
  ``UMM`` and the article that follows them join the next word (``ABD AL RAHMAN`` →
  ``ABDALRAHMAN``, ``ABU BAKR`` → ``ABUBAKR``).
* Arabic compounds with a last element join the previous word, with the article in between:
  ``ALLAH``/``ULLAH`` and ``DIN``/``EDDINE``/``UDDIN`` (``NASR ALLAH`` → ``NASRALLAH``, ``SALAH AD
  DIN`` → ``SALAHADDIN``).
* The article ``AL``/``EL``/``UL`` standing before a name is dropped (``AL ASSAD``, ``AL-ASSAD`` →
  ``ASSAD``), and so are its assimilated forms when the next word begins with the same consonant
  (``AS SAYED``, ``AR RASHID``, ``ASH SHAMI``). An article written as one word with the name
  (``ALASSAD``) is left alone: too many names begin with AL (ALI, ALINA, ALEXANDER).
* Patronymic connectors ``BIN``, ``BEN``, ``IBN``, ``BINT``, ``BINTI``, ``BENT``, ``OULD``,
  ``WALD``, ``WAD`` are dropped when a word follows them, so that the father's name stays a part of
  its own: ``OSAMA BIN LADEN`` → (``OSAMA``, ``LADEN``); ``BIN LADEN`` as a surname → (``LADEN``,).
  This makes ``BIN LADEN`` equal to ``BEN LADEN`` and to ``LADEN``; the joined spelling
  ``BINLADEN`` stays one part (a prefix cannot be cut safely: BENJAMIN).
* European particles join the next word: ``VAN DER BERG`` → ``VANDERBERG``, ``DE LA CRUZ`` →
  ``DELACRUZ``, ``MAC DONALD`` → ``MACDONALD``.

A particle with nothing after it is kept as a part (``BEN`` alone is a name).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final

from hbm.engines.names._translit import to_latin

__all__ = ["name_parts"]

ARABIC_PREFIXES: Final = frozenset(
    {"ABD", "ABDU", "ABDUL", "ABDEL", "ABDAL", "ABDOUL", "ABDOL", "ABDUR", "ABU", "ABOU", "ABO", "UMM", "OUM"}
)
ARABIC_SUFFIXES: Final = frozenset(
    {
        "ALLAH", "ULLAH", "OLLAH", "ALLA", "ULLA", "LLAH",
        "DIN", "DEEN", "EDDIN", "EDDINE", "UDDIN", "UDDEEN", "ADDIN", "ALDIN", "ELDIN", "ULDIN", "EDIN",
    }
)  # fmt: skip
ARTICLES: Final = frozenset({"AL", "EL", "UL", "OL", "IL"})
_ASSIMILATED: Final = {
    f"{vowel}{consonant}": consonant
    for vowel in "AEU"
    for consonant in ("T", "TH", "D", "DH", "R", "Z", "S", "SH", "N", "SS", "DZ", "ZZ", "TT")
}
CONNECTORS: Final = frozenset({"BIN", "BEN", "IBN", "BINT", "BINTI", "BENT", "OULD", "WALD", "WAD"})
EUROPEAN_PARTICLES: Final = frozenset(
    {"VAN", "VON", "DER", "DEN", "TER", "TEN", "DE", "DEL", "DELLA", "DELLE", "DELA", "DA", "DI", "DOS",
     "DAS", "DU", "DES", "LA", "LE", "ST", "MAC", "MC", "SAN", "SANTA"}
)  # fmt: skip


def _is_article(word: str, following: str | None) -> bool:
    if following is None:
        return False
    if word in ARTICLES:
        return True
    consonant = _ASSIMILATED.get(word)
    return consonant is not None and following.startswith(consonant)


@lru_cache(maxsize=1 << 16)
def articles_joined(text: str, language: str | None = None) -> tuple[str, ...]:
    """Each article of ``text`` written apart, joined to the word after it, as other writers join
    it: 'Al-Ahmad' → ``('ALAHMAD',)``, 'Hasan El Sayed' → ``('ELSAYED',)``. :func:`name_parts` drops
    an article written apart ('AHMAD') and keeps one written joined ('Alahmad' → 'ALAHMAD'): a
    matcher keying both forms finds one from the other. An article after an Arabic prefix ('Abd al
    Rahman') is part of the name already, and is not repeated here."""
    words = to_latin(text, language).split()
    return tuple(
        word + words[index + 1]
        for index, word in enumerate(words[:-1])
        if _is_article(word, words[index + 1]) and (index == 0 or words[index - 1] not in ARABIC_PREFIXES)
    )


@lru_cache(maxsize=1 << 18)
def name_parts(text: str, language: str | None = None) -> tuple[str, ...]:
    """The parts of a name: upper-case A–Z words with particles handled (see the module docs).

    `text` may be in any script; it goes through :func:`to_latin` first (with `language`).
    """
    words = to_latin(text, language).split()
    parts: list[str] = []
    prefix = ""
    pending_article = ""
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else None
        if following is not None and word in CONNECTORS:
            continue
        if _is_article(word, following):
            if prefix:
                prefix += word
            elif following in ARABIC_SUFFIXES and parts:
                pending_article = word
            continue
        if following is not None and (word in ARABIC_PREFIXES or word in EUROPEAN_PARTICLES):
            prefix += word
            continue
        if word in ARABIC_SUFFIXES and parts and not prefix:
            parts[-1] += pending_article + word
            pending_article = ""
            continue
        parts.append(prefix + word)
        prefix = ""
        pending_article = ""
    if prefix:
        parts.append(prefix)
    return tuple(parts)
