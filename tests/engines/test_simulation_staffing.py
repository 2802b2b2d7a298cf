"""Staffing: the fewest officers per stage and shift that keep the 90th-percentile wait under a
target — Erlang C's answer for M/M/c, and on a surge with three shifts a roster that meets the
target in every shift and loses it if any shift gives up one officer (checked here from the
schedules, not from the search's own figures)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hbm.engines.simulation import (
    Exponential,
    Scenario,
    ScenarioError,
    Stage,
    default_scenario,
    default_stage,
    sample,
    staff,
)
from hbm.engines.simulation._schedule import schedule

from .test_simulation_theory import erlang_c

TARGET = 10.0
SEED = 4


def p90_by_shift(
    scenario: Scenario, roster: list[tuple[int, ...]], replications: int, seed: int
) -> np.ndarray:
    """``[k, s]``: nearest-rank p90 wait, pooled over the replications, of the persons reaching
    stage ``k`` during shift ``s``."""
    length, origin = scenario.shift_hours * 60.0, scenario.roster_origin_minutes
    pooled: dict[tuple[int, int], list[np.ndarray]] = {}
    for child in np.random.SeedSequence(seed).spawn(replications):
        drawn = sample(scenario, seed=child)
        for k, done in enumerate(schedule(drawn, roster).stages):
            shift = np.floor((done.ready - origin) / length).astype(int) % scenario.shifts_per_day
            waits = np.repeat(done.start - done.ready, drawn.group_sizes[done.groups])
            persons_shift = np.repeat(shift, drawn.group_sizes[done.groups])
            for s in range(scenario.shifts_per_day):
                pooled.setdefault((k, s), []).append(waits[persons_shift == s])
    found = np.zeros((len(scenario.stages), scenario.shifts_per_day))
    for (k, s), parts in pooled.items():
        waits = np.sort(np.concatenate(parts))
        found[k, s] = waits[math.ceil(0.9 * len(waits)) - 1] if len(waits) else 0.0
    return found


def test_one_desk_open_all_day_gets_the_officers_erlang_c_asks_for() -> None:
    # λ = 2 per minute, 4 minutes each: P(W > 2 min) = C(c, 8)·exp(−(c/4 − 2)·2) is 0.151 with 10
    # officers and 0.055 with 11, so 11 is the fewest that keep the 90th percentile under 2 minutes.
    per_minute, mean_service, target = 2.0, 4.0, 2.0
    tail = {
        c: erlang_c(c, per_minute * mean_service) * math.exp(-(c / mean_service - per_minute) * target)
        for c in (10, 11)
    }
    assert tail[10] > 0.1 > tail[11]
    scenario = Scenario(
        stages=(Stage("desk", Exponential(mean_service), (1,)),),
        arrivals_per_day=(per_minute * 1440,) * 5,
        shift_hours=24,
        shift_start_hour=0,
    )

    found = staff(scenario, target_p90_wait=target, replications=3, seed=1)

    assert found.stage("desk").servers == (11,)
    assert found.officer_shifts_per_day == 11
    assert found.stage("desk").p90_wait_by_shift[0] <= target
    assert found.stage("desk").work_officers[0] == pytest.approx(8.0, rel=0.02)


@pytest.fixture(scope="module")
def surge() -> Scenario:
    return default_scenario(
        stages=(
            default_stage("individual_registration", servers=(1, 1, 1)),
            default_stage("biometrics", servers=(1, 1, 1)),
            default_stage("protection_screening", servers=(1, 1, 1)),
        ),
        arrivals_per_day=(1000.0, 2500.0, 4000.0, 3000.0),
    )


def test_a_surge_roster_meets_the_target_in_every_shift_and_no_officer_can_be_spared(surge: Scenario) -> None:
    found = staff(surge, target_p90_wait=TARGET, replications=2, seed=SEED)

    roster = [stage.servers for stage in found.stages]
    achieved = p90_by_shift(surge, roster, replications=2, seed=SEED)
    assert np.all(achieved <= TARGET)
    assert np.allclose(achieved, [stage.p90_wait_by_shift for stage in found.stages])
    for k, servers in enumerate(roster):
        for s, officers in enumerate(servers):
            if officers == 0:
                continue
            fewer = [list(row) for row in roster]
            fewer[k][s] -= 1
            if max(fewer[k]) == 0:
                continue
            assert p90_by_shift(surge, [tuple(r) for r in fewer], 2, SEED)[k].max() > TARGET, (k, s)
    # The day shift needs more officers than the night, and every shift at least the work it gets.
    for stage in found.stages:
        assert stage.servers[0] > stage.servers[2]
        assert all(c >= math.floor(w) for c, w in zip(stage.servers, stage.work_officers, strict=True))
    assert found.scenario.stages[0].servers == roster[0]
    assert found.officer_shifts_per_day == sum(map(sum, roster))
    assert staff(surge, target_p90_wait=TARGET, replications=2, seed=SEED) == found


def test_a_target_per_stage_leaves_the_other_stages_as_they_were(surge: Scenario) -> None:
    given = surge.with_servers([(9, 9, 9), (6, 6, 6), (4, 4, 4)])

    found = staff(given, target_p90_wait={"biometrics": 30.0}, replications=1, seed=SEED)

    assert found.stage("individual_registration").servers == (9, 9, 9)
    assert found.stage("protection_screening").servers == (4, 4, 4)
    assert found.stage("individual_registration").target_p90_wait is None
    stricter = staff(given, target_p90_wait={"biometrics": 5.0}, replications=1, seed=SEED)
    assert sum(found.stage("biometrics").servers) < sum(stricter.stage("biometrics").servers)


@pytest.mark.parametrize(
    ("arguments", "field", "words"),
    [
        ({"target_p90_wait": -1.0}, "target_p90_wait", "at least 0"),
        ({"target_p90_wait": math.nan}, "target_p90_wait", "minutes"),
        ({"target_p90_wait": {"fingerprints": 5.0}}, "target_p90_wait", "'fingerprints'"),
        ({"target_p90_wait": 5.0, "replications": 0}, "replications", "between 1"),
        ({"target_p90_wait": 5.0, "max_officers": 0}, "max_officers", "at least 1"),
        ({"target_p90_wait": 5.0, "seed": -3}, "seed", "≥ 0"),
        ({"target_p90_wait": 0.0, "max_officers": 4}, "target_p90_wait", "even 4 officers"),
    ],
)
def test_an_impossible_staffing_question_is_refused_naming_its_field(
    surge: Scenario, arguments: dict[str, object], field: str, words: str
) -> None:
    with pytest.raises(ScenarioError, match=words) as refused:
        staff(surge, **arguments)  # type: ignore[arg-type]

    assert refused.value.field == field
