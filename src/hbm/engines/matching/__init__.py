"""Biographic record matching (Fellegi–Sunter) with blocking, EM, explanations and decisions.

Pure Python/NumPy (RapidFuzz for Jaro–Winkler, :mod:`hbm.engines.names` for names); no Django.

Public API::

    MatchRecord(id, given, surname, original, language, sex, birth_date, birth_accuracy,
                nationality, place_of_birth, family, relatives, father, mother, documents,
                crossing_point)
    IdDocument(kind, state, number) ; document_number_form(number) -> str
    compared_documents(documents) -> [(kind code, state, number form), …]  # at most two
    blocking_keys(record) -> tuple[str, ...]            # what the database stores per person
    MatchModel.default() / .estimate(records, rng=…) / .to_dict() / .from_dict(d)
    model.score(a, b, terms=None) -> Score(weight, probability, contributions=(FieldContribution, …))
    TermShares.of(records) / .to_dict() / .from_dict(d) # how common each value is, storable
    CandidateIndex(model): .add(r) / .remove(id) / .candidates(r) / .check(r) -> [Candidate]
    candidate_pairs(keys) -> (left, right)               # batch blocking, no all-pairs step
    CandidatePairs(keys).chunks() -> (left, right), …    # the same, a bounded chunk at a time
    Featuriser().table(records) -> (table, keys) ; compare(featuriser, table, left, right) -> levels
    sweep(records, on=…, workers=…) -> SweepResult      # scored pairs, decisions, clusters
    Thresholds(same, adjudicate, child_same, child_adjudicate).decide(score, is_child)
    fuse(score, face_similarity, thresholds, is_child) -> Verdict
    is_child(record, on) ; pairwise_quality / best_threshold against ground truth
    review_groups(pairs) -> [[pair index, …], …]         # pairs waiting, gathered for one review
    group_rulings(pairs, letters) -> GroupRulings        # a letter per record decides every pair

Fields, levels and how each is compared: :mod:`hbm.engines.matching._compare`. The model and its
estimation: :mod:`hbm.engines.matching._model`.
"""

from hbm.engines.matching._blocking import (
    MAX_BLOCK,
    Candidate,
    CandidateIndex,
    CandidatePairs,
    candidate_pairs,
)
from hbm.engines.matching._compare import FIELDS, FieldSpec, compare
from hbm.engines.matching._decide import FACE_WEIGHTS, Decision, Thresholds, Verdict, face_weight, fuse
from hbm.engines.matching._features import DOCUMENT_KINDS, Featuriser, blocking_keys, compared_documents
from hbm.engines.matching._groups import GROUP_LIMIT, LETTERS, GroupRulings, group_rulings, review_groups
from hbm.engines.matching._model import SESSION_MAX_BLOCK, FieldContribution, MatchModel, Score, TermShares
from hbm.engines.matching._records import (
    ADULT_AGE,
    DOCUMENT_MIN_LENGTH,
    ESTIMATED_AGE_TOLERANCE_YEARS,
    BirthAccuracy,
    IdDocument,
    MatchRecord,
    RecordId,
    age_on,
    document_number_form,
    is_child,
)
from hbm.engines.matching._sweep import (
    DECISION_CODES,
    Quality,
    SweepResult,
    best_threshold,
    connected_components,
    pairwise_quality,
    sweep,
    true_pair_count,
)

__all__ = [
    "ADULT_AGE",
    "DECISION_CODES",
    "DOCUMENT_KINDS",
    "DOCUMENT_MIN_LENGTH",
    "ESTIMATED_AGE_TOLERANCE_YEARS",
    "FACE_WEIGHTS",
    "FIELDS",
    "GROUP_LIMIT",
    "LETTERS",
    "MAX_BLOCK",
    "SESSION_MAX_BLOCK",
    "BirthAccuracy",
    "Candidate",
    "CandidateIndex",
    "CandidatePairs",
    "Decision",
    "Featuriser",
    "FieldContribution",
    "FieldSpec",
    "GroupRulings",
    "IdDocument",
    "MatchModel",
    "MatchRecord",
    "Quality",
    "RecordId",
    "Score",
    "SweepResult",
    "TermShares",
    "Thresholds",
    "Verdict",
    "age_on",
    "best_threshold",
    "blocking_keys",
    "candidate_pairs",
    "compare",
    "compared_documents",
    "connected_components",
    "document_number_form",
    "face_weight",
    "fuse",
    "group_rulings",
    "is_child",
    "pairwise_quality",
    "review_groups",
    "sweep",
    "true_pair_count",
]
