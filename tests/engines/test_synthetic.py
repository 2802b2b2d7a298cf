"""Synthetic population: deterministic, ground truth consistent, the variation it promises."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace

import numpy as np
import pytest

from hbm.engines.matching import MatchRecord
from hbm.engines.names import Script, name_parts, phonetic_key, script_of
from hbm.engines.synthetic import PARENTS_RECORDED, population
from hbm.engines.synthetic._pools import POOLS, UKR_TOP_FAMILY, tail_exponent
from hbm.engines.synthetic._spelling import cyrillic_to_latin, particle_variant, typo


def test_the_same_seed_gives_the_same_population_and_another_seed_another() -> None:
    a, b, c = population(500, seed=7), population(500, seed=7), population(500, seed=8)
    assert a.records == b.records
    assert np.array_equal(a.person_ids, b.person_ids)
    assert a.records != c.records


def test_exactly_n_records_with_ids_in_order_and_duplicates_near_the_rate() -> None:
    people = population(5000, seed=1, duplicate_rate=0.1)
    assert len(people) == 5000
    assert [r.id for r in people.records] == list(range(5000))
    share = people.stats["duplicate_records"] / people.stats["people"]
    assert 0.05 < share < 0.15
    assert all(len(cluster) >= 2 for cluster in people.clusters())


def test_no_duplicates_at_rate_zero() -> None:
    people = population(800, seed=1, duplicate_rate=0.0)
    assert people.clusters() == []


def test_the_variation_is_there() -> None:
    people = population(20_000, seed=2)
    records = people.records
    scripts = {script_of(r.original) for r in records if r.original}
    assert {Script.CYRILLIC, Script.ARABIC, Script.ETHIOPIC} <= scripts
    assert any(r.family for r in records)
    assert any(not r.family for r in records)
    accuracies = {r.birth_accuracy.value for r in records if r.birth_date}
    assert accuracies == {"exact", "year", "estimated"}
    assert any(r.birth_date is None for r in records)
    # One person written several ways.
    spellings = 0
    for cluster in people.clusters():
        if len({(records[i].given, records[i].surname) for i in cluster}) > 1:
            spellings += 1
    assert spellings > 0.3 * len(people.clusters())
    # Namesakes: different people with one name.
    owners: dict[tuple[str, str], set[int]] = {}
    for r, person in zip(records, people.person_ids, strict=True):
        owners.setdefault((r.given, r.surname), set()).add(int(person))
    assert sum(1 for persons in owners.values() if len(persons) > 1) > 100


def test_spelling_helpers() -> None:
    rng = random.Random(0)
    assert cyrillic_to_latin("Олександр Шевченко", "ukr") == "OLEKSANDR SHEVCHENKO"
    assert cyrillic_to_latin("Юлія", "ukr") == "YULIIA"
    assert cyrillic_to_latin("Сергей", "rus") == "SERGEY"
    assert {particle_variant("AL-HASAN", rng) for _ in range(50)} >= {"AL-HASAN", "ALHASAN", "HASAN"}
    mistakes = {typo("KOVALENKO", rng) for _ in range(100)}
    assert all(m[0] == "K" and abs(len(m) - 9) <= 1 for m in mistakes)
    assert len(mistakes) > 10


def test_a_hundred_thousand_records_in_seconds() -> None:
    import time

    started = time.perf_counter()
    population(100_000, seed=0)
    assert time.perf_counter() - started < 10


def test_ukrainian_family_names_are_as_common_as_published_counts_say() -> None:
    """Melnyk, the commonest, is borne by ~0.4 % of Ukrainians (174,057 of 42.08 M): the pool
    draws it about that often, the ten sourced names in their published order, and two random
    Ukrainians share a family name about as rarely as a long-tailed register makes them (the
    former pool of 130 names drew KOVALENKO for 1 Ukrainian in 8)."""
    pool = POOLS["UKR"]
    weights = np.array(pool.family_weights)
    assert len(weights) == len(pool.family_male) == len(pool.family_female)
    assert abs(weights.sum() - 1) < 1e-9
    assert [n.original for n in pool.family_male[:10]] == [name for name, _ in UKR_TOP_FAMILY]
    assert np.all(np.diff(weights) <= 1e-15)  # shares fall with rank, the tail from the tenth's
    assert (weights**2).sum() < 0.001
    people = population(60_000, seed=3, duplicate_rate=0.0)
    ukrainians = [r for r in people.records if r.nationality == "UKR" and r.original]
    surnames = Counter(r.original.split()[-1] for r in ukrainians)
    melnyk = surnames["Мельник"] / len(ukrainians)
    assert 0.002 < melnyk < 0.007
    assert len(surnames) > 1000
    assert surnames.most_common(1)[0][1] / len(ukrainians) < 0.01


def test_a_tail_cannot_hold_the_rest_with_too_few_names() -> None:
    with pytest.raises(ValueError, match="too few names"):
        tail_exponent(0.01, 0.9, 10, 50)
    assert tail_exponent(0.01, 0.5, 10, 60) == pytest.approx(0.0, abs=1e-6)


def test_parents_names_are_recorded_at_the_stated_shares_and_change_nothing_else() -> None:
    with_parents, without = population(20_000, seed=3), population(20_000, seed=3, parents=0)
    assert all(not r.father and not r.mother for r in without.records)
    strip = [replace(r, father="", mother="") for r in with_parents.records]
    assert strip == list(without.records)
    assert np.array_equal(with_parents.person_ids, without.person_ids)
    for code, (father_share, mother_share) in PARENTS_RECORDED.items():
        mine = [r for r in with_parents.records if r.nationality == code]
        assert sum(bool(r.father) for r in mine) / len(mine) == pytest.approx(father_share, abs=0.05)
        assert sum(bool(r.mother) for r in mine) / len(mine) == pytest.approx(mother_share, abs=0.05)


def test_children_of_one_family_give_one_father_and_one_mother() -> None:
    """Siblings registered together name the same parents (spelt as officers spell them)."""
    people = population(20_000, seed=4, parents=1 / 0.7)  # every Syrian and Afghan father recorded
    groups: dict[str, list[MatchRecord]] = {}
    for r in people.records:
        if r.nationality == "SYR" and r.family and r.father and r.birth_date and r.birth_date.year > 2008:
            groups.setdefault(min(r.family), []).append(r)
    siblings = [members for members in groups.values() if len(members) >= 2]
    assert len(siblings) > 50
    agree = sum(len({phonetic_key(name_parts(r.father)[0]) for r in members}) == 1 for members in siblings)
    assert agree > 0.8 * len(siblings)


def test_parents_must_keep_every_share_a_probability() -> None:
    with pytest.raises(ValueError, match="parents"):
        population(10, parents=-0.1)
    with pytest.raises(ValueError, match="parents"):
        population(10, parents=2.0)
