"""What one replication reports, computed from its schedule.

Every figure counts **persons** (a group of five waiting an hour is five persons waiting an hour)
and every time is in **minutes**. Percentiles are nearest-rank over persons: ``p90`` is the
smallest wait that 90 % of persons did not exceed. Hourly series give the state at the end of
each hour of the simulated days (index ``h`` = minute ``60·(h+1)``; something that happens
exactly on the hour counts as done by then).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from hbm.engines.simulation._kernel import Floats, Ints, waiting_level
from hbm.engines.simulation._model import MINUTES_PER_DAY, Scenario
from hbm.engines.simulation._schedule import Schedule, StageSchedule

_QUANTILES = (0.5, 0.9, 0.95)


@dataclass(frozen=True, slots=True)
class WaitStats:
    """A distribution of minutes over ``persons`` persons: mean, nearest-rank p50/p90/p95, max, and
    the share of persons whose value was above 0 (for a wait: who waited at all)."""

    persons: int
    mean: float
    p50: float
    p90: float
    p95: float
    max: float
    waited_share: float


EMPTY = WaitStats(persons=0, mean=0.0, p50=0.0, p90=0.0, p95=0.0, max=0.0, waited_share=0.0)


def wait_stats(minutes: Floats, persons: Ints) -> WaitStats:
    """Person-weighted statistics of ``minutes[i]`` (≥ 0) lived by ``persons[i]`` persons each."""
    positive = minutes > 0
    return positive_wait_stats(minutes[positive], persons[positive], int(persons.sum()))


def positive_wait_stats(minutes: Floats, persons: Ints, total: int) -> WaitStats:
    """:func:`wait_stats` of ``total`` persons of whom only those who waited are given:
    ``minutes[i]`` > 0 for ``persons[i]`` persons each; the other persons waited 0."""
    if total == 0:
        return EMPTY
    # Persons who did not wait all sit at rank 0…zero−1; only the others need ranking (at a
    # staffed stage most people do not wait, so this is usually the smaller part).
    zero = total - int(persons.sum())
    ranks = [max(0, math.ceil(q * total) - 1) for q in _QUANTILES]
    expanded = minutes if bool(np.all(persons == 1)) else np.repeat(minutes, persons)
    inner = [rank - zero for rank in ranks if rank >= zero]
    chosen = np.partition(expanded, inner)[inner] if inner else np.empty(0)
    p50, p90, p95 = [0.0] * (len(ranks) - len(inner)) + [float(v) for v in chosen]
    return WaitStats(
        persons=total,
        # Not np.dot: that is BLAS, whose threads spin after each call and take the other core.
        mean=float((minutes * persons).sum() / total),
        p50=p50,
        p90=p90,
        p95=p95,
        max=float(minutes.max(initial=0.0)),
        waited_share=(total - zero) / total,
    )


@dataclass(frozen=True, slots=True)
class StageResult:
    """One stage. ``waits``: time from reaching the stage to the start of service;
    ``waits_by_shift[s]``: the same for those who reached it during shift ``s`` (any day);
    ``waiting_by_hour[h]``: persons waiting for this stage at the end of hour ``h``;
    ``load``: the work that arrived (officer-minutes) over the officer-minutes the roster gives
    during the simulated days (above 1: the stage cannot keep up); ``utilisation``: the share of
    those officer-minutes spent serving within the simulated days."""

    name: str
    groups: int
    persons: int
    waits: WaitStats
    waits_by_shift: tuple[WaitStats, ...]
    waiting_by_hour: tuple[int, ...]
    load: float
    utilisation: float


@dataclass(frozen=True, slots=True)
class WaitingArea:
    """Persons waiting in any queue (not those at a desk): ``peak`` and when it was first reached
    (minutes), and against ``capacity`` (``None``: no limit given) the minutes over it, the
    largest excess in persons and the person-minutes over it. Counted until the last person
    leaves; ``peak_in_days`` only within the simulated days."""

    capacity: int | None
    peak: int
    peak_at_minutes: float
    peak_in_days: int
    minutes_over_capacity: float
    max_excess: int
    person_minutes_over_capacity: float


@dataclass(frozen=True, slots=True)
class Result:
    """One replication of ``scenario`` from ``seed`` / ``spawn_key`` (see :func:`sample`).

    ``time_in_system``: from arriving to leaving the last stage; ``total_wait``: the sum of a
    person's waits over the stages; ``arrivals_by_day`` / ``departures_by_day``: persons arriving /
    leaving through the last stage on each simulated day (throughput); ``in_crossing_by_hour`` /
    ``waiting_by_hour``: persons present / waiting at the end of each hour; ``backlog_*``: still
    present at the end of the last day; ``drain_minutes``: from then until the last one left (the
    roster goes on); ``warnings``: what a planner must not miss, in words."""

    scenario: Scenario
    seed: int
    spawn_key: tuple[int, ...]
    groups: int
    persons: int
    persons_with_specific_needs: int
    stages: tuple[StageResult, ...]
    time_in_system: WaitStats
    total_wait: WaitStats
    arrivals_by_day: tuple[int, ...]
    departures_by_day: tuple[int, ...]
    in_crossing_by_hour: tuple[int, ...]
    waiting_by_hour: tuple[int, ...]
    backlog_persons: int
    backlog_groups: int
    drain_minutes: float
    waiting_area: WaitingArea
    warnings: tuple[str, ...]

    @property
    def is_overloaded(self) -> bool:
        """Some stage got more work than its roster can do in the simulated days."""
        return any(stage.load > 1 for stage in self.stages)

    def stage(self, name: str) -> StageResult:
        for stage in self.stages:
            if stage.name == name:
                return stage
        raise KeyError(name)


def _by_hour(minutes: Floats, persons: Ints, hours: int) -> Ints:
    """Persons with a time ≤ the end of each hour ``h`` (minute ``60·(h+1)``), for ``h < hours``:
    counted into hours (a time on the hour belongs to the hour it ends) and added up, no sort."""
    hour = np.maximum(np.ceil(minutes / 60.0).astype(np.int64) - 1, 0)
    within = hour < hours
    return np.cumsum(np.bincount(hour[within], persons[within], hours)).astype(np.int64)


def _stage_result(
    schedule: Schedule, index: int, done: StageSchedule, sizes: Ints, hours: int
) -> StageResult:
    scenario = schedule.sample.scenario
    stage = scenario.stages[index]
    persons = sizes[done.groups]
    waits = done.start - done.ready
    shift_minutes = scenario.shift_hours * 60.0
    shifts = scenario.shifts_per_day
    shift = np.floor((done.ready - scenario.roster_origin_minutes) / shift_minutes).astype(np.int64) % shifts
    # Only those who waited change a wait's percentiles or the queue: the rest are counted, not kept.
    waited = waits > 0
    waited_persons, waited_shift = persons[waited], shift[waited]
    persons_by_shift = np.bincount(shift, persons, shifts)
    by_shift = tuple(
        positive_wait_stats(
            waits[waited][waited_shift == s], waited_persons[waited_shift == s], int(persons_by_shift[s])
        )
        for s in range(shifts)
    )
    waiting = _by_hour(done.ready[waited], waited_persons, hours) - _by_hour(
        done.start[waited], waited_persons, hours
    )
    capacity = scenario.days * sum(schedule.servers[index]) * shift_minutes
    horizon = scenario.horizon_minutes
    busy = float(np.sum(np.minimum(done.end, horizon) - np.minimum(done.start, horizon)))
    work = float(np.sum(done.end - done.start))
    return StageResult(
        name=stage.name,
        groups=int(done.groups.shape[0]),
        persons=int(persons.sum()),
        waits=positive_wait_stats(waits[waited], waited_persons, int(persons.sum())),
        waits_by_shift=by_shift,
        waiting_by_hour=tuple(int(v) for v in waiting),
        load=work / capacity if capacity > 0 else (math.inf if work > 0 else 0.0),
        utilisation=busy / capacity if capacity > 0 else 0.0,
    )


def _waiting_area(schedule: Schedule, sizes: Ints) -> WaitingArea:
    scenario = schedule.sample.scenario
    times, deltas, bounds = [], [], [0]
    for done in schedule.stages:
        # A group that did not wait here never counts (it leaves the queue as it reaches it), so
        # only the others' events are merged: at a staffed stage, a small part of them.
        waited = done.start > done.ready
        in_start_order = done.started[waited[done.started]]
        persons = sizes[done.groups]
        times += [done.ready[waited], done.start[in_start_order]]
        deltas += [persons[waited], -persons[in_start_order]]
        count = int(np.count_nonzero(waited))
        bounds += [bounds[-1] + count, bounds[-1] + 2 * count]
    capacity = scenario.waiting_area_capacity
    peak, peak_at, over, excess, excess_minutes, peak_in_days = waiting_level(
        np.concatenate(times),
        np.concatenate(deltas).astype(np.int64),
        np.asarray(bounds, dtype=np.int64),
        math.inf if capacity is None else float(capacity),
        scenario.horizon_minutes,
    )
    return WaitingArea(
        capacity=capacity,
        peak=int(peak),
        peak_at_minutes=float(peak_at),
        peak_in_days=int(peak_in_days),
        minutes_over_capacity=float(over),
        max_excess=int(excess) if capacity is not None else 0,
        person_minutes_over_capacity=float(excess_minutes),
    )


def _warnings(
    result_stages: tuple[StageResult, ...], scenario: Scenario, figures: dict[str, float]
) -> list[str]:
    notes = []
    for stage in result_stages:
        if stage.load > 1:
            notes.append(
                f"Stage {stage.name!r} cannot keep up: the work that arrived is {stage.load:.2f} times "
                f"what its officers can do in the {scenario.days} days; its queue grows without bound."
            )
    if figures["backlog_persons"] > 0:
        notes.append(
            f"{figures['backlog_persons']:,.0f} persons ({figures['backlog_groups']:,.0f} groups) are still "
            f"at the crossing point at the end of day {scenario.days}; on the same roster the last "
            f"leaves {figures['drain_minutes'] / 60:,.1f} h later."
        )
    if figures["minutes_over_capacity"] > 0:
        notes.append(
            f"The waiting area (room for {scenario.waiting_area_capacity:,} persons) held up to "
            f"{figures['peak']:,.0f}: over capacity for {figures['minutes_over_capacity'] / 60:,.1f} h "
            f"in all, by up to {figures['max_excess']:,.0f} persons."
        )
    return notes


def summarise(schedule: Schedule) -> Result:
    """Every figure of :class:`Result` from a schedule."""
    sample = schedule.sample
    scenario = sample.scenario
    sizes = sample.group_sizes
    hours = scenario.days * 24
    horizon = scenario.horizon_minutes
    stages = tuple(
        _stage_result(schedule, index, done, sizes, hours) for index, done in enumerate(schedule.stages)
    )
    departure = schedule.departure
    present = _by_hour(sample.arrival_minutes, sizes, hours) - _by_hour(departure, sizes, hours)
    waiting = np.asarray([stage.waiting_by_hour for stage in stages], dtype=np.int64).sum(axis=0)
    total_wait = np.zeros(sample.groups)
    for done in schedule.stages:
        total_wait[done.groups] += done.start - done.ready
    left = departure < horizon
    day_of = np.minimum((departure / MINUTES_PER_DAY).astype(np.int64), scenario.days)
    arrived_day = (sample.arrival_minutes / MINUTES_PER_DAY).astype(np.int64)
    area = _waiting_area(schedule, sizes)
    figures = {
        "backlog_persons": float(sizes[~left].sum()),
        "backlog_groups": float(np.count_nonzero(~left)),
        "drain_minutes": max(0.0, float(departure.max(initial=0.0)) - horizon),
        "minutes_over_capacity": area.minutes_over_capacity,
        "peak": float(area.peak),
        "max_excess": float(area.max_excess),
    }
    return Result(
        scenario=scenario,
        seed=sample.seed,
        spawn_key=sample.spawn_key,
        groups=sample.groups,
        persons=sample.persons,
        persons_with_specific_needs=int(sample.specific_needs.sum()),
        stages=stages,
        time_in_system=wait_stats(departure - sample.arrival_minutes, sizes),
        total_wait=wait_stats(total_wait, sizes),
        arrivals_by_day=tuple(int(v) for v in np.bincount(arrived_day, sizes, scenario.days)),
        departures_by_day=tuple(
            int(v) for v in np.bincount(day_of[left], sizes[left], scenario.days + 1)[:-1]
        ),
        in_crossing_by_hour=tuple(int(v) for v in present),
        waiting_by_hour=tuple(int(v) for v in waiting),
        backlog_persons=int(figures["backlog_persons"]),
        backlog_groups=int(figures["backlog_groups"]),
        drain_minutes=figures["drain_minutes"],
        waiting_area=area,
        warnings=tuple(_warnings(stages, scenario, figures)),
    )
