"""Synthetic population: deterministic, ground truth consistent, the variation it promises."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pytest

from hbm.engines.names import Script, script_of
from hbm.engines.synthetic import population
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
