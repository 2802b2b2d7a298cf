"""From a sample to a schedule: when each group started and left each stage, stage by stage.

Stages are processed one after the other, not event by event: a group reaches stage k+1 when it
leaves the last stage before it that it went through, so once stage k is scheduled the arrivals
at stage k+1 are known, and sorting them gives that stage's input. Each stage is then one pass of
the compiled recursion in :mod:`hbm.engines.simulation._kernel`. Nobody is ever dropped: every
group is served, after the last day if need be, on the same daily roster.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from hbm.engines.simulation._errors import ScenarioError
from hbm.engines.simulation._kernel import Bools, Floats, Ints, serve_stage
from hbm.engines.simulation._sample import Sample


@dataclass(frozen=True, slots=True, eq=False)
class StageSchedule:
    """One stage: ``groups[i]`` reached it at ``ready[i]`` (sorted), started at ``start[i]``, left at
    ``end[i]``; ``started`` lists the positions ``i`` in the order services started."""

    groups: Ints
    ready: Floats
    start: Floats
    end: Floats
    started: Ints


@dataclass(frozen=True, slots=True, eq=False)
class Schedule:
    """Every stage's schedule for ``sample`` with ``servers[k][s]`` officers at stage ``k`` in shift
    ``s``; ``departure[g]``: when group ``g`` left its last stage (its arrival if it went through
    none)."""

    sample: Sample
    servers: tuple[tuple[int, ...], ...]
    stages: tuple[StageSchedule, ...]
    departure: Floats


def _is_sorted(values: Floats) -> bool:
    return bool(values.shape[0] < 2 or np.all(values[1:] >= values[:-1]))


def _stage(
    ready_all: Floats,
    visits: Bools,
    urgent_all: Bools,
    service_all: Floats,
    servers: Ints,
    shift_minutes: float,
    origin: float,
) -> StageSchedule:
    groups = np.flatnonzero(visits)
    ready = ready_all[groups]
    if not _is_sorted(ready):
        order = np.argsort(ready, kind="stable")
        groups, ready = groups[order], ready[order]
    service = service_all[groups]
    start = np.empty_like(ready)
    started = np.empty(groups.shape[0], dtype=np.int64)
    serve_stage(ready, urgent_all[groups], service, servers, shift_minutes, origin, start, started)
    return StageSchedule(groups=groups, ready=ready, start=start, end=start + service, started=started)


def _check_roster(sample: Sample, roster: tuple[tuple[int, ...], ...]) -> None:
    scenario = sample.scenario
    if len(roster) != len(scenario.stages):
        raise ScenarioError("servers", f"give officers for {len(scenario.stages)} stages, not {len(roster)}")
    for index, (stage, row) in enumerate(zip(scenario.stages, roster, strict=True)):
        where = f"servers[{index}]"
        if len(row) != scenario.shifts_per_day or min(row) < 0:
            raise ScenarioError(where, f"give {scenario.shifts_per_day} numbers of officers ≥ 0, not {row}")
        if max(row) == 0 and sample.visits[index].any():
            raise ScenarioError(
                where, f"stage {stage.name!r} has groups to serve but no officer in any shift"
            )


def schedule(sample: Sample, servers: Sequence[Sequence[int]] | None = None) -> Schedule:
    """Schedule every stage of ``sample`` (its scenario's officers, or ``servers`` instead).

    Raises :class:`ScenarioError` when ``servers`` does not fit the scenario or leaves a stage
    that groups go through without any officer (they would wait for ever)."""
    scenario = sample.scenario
    roster = tuple(
        tuple(int(c) for c in row)
        for row in (servers if servers is not None else [stage.servers for stage in scenario.stages])
    )
    _check_roster(sample, roster)
    ready = sample.arrival_minutes.copy()
    needy = sample.has_specific_needs
    no_priority = np.zeros_like(needy)
    stages = []
    for index, stage in enumerate(scenario.stages):
        visits = sample.visits[index]
        if not visits.any():
            empty = np.empty(0, dtype=np.float64)
            stages.append(
                StageSchedule(np.empty(0, dtype=np.int64), empty, empty, empty, np.empty(0, np.int64))
            )
            continue
        done = _stage(
            ready,
            visits,
            needy if stage.priority else no_priority,
            sample.service_minutes[index],
            np.asarray(roster[index], dtype=np.int64),
            scenario.shift_hours * 60.0,
            scenario.roster_origin_minutes,
        )
        ready[done.groups] = done.end
        stages.append(done)
    return Schedule(sample=sample, servers=roster, stages=tuple(stages), departure=ready)
