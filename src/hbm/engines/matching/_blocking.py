"""Blocking: which pairs are compared at all. No step compares all pairs.

Two records are candidates when they share a :func:`~hbm.engines.matching.blocking_keys` key. A
block (the records sharing one key) larger than ``max_block`` is skipped: a key that common (a
very common name pair with no date) says too little to be worth its pairs, and the other keys
still meet. Both paths — :func:`candidate_pairs` for a whole population, :class:`CandidateIndex`
for one new record against everyone indexed — use the same keys and the same cap.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from hbm.engines.compiled import compiled
from hbm.engines.matching._compare import compare
from hbm.engines.matching._features import COLUMNS, Featuriser
from hbm.engines.matching._model import SHARE_COLUMNS, Frequencies, MatchModel, Score
from hbm.engines.matching._records import MatchRecord, RecordId

__all__ = ["CHUNK_PAIRS", "MAX_BLOCK", "Candidate", "CandidateIndex", "CandidatePairs", "candidate_pairs"]

Int64Array = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

MAX_BLOCK: Final = 1000


CHUNK_PAIRS: Final = 1_000_000
_NO_BLOCK: Final = -1


class CandidatePairs:
    """The candidate pairs of a population, produced in chunks of bounded size, each pair once.

    Memory is one entry per (record, key) and one row of block codes per record, never one per
    pair: at a million records the pairs run to hundreds of millions (common names fill blocks up
    to ``max_block``), which no machine here holds at once. A pair that shares several blocks is
    produced by the first of them only (block codes are numbered in the order keys first appear):
    each chunk drops the pairs that also share an earlier block.
    """

    def __init__(self, keys: Sequence[Sequence[str]], *, max_block: int = MAX_BLOCK) -> None:
        codes: dict[str, int] = {}
        owners: list[int] = []
        blocks: list[int] = []
        for position, record_keys in enumerate(keys):
            for key in record_keys:
                owners.append(position)
                blocks.append(codes.setdefault(key, len(codes)))
        owner_array, block_array = np.array(owners, dtype=np.int64), np.array(blocks, dtype=np.int64)
        sizes = np.bincount(block_array, minlength=len(codes))
        kept = (sizes[block_array] >= 2) & (sizes[block_array] <= max_block)
        owner_array, block_array = owner_array[kept], block_array[kept]
        order = np.argsort(block_array, kind="stable")
        self._owners, self._blocks = owner_array[order], block_array[order]
        self._starts = (
            np.flatnonzero(np.r_[True, self._blocks[1:] != self._blocks[:-1]]) if len(order) else order
        )
        self._ends = np.r_[self._starts[1:], len(self._blocks)].astype(np.int64)
        self._codes = _codes_per_record(len(keys), owner_array, block_array)
        block_sizes = self._ends - self._starts
        self.with_repeats = int((block_sizes * (block_sizes - 1) // 2).sum())
        """Pairs counted once per block they share: an upper bound of the number of pairs."""
        self.records = len(keys)

    def chunks(self, size: int = CHUNK_PAIRS) -> Iterator[tuple[Int64Array, Int64Array]]:
        """``(left, right)`` with ``left < right``, about ``size`` pairs at a time (a block is never
        split, so one chunk may hold up to ``max_block²/2``), every pair exactly once overall."""
        sizes = self._ends - self._starts
        pairs = sizes * (sizes - 1) // 2
        first = 0
        while first < len(self._starts):
            last = first + max(int(np.searchsorted(np.cumsum(pairs[first:]), size, side="right")), 1)
            a, b, block = _pairs_within_blocks(
                self._owners, self._blocks, self._starts[first:last], self._ends[first:last]
            )
            keep = ~_share_earlier_block(self._codes, a, b, block)
            yield np.minimum(a, b)[keep], np.maximum(a, b)[keep]
            first = last


def _run_starts(values: Int64Array) -> Int64Array:
    """Where each run of equal ``values`` starts."""
    if len(values) == 0:
        return np.empty(0, dtype=np.int64)
    return np.flatnonzero(np.r_[True, values[1:] != values[:-1]])


def _codes_per_record(n: int, owners: Int64Array, blocks: Int64Array) -> Int64Array:
    """Row ``i``: the block codes record ``i`` belongs to, ascending, padded with ``_NO_BLOCK``."""
    width = int(np.bincount(owners, minlength=1).max()) if len(owners) else 1
    table = np.full((n, width), _NO_BLOCK, dtype=np.int64)
    order = np.lexsort((blocks, owners))
    owners, blocks = owners[order], blocks[order]
    starts = _run_starts(owners)
    column = np.arange(len(owners)) - np.repeat(starts, np.diff(np.r_[starts, len(owners)]))
    table[owners, column] = blocks
    return table


@compiled
def _share_earlier_block(codes: Int64Array, a: Int64Array, b: Int64Array, block: Int64Array) -> BoolArray:
    """Whether each pair ``(a, b)`` also shares a block numbered below its ``block``."""
    # Each row of ``codes`` is ascending, padded with _NO_BLOCK (-1) at the end: walk the two rows
    # of a pair together, as in a merge, and stop at the first code they share, at padding, or at
    # the pair's own block. At a million records this runs over 256 million pairs twice (the
    # prior's sample and the sweep); a NumPy version compared every code with every code of the
    # other row and took 80 s of each pass.
    out = np.zeros(len(a), dtype=np.bool_)
    width = codes.shape[1]
    for pair in range(len(a)):
        left, right, limit = codes[a[pair]], codes[b[pair]], block[pair]
        i = j = 0
        while i < width and j < width:
            x, y = left[i], right[j]
            if x < 0 or y < 0 or x >= limit or y >= limit:
                break
            if x == y:
                out[pair] = True
                break
            if x < y:
                i += 1
            else:
                j += 1
    return out


def _pairs_within_blocks(
    owners: Int64Array, blocks: Int64Array, starts: Int64Array, ends: Int64Array
) -> tuple[Int64Array, Int64Array, Int64Array]:
    """Every pair of records within each block ``owners[starts[k]:ends[k]]`` (consecutive blocks),
    with its block code."""
    sizes = ends - starts
    counts_per_block = sizes * (sizes - 1) // 2
    total = int(counts_per_block.sum())
    if total == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, empty
    # Position p in a block of size s, starting at `start`, pairs with the s - (p - start) - 1 after it.
    positions = np.arange(starts[0], ends[-1])
    block_end = np.repeat(ends, sizes)
    counts = block_end - positions - 1
    first = np.repeat(positions, counts)
    offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    second = first + 1 + offsets
    return owners[first], owners[second], blocks[first]


def candidate_pairs(
    keys: Sequence[Sequence[str]], *, max_block: int = MAX_BLOCK
) -> tuple[Int64Array, Int64Array]:
    """All candidate pairs ``(left[i], right[i])`` of positions in ``keys`` (one key tuple per
    record), each pair once with ``left < right``, sorted. Holds every pair: for a large population
    iterate :meth:`CandidatePairs.chunks` instead."""
    chunks = list(CandidatePairs(keys, max_block=max_block).chunks())
    if not chunks:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    left, right = np.concatenate([c[0] for c in chunks]), np.concatenate([c[1] for c in chunks])
    order = np.lexsort((right, left))
    return left[order], right[order]


@dataclass(frozen=True, slots=True)
class Candidate:
    """An indexed record that may be the same person as the one checked, and why."""

    id: RecordId
    score: Score


class CandidateIndex:
    """Blocking keys → indexed records, for checking one record at a time against all of them.

    ``add`` and ``remove`` keep it current (an erased person leaves it); ``check`` finds the
    candidates that share a key with a record and scores them with ``model`` (vectorised, the same
    comparison as the sweep). Memory: one feature row (39 int64) and about four keys per record.
    """

    def __init__(self, model: MatchModel, *, max_block: int = MAX_BLOCK) -> None:
        self.model = model
        self.max_block = max_block
        self.featuriser = Featuriser()
        self._weights = model.weight_table()
        self._slots: dict[RecordId, int] = {}
        self._ids: list[RecordId | None] = []
        self._keys: list[tuple[str, ...]] = []
        self._rows = np.empty((1024, COLUMNS), dtype=np.int64)
        self._blocks: dict[str, list[int]] = {}
        # Records per value of each of Frequencies' shares (its field order), and records with a
        # value in that share's columns.
        self._counts = [np.zeros(1024, dtype=np.int64) for _ in SHARE_COLUMNS]
        self._known = [0 for _ in SHARE_COLUMNS]

    def _count(self, row: Sequence[int], step: int) -> None:
        for which, columns in enumerate(SHARE_COLUMNS):
            counts = self._counts[which]
            if any(row[column] >= 0 for column in columns):
                self._known[which] += step
            for column in columns:
                code = row[column]
                if code < 0:
                    continue
                if code >= len(counts):
                    counts = np.concatenate(
                        [counts, np.zeros(max(code + 1, 2 * len(counts)), dtype=np.int64)]
                    )
                    self._counts[which] = counts
                counts[code] += step

    def shares(self) -> Frequencies:
        """How common each name, birth date and parent's name is among the indexed records
        (term-frequency adjustment)."""
        return Frequencies.from_counts(self._counts, self._known)

    def __len__(self) -> int:
        return len(self._slots)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._slots

    def add(self, record: MatchRecord) -> None:
        """Index ``record`` (replacing any record indexed under the same id)."""
        if record.id in self._slots:
            self.remove(record.id)
        row, keys = self.featuriser.row(record)
        slot = len(self._ids)
        if slot == len(self._rows):
            self._rows = np.concatenate([self._rows, np.empty_like(self._rows)])
        self._rows[slot] = row
        self._count(row, 1)
        self._ids.append(record.id)
        self._keys.append(keys)
        self._slots[record.id] = slot
        for key in keys:
            self._blocks.setdefault(key, []).append(slot)

    def add_many(self, records: Iterable[MatchRecord]) -> None:
        for record in records:
            self.add(record)

    def remove(self, record_id: RecordId) -> bool:
        """Forget ``record_id``; ``False`` if it was not indexed."""
        slot = self._slots.pop(record_id, None)
        if slot is None:
            return False
        for key in self._keys[slot]:
            block = self._blocks[key]
            block.remove(slot)
            if not block:
                del self._blocks[key]
        self._count(self._rows[slot].tolist(), -1)
        self._ids[slot] = None
        self._keys[slot] = ()
        return True

    def _candidate_slots(self, keys: Sequence[str], exclude: RecordId) -> list[int]:
        found: set[int] = set()
        for key in keys:
            block = self._blocks.get(key)
            if block is not None and len(block) < self.max_block:
                found.update(block)
        own = self._slots.get(exclude)
        if own is not None:
            found.discard(own)
        return sorted(found)

    def candidates(self, record: MatchRecord) -> list[RecordId]:
        """Ids of the indexed records sharing a blocking key with ``record`` (never itself)."""
        _, keys = self.featuriser.row(record)
        return [self._id(slot) for slot in self._candidate_slots(keys, record.id)]

    def _id(self, slot: int) -> RecordId:
        found = self._ids[slot]
        assert found is not None  # a slot in a block always holds a record
        return found

    def check(self, record: MatchRecord, *, limit: int = 10, min_probability: float = 0.0) -> list[Candidate]:
        """The best-scoring indexed candidates for ``record``, best first: at most ``limit``, each
        with probability ≥ ``min_probability``, each score explained field by field."""
        row, keys = self.featuriser.row(record)
        slots = self._candidate_slots(keys, record.id)
        if not slots:
            return []
        table = np.vstack([np.asarray(row, dtype=np.int64)[None, :], self._rows[slots]])
        right = np.arange(1, len(table), dtype=np.int64)
        left = np.zeros(len(right), dtype=np.int64)
        levels = compare(self.featuriser, table, left, right)
        weights = np.zeros(len(levels))
        for index in range(levels.shape[1]):
            weights += self._weights[index, levels[:, index]]
        adjustments = self.model.frequency_adjustments(levels, self.shares(), table, left, right)
        weights += adjustments.sum(axis=1)
        best = np.argsort(-weights, kind="stable")[:limit]
        found = []
        for position in best:
            score = self.model.explain(levels[position], tuple(adjustments[position]))
            if score.probability < min_probability:
                break
            found.append(Candidate(self._id(slots[position]), score))
        return found
