"""Places of birth: the gazetteer of names a place is known by (data file ``places.csv``).

A place of birth is written the way the person or the officer knows it: in the language of the
state that ruled it when the person was born (Lvov, Kharkov, Dnepropetrovsk), in the language of
the registering officer (Lemberg, Alep, Kaboul), in its own script (حلب, Львів) or by its name
before a renaming (Bombay, Illichivsk). These are one place, not similar spellings: string
similarity cannot see that Lemberg is Lviv, or Madras Chennai. Each row of ``places.csv`` is one
place: its name (``place``), its country (ISO 3166-1 alpha-3), the names it is known by
(``variants``, ``|``-separated, any script) and the source of those names.

:func:`place_forms` looks a place up in every script: as written (its letters, without spaces,
hyphens, apostrophes or a leading Arabic article) and, failing that, as transliterated to Latin
letters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from hbm.engines.names._data import read_table
from hbm.engines.names._text import SCRIPT_FOLD, normalise
from hbm.engines.names._translit import to_latin

__all__ = ["Place", "fold", "gazetteer", "place_name"]

# The Arabic article before a place name, however it is written (Al-Raqqah, Ar-Raqqah, El Obeid,
# الرقة): place names are compared without it.
_LATIN_ARTICLE: Final = re.compile(r"^(?:AL|EL|AR|AS|AD|AZ|ASH|AN|AT|ADH)[- ](?=\S)")
_ARABIC_ARTICLE: Final = "ال"


@dataclass(frozen=True, slots=True)
class Place:
    """One row of ``places.csv``."""

    name: str
    country: str
    variants: tuple[str, ...]
    source: str


@lru_cache(maxsize=1)
def gazetteer() -> tuple[Place, ...]:
    """Every place of the shipped gazetteer, in file order."""
    return tuple(
        Place(
            name=row["place"],
            country=row["country"],
            variants=tuple(v.strip() for v in row["variants"].split("|") if v.strip()),
            source=row["source"],
        )
        for row in read_table("places.csv")
    )


def fold(text: str) -> str:
    """The letters of a place name that do not vary between writers: :func:`normalise`, the
    interchangeable Arabic-script letters folded (as :func:`script_form` does), a leading Arabic
    article dropped, and only letters kept (``Al-Raqqah`` → ``RAQQAH``, ``Mazar-e Sharif`` →
    ``MAZARESHARIF``, ``الرقة`` → ``رقه``)."""
    form = _LATIN_ARTICLE.sub("", normalise(text).translate(SCRIPT_FOLD))
    if form.startswith(_ARABIC_ARTICLE) and len(form.split(" ", 1)[0]) > len(_ARABIC_ARTICLE) + 1:
        form = form[len(_ARABIC_ARTICLE) :]
    return "".join(char for char in form if char.isalpha())


@lru_cache(maxsize=1)
def _lookup() -> dict[str, str]:
    found: dict[str, str] = {}
    for place in gazetteer():
        for written in (place.name, *place.variants):
            found.setdefault(fold(written), place.name)
    return found


@lru_cache(maxsize=1 << 16)
def place_name(text: str) -> str | None:
    """The gazetteer's name of the place ``text`` names (any script, any listed spelling), or
    ``None`` when the gazetteer does not know it."""
    table = _lookup()
    found = table.get(fold(text))
    if found is None and not normalise(text).isascii():
        found = table.get(fold(to_latin(text)))
    return found
