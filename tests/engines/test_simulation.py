"""The crossing-point simulation: exact figures on a hand-made sample, every output, defaults with
their sources, seeds that reproduce every figure, and impossible scenarios refused or reported."""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np
import pytest

from hbm.engines.simulation import (
    MAX_EXPECTED_PERSONS,
    Deterministic,
    Exponential,
    Lognormal,
    Sample,
    Scenario,
    ScenarioError,
    Stage,
    Triangular,
    default_scenario,
    default_stage,
    defaults,
    replicate,
    sample,
    simulate,
    simulate_sample,
    stage_kinds,
)


def one_desk(servers: tuple[int, ...] = (1,), **extra: Any) -> Scenario:
    """One stage of 5 minutes per group; one 24-hour shift unless ``servers`` says otherwise."""
    shifts = len(servers)
    return Scenario(
        stages=(Stage("desk", Deterministic(5.0), servers),),
        arrivals_per_day=(100.0,),
        shift_hours=24 // shifts,
        shift_start_hour=0,
        **extra,
    )


def hand_sample(
    scenario: Scenario,
    arrivals: list[float],
    sizes: list[int],
    needs: list[int] | None = None,
    service: list[list[float]] | None = None,
) -> Sample:
    """A sample written by hand: every group goes everywhere, 5 minutes per stage unless given."""
    groups, stages = len(arrivals), len(scenario.stages)
    minutes = np.asarray(service if service is not None else [[5.0] * groups] * stages, dtype=np.float64)
    return Sample(
        scenario=scenario,
        seed=0,
        spawn_key=(),
        arrival_minutes=np.asarray(arrivals, dtype=np.float64),
        group_sizes=np.asarray(sizes, dtype=np.int64),
        specific_needs=np.asarray(needs or [0] * groups, dtype=np.int64),
        visits=minutes > 0,
        service_minutes=minutes,
    )


# --- exact figures -----------------------------------------------------------------------------------


def test_one_desk_serves_in_order_and_reports_every_figure_exactly() -> None:
    scenario = one_desk(waiting_area_capacity=2)
    drawn = hand_sample(scenario, [0.0, 1.0, 2.0, 70.0], [1, 2, 1, 3])

    result = simulate_sample(drawn)

    desk = result.stage("desk")
    # Starts 0, 5, 10, 70: waits 0, 4, 8, 0 minutes for 1, 2, 1, 3 persons.
    assert (desk.groups, desk.persons) == (4, 7)
    assert desk.waits.mean == pytest.approx((0 + 2 * 4 + 8) / 7)
    assert (desk.waits.p50, desk.waits.p90, desk.waits.max) == (0.0, 8.0, 8.0)
    assert desk.waits.waited_share == pytest.approx(3 / 7)
    assert result.time_in_system.max == 13.0
    assert result.total_wait == desk.waits
    assert result.arrivals_by_day == (7,)
    assert result.departures_by_day == (7,)
    assert (result.backlog_persons, result.backlog_groups, result.drain_minutes) == (0, 0, 0.0)
    # At the end of hour 0 (minute 60) nobody is present; at the end of hour 1 (minute 120) neither.
    assert result.in_crossing_by_hour[:2] == (0, 0)
    assert result.waiting_by_hour[:2] == (0, 0)
    # Waiting area: 2 persons from minute 1, 3 from minute 2, 1 from minute 5, 0 from minute 10.
    area = result.waiting_area
    assert (area.peak, area.peak_at_minutes, area.peak_in_days) == (3, 2.0, 3)
    assert (area.minutes_over_capacity, area.max_excess, area.person_minutes_over_capacity) == (3.0, 1, 3.0)
    assert any("waiting area" in warning for warning in result.warnings)
    assert desk.load == pytest.approx(20 / 1440)


def test_a_group_with_specific_needs_is_served_first_but_never_interrupts_a_service() -> None:
    scenario = one_desk()
    drawn = hand_sample(scenario, [0.0, 1.0, 2.0, 3.0], [1, 1, 1, 1], needs=[0, 0, 0, 1])

    result = simulate_sample(drawn)

    # The needy group (arrived at 3) starts at 5 when the first service ends, then 1 and 2 follow.
    assert result.stage("desk").waits.max == 13.0  # the group that came at 2 starts at 15
    assert result.stage("desk").waits.mean == pytest.approx((0 + 9 + 13 + 2) / 4)


def test_a_stage_without_priority_serves_first_come_first_served() -> None:
    scenario = Scenario(
        stages=(Stage("desk", Deterministic(5.0), (1,), priority=False),),
        arrivals_per_day=(10.0,),
        shift_hours=24,
        shift_start_hour=0,
    )
    drawn = hand_sample(scenario, [0.0, 1.0, 2.0, 3.0], [1, 1, 1, 1], needs=[0, 0, 0, 1])

    assert simulate_sample(drawn).stage("desk").waits.mean == pytest.approx((0 + 4 + 8 + 12) / 4)


def test_nobody_starts_in_a_shift_without_officers_and_a_service_in_progress_finishes() -> None:
    # Shifts of 12 hours from midnight: one officer 00-12, none 12-24.
    scenario = one_desk(servers=(1, 0))
    drawn = hand_sample(scenario, [715.0, 716.0], [1, 1])

    result = simulate_sample(drawn)

    # The first starts at 715 and ends at 720 (past the change of shift); the second waits for
    # the next morning's officer at minute 1440.
    assert result.stage("desk").waits.max == 1440.0 - 716.0
    assert (result.backlog_groups, result.drain_minutes) == (1, 5.0)
    assert result.departures_by_day == (1,)
    assert result.stage("desk").waits_by_shift[0].max == 1440.0 - 716.0
    assert result.stage("desk").waits_by_shift[1].persons == 0


def test_two_stages_in_sequence_and_a_stage_some_groups_skip() -> None:
    scenario = Scenario(
        stages=(Stage("first", Deterministic(5.0), (1,)), Stage("second", Deterministic(5.0), (1,))),
        arrivals_per_day=(10.0,),
        shift_hours=24,
        shift_start_hour=0,
    )
    drawn = hand_sample(scenario, [0.0, 0.0], [1, 1], service=[[5.0, 5.0], [5.0, 0.0]])

    result = simulate_sample(drawn)

    assert result.stage("first").waits.max == 5.0
    assert (result.stage("second").groups, result.stage("second").waits.max) == (1, 0.0)
    assert result.time_in_system.max == 10.0
    assert result.total_wait.mean == 2.5


# --- random inputs, outputs and their consistency -------------------------------------------------------


@pytest.fixture(scope="module")
def three_shifts() -> Scenario:
    return default_scenario(
        stages=(
            default_stage("triage", servers=(2, 2, 1)),
            default_stage("individual_registration", servers=(12, 10, 3)),
            default_stage("biometrics", servers=(8, 7, 2)),
            default_stage("protection_screening", servers=(5, 4, 2)),
        ),
        arrivals_per_day=(1500.0, 3000.0, 4500.0, 3000.0),
        waiting_area_capacity=300,
    )


def test_every_output_adds_up(three_shifts: Scenario) -> None:
    result = simulate(three_shifts, seed=11)

    assert result.persons == sum(result.arrivals_by_day) > 10_000
    assert sum(result.departures_by_day) + result.backlog_persons == result.persons
    assert len(result.in_crossing_by_hour) == len(result.waiting_by_hour) == 4 * 24
    assert result.waiting_by_hour == tuple(
        sum(stage.waiting_by_hour[h] for stage in result.stages) for h in range(96)
    )
    assert all(w <= p for w, p in zip(result.waiting_by_hour, result.in_crossing_by_hour, strict=True))
    assert result.waiting_area.peak >= max(result.waiting_by_hour)
    for stage in result.stages:
        waits = stage.waits
        assert 0 <= waits.p50 <= waits.p90 <= waits.p95 <= waits.max
        assert len(stage.waits_by_shift) == 3
        assert sum(s.persons for s in stage.waits_by_shift) == stage.persons
        assert 0 < stage.utilisation <= stage.load < 1
    assert result.stage("triage").persons == result.persons
    protection = result.stage("protection_screening")
    assert result.persons_with_specific_needs > 0
    assert 0.05 * result.groups < protection.groups < 0.3 * result.groups


def test_arrivals_follow_the_surge_curve_and_the_hourly_pattern(three_shifts: Scenario) -> None:
    drawn = sample(three_shifts, seed=3)

    per_day = np.bincount((drawn.arrival_minutes // 1440).astype(int), drawn.group_sizes, 4)
    for expected, got in zip(three_shifts.arrivals_per_day, per_day, strict=True):
        assert abs(got - expected) < 5 * math.sqrt(expected * 3)  # Poisson groups of mean size 3
    hours = (drawn.arrival_minutes // 60 % 24).astype(int)
    night, midday = np.count_nonzero(hours == 2), np.count_nonzero(hours == 12)
    assert 3.5 < midday / night < 6.5  # the default pattern: 1.5 against 0.3
    assert np.all(np.diff(drawn.arrival_minutes) >= 0)
    assert drawn.group_sizes.min() >= 1
    assert drawn.group_sizes.max() <= 7
    assert drawn.group_sizes.mean() == pytest.approx(3.0, rel=0.03)


def test_a_per_person_stage_takes_the_sum_of_the_members_times() -> None:
    scenario = Scenario(
        stages=(Stage("registration", Lognormal(3.0, 0.5), (50,), per="person"),),
        arrivals_per_day=(20_000.0,),
        group_sizes=(0.0, 0.0, 0.0, 0.0, 1.0),
        shift_hours=24,
    )

    drawn = sample(scenario, seed=1)

    assert np.all(drawn.group_sizes == 5)
    assert drawn.service_minutes.mean() == pytest.approx(15.0, rel=0.02)  # UNHCR: 15 per family of five
    assert drawn.service_minutes.std() == pytest.approx(1.5 * math.sqrt(5), rel=0.05)


@pytest.mark.parametrize(
    ("service", "mean"),
    [
        (Exponential(4.0), 4.0),
        (Lognormal(4.0, 0.8), 4.0),
        (Deterministic(4.0), 4.0),
        (Triangular(1, 2, 9), 4.0),
    ],
)
def test_each_service_distribution_has_its_mean(service: Any, mean: float) -> None:
    draws = service.draw(np.random.default_rng(0), 200_000)

    assert service.mean == mean
    assert draws.mean() == pytest.approx(mean, rel=0.01)
    assert draws.min() >= 0


# --- defaults and their sources ---------------------------------------------------------------------------


def test_every_default_names_its_source_and_the_unhcr_figures_are_kept() -> None:
    figures = defaults()

    assert all(d.source.strip() and d.note.strip() for d in figures.values())
    per_family_of_five = {
        kind: figures[f"stage.{kind}"].value * (5 if default_stage(kind, servers=(1,)).per == "person" else 1)
        for kind in ("group_pre_registration", "individual_registration", "biometrics_iris", "biometrics")
    }
    assert per_family_of_five == {
        "group_pre_registration": 3.0,
        "individual_registration": 15.0,
        "biometrics_iris": 4.0,
        "biometrics": 10.0,
    }
    for kind in per_family_of_five:
        assert "UNHCR" in figures[f"stage.{kind}"].source
    assert set(stage_kinds()) >= {"triage", "protection_screening", "health_screening"}
    assert all(default_stage(kind, servers=(1,)).source for kind in stage_kinds())


def test_an_unknown_stage_kind_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ScenarioError, match="known: triage") as refused:
        default_stage("fingerprinting", servers=(1,))

    assert refused.value.field == "kind"


# --- seeds ----------------------------------------------------------------------------------------------


def test_a_seed_reproduces_every_figure_and_another_seed_gives_others(three_shifts: Scenario) -> None:
    first = simulate(three_shifts, seed=42)

    assert simulate(three_shifts, seed=42) == first
    assert simulate(three_shifts, seed=43).total_wait != first.total_wait
    assert (first.seed, first.spawn_key) == (42, ())


def test_an_injected_generator_gives_a_stored_seed_that_reproduces_the_result(three_shifts: Scenario) -> None:
    result = simulate(three_shifts, seed=np.random.default_rng(5))

    assert simulate(three_shifts, seed=result.seed) == result
    assert simulate(three_shifts, seed=np.random.default_rng(5)) == result


def test_other_officers_leave_every_random_input_as_it_was(three_shifts: Scenario) -> None:
    busier = three_shifts.with_servers([(4, 4, 4), (20, 20, 20), (9, 9, 9), (6, 6, 6)])

    a, b = sample(three_shifts, seed=9), sample(busier, seed=9)

    for name in ("arrival_minutes", "group_sizes", "specific_needs", "visits", "service_minutes"):
        assert np.array_equal(getattr(a, name), getattr(b, name))
    assert simulate_sample(b).total_wait.mean < simulate_sample(a).total_wait.mean


def test_replications_use_spawned_streams_and_give_confidence_intervals(three_shifts: Scenario) -> None:
    runs = replicate(three_shifts, replications=4, seed=7)

    children = np.random.SeedSequence(7).spawn(4)
    assert [r.spawn_key for r in runs.results] == [(0,), (1,), (2,), (3,)]
    assert runs.results[2] == simulate(three_shifts, seed=children[2])
    assert replicate(three_shifts, replications=2, seed=7).results == runs.results[:2]
    assert len({r.total_wait.mean for r in runs.results}) == 4
    mean = runs.total_wait_mean
    assert mean.mean == pytest.approx(np.mean([r.total_wait.mean for r in runs.results]))
    assert mean.low < mean.mean < mean.high
    spread = np.std([r.total_wait.mean for r in runs.results], ddof=1)
    assert mean.half_width == pytest.approx(3.182446305284263 * spread / 2)  # t(0.975, 3)
    assert len(runs.departures_by_day) == 4
    assert len(runs.waiting_by_hour) == 96
    assert runs.stage("biometrics").p90_wait.values == tuple(
        r.stage("biometrics").waits.p90 for r in runs.results
    )
    assert replicate(three_shifts, replications=4, seed=7) == runs


# --- impossible scenarios -----------------------------------------------------------------------------


def stage(**changes: Any) -> Stage:
    fields: dict[str, Any] = {"name": "desk", "service": Exponential(3.0), "servers": (1, 1, 1)} | changes
    return Stage(**fields)


def scenario(**changes: Any) -> Scenario:
    fields: dict[str, Any] = {"stages": (stage(),), "arrivals_per_day": (100.0,)} | changes
    return Scenario(**fields)


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: Exponential(-1.0), "mean"),
        (lambda: Exponential(math.nan), "mean"),
        (lambda: Lognormal(3.0, -0.1), "cv"),
        (lambda: Lognormal(3.0, 50.0), "cv"),
        (lambda: Deterministic(2000.0), "minutes"),
        (lambda: Triangular(5.0, 4.0, 6.0), "mode"),
        (lambda: stage(servers=()), "servers"),
        (lambda: stage(servers=(1, -1, 1)), "servers"),
        (lambda: stage(servers=(1, 1.5, 1)), "servers"),
        (lambda: stage(share=1.5), "share"),
        (lambda: stage(share_specific_needs=-0.5), "share_specific_needs"),
        (lambda: stage(per="family"), "per"),
        (lambda: scenario(arrivals_per_day=(100.0, -5.0)), "arrivals_per_day[1]"),
        (lambda: scenario(arrivals_per_day=(math.inf,)), "arrivals_per_day[0]"),
        (lambda: scenario(arrivals_per_day=()), "arrivals_per_day"),
        (lambda: scenario(arrivals_per_day=(float(MAX_EXPECTED_PERSONS + 1),)), "arrivals_per_day"),
        (lambda: scenario(stages=(stage(servers=(0, 0, 0)),)), "stages[0].servers"),
        (lambda: scenario(stages=(stage(servers=(1, 1)),)), "stages[0].servers"),
        (lambda: scenario(stages=(stage(), stage())), "stages[1].name"),
        (lambda: scenario(stages=()), "stages"),
        (lambda: scenario(shift_hours=5), "shift_hours"),
        (lambda: scenario(shift_start_hour=24), "shift_start_hour"),
        (lambda: scenario(hourly_pattern=(1.0,) * 23), "hourly_pattern"),
        (lambda: scenario(hourly_pattern=(0.0,) * 24), "hourly_pattern"),
        (lambda: scenario(hourly_pattern=(1.0,) * 23 + (-1.0,)), "hourly_pattern[23]"),
        (lambda: scenario(group_sizes=(0.0, 0.0)), "group_sizes"),
        (lambda: scenario(specific_needs_share=2.0), "specific_needs_share"),
        (lambda: scenario(waiting_area_capacity=-1), "waiting_area_capacity"),
        (lambda: simulate(scenario(), seed=-1), "seed"),
        (lambda: replicate(scenario(), replications=1), "replications"),
        (lambda: replicate(scenario(), confidence=1.5), "confidence"),
    ],
)
def test_an_impossible_input_is_refused_naming_its_field(build: Any, field: str) -> None:
    with pytest.raises(ScenarioError) as refused:
        build()

    assert refused.value.field == field
    assert str(refused.value).startswith(f"{field}: ")


def test_a_stage_nobody_goes_through_may_have_no_officers() -> None:
    unused = scenario(stages=(stage(), stage(name="health", servers=(0, 0, 0), share=0.0)))

    assert simulate(unused, seed=0).stage("health").groups == 0


def test_arrivals_beyond_any_capacity_are_simulated_and_the_backlog_reported_plainly() -> None:
    # 100,000 persons a day for 3 days, 15 minutes each, one officer 8 hours a day: 25 years.
    overloaded = scenario(
        stages=(stage(service=Exponential(15.0), servers=(1, 0, 0)),), arrivals_per_day=(100_000.0,) * 3
    )
    started = time.perf_counter()

    result = simulate(overloaded, seed=0)

    assert time.perf_counter() - started < 10
    assert result.is_overloaded
    assert result.stage("desk").load > 1000
    assert result.backlog_persons == result.persons - sum(result.departures_by_day) > 0.99 * result.persons
    assert result.drain_minutes > 20 * 365 * 1440
    assert result.departures_by_day[0] < 60
    assert any("cannot keep up" in w for w in result.warnings)
    assert any("still at the crossing point" in w for w in result.warnings)


def test_a_service_of_a_whole_day_with_one_officer_one_shift_a_day_does_not_hang() -> None:
    long_service = scenario(
        stages=(stage(service=Deterministic(1440.0), servers=(1, 0, 0)),), arrivals_per_day=(3000.0,)
    )
    started = time.perf_counter()

    result = simulate(long_service, seed=0)

    assert time.perf_counter() - started < 10
    assert result.backlog_persons == result.persons
    # One group a day at most: each service runs past two shifts without an officer.
    assert result.drain_minutes == pytest.approx(result.persons * 1440, rel=0.01)
