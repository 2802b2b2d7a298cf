"""Decisions: same person, needs adjudication, or distinct — and the fusion with face evidence."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from hbm.engines.matching._model import Score, probability_of

__all__ = ["FACE_WEIGHTS", "Decision", "Thresholds", "Verdict", "face_weight", "fuse"]


class Decision(StrEnum):
    SAME = "same"
    ADJUDICATE = "adjudicate"
    DISTINCT = "distinct"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Probabilities at or above which a pair is the same person (``same``) or goes to a person
    for adjudication (``adjudicate``); below that it is distinct. Children get their own pair:
    merging two children's records wrongly can hand a child to the wrong adult, so by default a
    child pair needs more to be merged automatically and goes to adjudication sooner."""

    same: float = 0.99
    adjudicate: float = 0.5
    child_same: float = 0.999
    child_adjudicate: float = 0.2

    def __post_init__(self) -> None:
        for adjudicate, same in ((self.adjudicate, self.same), (self.child_adjudicate, self.child_same)):
            if not 0 <= adjudicate <= same <= 1:
                raise ValueError("thresholds must satisfy 0 ≤ adjudicate ≤ same ≤ 1")

    def decide(self, score: Score | float, is_child: bool) -> Decision:
        """The decision for a pair of this probability (or :class:`Score`); ``is_child`` when
        either record may be a child (:func:`~hbm.engines.matching.is_child`)."""
        probability = score.probability if isinstance(score, Score) else score
        same, adjudicate = (
            (self.child_same, self.child_adjudicate) if is_child else (self.same, self.adjudicate)
        )
        if probability >= same:
            return Decision.SAME
        if probability >= adjudicate:
            return Decision.ADJUDICATE
        return Decision.DISTINCT


# Face evidence as one more Fellegi–Sunter field: bits by band of face similarity
# (hbm.engines.biometrics.face_similarity: 0.5 at dlib's 0.6 distance, 0.88 at HBM's 0.5 match
# distance). From dlib's LFW figures (99.38 % accuracy at 0.6): below 0.5 nearly every genuine
# pair and about 1 impostor in 1,000 (≈ +9 bits); between 0.5 and 0.6 a few % of genuine pairs
# and about 1 % of impostors (≈ +2 bits); above 0.6 about 1 % of genuine pairs and nearly every
# impostor (≈ −6.5 bits). Configured, not estimated: calibrate on local data when there is some.
FACE_WEIGHTS: Final = ((0.88, 9.0), (0.5, 2.0), (0.0, -6.5))


def face_weight(face_similarity: float) -> float:
    """Bits of evidence of a face similarity in [0, 1] (:data:`FACE_WEIGHTS`)."""
    if not 0 <= face_similarity <= 1:
        raise ValueError(f"face similarity must be in [0, 1], got {face_similarity!r}")
    for lower, bits in FACE_WEIGHTS:
        if face_similarity >= lower:
            return bits
    return FACE_WEIGHTS[-1][1]


@dataclass(frozen=True, slots=True)
class Verdict:
    """The fused decision and what it rests on."""

    decision: Decision
    probability: float
    biographic_probability: float
    face_similarity: float | None
    face_weight: float


def fuse(score: Score, face_similarity: float | None, thresholds: Thresholds, is_child: bool) -> Verdict:
    """Combine a biographic :class:`Score` with face evidence and decide.

    Rule: the face is one more independent field, so its bits (:func:`face_weight`) add to the
    match weight, and the probability follows from the same prior (recovered from the score). No
    face (``None``) adds nothing. SAME still needs the fused probability at or above the high
    threshold; a face alone cannot lift a pair whose names and dates conflict past it, because a
    face match adds at most 9 bits.
    """
    bits = 0.0 if face_similarity is None else face_weight(face_similarity)
    prior = _prior_of(score)
    probability = (
        float(probability_of(score.weight + bits, prior)) if prior is not None else score.probability
    )
    return Verdict(
        decision=thresholds.decide(probability, is_child),
        probability=probability,
        biographic_probability=score.probability,
        face_similarity=face_similarity,
        face_weight=bits,
    )


def _prior_of(score: Score) -> float | None:
    """The prior a score was computed with: its own, or from p = 1/(1 + 2^-(w + π)),
    π = log2(p/(1-p)) − w."""
    if score.prior is not None:
        return score.prior
    p = score.probability
    if not 0 < p < 1:
        return None
    prior_weight = math.log2(p / (1 - p)) - score.weight
    return 1 / (1 + 2**-prior_weight)
