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
    """Union–find over record keys, with each set's size."""

    def __init__(self) -> None:
        self.parent: dict[Hashable, Hashable] = {}
        self.size: dict[Hashable, int] = {}

    def find(self, key: Hashable) -> Hashable:
        root = self.parent.setdefault(key, key)
        self.size.setdefault(key, 1)
        while root != self.parent[root]:
            root = self.parent[root]
        while key != root:  # path compression
            self.parent[key], key = root, self.parent[key]
        return root

    def join(self, a: Hashable, b: Hashable) -> Hashable:
        small, large = sorted((a, b), key=lambda root: self.size[root])
        self.parent[small] = large
        self.size[large] += self.size[small]
        return large


def review_groups(pairs: Sequence[tuple[K, K]], limit: int = GROUP_LIMIT) -> list[list[int]]:
    """The indices of ``pairs`` (given in review order) in each group, groups in the order of their
    first pair. Every pair is in exactly one group; no group joins more than ``limit`` records.
    """
    if limit < 2:
        raise ValueError("a group joins at least the two records of a pair")
    groups: dict[tuple[int, Hashable], list[int]] = {}
    waiting, rounds = list(range(len(pairs))), 0
    while waiting:
        sets, kept, deferred = _Sets(), [], []
        for index in waiting:
            a, b = sets.find(pairs[index][0]), sets.find(pairs[index][1])
            if a != b and sets.size[a] + sets.size[b] > limit:
                deferred.append(index)
                continue
            if a != b:
                sets.join(a, b)
            kept.append(index)
        for index in kept:
            groups.setdefault((rounds, sets.find(pairs[index][0])), []).append(index)
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
    sets = _Sets()
    for i in same:
        root_a, root_b = sets.find(pairs[i][0]), sets.find(pairs[i][1])
        if root_a != root_b:
            sets.join(root_a, root_b)
    unpaired: list[tuple[K, K]] = []
    for position, a in enumerate(records):
        for b in records[position + 1 :]:
            if letters[a] == letters[b] and sets.find(a) != sets.find(b):
                unpaired.append((a, b))
                sets.join(sets.find(a), sets.find(b))
    return GroupRulings(same=same, distinct=distinct, unpaired=tuple(unpaired))
