"""Variant tables: the canonical form of a name part (data file ``variants.csv``).

Each row of ``variants.csv`` is one variant set: ``canonical`` (the form used as the set's name),
``kind`` (``given``, ``surname`` or ``both``), ``origin`` (the language family the name is used in),
``variants`` (space-separated spellings, A–Z), and ``source`` (where the set comes from). A spelling
belongs to at most one set (a test holds this).

Lookup is exact first. A spelling that is in no set is matched by its phonetic key
(:func:`~hbm.engines.names._phonetic.skeleton`) when exactly one set has a member with that key,
so that an unlisted spelling such as MOUHAMMED still finds MUHAMMAD; a key shared by two sets
(MAHMUD and MUHAMMAD do not share one, but SAID and SAAD do) resolves nothing, and the phonetic
key of such sets carries the canonical form (:func:`table_key`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from hbm.engines.names._data import read_table
from hbm.engines.names._phonetic import skeleton
from hbm.engines.names._translit import to_latin

__all__ = ["VariantSet", "canonical", "table_key", "variant_sets"]


@dataclass(frozen=True, slots=True)
class VariantSet:
    """One row of ``variants.csv``."""

    canonical: str
    kind: str
    origin: str
    variants: tuple[str, ...]
    source: str


@lru_cache(maxsize=1)
def variant_sets() -> tuple[VariantSet, ...]:
    """Every variant set of the shipped table, in file order."""
    return tuple(
        VariantSet(
            canonical=row["canonical"],
            kind=row["kind"],
            origin=row["origin"],
            variants=tuple(row["variants"].split()),
            source=row["source"],
        )
        for row in read_table("variants.csv")
    )


@lru_cache(maxsize=1)
def _lookup() -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    exact: dict[str, str] = {}
    by_key: dict[str, set[str]] = {}
    for variant_set in variant_sets():
        for spelling in (variant_set.canonical, *variant_set.variants):
            exact.setdefault(spelling, variant_set.canonical)
            by_key.setdefault(skeleton(spelling), set()).add(variant_set.canonical)
    unambiguous = {key: next(iter(names)) for key, names in by_key.items() if len(names) == 1}
    shared = frozenset(
        name for key, names in by_key.items() if len(names) > 1 for name in names if skeleton(name) == key
    )
    return exact, unambiguous, shared


@lru_cache(maxsize=1 << 18)
def canonical(part: str) -> str:
    """The canonical form of one name part: its variant set's name, else the part itself.

    The part is transliterated and its spaces removed first (``Абд ал`` → ``ABDAL``); an empty
    part gives ``""``.
    """
    word = "".join(to_latin(part).split())
    if not word:
        return ""
    exact, by_key, _ = _lookup()
    found = exact.get(word)
    if found is not None:
        return found
    return by_key.get(skeleton(word), word)


def table_key(form: str) -> str:
    """The phonetic key of a canonical form.

    Its :func:`skeleton`, except for sets whose spellings share a skeleton with another set's
    (SAID and SAAD, JAMAL and JAMIL): those keep apart as ``skeleton/CANONICAL``.
    """
    key = skeleton(form)
    if form in _lookup()[2]:
        return f"{key}/{form}"
    return key
