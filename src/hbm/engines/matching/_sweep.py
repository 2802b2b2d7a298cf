"""The batch sweep: every candidate pair of a population scored, decided, and clustered — and the
quality of pairwise decisions against ground truth."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Final

import numpy as np
import numpy.typing as npt

from hbm.engines.matching import _features as f
from hbm.engines.matching._blocking import CHUNK_PAIRS, MAX_BLOCK, CandidatePairs
from hbm.engines.matching._compare import compare, pattern_codes, patterns_of
from hbm.engines.matching._decide import Decision, Thresholds
from hbm.engines.matching._features import Featuriser
from hbm.engines.matching._model import (
    ADJUSTED_FIELDS,
    PRIOR_PAIRS,
    Frequencies,
    MatchModel,
    Score,
    strict_in_sample,
    strict_matches,
)
from hbm.engines.matching._records import ADULT_AGE, ESTIMATED_AGE_TOLERANCE_YEARS, MatchRecord
from hbm.engines.matching._threads import in_threads, thread_count

__all__ = [
    "DECISION_CODES",
    "Quality",
    "SweepResult",
    "best_threshold",
    "connected_components",
    "pairwise_quality",
    "sweep",
]

Int64Array = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

DECISION_CODES: Final = (Decision.SAME, Decision.ADJUDICATE, Decision.DISTINCT)
# Pairs sampled for the prior's upper bound where the candidate pairs are more than PRIOR_PAIRS.
PRIOR_BOUND_PAIRS: Final = 2_000_000


@dataclass(frozen=True, slots=True)
class SweepResult:
    """Scored candidate pairs of a population (positions in the records given to :func:`sweep`).

    Only pairs at or above ``kept_from`` (the lowest adjudication threshold unless told otherwise)
    are kept; ``compared`` counts every candidate pair scored. ``decisions`` index
    :data:`DECISION_CODES`; ``clusters`` label each record by the connected component of SAME
    decisions it falls in (a record alone is its own cluster). ``seconds`` maps each step to its
    wall time.
    """

    left: Int64Array
    right: Int64Array
    weights: FloatArray
    probabilities: FloatArray
    decisions: npt.NDArray[np.int8]
    patterns: Int64Array
    frequency_adjustments: FloatArray
    clusters: Int64Array
    compared: int
    kept_from: float
    model: MatchModel
    seconds: dict[str, float] = field(default_factory=dict)

    def score(self, pair: int) -> Score:
        """The explained :class:`Score` of kept pair number ``pair``."""
        return self.model.explain(
            patterns_of(self.patterns[pair : pair + 1])[0], self.frequency_adjustments[pair]
        )

    def decision(self, pair: int) -> Decision:
        return DECISION_CODES[int(self.decisions[pair])]


def children(table: Int64Array, on: date) -> npt.NDArray[np.bool_]:
    """:func:`~hbm.engines.matching.is_child` for every row of a feature table, vectorised."""
    accuracy = table[:, f.ACCURACY]
    exact = accuracy == 0
    month = np.where(exact, table[:, f.BIRTH_MONTH], 12)
    day = np.where(exact, table[:, f.BIRTH_DAY], 31)
    age = on.year - table[:, f.BIRTH_YEAR] - ((on.month < month) | ((on.month == month) & (on.day < day)))
    age = age - np.where(accuracy == 2, ESTIMATED_AGE_TOLERANCE_YEARS, 0)
    return np.asarray((accuracy >= 0) & (age < ADULT_AGE))


def connected_components(n: int, left: Int64Array, right: Int64Array) -> Int64Array:
    """Component label (its smallest member) of each of ``n`` nodes joined by the edges."""
    labels = np.arange(n, dtype=np.int64)
    if len(left) == 0:
        return labels
    while True:
        low = np.minimum(labels[left], labels[right])
        before = labels.copy()
        np.minimum.at(labels, left, low)
        np.minimum.at(labels, right, low)
        labels = labels[labels]  # pointer jumping: a label's label
        while True:
            jumped = labels[labels]
            if np.array_equal(jumped, labels):
                break
            labels = jumped
        if np.array_equal(labels, before):
            return labels


@dataclass(frozen=True, slots=True)
class _Kept:
    """The pairs of one chunk at or above the floor, with what the result keeps of them."""

    compared: int
    strict: int
    left: Int64Array
    right: Int64Array
    weights: FloatArray
    patterns: Int64Array
    adjustments: FloatArray


@dataclass(frozen=True, slots=True)
class _ChunkScorer:
    """Scores one chunk of candidate pairs and keeps those at or above ``floor``; counts the
    strict rule's matches among all of them (:func:`~hbm.engines.matching._model.strict_matches`)."""

    featuriser: Featuriser
    table: Int64Array
    model: MatchModel
    shares: Frequencies
    floor: float

    def __call__(self, a: Int64Array, b: Int64Array) -> _Kept:
        levels = compare(self.featuriser, self.table, a, b)
        adjustments = self.model.frequency_adjustments(levels, self.shares, self.table, a, b)
        weights = self.model.weights(levels) + adjustments.sum(axis=1)
        probabilities = self.model.probabilities(weights)
        keep = np.flatnonzero(probabilities >= self.floor)
        return _Kept(
            compared=len(a),
            strict=strict_matches(levels),
            left=a[keep],
            right=b[keep],
            weights=weights[keep],
            patterns=pattern_codes(levels[keep]),
            adjustments=adjustments[keep],
        )


def _scored(scorer: _ChunkScorer, pairs: CandidatePairs, threads: int) -> list[_Kept]:
    return list(in_threads(scorer, pairs.chunks(CHUNK_PAIRS), threads))


def _strict_bound(
    featuriser: Featuriser,
    table: Int64Array,
    pairs: CandidatePairs,
    rng: np.random.Generator,
    workers: int | None,
) -> float:
    """An upper bound on the strict rule's matches among the candidate pairs, above which the
    prior cannot be: their number where they are at most :data:`PRIOR_PAIRS` (certain); else a
    sample of :data:`PRIOR_BOUND_PAIRS` counted, scaled, and eight standard deviations added (a
    bound the count passes about once in 10^15 sweeps — then the pairs are scored again)."""
    if pairs.with_repeats <= PRIOR_PAIRS:
        return float(pairs.with_repeats)
    found, share = strict_in_sample(featuriser, table, pairs, PRIOR_BOUND_PAIRS, rng, workers)
    return min((found + 8 * math.sqrt(found) + 64) / share, float(pairs.with_repeats))


def sweep(
    records: Sequence[MatchRecord],
    *,
    on: date,
    model: MatchModel | None = None,
    thresholds: Thresholds | None = None,
    rng: np.random.Generator | None = None,
    kept_from: float | None = None,
    max_block: int = MAX_BLOCK,
    workers: int | None = None,
) -> SweepResult:
    """Score every candidate pair of ``records`` (blocking: no all-pairs step), decide each with
    ``thresholds`` (child thresholds where either record may be a child on ``on``), and cluster.

    Without ``model`` one is estimated from these records (EM; ``rng`` seeds the random pairs
    for u — default seed 0) and its time is ``seconds["estimate"]``; its prior is counted on every
    candidate pair while they are scored (in ``seconds["scoring"]``). Chunks of pairs are scored
    on ``workers`` threads (default: one per CPU; NumPy and rapidfuzz release the GIL in the heavy
    steps); the result does not depend on their number.
    """
    thresholds = thresholds or Thresholds()
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    featuriser = Featuriser()
    table, keys = featuriser.table(records)
    seconds["features"] = time.perf_counter() - started

    started = time.perf_counter()
    pairs = CandidatePairs(keys, max_block=max_block)
    seconds["blocking"] = time.perf_counter() - started

    # The prior is counted while the pairs are scored, not in a pass of its own: each pair is kept
    # at the prior's upper bound (:func:`_strict_bound`), then, the strict matches counted, at the
    # prior. Should the count pass a sampled bound, the pairs are scored again at the prior.
    prior_in_scoring = model is None and len(records) >= 2 and pairs.with_repeats > 0
    rng = rng if rng is not None else np.random.default_rng(0)
    if model is None:
        started = time.perf_counter()
        estimate = MatchModel.estimate_weights if prior_in_scoring else MatchModel.estimate_from_table
        model = estimate(featuriser, table, keys, pairs, rng=rng, workers=workers)
        seconds["estimate"] = time.perf_counter() - started
    del keys

    started = time.perf_counter()
    floor = kept_from if kept_from is not None else min(thresholds.adjudicate, thresholds.child_adjudicate)
    child = children(table, on)
    scorer = _ChunkScorer(featuriser, np.asfortranarray(table), model, Frequencies.of(table), floor)
    threads = thread_count(workers)
    if prior_in_scoring:
        bound = _strict_bound(featuriser, table, pairs, rng, workers)
        kept = _scored(replace(scorer, model=model.with_prior_from(bound, len(records))), pairs, threads)
        strict = sum(k.strict for k in kept)
        model = model.with_prior_from(strict, len(records))
        if strict > bound:
            kept = _scored(replace(scorer, model=model), pairs, threads)
    else:
        kept = _scored(scorer, pairs, threads)
    compared = sum(k.compared for k in kept)
    a = np.concatenate([k.left for k in kept]) if kept else np.empty(0, dtype=np.int64)
    b = np.concatenate([k.right for k in kept]) if kept else np.empty(0, dtype=np.int64)
    weights = np.concatenate([k.weights for k in kept]) if kept else np.empty(0)
    patterns = np.concatenate([k.patterns for k in kept]) if kept else np.empty(0, dtype=np.int64)
    no_bits = np.empty((0, len(ADJUSTED_FIELDS)))
    adjustment_bits = np.concatenate([k.adjustments for k in kept]) if kept else no_bits
    probabilities = model.probabilities(weights)
    at_floor = probabilities >= floor
    a, b, weights, probabilities = a[at_floor], b[at_floor], weights[at_floor], probabilities[at_floor]
    patterns, adjustment_bits = patterns[at_floor], adjustment_bits[at_floor]
    order = np.lexsort((b, a))  # pairs in the order of their records, whatever the chunks' order
    a, b, weights, probabilities = a[order], b[order], weights[order], probabilities[order]
    patterns, adjustment_bits = patterns[order], adjustment_bits[order]
    is_child = child[a] | child[b]
    same = np.where(is_child, thresholds.child_same, thresholds.same)
    adjudicate = np.where(is_child, thresholds.child_adjudicate, thresholds.adjudicate)
    decisions = np.where(probabilities >= same, 0, np.where(probabilities >= adjudicate, 1, 2)).astype(
        np.int8
    )
    seconds["scoring"] = time.perf_counter() - started

    started = time.perf_counter()
    clusters = connected_components(len(records), a[decisions == 0], b[decisions == 0])
    seconds["clustering"] = time.perf_counter() - started
    return SweepResult(
        left=a,
        right=b,
        weights=weights,
        probabilities=probabilities,
        decisions=decisions,
        patterns=patterns,
        frequency_adjustments=adjustment_bits,
        clusters=clusters,
        compared=compared,
        kept_from=floor,
        model=model,
        seconds=seconds,
    )


@dataclass(frozen=True, slots=True)
class Quality:
    """Pairwise precision, recall and F1 of predicted same-person pairs against the truth."""

    precision: float
    recall: float
    f1: float
    true_positives: int
    false_positives: int
    false_negatives: int


def true_pair_count(person_ids: Int64Array) -> int:
    """How many pairs of records belong to one person."""
    _, sizes = np.unique(person_ids, return_counts=True)
    return int((sizes * (sizes - 1) // 2).sum())


def _quality(true_positives: int, predicted: int, actual: int) -> Quality:
    precision = true_positives / predicted if predicted else 1.0
    recall = true_positives / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Quality(
        precision=precision,
        recall=recall,
        f1=f1,
        true_positives=true_positives,
        false_positives=predicted - true_positives,
        false_negatives=actual - true_positives,
    )


def pairwise_quality(left: Int64Array, right: Int64Array, person_ids: Int64Array) -> Quality:
    """Quality of the predicted pairs ``(left[i], right[i])`` (each pair once): recall counts every
    true pair, found by blocking or not."""
    hits = int(np.count_nonzero(person_ids[left] == person_ids[right]))
    return _quality(hits, len(left), true_pair_count(person_ids))


def best_threshold(
    left: Int64Array, right: Int64Array, probabilities: FloatArray, person_ids: Int64Array
) -> tuple[float, Quality]:
    """The probability threshold with the best F1 over these scored pairs, and that quality."""
    actual = true_pair_count(person_ids)
    if len(left) == 0:
        return 1.0, _quality(0, 0, actual)
    order = np.argsort(-probabilities, kind="stable")
    hits = np.cumsum(person_ids[left[order]] == person_ids[right[order]])
    predicted = np.arange(1, len(order) + 1)
    f1 = 2 * hits / (predicted + actual)
    # Only cut between distinct probabilities: ties go together.
    ends = np.r_[np.flatnonzero(np.diff(probabilities[order]) != 0), len(order) - 1]
    best = int(ends[np.argmax(f1[ends])])
    return float(probabilities[order][best]), _quality(int(hits[best]), best + 1, actual)
