"""The Fellegi–Sunter model: m and u per field and level, the prior, scores that explain themselves.

For a pair with comparison vector γ, field ``f`` at level ``l`` contributes
``log2(m[f][l] / u[f][l])`` bits, where ``m`` is the probability of that level among pairs of
records of one person and ``u`` among pairs of different people (Fellegi & Sunter, "A theory for
record linkage", JASA 64, 1969). A missing value (level ``null``) contributes 0. The match weight
is the sum; the probability that the pair is one person is
``1 / (1 + 2^-(weight + log2(prior / (1 - prior))))``, ``prior`` being the probability that two
records drawn at random are one person (the same convention as splink).

``MatchModel.estimate`` learns from the data without labels, the way splink does: ``u`` from
random pairs (nearly all of them are two different people), then ``m`` and the share of matches
among the blocked candidate pairs by expectation–maximisation with ``u`` held fixed (Winkler,
"Using the EM algorithm for weight computation in the Fellegi–Sunter model", 1988). EM works on
the distinct comparison vectors and their counts, so its cost does not grow with the data.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt

from hbm.engines.matching import _features as f
from hbm.engines.matching._compare import (
    BIRTH_DATE,
    D_CLOSE,
    D_SAME,
    D_SHARED,
    DOCUMENT,
    FATHER,
    FIELDS,
    GIVEN,
    MOTHER,
    ORIGINAL,
    PLACE,
    SURNAME,
    compare,
    document_levels,
    pattern_codes,
    patterns_of,
    place_levels,
)
from hbm.engines.matching._features import Featuriser
from hbm.engines.matching._records import MatchRecord
from hbm.engines.matching._threads import in_threads, thread_count

if TYPE_CHECKING:
    from hbm.engines.matching._blocking import CandidatePairs

__all__ = ["FieldContribution", "Frequencies", "MatchModel", "Score", "TermShares"]

FloatArray = npt.NDArray[np.float64]
Int64Array = npt.NDArray[np.int64]

# 2: names gained clash, birth_date consistent and apart, and the field original (decision 0008)
# 3: birth_date gained slip, estimate and close; family all_relatives, some_relatives and
#    one_of_several; place_of_birth u among compatriots (decision 0011)
# 4: the fields father and mother, term-frequency adjusted like the names (decision 0023)
# 5: the field document (decision 0026); a stored version 4 model reads as 5 with the document's
#    configured m and u, so a deployment keeps its estimated weights until it estimates again
MODEL_VERSION: Final = 5
_READABLE_VERSIONS: Final = (4, 5)
_FLOOR: Final = 1e-6  # no m or u is ever exactly 0 or 1: a weight stays finite

# Configured m and u (non-null levels, best first) for when there is too little data for EM.
# m: how often a level is seen for one person registered twice — the duplicate variation rates of
# the synthetic population, which are themselves read off field experience (see
# hbm.engines.synthetic). u: level frequencies among random pairs of a mixed arrival population of
# about 10,000 people (measured on the synthetic population, seed 0).
_DEFAULT_M: Final[Mapping[str, tuple[float, ...]]] = {
    "given": (0.62, 0.16, 0.06, 0.075, 0.005, 0.04, 0.04),
    "surname": (0.64, 0.18, 0.08, 0.018, 0.002, 0.04, 0.04),
    "order": (0.96, 0.04),
    "birth_date": (0.70, 0.05, 0.01, 0.03, 0.10, 0.02, 0.045, 0.015, 0.015, 0.01, 0.005),
    "sex": (0.99, 0.01),
    "nationality": (0.98, 0.02),
    "place_of_birth": (0.78, 0.16, 0.06),
    # Two people registered in one group are two people (as estimate_weights configures it too).
    "family": (_FLOOR, 0.32, 0.28, 0.11, 0.18, 0.074, 0.03),
    "original": (0.55, 0.03, 0.40, 0.02),
    # A parent's name given twice by one person: mostly the same, a grandfather's name added or
    # dropped (``part``) and spelling variation as for the person's own names.
    "father": (0.74, 0.12, 0.04, 0.05, 0.003, 0.03, 0.017),
    "mother": (0.74, 0.12, 0.04, 0.05, 0.003, 0.03, 0.017),
    # One person showing a document again: mostly the same number; a typed number with a slip;
    # another number of one kind — a passport renewed, two typing slips — rarely.
    "document": (0.93, 0.035, 0.005, 0.03),
}
_DEFAULT_U: Final[Mapping[str, tuple[float, ...]]] = {
    "given": (0.012, 0.004, 0.002, 0.006, 0.004, 0.030, 0.942),
    "surname": (0.010, 0.003, 0.002, 0.0006, 0.0004, 0.030, 0.954),
    "order": (0.96, 0.04),
    "birth_date": (0.0001, 0.0001, 0.0007, 0.008, 0.001, 0.003, 0.05, 0.03, 0.25, 0.10, 0.5571),
    "sex": (0.5, 0.5),
    "nationality": (0.25, 0.75),
    "place_of_birth": (0.05, 0.01, 0.94),
    "family": (0.0001, 0.00006, 0.0039, 0.0057, 0.016, 0.09, 0.8842),
    "original": (0.002, 0.002, 0.006, 0.99),
    "father": (0.015, 0.005, 0.002, 0.006, 0.004, 0.03, 0.938),
    "mother": (0.015, 0.005, 0.002, 0.006, 0.004, 0.03, 0.938),
    "document": (0.00001, 0.00002, 0.0001, 0.99987),
}
# The most bits one document number agreeing may add. It is the strongest single field, and not
# proof: a number typed from the wrong page, a child inscribed in a parent's passport whose birth
# date was not recorded, a document lent or sold (impostors). Capped, a document alone does not
# link two records whose names and birth dates disagree; with them it settles most pairs.
DOCUMENT_MAX_BITS: Final = 12.0
# And for two numbers one slip apart: a typing slip, or the next passport of one series — a family's
# passports are often issued together, numbered one after the other.
DOCUMENT_CLOSE_MAX_BITS: Final = 6.0
_DEFAULT_PRIOR: Final = 1e-5
# The most candidate pairs the prior is counted on (a sample where there are more).
PRIOR_PAIRS: Final = 20_000_000
# The largest block an EM session learns from (see _SESSIONS).
SESSION_MAX_BLOCK: Final = 30
# Agreeing names already say the sex and the nationality (OLENA is a woman, KOVALENKO Ukrainian):
# counting their agreement again, as if independent, makes namesakes look like one person. They
# count only when they disagree.
IMPLIED_BY_NAMES: Final = ("sex", "nationality")
_IMPLIED: Final = frozenset(i for i, spec in enumerate(FIELDS) if spec.name in IMPLIED_BY_NAMES)
GIVEN_FIELD: Final = GIVEN
SURNAME_FIELD: Final = SURNAME
BIRTH_FIELD: Final = BIRTH_DATE
TF_MAX_BONUS: Final = 3.0
# Term-frequency adjusted, in the order of the adjustments' columns.
ADJUSTED_FIELDS: Final = (GIVEN_FIELD, SURNAME_FIELD, BIRTH_FIELD, FATHER, MOTHER)
# (adjusted field's column in the adjustments, level) → the feature column whose value is adjusted
_TF_COLUMN: Final = {
    (0, 0): f.GIVEN_CANON,
    (0, 1): f.GIVEN_KEY,
    (1, 0): f.SURNAME_CANON,
    (1, 1): f.SURNAME_KEY,
    (2, 0): f.BIRTH_CODE,
    (3, 0): f.FATHER_CANON,
    (3, 1): f.FATHER_KEY,
    (4, 0): f.MOTHER_CANON,
    (4, 1): f.MOTHER_KEY,
}
# The feature columns each share of Frequencies is counted over, in its field order.
SHARE_COLUMNS: Final = (
    (f.GIVEN_CANON, f.SURNAME_CANON),
    (f.GIVEN_KEY, f.SURNAME_KEY),
    (f.BIRTH_CODE,),
    (f.FATHER_CANON,),
    (f.FATHER_KEY,),
    (f.MOTHER_CANON,),
    (f.MOTHER_KEY,),
)


@dataclass(frozen=True, slots=True)
class Frequencies:
    """How common each value is among the records that have one (splink's term frequencies): the
    share of records whose given name or surname has each canonical form (``canon``, indexed by
    the featuriser's name codes) and each phonetic key (``keys``, indexed by key codes), of
    exact birth dates that are each date (``dates``, indexed by date codes: 1 January is far more
    common than any other day), and of fathers' and mothers' names recorded that have each form
    and key (``father_canon``, …: MOHAMMAD is far more common among fathers than among the names
    people are registered under).

    Each share counts among the records with a value in its columns, not among all records: a
    father's name recorded on half the registrations would otherwise look twice as rare as it
    is, and weigh a bit more than it should every time two agree."""

    canon: FloatArray
    keys: FloatArray
    dates: FloatArray
    father_canon: FloatArray
    father_keys: FloatArray
    mother_canon: FloatArray
    mother_keys: FloatArray

    @classmethod
    def of(cls, table: Int64Array) -> Frequencies:
        counts, known = [], []
        for values, seen, total in _counted(table):
            full = np.zeros(int(values[-1]) + 1 if len(values) else 0, dtype=np.int64)
            full[values] = seen
            counts.append(full)
            known.append(total)
        return cls.from_counts(counts, known)

    @classmethod
    def from_counts(cls, counts: Sequence[Int64Array], known: Sequence[int]) -> Frequencies:
        """From the count of records per value of each share (field order) and the number of
        records with a value in its columns."""
        pairs = zip(counts, known, strict=True)
        return cls(*(values.astype(np.float64) / max(total, 1) for values, total in pairs))


def _counted(table: Int64Array) -> Iterator[tuple[Int64Array, Int64Array, int]]:
    """For each share group of :data:`SHARE_COLUMNS`: the codes seen (sorted), how many records
    have each, and how many records have a value in the group's columns."""
    for columns in SHARE_COLUMNS:
        block = table[:, list(columns)] if len(table) else np.empty((0, len(columns)), dtype=np.int64)
        values, seen = np.unique(block[block >= 0], return_counts=True)
        yield values, seen, int(np.count_nonzero((block >= 0).any(axis=1)))


# Which featuriser vocabulary holds the values of each share group (see SHARE_COLUMNS).
_SHARE_VOCABULARY: Final = ("names", "keys", "dates", "names", "keys", "names", "keys")


@dataclass(frozen=True, slots=True)
class TermShares:
    """How common each value was in a population, by the compared forms themselves (canonical
    names, phonetic keys, dates) rather than by one featuriser's codes: what scoring one pair at a
    time needs (the server's background checks, tracing) and what can be stored with an estimate.

    ``counts[g]`` maps each value of share group ``g`` (:data:`SHARE_COLUMNS`) seen at least twice
    to its number of records; ``known[g]`` is the number of records with a value in that group. A
    value not kept counts once: rarer than any kept, so its term-frequency bonus is the capped one
    whatever its true count."""

    counts: tuple[Mapping[str, int], ...]
    known: tuple[int, ...]

    @classmethod
    def of(cls, records: Sequence[MatchRecord]) -> TermShares:
        featuriser = Featuriser()
        table = featuriser.rows(records)
        counts: list[dict[str, int]] = []
        known: list[int] = []
        for (values, seen, total), vocabulary in zip(_counted(table), _SHARE_VOCABULARY, strict=True):
            strings = getattr(featuriser, vocabulary).strings
            pairs = zip(values.tolist(), seen.tolist(), strict=True)
            counts.append({strings[value]: count for value, count in pairs if count > 1})
            known.append(total)
        return cls(counts=tuple(counts), known=tuple(known))

    def frequencies_for(self, featuriser: Featuriser) -> Frequencies:
        """These shares as :class:`Frequencies` indexed by ``featuriser``'s codes. A group the
        population had no value of (no parent's name ever recorded) says nothing: no adjustment."""
        arrays = []
        for counts, total, vocabulary in zip(self.counts, self.known, _SHARE_VOCABULARY, strict=True):
            if total == 0:
                arrays.append(np.empty(0, dtype=np.float64))
                continue
            strings = getattr(featuriser, vocabulary).strings
            found = (counts.get(text, 1) for text in strings)
            arrays.append(np.fromiter(found, dtype=np.float64, count=len(strings)) / max(total, 1))
        return Frequencies(*arrays)

    def to_dict(self) -> dict[str, Any]:
        return {"known": list(self.known), "counts": [dict(counts) for counts in self.counts]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TermShares:
        """The inverse of :meth:`to_dict`; ``ValueError`` when it does not hold every share group."""
        counts, known = data.get("counts", []), data.get("known", [])
        if len(counts) != len(SHARE_COLUMNS) or len(known) != len(SHARE_COLUMNS):
            raise ValueError(f"term shares need {len(SHARE_COLUMNS)} groups")
        return cls(
            counts=tuple({str(k): int(v) for k, v in group.items()} for group in counts),
            known=tuple(int(total) for total in known),
        )


@dataclass(frozen=True, slots=True)
class FieldContribution:
    """What one field said about a pair: its level and the bits of evidence it added."""

    field: str
    level: str
    weight: float


@dataclass(frozen=True, slots=True)
class Score:
    """A pair's match weight (bits), its probability of being one person, and the explanation:
    ``weight`` is the sum of the contributions' weights."""

    weight: float
    probability: float
    contributions: tuple[FieldContribution, ...]
    prior: float | None = None  # the model's prior, so that more evidence can be added (``fuse``)

    def explain(self) -> str:
        """One line per field, e.g. ``surname: key +9.1``."""
        return "\n".join(f"{c.field}: {c.level} {c.weight:+.1f}" for c in self.contributions)


def _normalised(values: Sequence[float] | npt.NDArray[Any]) -> tuple[float, ...]:
    clipped = np.clip(np.asarray(values, dtype=np.float64), _FLOOR, None)
    return tuple(float(v) for v in clipped / clipped.sum())


def probability_of(weight: float | FloatArray, prior: float) -> Any:
    """``1 / (1 + 2^-(weight + log2(prior / (1 - prior))))`` (scalar or array)."""
    prior_weight = math.log2(prior / (1 - prior))
    return 1.0 / (1.0 + np.exp2(-(np.asarray(weight, dtype=np.float64) + prior_weight)))


@dataclass(frozen=True, slots=True)
class MatchModel:
    """m and u for every field of :data:`FIELDS` (non-null levels, best first) and the prior.

    Build one with :meth:`default` (configured), :meth:`estimate` (from data) or
    :meth:`from_dict` (stored). Immutable; :meth:`to_dict` gives plain JSON-able data.
    """

    m: tuple[tuple[float, ...], ...]
    u: tuple[tuple[float, ...], ...]
    prior: float

    def __post_init__(self) -> None:
        for name, table in (("m", self.m), ("u", self.u)):
            if len(table) != len(FIELDS):
                raise ValueError(f"{name} needs one row per field ({len(FIELDS)})")
            for spec, row in zip(FIELDS, table, strict=True):
                if len(row) != len(spec.levels) - 1:
                    raise ValueError(
                        f"{name}[{spec.name}] needs {len(spec.levels) - 1} values, got {len(row)}"
                    )
        if not 0 < self.prior < 1:
            raise ValueError(f"prior must be in (0, 1), got {self.prior}")

    # --- construction ------------------------------------------------------------------------

    @classmethod
    def default(cls) -> MatchModel:
        """Configured m and u (see ``_DEFAULT_M``/``_DEFAULT_U``) for when there is too little data."""
        return cls(
            m=tuple(_normalised(_DEFAULT_M[spec.name]) for spec in FIELDS),
            u=tuple(_normalised(_DEFAULT_U[spec.name]) for spec in FIELDS),
            prior=_DEFAULT_PRIOR,
        )

    def to_dict(self) -> dict[str, Any]:
        """``{"version": 3, "prior": p, "fields": {field: {level: {"m": m, "u": u}}}}``."""
        return {
            "version": MODEL_VERSION,
            "prior": self.prior,
            "fields": {
                spec.name: {
                    level: {"m": m, "u": u}
                    for level, m, u in zip(spec.levels[:-1], m_row, u_row, strict=True)
                }
                for spec, m_row, u_row in zip(FIELDS, self.m, self.u, strict=True)
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MatchModel:
        """The inverse of :meth:`to_dict`; ``ValueError`` for another version or a missing level.
        A version 4 model (before the ``document`` field) gets the document's configured m and u."""
        if data.get("version") not in _READABLE_VERSIONS:
            raise ValueError(f"unknown match model version {data.get('version')!r}")
        fields = dict(data["fields"])
        if data["version"] == 4:
            default = cls.default()
            fields["document"] = {
                level: {"m": m, "u": u}
                for level, m, u in zip(
                    FIELDS[DOCUMENT].levels[:-1], default.m[DOCUMENT], default.u[DOCUMENT], strict=True
                )
            }
        try:
            m = tuple(tuple(float(fields[s.name][lv]["m"]) for lv in s.levels[:-1]) for s in FIELDS)
            u = tuple(tuple(float(fields[s.name][lv]["u"]) for lv in s.levels[:-1]) for s in FIELDS)
        except KeyError as missing:
            raise ValueError(f"match model lacks {missing}") from None
        return cls(m=m, u=u, prior=float(data["prior"]))

    # --- weights and scores --------------------------------------------------------------------

    def weight_table(self) -> FloatArray:
        """(fields × max levels) bits per level; 0 for ``null`` and for levels a field lacks.
        The fields names imply (:data:`IMPLIED_BY_NAMES`) weigh 0 when they agree."""
        table = np.zeros((len(FIELDS), max(len(s.levels) for s in FIELDS)), dtype=np.float64)
        for index, (m_row, u_row) in enumerate(zip(self.m, self.u, strict=True)):
            bits = np.log2(np.asarray(m_row) / np.asarray(u_row))
            table[index, : len(m_row)] = np.minimum(bits, 0.0) if index in _IMPLIED else bits
        table[ORIGINAL, FIELDS[ORIGINAL].levels.index("confirms")] = 0.0
        table[DOCUMENT, D_SAME] = min(table[DOCUMENT, D_SAME], DOCUMENT_MAX_BITS)
        table[DOCUMENT, D_CLOSE] = min(table[DOCUMENT, D_CLOSE], DOCUMENT_CLOSE_MAX_BITS)
        table[DOCUMENT, D_SHARED] = 0.0
        return table

    def weights(
        self,
        levels: npt.NDArray[np.int8],
        shares: Frequencies | None = None,
        table: Int64Array | None = None,
        left: Int64Array | None = None,
        right: Int64Array | None = None,
    ) -> FloatArray:
        """Match weight (bits) of each row of a (pairs × fields) level array; with ``shares``
        (and the feature ``table`` and the pairs' ``left`` and ``right`` rows), term-frequency
        adjusted names (:meth:`frequency_adjustments`)."""
        weight_table = self.weight_table()
        total = np.zeros(len(levels), dtype=np.float64)
        for index in range(len(FIELDS)):
            total += weight_table[index, levels[:, index]]
        if shares is not None and table is not None and left is not None:
            total += self.frequency_adjustments(levels, shares, table, left, right).sum(axis=1)
        return total

    def frequency_adjustments(
        self,
        levels: npt.NDArray[np.int8],
        shares: Frequencies,
        table: Int64Array,
        left: Int64Array,
        right: Int64Array | None = None,
    ) -> FloatArray:
        """Term-frequency bits for the given name, the surname, the birth date and the parents'
        names of each pair: (pairs × 5, in :data:`ADJUSTED_FIELDS` order).

        At the names' ``exact`` and ``key`` levels and the date's ``exact`` level, the average u
        of the level is replaced by the share of records bearing that very name or date (splink's
        term-frequency adjustment): agreeing on MUHAMMAD or on 1 January says less than agreeing
        on a rare name or an ordinary day. The bonus for a rare value is capped at
        :data:`TF_MAX_BONUS` bits (a name seen once is as likely a typo as a rarity). ``left``
        are the rows of ``table`` of the pairs' left records; with ``right`` (their right
        records) the more common of the two values counts — they differ where a name is upgraded
        to ``key`` by its original script, and a typo's rarity is no evidence. Only the values of
        the pairs at an adjusted level are read from the table."""
        out = np.zeros((len(levels), len(ADJUSTED_FIELDS)), dtype=np.float64)
        for column, field, level, share_of in (
            (0, GIVEN_FIELD, 0, shares.canon),
            (0, GIVEN_FIELD, 1, shares.keys),
            (1, SURNAME_FIELD, 0, shares.canon),
            (1, SURNAME_FIELD, 1, shares.keys),
            (2, BIRTH_FIELD, 0, shares.dates),
            (3, FATHER, 0, shares.father_canon),
            (3, FATHER, 1, shares.father_keys),
            (4, MOTHER, 0, shares.mother_canon),
            (4, MOTHER, 1, shares.mother_keys),
        ):
            feature = _TF_COLUMN[column, level]
            at = np.flatnonzero(levels[:, field] == level)
            values = table[left[at], feature]
            known = (values >= 0) & (values < len(share_of))
            at, values = at[known], values[known]
            if len(at) == 0:
                continue
            share = np.maximum(share_of[values], 1e-12)
            if right is not None:
                others = table[right[at], feature]
                known = (others >= 0) & (others < len(share_of))
                share[known] = np.maximum(share[known], share_of[others[known]])
            out[at, column] = np.minimum(np.log2(self.u[field][level] / share), TF_MAX_BONUS)
        return out

    def probabilities(self, weights: FloatArray) -> FloatArray:
        return np.asarray(probability_of(weights, self.prior), dtype=np.float64)

    def explain(
        self, levels: npt.NDArray[np.int8] | Sequence[int], adjustments: Sequence[float] = ()
    ) -> Score:
        """The :class:`Score` of one comparison vector, with every field's contribution
        (``adjustments``: the term-frequency bits of :data:`ADJUSTED_FIELDS`)."""
        table = self.weight_table()
        extra = {field: float(bits) for field, bits in zip(ADJUSTED_FIELDS, adjustments, strict=False)}
        contributions = tuple(
            FieldContribution(
                spec.name, spec.levels[int(level)], float(table[index, int(level)]) + extra.get(index, 0.0)
            )
            for index, (spec, level) in enumerate(zip(FIELDS, levels, strict=True))
        )
        weight = float(sum(c.weight for c in contributions))
        return Score(
            weight=weight,
            probability=float(probability_of(weight, self.prior)),
            contributions=contributions,
            prior=self.prior,
        )

    def score(self, a: MatchRecord, b: MatchRecord, terms: TermShares | None = None) -> Score:
        """Score one pair of records (batch work goes through the sweep; checks against a whole
        population held in memory through :class:`~hbm.engines.matching.CandidateIndex`). With
        ``terms`` (how common each value is in the population) names, dates and parents' names
        are term-frequency adjusted as the sweep and the index adjust them; without, they are not."""
        featuriser = Featuriser()
        table = featuriser.rows([a, b])
        levels = compare(featuriser, table, np.array([0]), np.array([1]))
        if terms is None:
            return self.explain(levels[0])
        shares = terms.frequencies_for(featuriser)
        adjustments = self.frequency_adjustments(levels, shares, table, np.array([0]), np.array([1]))
        return self.explain(levels[0], tuple(adjustments[0]))

    # --- estimation ----------------------------------------------------------------------------

    @classmethod
    def estimate(
        cls,
        records: Sequence[MatchRecord],
        *,
        rng: np.random.Generator,
        random_pairs: int = 1_000_000,
        max_iterations: int = 50,
    ) -> MatchModel:
        """Estimate u from random pairs, m by EM sessions and the prior (see
        :meth:`estimate_from_table`). Fewer than 2 records: :meth:`default`. Deterministic for a
        given ``rng`` state."""
        from hbm.engines.matching._blocking import CandidatePairs

        if len(records) < 2:
            return cls.default()
        featuriser = Featuriser()
        table, keys = featuriser.table(records)
        return cls.estimate_from_table(
            featuriser,
            table,
            keys,
            CandidatePairs(keys),
            rng=rng,
            random_pairs=random_pairs,
            max_iterations=max_iterations,
        )

    @classmethod
    def estimate_from_table(
        cls,
        featuriser: Featuriser,
        table: Int64Array,
        keys: Sequence[Sequence[str]],
        pairs: CandidatePairs,
        *,
        rng: np.random.Generator,
        random_pairs: int = 1_000_000,
        max_iterations: int = 50,
        session_pairs: int = 2_000_000,
        session_block: int = SESSION_MAX_BLOCK,
        prior_pairs: int = PRIOR_PAIRS,
        workers: int | None = None,
    ) -> MatchModel:
        """Estimate a model from featurised rows, their blocking keys and candidate pairs:
        :meth:`estimate_weights`, then the prior — the strict rule's matches among all candidate
        ``pairs`` (see :func:`_prior`), counted on a sample of about ``prior_pairs`` of them where
        there are more. The prior's pairs are compared on ``workers`` threads (default: one per
        CPU); the model does not depend on their number."""
        model = cls.estimate_weights(
            featuriser,
            table,
            keys,
            pairs,
            rng=rng,
            random_pairs=random_pairs,
            max_iterations=max_iterations,
            session_pairs=session_pairs,
            session_block=session_block,
            workers=workers,
        )
        if len(table) < 2 or pairs.with_repeats == 0:
            return model
        found, share = strict_in_sample(featuriser, table, pairs, prior_pairs, rng, workers)
        return model.with_prior_from(found / share, len(table))

    @classmethod
    def estimate_weights(
        cls,
        featuriser: Featuriser,
        table: Int64Array,
        keys: Sequence[Sequence[str]],
        pairs: CandidatePairs,
        *,
        rng: np.random.Generator,
        random_pairs: int = 1_000_000,
        max_iterations: int = 50,
        session_pairs: int = 2_000_000,
        session_block: int = SESSION_MAX_BLOCK,
        workers: int | None = None,
    ) -> MatchModel:
        """m and u from featurised rows, their blocking keys and candidate pairs; the prior is the
        configured one until :meth:`with_prior_from` sets it (:meth:`estimate_from_table` does, and
        the sweep does while it scores the pairs anyway).

        * u: level frequencies among ``random_pairs`` random pairs.
        * m: EM in two sessions, as splink trains, each on pairs that agree on a few fields
          by construction, so that session cannot learn those fields (they are masked out) and
          learns the others; a field learned by both keeps the later session's m (see
          :data:`_SESSIONS`). Each session re-estimates u for its own pairs (started from the
          random-pair u): within a block, u differs from random pairs (people sharing a name
          share a nationality and a sex), and holding it fixed lets EM settle on "same
          nationality" or "same name" instead of "same person".

        A session's blocks hold at most ``session_block`` records, and where it still has more than
        ``session_pairs`` pairs, each is taken with probability ``session_pairs`` over its pairs
        (counted once per shared block), so no step holds them all. The random pairs are compared
        on ``workers`` threads (default: one per CPU); the model does not depend on their number.
        """
        from hbm.engines.matching._blocking import CandidatePairs

        n = len(table)
        default = cls.default()
        if n < 2:
            return default
        u = _u_from_random_pairs(featuriser, table, rng, random_pairs, thread_count(workers))
        if pairs.with_repeats == 0:
            return cls(m=default.m, u=u, prior=default.prior)
        m = default.m
        for session in _SESSIONS:
            session_keys = session.keys(table, keys)
            a, b = _session_sample(CandidatePairs(session_keys, max_block=session_block), session_pairs, rng)
            if len(a) == 0:
                continue
            levels = compare(featuriser, table, a, b)
            for index in session.masked:
                levels[:, index] = FIELDS[index].null
            codes, counts = np.unique(pattern_codes(levels), return_counts=True)
            m, _ = _expectation_maximisation(
                patterns_of(codes),
                counts.astype(np.float64),
                m,
                u,
                max_iterations,
                m_fields=_ALL - session.masked,
                update_u=True,
            )
        # The order field is configured, not learned: a swap is evidence against, not for (the
        # crossed names already count); EM would see the joint rarity of "crossed names agree".
        # Two people registered in one group are two people: "same_group" is configured too.
        order, family = _fields("order"), _fields("family")
        m = tuple(
            default.m[i] if i in order else _normalised((_FLOOR, *row[1:])) if i in family else row
            for i, row in enumerate(m)
        )
        u = tuple(default.u[i] if i in order else row for i, row in enumerate(u))
        return cls(m=m, u=u, prior=default.prior)

    def with_prior_from(self, strict: float, n: int) -> MatchModel:
        """This model with the prior of a population of ``n`` records among whose candidate pairs
        the strict rule (:func:`strict_matches`) finds ``strict`` (see :func:`_prior`). It grows
        with ``strict``: the count of candidate pairs gives an upper bound."""
        return replace(self, prior=_prior(strict, self.m, n))


def _fields(*names: str) -> frozenset[int]:
    return frozenset(i for i, spec in enumerate(FIELDS) if spec.name in names)


_ALL: Final = frozenset(range(len(FIELDS)))


@dataclass(frozen=True, slots=True)
class _Session:
    """Pairs for one EM session: records sharing a value of every feature column in ``columns``
    (exact dates only where the birth date code is one of them), or sharing a blocking key that
    starts with ``prefix``; ``masked`` are the fields those pairs agree on by construction (or
    that the shared fields imply), which the session cannot learn."""

    masked: frozenset[int]
    columns: tuple[int, ...] = ()
    prefix: str = ""

    def keys(self, table: Int64Array, keys: Sequence[Sequence[str]]) -> list[list[str]]:
        if self.prefix:
            return [[key for key in record_keys if key.startswith(self.prefix)] for record_keys in keys]
        values = table[:, list(self.columns)]
        usable = np.asarray((values >= 0).all(axis=1), dtype=np.bool_)
        if f.BIRTH_CODE in self.columns:
            usable &= table[:, f.ACCURACY] == 0
        flags: list[bool] = usable.tolist()
        return [
            [":".join(map(str, row))] if ok else [] for row, ok in zip(values.tolist(), flags, strict=True)
        ]


# Why these two. The match share of a session must stay workable at any population size, or EM's
# "match" class settles on the larger structure among different people (namesakes, compatriots)
# — at a million records with looser sessions (a date and an initial; a name pair with no cap)
# EM's m for an exact birth date fell to 0.03 against 0.70 among the true pairs. Two independent
# facts — the exact date of birth and the place of birth — are shared by few people who are not
# one person; a name pair is, so the names session keeps only blocks of at most
# ``SESSION_MAX_BLOCK`` records (rarer name pairs, among which two records are far likelier to be
# one person: at least about 0.2 / SESSION_MAX_BLOCK of the pairs where a tenth of people register
# twice). The place implies the nationality; a name pair implies sex and nationality too.
_SESSIONS: Final = (
    _Session(
        masked=_fields("birth_date", "place_of_birth", "nationality"),
        columns=(f.BIRTH_CODE, f.PLACE_KEY),
    ),
    _Session(
        masked=_fields("given", "surname", "order", "sex", "nationality", "original"),
        prefix="N:",
    ),
)


def strict_in_sample(
    featuriser: Featuriser,
    table: Int64Array,
    pairs: CandidatePairs,
    wanted: int,
    rng: np.random.Generator,
    workers: int | None = None,
) -> tuple[int, float]:
    """The strict rule's matches (:func:`strict_matches`) among all candidate ``pairs``, or among a
    Bernoulli sample of about ``wanted`` of them where there are more: (matches found, the share of
    pairs sampled). Compared on ``workers`` threads; the count does not depend on their number."""
    share = min(1.0, wanted / max(pairs.with_repeats, 1))

    def strict_in(a: Int64Array, b: Int64Array) -> int:
        return strict_matches(compare(featuriser, table, a, b))

    found = sum(in_threads(strict_in, _sampled_chunks(pairs, wanted, rng), thread_count(workers)))
    return found, share


def _sampled_chunks(
    pairs: CandidatePairs, wanted: int, rng: np.random.Generator
) -> Iterator[tuple[Int64Array, Int64Array]]:
    """All of ``pairs``, or a Bernoulli sample of about ``wanted`` of them, chunk by chunk."""
    share = min(1.0, wanted / max(pairs.with_repeats, 1))
    for a, b in pairs.chunks():
        if share >= 1.0:
            yield a, b
        else:
            keep = rng.random(len(a)) < share
            yield a[keep], b[keep]


def _session_sample(
    pairs: CandidatePairs, wanted: int, rng: np.random.Generator
) -> tuple[Int64Array, Int64Array]:
    """All of a session's pairs, or a Bernoulli sample of about ``wanted`` of them, at once."""
    taken = list(_sampled_chunks(pairs, wanted, rng))
    if not taken:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    return np.concatenate([t[0] for t in taken]), np.concatenate([t[1] for t in taken])


def strict_matches(levels: npt.NDArray[np.int8]) -> int:
    """Pairs a strict rule calls matches: both names at ``exact`` or ``key``, the same exact date."""
    (g,), (s,), (b,) = (_fields(name) for name in ("given", "surname", "birth_date"))
    return int(np.count_nonzero((levels[:, g] <= 1) & (levels[:, s] <= 1) & (levels[:, b] == 0)))


def _prior(strict: float, m: tuple[tuple[float, ...], ...], n: int) -> float:
    """The probability that two random records are one person, the way splink's
    ``estimate_probability_two_random_records_match`` does it: the ``strict`` rule's matches among
    the candidate pairs divided by that rule's recall — here read off the estimated m instead of
    guessed — over all n(n-1)/2 pairs."""
    (g,), (s,), (b,) = (_fields(name) for name in ("given", "surname", "birth_date"))
    recall = (m[g][0] + m[g][1]) * (m[s][0] + m[s][1]) * m[b][0]
    total_pairs = n * (n - 1) / 2
    return float(min(max(strict / max(recall, 1e-6) / total_pairs, 1e-12), 0.5))


def _u_from_random_pairs(
    featuriser: Featuriser, table: Int64Array, rng: np.random.Generator, count: int, threads: int = 1
) -> tuple[tuple[float, ...], ...]:
    n = len(table)
    count = int(min(count, n * (n - 1) // 2))
    left = rng.integers(0, n, size=count, dtype=np.int64)
    right = rng.integers(0, n - 1, size=count, dtype=np.int64)
    right[right >= left] += 1  # never a record with itself
    step = max(count // (2 * threads), 1)
    chunks = ((left[i : i + step], right[i : i + step]) for i in range(0, count, step))
    levels = np.concatenate(list(in_threads(partial(compare, featuriser, table), chunks, threads)))
    # The place of birth as two people of one nationality share it by chance: agreeing names imply
    # the nationality, and the nationality narrows the places (two Syrians are far likelier to be
    # both from Aleppo than two people drawn at random).
    # So is a document: two compatriots are far likelier than two random people to hold one kind
    # of one state's document, which is when their numbers can differ.
    compatriots = _compatriot_pairs(table, rng, count)
    if compatriots is not None:
        levels[: len(compatriots[0]), PLACE] = place_levels(featuriser, table, *compatriots)
        levels[: len(compatriots[0]), DOCUMENT] = document_levels(featuriser, table, *compatriots)
    u: list[tuple[float, ...]] = []
    for index, spec in enumerate(FIELDS):
        counts = np.bincount(levels[:, index], minlength=len(spec.levels))[:-1].astype(np.float64)
        u.append(_normalised(counts + 0.5))  # Jeffreys smoothing: unseen levels get a small u
    return tuple(u)


def _compatriot_pairs(
    table: Int64Array, rng: np.random.Generator, count: int
) -> tuple[Int64Array, Int64Array] | None:
    """``count`` random pairs of two different records of one (known) nationality, or ``None``
    when no nationality has two records."""
    known = np.flatnonzero(table[:, f.NATIONALITY] >= 0)
    order = known[np.argsort(table[known, f.NATIONALITY], kind="stable")]
    nationality = table[order, f.NATIONALITY]
    starts = np.flatnonzero(np.r_[True, nationality[1:] != nationality[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    if len(order) == 0 or sizes.max() < 2:
        return None
    first = rng.choice(len(order), size=count)
    group = np.searchsorted(starts, first, side="right") - 1
    usable = sizes[group] >= 2
    first, group = first[usable], group[usable]
    offset = rng.integers(0, sizes[group] - 1)
    second = starts[group] + offset
    second[second >= first] += 1  # never a record with itself
    return order[first], order[second]


def _expectation_maximisation(
    patterns: npt.NDArray[np.int8],
    counts: FloatArray,
    m_start: tuple[tuple[float, ...], ...],
    u: tuple[tuple[float, ...], ...],
    max_iterations: int,
    *,
    m_fields: frozenset[int] | None = None,
    update_u: bool = False,
) -> tuple[tuple[tuple[float, ...], ...], float]:
    """EM for the match share λ, for the m of ``m_fields`` (default all), and for u too when
    ``update_u`` (then u is local to these pairs); returns (m, λ)."""
    update = frozenset(range(len(FIELDS))) if m_fields is None else m_fields
    m = [np.asarray(row, dtype=np.float64) for row in m_start]
    u_arrays = [np.asarray(row, dtype=np.float64) for row in u]
    share = 0.1
    observed = [patterns[:, index] < spec.null for index, spec in enumerate(FIELDS)]
    for _ in range(max_iterations):
        log_m = np.zeros(len(patterns))
        log_u = np.zeros(len(patterns))
        for index in range(len(FIELDS)):
            log_m += np.log(np.append(m[index], 1.0))[patterns[:, index]]
            log_u += np.log(np.append(u_arrays[index], 1.0))[patterns[:, index]]
        odds = np.log(share) + log_m - (np.log1p(-share) + log_u)
        posterior = 1.0 / (1.0 + np.exp(-np.clip(odds, -700, 700)))
        weighted = posterior * counts
        new_share = float(weighted.sum() / counts.sum())
        change = abs(new_share - share)
        share = min(max(new_share, 1e-9), 1 - 1e-9)
        for index, spec in enumerate(FIELDS):
            seen = observed[index]
            sums = np.bincount(patterns[seen, index], weights=weighted[seen], minlength=len(spec.levels))[:-1]
            if index in update and sums.sum() > 0:
                new_m = np.asarray(_normalised(sums), dtype=np.float64)
                change = max(change, float(np.abs(new_m - m[index]).max()))
                m[index] = new_m
            if update_u:
                rest = counts[seen] - weighted[seen]
                sums = np.bincount(patterns[seen, index], weights=rest, minlength=len(spec.levels))[:-1]
                if sums.sum() > 0:
                    u_arrays[index] = np.asarray(_normalised(sums), dtype=np.float64)
        if change < 1e-6:
            break
    return tuple(tuple(float(v) for v in row) for row in m), share
