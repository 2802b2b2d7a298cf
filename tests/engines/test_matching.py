"""Biographic matching: levels, weights that explain themselves, EM, blocking, decisions, fusion."""

from __future__ import annotations

import json
import math
from datetime import date

import numpy as np
import pytest

from hbm.engines.matching import (
    FIELDS,
    BirthAccuracy,
    CandidateIndex,
    Decision,
    Featuriser,
    MatchModel,
    MatchRecord,
    Score,
    TermShares,
    Thresholds,
    blocking_keys,
    candidate_pairs,
    connected_components,
    fuse,
    is_child,
    pairwise_quality,
    sweep,
)
from hbm.engines.matching import _sweep as matching_sweep
from hbm.engines.matching._blocking import CandidatePairs
from hbm.engines.matching._compare import compare
from hbm.engines.matching._model import Frequencies
from hbm.engines.synthetic import Population, population
from hbm.engines.synthetic._pools import POOLS

ON = date(2024, 6, 1)


def record(
    record_id: int, given: str, surname: str, born: date | None = date(1990, 3, 4), **extra: object
) -> MatchRecord:
    fields: dict[str, object] = {"sex": "M", "nationality": "SYR", "birth_date": born, **extra}
    return MatchRecord(record_id, given, surname, **fields)  # type: ignore[arg-type]


def levels_of(a: MatchRecord, b: MatchRecord) -> dict[str, str]:
    featuriser = Featuriser()
    table = featuriser.rows([a, b])
    row = compare(featuriser, table, np.array([0]), np.array([1]))[0]
    return {spec.name: spec.levels[int(level)] for spec, level in zip(FIELDS, row, strict=True)}


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (("Mohammed", "Al-Ahmad"), ("Muhammad", "Al Ahmad"), ("exact", "exact", "straight")),
        (("Oleksandr", "Bondarenko"), ("Alexander", "Bondarenka"), ("exact", "key", "straight")),
        (("Ahmad", "Haddad"), ("Haddad", "Ahmed"), ("exact", "exact", "swapped")),
        (("Mohammad Omar", "Khalil"), ("Mohammad", "Khalil"), ("similar", "exact", "straight")),
        (("Layla", "Haddad"), ("Lyala", "Haddad"), ("similar", "exact", "straight")),
        (("Samer", "Darwish"), ("Layla", "Darwish"), ("different", "exact", "straight")),
        # A father's name dropped is one woman; two different fathers' names are two women.
        (("Fatima Ahmad", "Haddad"), ("Fatima", "Haddad"), ("part", "exact", "straight")),
        (("Fatima Ahmad", "Haddad"), ("Fatima Tareq", "Haddad"), ("clash", "exact", "straight")),
        # A typo in a name the variant table knows is close to the name as written, not to the
        # table's form (ALEXANDER).
        (("Oleksadnr", "Kovalenko"), ("Oleksandr", "Kovalenko"), ("similar", "exact", "straight")),
    ],
)
def test_name_levels(a: tuple[str, str], b: tuple[str, str], expected: tuple[str, str, str]) -> None:
    found = levels_of(record(1, *a), record(2, *b))
    assert (found["given"], found["surname"], found["order"]) == expected


EXACT, YEAR, ESTIMATED = BirthAccuracy.EXACT, BirthAccuracy.YEAR, BirthAccuracy.ESTIMATED


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ((date(1990, 3, 4), EXACT), (date(1990, 3, 4), EXACT), "exact"),
        # A slip of the pen (day and month swapped, the right day a year off) is not two people
        # born a few weeks apart.
        ((date(1990, 3, 4), EXACT), (date(1990, 4, 3), EXACT), "slip"),
        ((date(1990, 3, 4), EXACT), (date(1991, 3, 4), EXACT), "slip"),
        ((date(1990, 3, 4), EXACT), (date(1990, 3, 20), EXACT), "near"),
        ((date(1990, 3, 4), EXACT), (date(1990, 9, 20), EXACT), "year"),
        # Stated dates that agree, an estimate that falls in a stated year, two estimates.
        ((date(1990, 3, 4), EXACT), (date(1990, 1, 1), YEAR), "consistent"),
        ((date(1990, 1, 1), YEAR), (date(1990, 1, 1), YEAR), "consistent"),
        ((date(1990, 1, 1), ESTIMATED), (date(1990, 1, 1), YEAR), "estimate"),
        ((date(1990, 3, 4), EXACT), (date(1990, 1, 1), ESTIMATED), "estimate"),
        ((date(1990, 1, 1), ESTIMATED), (date(1990, 1, 1), ESTIMATED), "tolerance"),
        ((date(1990, 1, 1), ESTIMATED), (date(1996, 1, 1), ESTIMATED), "tolerance"),
        ((date(1990, 3, 4), EXACT), (date(1993, 1, 1), ESTIMATED), "close"),
        ((date(1990, 1, 1), YEAR), (date(1991, 1, 1), YEAR), "close"),
        ((date(1990, 3, 4), EXACT), (date(1994, 8, 1), EXACT), "apart"),
        ((date(1990, 3, 4), EXACT), (date(1994, 1, 1), ESTIMATED), "conflict"),
        ((date(1990, 3, 4), EXACT), (date(1960, 3, 4), EXACT), "far"),
        ((date(1990, 3, 4), EXACT), (None, EXACT), "null"),
    ],
)
def test_birth_date_levels(
    left: tuple[date, BirthAccuracy], right: tuple[date | None, BirthAccuracy], expected: str
) -> None:
    a = record(1, "Samer", "Darwish", left[0], birth_accuracy=left[1])
    b = record(2, "Samer", "Darwish", right[0], birth_accuracy=right[1])
    assert levels_of(a, b)["birth_date"] == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((("Ahmad", "Haddad"), "أحمد حداد"), (("Ahmed", "Hadad"), "احمد حداد"), "confirms"),
        ((("Ahmad", "Haddad"), "أحمد حداد"), (("Ahmad", "Haddad"), "أحمد يوسفي"), "different"),
        ((("Olena", "Koval"), "Олена Коваль"), (("Olena", "Koval"), "أحمد حداد"), "null"),
        ((("Olena", "Koval"), "Олена Коваль"), (("Olena", "Koval"), ""), "null"),
        # A father's name on one side only: the Latin names are at ``part`` and the shorter
        # original is the longer one less that name.
        ((("Fatima Omid", "Azizi"), "فاطمه امید عزیزی"), (("Fatima", "Azizi"), "فاطمه عزیزی"), "confirms"),
    ],
)
def test_original_script_levels(
    a: tuple[tuple[str, str], str], b: tuple[tuple[str, str], str], expected: str
) -> None:
    """Names as written in their own script: compared folded and order-free, and only where the
    Latin names do not already agree (then they only confirm, for 0 bits)."""
    left = record(1, *a[0], original=a[1])
    right = record(2, *b[0], original=b[1])
    assert levels_of(left, right)["original"] == expected


def test_one_name_in_its_own_script_counts_once_however_far_apart_the_latin_spellings() -> None:
    """The same original with Latin spellings no key joins: the names count as spelt another way
    (``key``) and the original confirms them, rather than a typo's weak level plus a rare-looking
    agreement of the originals — one name counted twice."""
    latin_only = levels_of(record(1, "Ahmad", "Haddad"), record(2, "Ahamd", "Hadat"))
    found = levels_of(
        record(1, "Ahmad", "Haddad", original="أحمد حداد"),
        record(2, "Ahamd", "Hadat", original="حداد أحمد"),
    )
    assert (latin_only["given"], latin_only["surname"]) == ("exact", "fuzzy")
    assert (found["given"], found["surname"], found["original"]) == ("exact", "key", "confirms")


def test_agreement_implied_by_names_weighs_nothing_and_confirming_originals_neither() -> None:
    table = MatchModel.default().weight_table()
    for name in ("sex", "nationality"):
        index = next(i for i, spec in enumerate(FIELDS) if spec.name == name)
        assert table[index, 0] == 0.0  # same
        assert table[index, 1] < -5  # different
    original = next(i for i, spec in enumerate(FIELDS) if spec.name == "original")
    assert table[original, FIELDS[original].levels.index("confirms")] == 0.0
    assert table[original, FIELDS[original].levels.index("same")] > 5


def test_a_common_birth_date_says_less_than_a_rare_one() -> None:
    """1 January (half the exact dates of some populations) is term-frequency adjusted down."""
    born = [date(1990, 1, 1)] * 30 + [date(1990 - i % 20, 1 + i % 12, 2 + i % 27) for i in range(70)]
    records = [record(i, f"Person{i}", f"Family{i}", day) for i, day in enumerate(born)]
    index = CandidateIndex(MatchModel.default())
    index.add_many(records)

    def score_against(query: MatchRecord, indexed: int) -> Score:
        return next(c.score for c in index.check(query, limit=200) if c.id == indexed)

    common = score_against(record(1000, "Person0", "Family0", date(1990, 1, 1)), 0)
    rare = score_against(record(1001, "Person40", "Family40", born[40]), 40)
    assert common.contributions[3].level == rare.contributions[3].level == "exact"
    assert common.contributions[3].weight < rare.contributions[3].weight - 3


def test_family_levels() -> None:
    def travelling(record_id: int, group: str, *companions: str) -> MatchRecord:
        return record(
            record_id, "Samer", "Darwish", family=frozenset({group}), relatives=frozenset(companions)
        )

    a = travelling(1, "G1", "Layla", "Omar", "Yusuf", "Hiba")
    # The same family again, fewer of them, spelt otherwise: one person.
    assert levels_of(a, travelling(2, "G9", "Laila", "Umar", "Yousef"))["family"] == "all_relatives"
    assert levels_of(a, travelling(3, "G9", "Laila", "Umar"))["family"] == "shared_relatives"
    # A companion's name with a typing slip still agrees (the first three letters).
    assert levels_of(a, travelling(4, "G9", "Laila", "Umar", "Yusfu"))["family"] == "all_relatives"
    # Some names in common and others not: more likely two families that share common names.
    three_of_four = travelling(5, "G9", "Laila", "Umar", "Yousef", "Khaled")
    assert levels_of(a, three_of_four)["family"] == "shared_relatives"
    assert levels_of(a, travelling(6, "G9", "Laila", "Umar", "Khaled"))["family"] == "some_relatives"
    assert levels_of(a, travelling(7, "G9", "Layla"))["family"] == "one_relative"
    assert levels_of(a, travelling(8, "G9", "Layla", "Khaled"))["family"] == "one_of_several"
    assert levels_of(a, travelling(9, "G9", "Khaled", "Nour"))["family"] == "other_groups"
    assert levels_of(a, travelling(10, "G1", "Layla", "Samer"))["family"] == "same_group"
    assert levels_of(a, record(11, "Samer", "Darwish"))["family"] == "null"


def test_two_records_of_one_group_are_two_people_even_with_the_configured_weights() -> None:
    """Registered together, side by side: two people (twins given one name would be the rare
    exception a person decides). The configured weights say so as the estimated ones do."""
    family = {"family": frozenset({"G1"}), "relatives": frozenset({"Layla"})}
    score = MatchModel.default().score(
        record(1, "Samer", "Darwish", **family), record(2, "Samer", "Darwish", **family)
    )
    bits = {c.field: c.weight for c in score.contributions}
    assert bits["family"] < -6


def test_places_of_birth_known_by_other_names_are_one_place() -> None:
    def born_in(place: str) -> MatchRecord:
        return record(1, "Olena", "Koval", place_of_birth=place)

    for one, other in [("Lviv", "Lemberg"), ("Lvov", "Львів"), ("Aleppo", "Halab"), ("Madras", "Chennai")]:
        assert levels_of(born_in(one), born_in(other))["place_of_birth"] == "exact"
    assert levels_of(born_in("Kharkiv"), born_in("Kharkiw"))["place_of_birth"] == "similar"
    assert levels_of(born_in("Lviv"), born_in("Kyiv"))["place_of_birth"] == "different"


def test_swapped_names_with_a_fathers_name_or_a_slip_are_still_swapped() -> None:
    with_father = levels_of(record(1, "Soraya Zaher", "Mohammadi"), record(2, "Mohamadi", "Sorayah"))
    slipped = levels_of(record(1, "Anna", "Zakharova"), record(2, "Zakharova", "Anba"))
    assert [with_father[name] for name in ("given", "surname", "order")] == ["part", "exact", "swapped"]
    assert [slipped[name] for name in ("given", "surname", "order")] == ["fuzzy", "exact", "swapped"]


def test_a_score_is_the_sum_of_its_contributions_and_its_probability_follows_from_the_prior() -> None:
    model = MatchModel.default()
    score = model.score(record(1, "Mohammed", "Al-Ahmad"), record(2, "Muhammad", "Alahmad"))

    assert [c.field for c in score.contributions] == [spec.name for spec in FIELDS]
    assert score.weight == pytest.approx(sum(c.weight for c in score.contributions))
    prior_bits = math.log2(model.prior / (1 - model.prior))
    assert score.probability == pytest.approx(1 / (1 + 2 ** -(score.weight + prior_bits)))
    assert "given: exact" in score.explain()


def test_null_levels_weigh_nothing_and_agreement_weighs_more_than_disagreement() -> None:
    table = MatchModel.default().weight_table()
    for index, spec in enumerate(FIELDS):
        assert table[index, spec.null] == 0
    given = FIELDS.index(next(s for s in FIELDS if s.name == "given"))
    assert table[given, 0] > 0 > table[given, FIELDS[given].levels.index("different")]


def test_a_model_survives_storage() -> None:
    model = MatchModel.default()
    assert MatchModel.from_dict(model.to_dict()) == model
    with pytest.raises(ValueError, match="version"):
        MatchModel.from_dict({**model.to_dict(), "version": 99})


def test_blocking_keys_are_short_strings_that_meet_across_spellings_and_order() -> None:
    a = record(1, "Oleksandr", "Shevchenko")
    b = record(2, "Shevchenko", "Aleksandr", born=None)
    keys_a, keys_b = blocking_keys(a), blocking_keys(b)
    assert all(len(key) <= 96 for key in keys_a)
    assert len(set(keys_a)) == len(keys_a)
    assert set(keys_a) & set(keys_b)  # the name pair key is order-free and date-free


@pytest.mark.parametrize(
    ("a", "b", "meets_by"),
    [
        # Both names mistyped, swapped, the same exact date: the date with either initial.
        (record(1, "Kharchenko", "Larysa"), record(2, "Larysa", "Kgarchneko"), "D:"),
        # A mistyped surname and an age estimated two years apart: a name with the year ± 1.
        (
            record(1, "Fariba", "Ahmadi", date(2021, 1, 1), birth_accuracy=BirthAccuracy.ESTIMATED),
            record(2, "Fariba", "Ahnadi", date(2023, 1, 1), birth_accuracy=BirthAccuracy.ESTIMATED),
            "E:",
        ),
        # Latin spellings no key joins, the same name in its own script.
        (
            record(1, "Ali", "Al-Ahmad", None, original="علي الأحمد"),
            record(2, "Alehmad", "Aly", None, original="علي الأحمد"),
            "O:",
        ),
    ],
)
def test_blocking_keys_tolerate_two_slips(a: MatchRecord, b: MatchRecord, meets_by: str) -> None:
    shared = set(blocking_keys(a)) & set(blocking_keys(b))
    assert shared
    assert {key[:2] for key in shared} == {meets_by}


def test_candidate_pairs_never_compare_all_pairs() -> None:
    people = population(3000, seed=3)
    _, keys = Featuriser().table(people.records)
    left, right = candidate_pairs(keys)
    assert len(left) < 3000 * 2999 / 2 / 50
    assert np.all(left < right)
    assert len(np.unique(left * 3000 + right)) == len(left)


def _pairs_by_hand(keys: list[list[str]], max_block: int) -> set[tuple[int, int]]:
    members: dict[str, list[int]] = {}
    for position, record_keys in enumerate(keys):
        for key in record_keys:
            members.setdefault(key, []).append(position)
    return {
        (a, b)
        for block in members.values()
        if 2 <= len(block) <= max_block
        for i, a in enumerate(block)
        for b in block[i + 1 :]
    }


@pytest.mark.parametrize(("max_block", "chunk"), [(1000, 50), (1000, 10**9), (4, 1), (2, 7)])
def test_candidate_pair_chunks_give_every_pair_exactly_once(max_block: int, chunk: int) -> None:
    rng = np.random.default_rng(5)
    keys = [[f"k{v}" for v in set(rng.integers(0, 40, size=rng.integers(0, 5)).tolist())] for _ in range(300)]
    pairs = CandidatePairs(keys, max_block=max_block)
    produced = [
        (int(a), int(b)) for left, right in pairs.chunks(chunk) for a, b in zip(left, right, strict=True)
    ]

    assert len(produced) == len(set(produced))  # each pair once, though many share two keys
    assert set(produced) == _pairs_by_hand(keys, max_block)
    assert all(a < b for a, b in produced)
    assert pairs.with_repeats >= len(produced)
    left, right = candidate_pairs(keys, max_block=max_block)
    assert list(zip(left.tolist(), right.tolist(), strict=True)) == sorted(produced)


def test_the_online_index_adds_removes_and_finds_the_duplicate() -> None:
    index = CandidateIndex(MatchModel.default())
    index.add_many([record(1, "Mohammed", "Al-Ahmad"), record(2, "Layla", "Haddad", born=date(1985, 1, 2))])
    query = record(3, "Muhammad", "Alahmad")

    found = index.check(query)
    assert [c.id for c in found][:1] == [1]
    assert found[0].score.contributions[0].field == "given"

    assert index.remove(1) is True
    assert index.remove(1) is False
    assert 1 not in index
    assert len(index) == 1
    assert all(c.id != 1 for c in index.check(query))


def test_the_online_check_agrees_with_the_sweep() -> None:
    people = population(1500, seed=5)
    result = sweep(people.records, on=people.on)
    index = CandidateIndex(result.model)
    index.add_many(people.records)
    pair = int(np.argmax(result.probabilities))
    left, right = int(result.left[pair]), int(result.right[pair])

    found = {c.id: c.score for c in index.check(people.records[left], limit=1000)}

    assert found[right].weight == pytest.approx(result.weights[pair])
    assert found[right] == result.score(pair)


def test_thresholds_decide_and_children_need_more() -> None:
    thresholds = Thresholds(same=0.99, adjudicate=0.5, child_same=0.999, child_adjudicate=0.2)
    assert thresholds.decide(0.995, is_child=False) is Decision.SAME
    assert thresholds.decide(0.995, is_child=True) is Decision.ADJUDICATE
    assert thresholds.decide(0.3, is_child=False) is Decision.DISTINCT
    assert thresholds.decide(0.3, is_child=True) is Decision.ADJUDICATE
    with pytest.raises(ValueError, match="adjudicate"):
        Thresholds(same=0.5, adjudicate=0.9)


def test_is_child_gives_the_benefit_of_the_doubt() -> None:
    assert is_child(record(1, "A", "B", date(2010, 1, 1)), ON)
    assert not is_child(record(1, "A", "B", date(2000, 1, 1)), ON)
    # 21 by the estimate, but the estimate may be 3 years too high.
    assert is_child(record(1, "A", "B", date(2003, 1, 1), birth_accuracy=BirthAccuracy.ESTIMATED), ON)
    assert not is_child(record(1, "A", "B", None), ON)


def test_fusion_adds_face_evidence_as_bits() -> None:
    model = MatchModel.default()
    score = model.score(
        record(1, "Mohammed", "Al-Ahmad"),
        record(2, "Muhammad", "Al-Ahmad", born=date(1990, 1, 1), birth_accuracy=BirthAccuracy.YEAR),
    )
    thresholds = Thresholds()

    alone = fuse(score, None, thresholds, is_child=False)
    matching_face = fuse(score, 0.97, thresholds, is_child=False)
    other_face = fuse(score, 0.05, thresholds, is_child=False)

    assert alone.probability == pytest.approx(score.probability)
    assert other_face.probability < score.probability < matching_face.probability
    assert matching_face.face_weight == 9.0
    assert other_face.decision is not Decision.SAME


def test_connected_components() -> None:
    labels = connected_components(6, np.array([0, 1, 4]), np.array([1, 2, 5]))
    assert labels.tolist() == [0, 0, 0, 3, 4, 4]


def test_pairwise_quality_counts_missed_pairs() -> None:
    truth = np.array([1, 1, 1, 2, 3], dtype=np.int64)  # three true pairs
    quality = pairwise_quality(np.array([0, 3]), np.array([1, 4]), truth)
    assert (quality.true_positives, quality.false_positives, quality.false_negatives) == (1, 1, 2)
    assert quality.precision == 0.5
    assert quality.recall == pytest.approx(1 / 3)


def test_estimated_model_separates_duplicates_from_namesakes() -> None:
    people = population(6000, seed=2)
    result = sweep(people.records, on=people.on, rng=np.random.default_rng(0))
    model = result.model
    birth = [s.name for s in FIELDS].index("birth_date")
    assert model.m[birth][0] > 0.4  # most duplicates share an exact date…
    assert model.u[birth][0] < 0.01  # …which random pairs rarely do
    same = result.decisions == 0
    quality = pairwise_quality(result.left[same], result.right[same], people.person_ids)
    assert quality.precision > 0.9
    assert quality.recall > 0.7


def _m_among_true_pairs(people: Population, field: str, level: str) -> float:
    """The share of ``level`` among the true pairs that blocking finds (what m should be)."""
    featuriser = Featuriser()
    table, keys = featuriser.table(people.records)
    left, right = candidate_pairs(keys)
    true = people.person_ids[left] == people.person_ids[right]
    index = [spec.name for spec in FIELDS].index(field)
    levels = compare(featuriser, table, left[true], right[true])[:, index]
    return float(np.mean(levels[levels < FIELDS[index].null] == FIELDS[index].levels.index(level)))


def test_estimation_holds_where_namesakes_far_outnumber_duplicates() -> None:
    # One person in a hundred registers twice: among pairs sharing a name pair, duplicates are about
    # as rare as at a million records with one in ten. Looser sessions let EM's "match" class settle
    # on namesakes there (m of an exact birth date 0.15 against 0.74 among the true pairs).
    people = population(40_000, seed=3, duplicate_rate=0.01)
    model = MatchModel.estimate(people.records, rng=np.random.default_rng(0))
    for field in ("given", "surname", "birth_date", "place_of_birth"):
        index = [spec.name for spec in FIELDS].index(field)
        assert model.m[index][0] == pytest.approx(_m_among_true_pairs(people, field, "exact"), abs=0.08), (
            field
        )


def test_the_sweep_gives_the_same_result_on_any_number_of_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(matching_sweep, "CHUNK_PAIRS", 500)  # many chunks in flight at once
    people = population(3000, seed=4)
    alone = sweep(people.records, on=people.on, rng=np.random.default_rng(0), workers=1)
    together = sweep(people.records, on=people.on, rng=np.random.default_rng(0), workers=3)

    assert alone.model == together.model  # estimated on 1 and on 3 threads
    assert alone.compared == together.compared > 0
    for name in (
        "left",
        "right",
        "probabilities",
        "decisions",
        "patterns",
        "frequency_adjustments",
        "clusters",
    ):
        assert np.array_equal(getattr(alone, name), getattr(together, name)), name


def test_the_sweep_counts_the_prior_while_it_scores_and_keeps_what_a_separate_pass_would(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The prior is counted on the pairs the sweep scores anyway (no pass of its own): the model,
    and every pair kept at the floor, are those of an estimate that counts it in its own pass."""
    people = population(3000, seed=6)
    merged = sweep(people.records, on=people.on, rng=np.random.default_rng(0))
    estimated = MatchModel.estimate(people.records, rng=np.random.default_rng(0))
    given = sweep(people.records, on=people.on, model=estimated)

    assert merged.model == estimated
    assert merged.compared == given.compared
    for name in ("left", "right", "probabilities", "decisions", "patterns"):
        assert np.array_equal(getattr(merged, name), getattr(given, name)), name

    # Where the candidate pairs are more than the prior's sample, the bound comes from a sample and
    # the prior is still counted on every pair: the estimate's model when it counts them all.
    monkeypatch.setattr(matching_sweep, "PRIOR_PAIRS", 10)
    monkeypatch.setattr(matching_sweep, "PRIOR_BOUND_PAIRS", 500)
    bounded = sweep(people.records, on=people.on, rng=np.random.default_rng(0))
    assert bounded.model.m == estimated.m
    assert bounded.model.prior == estimated.prior
    assert np.array_equal(bounded.probabilities, merged.probabilities)

    # A bound the count passes (once in 10^15 sweeps) costs a second scoring, not a pair.
    monkeypatch.setattr(matching_sweep, "_strict_bound", lambda *_: 0.0)
    rescored = sweep(people.records, on=people.on, rng=np.random.default_rng(0))
    assert rescored.model.prior == estimated.prior
    for name in ("left", "right", "probabilities", "decisions"):
        assert np.array_equal(getattr(rescored, name), getattr(merged, name)), name


def test_the_vocabulary_array_grows_in_place_and_holds_every_string() -> None:
    """An online check brings a few new names at a time: the strings array is filled in, not
    rebuilt (it was copied whole at every check: p95 23.6 ms against a million, 3.2 ms after)."""
    from hbm.engines.matching._features import Vocabulary

    vocabulary = Vocabulary()
    assert vocabulary.code("") == -1
    codes = [vocabulary.code(f"NAME{i}") for i in range(3000)]
    first = vocabulary.array()
    assert [first[c] for c in codes] == [f"NAME{i}" for i in range(3000)]
    assert vocabulary.code("NAME7") == codes[7]  # known strings keep their code
    new = vocabulary.code("OLEKSANDR")
    again = vocabulary.array()
    assert again is first  # room left: filled in place
    assert again[new] == "OLEKSANDR"
    for i in range(len(first)):
        vocabulary.code(f"MORE{i}")
    grown = vocabulary.array()
    assert grown is not first
    assert len(grown) >= len(vocabulary)
    assert list(grown[: len(vocabulary)]) == vocabulary.strings


# --- parents' names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # Spelt another way, in another script, or with a grandfather's name on one side only.
        (("Mohammed", "Fatima"), ("Muhammad", "Fatma"), ("exact", "exact")),
        (("محمد", ""), ("Mohammad", "Layla"), ("exact", "null")),
        (("Mohammad Karim", ""), ("Mohammad", ""), ("part", "null")),
        # Two fathers who share a first name but not their fathers: cousins' fathers, not one man.
        (("Mohammad Karim", ""), ("Mohammad Yusuf", ""), ("clash", "null")),
        (("Omar", "Samira"), ("Tareq", "Nadia"), ("different", "different")),
        (("", "Samira"), ("Omar", ""), ("null", "null")),
    ],
)
def test_parents_names_are_compared_as_given_names_are(
    a: tuple[str, str], b: tuple[str, str], expected: tuple[str, str]
) -> None:
    found = levels_of(
        record(1, "Ahmad", "Haddad", father=a[0], mother=a[1], language="ara"),
        record(2, "Ahmad", "Haddad", father=b[0], mother=b[1], language="ara"),
    )
    assert (found["father"], found["mother"]) == expected


def test_a_parents_name_already_among_the_persons_own_names_is_not_counted_again() -> None:
    """An Eritrean's second name is the father's given name; an Afghan may add the father's name to
    his own: the surname and given levels already say it."""
    eritrean = levels_of(
        record(1, "Yonas", "Tesfay", father="Tesfay", nationality="ERI"),
        record(2, "Yonas", "Tesfay", father="Tesfay", nationality="ERI"),
    )
    afghan = levels_of(
        record(1, "Ahmad Mohammad", "Rahimi", father="Mohammad"),
        record(2, "Ahmad", "Rahimi", father="Mohammad"),
    )
    assert eritrean["father"] == "null"
    assert (afghan["given"], afghan["father"]) == ("part", "null")


def test_the_persons_family_name_written_after_a_parents_name_is_not_compared_again() -> None:
    """VOLODYMYR VERBYTSKYI and VASYL VERBYTSKYI, fathers of two girls VERBYTSKA, are two men: the
    family name (feminine or not) is the surname field's to compare, not the father's."""
    cousins = levels_of(
        record(1, "Olena", "Verbytska", father="Volodymyr Verbytskyi", mother="Iryna Verbytska"),
        record(2, "Milana", "Verbytska", father="Vasyl Verbytskyi", mother="Iryna Verbytska"),
    )
    assert (cousins["father"], cousins["mother"]) == ("different", "exact")
    russian = levels_of(
        record(1, "Anna", "Ivanova", father="Petr Ivanov"), record(2, "Anna", "Ivanova", father="Pyotr")
    )
    assert russian["father"] == "exact"
    # A mother's own family name stays: it is more of her name, not the person's.
    syrian = levels_of(
        record(1, "Ahmad", "Haddad", mother="Fatima Khalil"),
        record(2, "Ahmad", "Haddad", mother="Fatima Darwish"),
    )
    assert syrian["mother"] == "clash"


def test_different_parents_tell_apart_namesakes_born_the_same_year() -> None:
    model = MatchModel.default()
    year = {"born": date(1990, 1, 1), "birth_accuracy": BirthAccuracy.YEAR}
    base = model.score(record(1, "Ahmad", "Haddad", **year), record(2, "Ahmad", "Haddad", **year))
    same = model.score(
        record(1, "Ahmad", "Haddad", father="Omar", mother="Samira", **year),
        record(2, "Ahmad", "Haddad", father="Omar", mother="Samira", **year),
    )
    different = model.score(
        record(1, "Ahmad", "Haddad", father="Omar", mother="Samira", **year),
        record(2, "Ahmad", "Haddad", father="Tareq", mother="Nadia", **year),
    )
    assert different.probability < base.probability < same.probability
    assert {c.field: c.level for c in different.contributions}["father"] == "different"
    assert different.weight < base.weight - 5 < same.weight - 10


def test_a_common_fathers_name_says_less_than_a_rare_one() -> None:
    """MOHAMMAD among the fathers of a population is term-frequency adjusted down, as a common
    given name is; the shares are the parents' own, counted apart from the persons' names."""
    rare_names = sorted(
        {name.latin for pool in POOLS.values() if pool.script == "latin" for name in pool.male}
    )
    rare_names = [name for name in rare_names if "MOHAM" not in name.upper()][:30]
    fathers = ["Mohammad"] * 40 + rare_names
    records = [record(i, f"Person{i}", f"Family{i}", father=name) for i, name in enumerate(fathers)]
    unknown = [record(500 + i, f"Other{i}", f"Kin{i}") for i in range(70)]  # no father recorded
    index = CandidateIndex(MatchModel.default())
    index.add_many(records + unknown)
    shares = index.shares()
    # Among the fathers recorded, not among all records: else each looks twice as rare as it is.
    assert shares.father_canon.sum() == pytest.approx(1.0)
    assert shares.father_canon.max() == pytest.approx(40 / 70)
    offline = Frequencies.of(Featuriser().rows(records + unknown))
    assert offline.father_canon.max() == pytest.approx(40 / 70)
    assert shares.canon.sum() == pytest.approx(2.0)  # given names and surnames, one each

    def father_bits(query: MatchRecord, indexed: int) -> float:
        score = next(c.score for c in index.check(query, limit=200) if c.id == indexed)
        return next(c.weight for c in score.contributions if c.field == "father")

    common = father_bits(record(1000, "Person0", "Family0", father="Mohammad"), 0)
    rare = father_bits(record(1001, "Person50", "Family50", father=fathers[50]), 50)
    assert common < rare - 3
    assert index.remove(0) is True
    assert index.shares().father_canon.sum() == pytest.approx(1.0)


def test_one_pair_scored_with_stored_term_shares_scores_as_the_sweep_does() -> None:
    """The server checks one person at a time against the database: with the population's term
    shares (stored with an estimate, as JSON) a pair weighs exactly what the sweep gives it."""
    people = population(3000, seed=6)
    result = sweep(people.records, on=people.on)
    terms = TermShares.from_dict(json.loads(json.dumps(TermShares.of(people.records).to_dict())))
    assert all(count > 1 for group in terms.counts for count in group.values())
    strongest = np.argsort(-result.weights)[:50]
    for pair in strongest.tolist():
        a, b = people.records[int(result.left[pair])], people.records[int(result.right[pair])]
        assert result.model.score(a, b, terms=terms).weight == pytest.approx(result.weights[pair])
    plain = result.model.score(a, b)
    assert plain.weight != pytest.approx(result.weights[pair])  # without them, no adjustment
    with pytest.raises(ValueError, match="groups"):
        TermShares.from_dict({"counts": [], "known": []})
    # A population that never recorded a parent's name says nothing about them: no adjustment.
    nameless = TermShares.of([record(i, f"Given{i}", f"Family{i}") for i in range(50)])
    parents = {"father": "Omar", "mother": "Samira"}
    scored = result.model.score(
        record(1, "A", "B", **parents), record(2, "A", "B", **parents), terms=nameless
    )
    plain_parents = result.model.score(record(1, "A", "B", **parents), record(2, "A", "B", **parents))
    bits = {c.field: c.weight for c in scored.contributions}
    assert bits["father"] == {c.field: c.weight for c in plain_parents.contributions}["father"] > 0
