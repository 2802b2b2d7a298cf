"""Pairs waiting for a person, gathered into groups of records reviewed together.

Namesakes come in bunches: six registrations of MOHAMMAD AHMADI born in 1990 make fifteen pairs,
and an adjudicator who opens them one by one reads the same six records fifteen times. A review
group is the records those pairs join, up to :data:`GROUP_LIMIT` of them: the adjudicator says which
records are one person (a letter per record) and every pair in the group is decided by that
answer — records with the same letter *same person*, with different letters *distinct*.

Groups follow the pairs' review order (the most urgent first). A pair that would make a group
larger than the limit waits for the next pass and forms a group with the other such pairs; its
records are then in two groups, which is what a reviewer of a large bunch needs (the strongest
pairs together first). Nothing here reads a database: the queue and the benchmark use the same
grouping.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Generic, TypeVar

GROUP_LIMIT: Final = 8
"""The most records one group shows: columns side by side on one screen, letters A to H."""

LETTERS: Final = "ABCDEFGH"

K = TypeVar("K", bound=Hashable)


class _Sets:
    """Union–find over record numbers 0…n−1, with each set's size."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n

    def find(self, key: int) -> int:
        parent = self.parent
        root = key
        while root != parent[root]:
            root = parent[root]
        while key != root:  # path compression
            parent[key], key = root, parent[key]
        return root

    def join(self, a: int, b: int) -> int:
        small, large = (a, b) if self.size[a] < self.size[b] else (b, a)
        self.parent[small] = large
        self.size[large] += self.size[small]
        return large


def _numbered(pairs: Sequence[tuple[K, K]]) -> tuple[list[tuple[int, int]], dict[K, int]]:
    """The pairs with each record replaced by a number (first seen, first numbered), and the numbers."""
    number: dict[K, int] = {}
    numbered = [(number.setdefault(a, len(number)), number.setdefault(b, len(number))) for a, b in pairs]
    return numbered, number


def review_groups(pairs: Sequence[tuple[K, K]], limit: int = GROUP_LIMIT) -> list[list[int]]:
    """The indices of ``pairs`` (given in review order) in each group, groups in the order of their
    first pair. Every pair is in exactly one group; no group joins more than ``limit`` records.
    """
    if limit < 2:
        raise ValueError("a group joins at least the two records of a pair")
    numbered, number = _numbered(pairs)
    groups: dict[tuple[int, int], list[int]] = {}
    waiting, rounds = list(range(len(numbered))), 0
    while waiting:
        sets, kept, deferred = _Sets(len(number)), [], []
        for index in waiting:
            a, b = sets.find(numbered[index][0]), sets.find(numbered[index][1])
            if a != b and sets.size[a] + sets.size[b] > limit:
                deferred.append(index)
                continue
            if a != b:
                sets.join(a, b)
            kept.append(index)
        for index in kept:
            groups.setdefault((rounds, sets.find(numbered[index][0])), []).append(index)
        waiting, rounds = deferred, rounds + 1
    return sorted(groups.values(), key=lambda members: members[0])


@dataclass(frozen=True, slots=True)
class GroupRulings(Generic[K]):
    """What one answer on a group decides: ``same``/``distinct`` — the indices of the group's pairs
    each ruling applies to; ``unpaired`` — records given one letter that no pair joins (the
    adjudicator saw them side by side and said they are one person: a pair to record)."""

    same: tuple[int, ...]
    distinct: tuple[int, ...]
    unpaired: tuple[tuple[K, K], ...]


def group_rulings(pairs: Sequence[tuple[K, K]], letters: Mapping[K, str]) -> GroupRulings[K]:
    """Rulings from a letter per record (records with one letter are one person).

    Raises :class:`KeyError` naming a record of ``pairs`` that has no letter.
    """
    records = list(dict.fromkeys(key for pair in pairs for key in pair))
    for key in records:
        if not letters.get(key):
            raise KeyError(key)
    same = tuple(i for i, (a, b) in enumerate(pairs) if letters[a] == letters[b])
    distinct = tuple(i for i, (a, b) in enumerate(pairs) if letters[a] != letters[b])
    numbered, number = _numbered(pairs)
    sets = _Sets(len(number))
    for i in same:
        root_a, root_b = sets.find(numbered[i][0]), sets.find(numbered[i][1])
        if root_a != root_b:
            sets.join(root_a, root_b)
    unpaired: list[tuple[K, K]] = []
    for position, a in enumerate(records):
        for b in records[position + 1 :]:
            root_a, root_b = sets.find(number[a]), sets.find(number[b])
            if letters[a] == letters[b] and root_a != root_b:
                unpaired.append((a, b))
                sets.join(root_a, root_b)
    return GroupRulings(same=same, distinct=distinct, unpaired=tuple(unpaired))
