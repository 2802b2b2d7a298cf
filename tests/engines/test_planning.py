"""Reception requirements per the Sphere minimum standards: exact figures on hand-computed cases,
people present from arrivals and length of stay, phases, demographics, and refused inputs."""

from __future__ import annotations

import math
from typing import Any

import pytest

from hbm.engines.planning import (
    Demographics,
    Group,
    Kind,
    Phase,
    PlanningInput,
    PlanningInputError,
    Requirements,
    ShareOf,
    default_figures,
    persons_present,
    requirements,
    shipped_overlay,
)


def steady(persons: float = 1000, days: int = 3, **extra: Any) -> Requirements:
    """``persons`` present every day: as many arrive each day as leave, each staying one day."""
    return requirements(PlanningInput(arrivals_per_day=[persons] * days, average_stay_days=1, **extra))


# --- hand-computed figures ---------------------------------------------------------------------


def test_1000_people_present_need_the_sphere_quantities_each_day() -> None:
    # given 1,000 people present on each of 3 days, first-phase figures
    result = steady(1000, days=3)

    # then each item is rate × 1,000, whole units rounded up
    expected_per_day = {
        "water_domestic": 15_000.0,  # 15 L per person
        "water_drinking": 3_000.0,  # 3 L per person
        "water_taps": 4.0,  # 1 per 250
        "toilets": 20.0,  # 1 per 50 in the first phase
        "toilets_female": 15.0,  # 3/4 of 20
        "toilets_accessible": 3.0,  # 15 % of 20
        "handwashing_points": 20.0,  # one at each toilet
        "showers": 20.0,  # 1 per 50
        "soap_bathing": 250 * 1000 / 30,  # 250 g a month
        "soap_laundry": 200 * 1000 / 30,
        "covered_living_space": 3_500.0,  # 3.5 m²
        "food_energy": 2_100_000.0,  # 2,100 kcal
        "health_workers": 3.0,  # 22 per 10,000 = 2.2, rounded up
        "medical_doctors": 1.0,  # 1 per 50,000, rounded up
        "clinical_officers": 1.0,
        "outpatient_nurses": 1.0,
    }
    assert {item.item: item.per_day for item in result.items} == {
        key: (value,) * 3 for key, value in expected_per_day.items()
    }
    assert result.present == (1000.0, 1000.0, 1000.0)
    assert result.peak_present == 1000.0


def test_consumables_total_over_the_period_and_capacity_items_give_their_peak() -> None:
    result = steady(1000, days=3)

    water = result.item("water_domestic")
    assert water.total == 45_000.0
    assert water.peak == 15_000.0
    assert water.unit == "litres"
    assert water.figure.kind is Kind.CONSUMABLE

    toilets = result.item("toilets")
    assert toilets.total is None
    assert toilets.peak == 20.0
    assert toilets.figure.kind is Kind.CAPACITY


def test_each_item_names_its_standard_and_source() -> None:
    toilets = steady().item("toilets")

    assert "1 per 50" in toilets.standard
    assert "1 per 20" in toilets.standard
    assert toilets.source.standard == "Excreta management standard 3.2: Access to and use of toilets"
    assert "Sphere Handbook" in toilets.source.document
    assert "2018" in toilets.source.document
    assert "p. 118" in toilets.source.where
    assert toilets.source.checked.startswith("Checked against the text")


def test_every_shipped_figure_says_whether_it_was_checked() -> None:
    figures = default_figures()

    for figure in figures.items.values():
        assert figure.source.document, figure.id
        assert figure.source.where, figure.id
        assert figure.source.checked, figure.id
    for group, default in figures.demographics.items():
        assert default.source.checked, group


def test_first_phase_figures_give_way_to_the_longer_term_ones_after_the_initial_days() -> None:
    # given 1,000 present for 4 days, the first phase lasting 2 days
    result = steady(1000, days=4, initial_phase_days=2)

    toilets = result.item("toilets")
    assert toilets.phase == (Phase.INITIAL, Phase.INITIAL, Phase.LONGER_TERM, Phase.LONGER_TERM)
    assert toilets.per_day == (20.0, 20.0, 50.0, 50.0)  # 1 per 50, then 1 per 20
    assert toilets.peak == 50.0
    assert toilets.peak_day == 2
    # 3/4 of 50 is 37.5: rounded up, never down
    assert result.item("toilets_female").per_day == (15.0, 15.0, 38.0, 38.0)
    # a figure Sphere gives once is the same in both phases
    assert result.item("water_domestic").per_day == (15_000.0,) * 4


def test_longer_term_figures_from_the_first_day() -> None:
    result = steady(1000, days=2, initial_phase_days=0)

    assert result.item("toilets").per_day == (50.0, 50.0)
    assert result.item("showers").per_day == (50.0, 50.0)


def test_both_phases_of_a_phased_figure_are_kept_with_the_figure() -> None:
    toilets = default_figures().items["toilets"]

    assert toilets.phased
    assert not isinstance(toilets.rates, ShareOf)
    assert toilets.rates[Phase.INITIAL].per_persons == 50
    assert toilets.rates[Phase.LONGER_TERM].per_persons == 20


def test_whole_units_round_up_but_floating_point_noise_does_not_add_a_toilet() -> None:
    # 1,001 people need a 21st toilet; 1,000 exactly do not
    assert steady(1001, days=1).item("toilets").per_day == (21.0,)
    # 0.1 + 42.2 + 7.7 people present sum to 50.00000000000001 in floating point: still 1 toilet
    noisy = requirements(PlanningInput(arrivals_per_day=[0.1, 42.2, 7.7], average_stay_days=3))
    assert noisy.present[2] > 50
    assert noisy.item("toilets").per_day == (1.0, 1.0, 1.0)


# --- people present from arrivals and length of stay --------------------------------------------


def test_people_present_count_each_arrival_for_the_whole_stay() -> None:
    # given 100 then 200 arrivals, nobody for two days, then 50; each stays 2 days
    present = persons_present([100, 200, 0, 0, 50], 2)

    # then day 1 holds both cohorts, day 2 only the second, day 3 nobody
    assert present == (100.0, 300.0, 200.0, 0.0, 50.0)


def test_a_fractional_stay_counts_the_last_day_in_part() -> None:
    # a stay of 2.5 days counts 1, 1 and 0.5
    assert persons_present([100, 200, 0, 0, 50], 2.5) == (100.0, 300.0, 250.0, 100.0, 50.0)
    # a stay of half a day counts half a person-day on the day of arrival
    assert persons_present([100, 100], 0.5) == (50.0, 50.0)


def test_steady_arrivals_fill_the_site_to_arrivals_times_stay_as_littles_law_says() -> None:
    # λ = 120 a day, L = 3.5 days: λ·L = 420 present once the first arrivals start leaving
    present = persons_present([120] * 30, 3.5)

    assert present[:4] == (120.0, 240.0, 360.0, 420.0)
    assert set(present[4:]) == {420.0}


def test_every_arrival_is_counted_for_exactly_its_stay_in_person_days() -> None:
    arrivals = [35, 0, 410, 7, 0, 0, 120, 3]
    stay = 2.75
    result = requirements(PlanningInput(arrivals_per_day=arrivals, average_stay_days=stay))

    # days in the period plus what is left after it: beyond the next day, compute the rest directly
    tail = persons_present([*arrivals, 0, 0, 0], stay)[len(arrivals) :]
    assert result.present_after_period == tail[0]
    assert math.isclose(sum(result.present) + sum(tail), sum(arrivals) * stay)


def test_requirements_follow_people_present_not_arrivals() -> None:
    # given 1,000 arrivals on the first day only, each staying 3 days, over 5 days
    result = requirements(PlanningInput(arrivals_per_day=[1000, 0, 0, 0, 0], average_stay_days=3))

    # then water is needed on 3 days, not 1, and none after they leave
    water = result.item("water_domestic")
    assert water.per_day == (15_000.0, 15_000.0, 15_000.0, 0.0, 0.0)
    assert water.total == 45_000.0
    assert result.item("toilets").per_day == (20.0, 20.0, 20.0, 0.0, 0.0)


def test_people_still_present_after_the_period_are_reported() -> None:
    result = requirements(PlanningInput(arrivals_per_day=[0, 0, 300], average_stay_days=4))

    assert result.present == (0.0, 0.0, 300.0)
    assert result.present_after_period == 300.0


def test_the_peak_is_the_first_day_with_the_most_people_present() -> None:
    result = requirements(PlanningInput(arrivals_per_day=[100, 500, 100, 500], average_stay_days=1))

    assert result.peak_present == 500.0
    assert result.peak_day == 1
    assert result.item("covered_living_space").peak == 1_750.0
    assert result.item("covered_living_space").peak_day == 1


# --- demographics ------------------------------------------------------------------------------


def test_pregnant_women_above_the_assumed_share_add_285_kcal_each() -> None:
    # given 1,000 present of whom 12.4 % are pregnant: 10 points above the 2.4 % the average assumes
    result = steady(1000, days=1, demographics=Demographics(pregnant=0.124))

    # then 2,100 × 1,000 + 285 × 100 kcal
    assert result.item("food_energy").per_day == pytest.approx((2_128_500.0,), abs=1e-6)


def test_fewer_pregnant_women_than_assumed_never_lower_the_minimum() -> None:
    result = steady(1000, days=1, demographics=Demographics(pregnant=0.01))

    assert result.item("food_energy").per_day == (2_100_000.0,)


def test_groups_present_come_from_the_given_shares_or_the_sourced_defaults() -> None:
    result = steady(1000, days=2, demographics=Demographics(under_five=0.2))

    assert result.groups[Group.UNDER_FIVE] == (200.0, 200.0)
    assert result.demographics[Group.UNDER_FIVE] == 0.2
    assert result.demographic_sources[Group.UNDER_FIVE] is None  # given, not a default
    # the others from the figures file, with its source
    assert result.demographics[Group.OLDER] == 0.0724
    assert result.groups[Group.OLDER] == pytest.approx((72.4, 72.4))
    older_source = result.demographic_sources[Group.OLDER]
    assert older_source is not None
    assert "UNHCR and WFP" in older_source.document
    assert result.demographics[Group.DISABILITY] == 0.15


# --- refused inputs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arrivals", "stay", "field"),
    [
        ([], 1, "arrivals_per_day"),
        ([10, -1], 1, "arrivals_per_day[1]"),
        ([10, math.nan], 1, "arrivals_per_day[1]"),
        ([math.inf], 1, "arrivals_per_day[0]"),
        (["ten"], 1, "arrivals_per_day[0]"),
        ("100", 1, "arrivals_per_day"),
        ([10], 0, "average_stay_days"),
        ([10], -2, "average_stay_days"),
        ([10], math.nan, "average_stay_days"),
        ([10], 10_000, "average_stay_days"),
        ([10] * 4000, 1, "arrivals_per_day"),
    ],
)
def test_an_impossible_input_is_refused_naming_the_field(arrivals: Any, stay: Any, field: str) -> None:
    with pytest.raises(PlanningInputError) as refused:
        requirements(PlanningInput(arrivals_per_day=arrivals, average_stay_days=stay))
    assert refused.value.field == field


@pytest.mark.parametrize(
    ("demographics", "field"),
    [
        (Demographics(under_five=1.5), "demographics.under_five"),
        (Demographics(pregnant=-0.1), "demographics.pregnant"),
        (Demographics(disability=math.nan), "demographics.disability"),
    ],
)
def test_a_share_outside_0_to_1_is_refused(demographics: Demographics, field: str) -> None:
    with pytest.raises(PlanningInputError) as refused:
        steady(demographics=demographics)
    assert refused.value.field == field


@pytest.mark.parametrize("days", [-1, 2.5, True])
def test_an_initial_phase_that_is_not_a_whole_number_of_days_is_refused(days: Any) -> None:
    with pytest.raises(PlanningInputError) as refused:
        steady(initial_phase_days=days)
    assert refused.value.field == "initial_phase_days"


def test_an_unknown_item_or_overlay_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        steady().item("helicopters")
    with pytest.raises(KeyError, match="cold-climate"):
        shipped_overlay("tropical")
