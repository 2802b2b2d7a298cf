"""Keys and similarity built on the parts: what a matcher uses."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import JaroWinkler

from hbm.engines.names._parts import name_parts
from hbm.engines.names._phonetic import consonant_key
from hbm.engines.names._text import Script, script_of
from hbm.engines.names._variants import canonical, table_key

__all__ = ["NameKeys", "name_keys", "name_similarity", "phonetic_key"]

_SAME_KEY_SIMILARITY = 0.9


@lru_cache(maxsize=1 << 18)
def phonetic_key(part: str) -> str:
    """The phonetic key of one name part: the HBM key of its canonical form.

    Spellings in one variant set share a key (OLEKSANDR, ALEKSANDR, ALEXANDER); spellings in no
    set share a key when the key's rules make them equal (MOHAMMED, MUHAMMAD, MOHAMED → ``MUHMD``).
    See :mod:`hbm.engines.names._phonetic` for the rules. ``""`` for an empty part.
    """
    return table_key(canonical(part))


@lru_cache(maxsize=1 << 18)
def _part(part: str) -> tuple[str, str, str]:
    form = canonical(part)
    return form, table_key(form), consonant_key(form)


def _part_similarity(left: str, right: str) -> float:
    left_form, left_key, _ = _part(left)
    right_form, right_key, _ = _part(right)
    if left_form == right_form:
        return 1.0
    similarity = float(JaroWinkler.normalized_similarity(left_form, right_form))
    if left_key == right_key:
        return max(similarity, _SAME_KEY_SIMILARITY)
    return similarity


def name_similarity(a: str, b: str) -> float:
    """How alike two full names are, in [0, 1], whatever the order of their parts.

    Both names are split by :func:`name_parts`; each part of one is paired with at most one part of
    the other, best pairs first, where a pair scores 1 when the canonical forms are equal, at least
    0.9 when the phonetic keys are, and else the Jaro–Winkler similarity (RapidFuzz) of the
    canonical forms. The result is twice the sum of the pair scores over the number of parts of both
    names (Dice-like): a missing middle name costs, a swapped order does not. 0 when either name
    has no part.
    """
    left, right = name_parts(a), name_parts(b)
    if not left or not right:
        return 0.0
    scores = sorted(
        ((_part_similarity(x, y), i, j) for i, x in enumerate(left) for j, y in enumerate(right)),
        reverse=True,
    )
    used_left: set[int] = set()
    used_right: set[int] = set()
    total = 0.0
    for score, i, j in scores:
        if i in used_left or j in used_right:
            continue
        used_left.add(i)
        used_right.add(j)
        total += score
    return min(1.0, 2.0 * total / (len(left) + len(right)))


@dataclass(frozen=True, slots=True)
class NameKeys:
    """Normalised forms and blocking keys of one person's name.

    Parts are the output of :func:`name_parts`; ``*_canonical`` their variant-table forms;
    ``*_keys`` their :func:`phonetic_key`. ``original_*`` come from the name as written in its own
    script (empty when no original was given): its Latin parts and their consonant keys
    (:func:`consonant_key`), which is what a name transliterated from Arabic script can be compared
    on. Derived, order-free keys for blocking:

    * ``all_keys``: phonetic keys of every given and surname part (swapped order still meets);
    * ``consonant_keys``: consonant keys of every part, original included (cross-script);
    * ``full_key``: the sorted phonetic keys joined by spaces (one string per person's name).
    """

    given: tuple[str, ...]
    surname: tuple[str, ...]
    given_canonical: tuple[str, ...]
    surname_canonical: tuple[str, ...]
    given_keys: tuple[str, ...]
    surname_keys: tuple[str, ...]
    original_script: Script
    original_parts: tuple[str, ...]
    original_consonant_keys: tuple[str, ...]
    all_keys: frozenset[str]
    consonant_keys: frozenset[str]
    full_key: str

    @property
    def first_given_key(self) -> str:
        """The phonetic key of the first given name, ``""`` when there is none."""
        return self.given_keys[0] if self.given_keys else ""

    @property
    def surname_key(self) -> str:
        """The phonetic keys of the surname parts joined by spaces (``""`` when none)."""
        return " ".join(self.surname_keys)


def name_keys(given: str, surname: str, original: str = "", language: str | None = None) -> NameKeys:
    """Compute the :class:`NameKeys` of a name given in Latin letters and, optionally, as written.

    `given` and `surname` may be in any script (they are transliterated); `original` is the full
    name as the person writes it, `language` its ISO 639-3 code when known. Pure and cached per
    part: about the cost of a few dictionary look-ups for names seen before.
    """
    given_parts = name_parts(given, language)
    surname_parts = name_parts(surname, language)
    given_info = [_part(part) for part in given_parts]
    surname_info = [_part(part) for part in surname_parts]
    original_parts = name_parts(original, language) if original else ()
    original_consonants = tuple(consonant_key(part) for part in original_parts)
    keys = [info[1] for info in given_info] + [info[1] for info in surname_info]
    consonants = {info[2] for info in given_info} | {info[2] for info in surname_info}
    return NameKeys(
        given=given_parts,
        surname=surname_parts,
        given_canonical=tuple(info[0] for info in given_info),
        surname_canonical=tuple(info[0] for info in surname_info),
        given_keys=tuple(info[1] for info in given_info),
        surname_keys=tuple(info[1] for info in surname_info),
        original_script=script_of(original) if original else Script.OTHER,
        original_parts=original_parts,
        original_consonant_keys=original_consonants,
        all_keys=frozenset(key for key in keys if key),
        consonant_keys=frozenset(key for key in (*consonants, *original_consonants) if key),
        full_key=" ".join(sorted(key for key in keys if key)),
    )
