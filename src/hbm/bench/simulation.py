"""``hbm bench simulation``: a 30-day surge at one crossing point with four stages, on this engine
and on SimPy, on the same random inputs, in the same run.

The model (:func:`surge_scenario`): ``--days`` days whose expected arrivals follow a surge curve
(a quarter of the peak at first, the peak on day 8, easing to a third of it) averaging
``--arrivals-per-day`` persons, in groups of 1–7 (mean 3), arriving day and night with the
default hourly pattern; stages triage and count (per group), individual registration and
biometrics with irises and fingerprints (per person, UNHCR figures) and protection screening
(per group, every group with specific needs and 5 % of the others, with priority for specific
needs at every stage); three 8-hour shifts from 06:00 whose officers cover the mean work of that
shift on the busiest day, so queues build in the busy hours and clear at night.

Both simulators get **the same drawn inputs** (:func:`hbm.engines.simulation.sample`: arrival
times, group sizes, specific needs, routes, service times), so the difference of their mean waits
measures whether the two algorithms agree, not sampling noise. The SimPy model
(:func:`simpy_waits`) is the idiomatic one: a process per group, a ``PriorityResource`` per stage
with as many desks as the largest shift, and per stage a roster process that holds the desks of
officers off duty with top-priority requests (so a service in progress always finishes).

Timed (``perf_counter`` wall clock, and ``process_time`` CPU of this process; one process,
after a warm-up that loads numba's cached machine code, or compiles it on a first run):

- ``engine_seconds``: :func:`simulate_sample` — the schedule **and every figure of the result**
  (percentiles, hourly series, waiting area), median of ``--repeats``; ``schedule_seconds`` the
  schedule alone (every group's start at every stage: what SimPy computes); ``sample_seconds``
  drawing the inputs; ``end_to_end_seconds`` = draw + simulate, the figure for "a million
  arrivals in under 5 s";
- ``simpy_seconds``: SimPy's run recording each wait (one run; it is the slow side).

``ratio_vs_simpy = simpy_seconds / engine_seconds`` (the engine doing more than SimPy: all its
figures); ``ratio_vs_simpy_waits_only`` against ``schedule_seconds`` (the same output on both
sides); ``ratio_vs_simpy_cpu`` on CPU seconds, steadier than wall time on a machine other
processes share. ``mean_wait_difference_pct``: the largest,
over the stages and the total wait per person, of ``100 · |engine − SimPy| / SimPy`` of the
person-weighted mean wait. ``--no-simpy`` leaves SimPy out (``null`` figures).

Ciw, the other peer the issue names, is not run: ciw 3.2 requires setuptools ≥ 69 and the
project pins setuptools 65.5 for the face models (``"ciw"`` in the output says so).
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from hbm.bench.common import machine_info
from hbm.engines.simulation import Sample, Scenario, default_scenario, default_stage, sample, simulate_sample
from hbm.engines.simulation._schedule import schedule

DEFAULT_DAYS: Final = 30
DEFAULT_ARRIVALS_PER_DAY: Final = 33_334  # 30 days: about a million persons
STAGE_KINDS: Final = ("triage", "individual_registration", "biometrics", "protection_screening")

Floats = npt.NDArray[np.float64]


def surge_curve(days: int, mean_per_day: float) -> tuple[float, ...]:
    """Expected persons per day: a rise to the peak on day 8 and a slow easing, scaled to
    ``mean_per_day`` on average."""
    shape = [
        0.35 + 0.65 * math.exp(-(((d - 7) / 5) ** 2)) if d < 7 else 0.35 + 0.65 * math.exp(-(d - 7) / 10)
        for d in range(days)
    ]
    scale = mean_per_day * days / sum(shape)
    return tuple(round(v * scale, 3) for v in shape)


def _peak_shift_officers(scenario: Scenario) -> tuple[tuple[int, ...], ...]:
    """Per stage and shift: the officers that cover the mean work arriving in that shift on the
    busiest day (the arrival pattern at the crossing point, each stage's visit share)."""
    pattern = np.asarray(scenario.hourly_pattern) / sum(scenario.hourly_pattern)
    hours = (np.arange(24) - scenario.shift_start_hour) % 24 // scenario.shift_hours
    peak_groups = max(scenario.arrivals_per_day) / scenario.mean_group_size
    share_needy = 1 - sum(
        w * (1 - scenario.specific_needs_share) ** (size + 1) for size, w in enumerate(scenario.group_sizes)
    ) / sum(scenario.group_sizes)
    rows = []
    for stage in scenario.stages:
        visit = stage.share * (1 - share_needy) + stage.visit_share_specific_needs * share_needy
        per_group = stage.service.mean * (scenario.mean_group_size if stage.per == "person" else 1)
        work = [
            peak_groups * pattern[hours == s].sum() * visit * per_group
            for s in range(scenario.shifts_per_day)
        ]
        rows.append(tuple(max(1, math.ceil(w / (scenario.shift_hours * 60))) for w in work))
    return tuple(rows)


def surge_scenario(days: int = DEFAULT_DAYS, arrivals_per_day: float = DEFAULT_ARRIVALS_PER_DAY) -> Scenario:
    """The benchmark's model (see the module docstring)."""
    draft = default_scenario(
        stages=tuple(default_stage(kind, servers=(1, 1, 1)) for kind in STAGE_KINDS),
        arrivals_per_day=surge_curve(days, arrivals_per_day),
        name=f"{days}-day surge, four stages",
    )
    return draft.with_servers(_peak_shift_officers(draft))


# --- the SimPy model ----------------------------------------------------------------------------------


def simpy_waits(drawn: Sample) -> Floats:
    """SimPy's waits (minutes) for ``drawn``: ``[k, g]`` at stage ``k`` for group ``g`` (NaN where it
    does not go). The same model as the engine's, event by event."""
    import simpy

    scenario = drawn.scenario
    env = simpy.Environment()
    waits = np.full(drawn.visits.shape, np.nan)
    desks = [simpy.PriorityResource(env, capacity=max(stage.servers)) for stage in scenario.stages]
    routes = [np.flatnonzero(drawn.visits[:, g]).tolist() for g in range(drawn.groups)]
    urgent = drawn.has_specific_needs.tolist()
    priority = [stage.priority for stage in scenario.stages]
    service = drawn.service_minutes
    remaining = [drawn.groups]
    finished = env.event()

    def group(g: int) -> Generator[Any, Any, None]:
        for k in routes[g]:
            reached = env.now
            request = desks[k].request(priority=0 if priority[k] and urgent[g] else 1)
            yield request
            waits[k, g] = env.now - reached
            yield env.timeout(service[k, g])
            desks[k].release(request)
        remaining[0] -= 1
        if remaining[0] == 0:
            finished.succeed()

    def arrivals() -> Generator[Any, Any, None]:
        for g, minute in enumerate(drawn.arrival_minutes.tolist()):
            yield env.timeout(minute - env.now)
            env.process(group(g))

    for k, stage in enumerate(scenario.stages):
        env.process(_roster(env, desks[k], stage.servers, scenario))
    env.process(arrivals())
    if drawn.groups:
        env.run(until=finished)
    return waits


def _roster(env: Any, desks: Any, servers: tuple[int, ...], scenario: Scenario) -> Generator[Any, Any, None]:
    """Hold ``max(servers) − servers[shift]`` desks with top-priority requests during each shift.
    A request still waiting (its desk busy) is withdrawn first when officers come back."""
    shift_minutes = scenario.shift_hours * 60.0
    origin = scenario.roster_origin_minutes
    period = math.floor((0.0 - origin) / shift_minutes)
    held: list[Any] = []

    def hold(count: int) -> None:
        while len(held) < count:
            held.append(desks.request(priority=-1))
        while len(held) > count:
            waiting = [request for request in held if not request.triggered]
            request = waiting[-1] if waiting else held[-1]
            held.remove(request)
            if request.triggered:
                desks.release(request)
            else:
                request.cancel()

    hold(max(servers) - servers[period % len(servers)])
    while True:
        yield env.timeout(origin + (period + 1) * shift_minutes - env.now)
        period += 1
        hold(max(servers) - servers[period % len(servers)])


# --- figures --------------------------------------------------------------------------------------------


def _mean_waits(drawn: Sample, waits: Floats) -> dict[str, float]:
    """Person-weighted mean wait per stage and of the total wait per person (minutes)."""
    sizes = drawn.group_sizes.astype(np.float64)
    means = {}
    for k, stage in enumerate(drawn.scenario.stages):
        went = drawn.visits[k]
        means[stage.name] = float(np.dot(waits[k, went], sizes[went]) / max(1.0, sizes[went].sum()))
    total = np.nansum(waits, axis=0)
    means["total"] = float(np.dot(total, sizes) / max(1.0, sizes.sum()))
    return means


@dataclass(frozen=True)
class Timing:
    """Median wall-clock and CPU seconds (this process) over ``runs`` runs, and each wall time."""

    seconds: float
    cpu_seconds: float
    runs: tuple[float, ...]


def _timed(run: Callable[[], object], repeats: int) -> Timing:
    walls, cpus = [], []
    for _ in range(repeats):
        cpu, wall = time.process_time(), time.perf_counter()
        run()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return Timing(statistics.median(walls), statistics.median(cpus), tuple(walls))


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="hbm bench simulation")
    parser.add_argument("--days", type=int, default=DEFAULT_DAYS)
    parser.add_argument("--arrivals-per-day", type=float, default=DEFAULT_ARRIVALS_PER_DAY)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of the engine (median)")
    parser.add_argument("--no-simpy", action="store_true")
    args = parser.parse_args(list(argv))
    if args.days < 1 or args.arrivals_per_day <= 0 or args.repeats < 1 or args.seed < 0:
        parser.error("--days, --arrivals-per-day and --repeats must be positive, --seed ≥ 0")
    return args


def main(argv: Sequence[str]) -> dict[str, Any]:
    args = parse(argv)
    scenario = surge_scenario(args.days, args.arrivals_per_day)

    warmup = _timed(lambda: simulate_sample(sample(surge_scenario(1, 500), seed=args.seed)), 1)  # numba

    drawing = _timed(lambda: sample(scenario, seed=args.seed), 1)
    drawn = sample(scenario, seed=args.seed)
    engine = _timed(lambda: simulate_sample(drawn), args.repeats)
    scheduling = _timed(lambda: schedule(drawn), args.repeats)
    result = simulate_sample(drawn)

    engine_means = {stage.name: stage.waits.mean for stage in result.stages} | {
        "total": result.total_wait.mean
    }
    peer: Timing | None = None
    simpy_means = None
    difference = None
    if not args.no_simpy:
        waits = np.empty(0)

        def run_simpy() -> None:
            nonlocal waits
            waits = simpy_waits(drawn)

        peer = _timed(run_simpy, 1)
        simpy_means = _mean_waits(drawn, waits)
        difference = max(
            100 * abs(engine_means[key] - simpy_means[key]) / simpy_means[key] if simpy_means[key] else 0.0
            for key in engine_means
        )

    def ratio(fast: float, cpu: bool = False) -> float | None:
        if peer is None:
            return None
        return round((peer.cpu_seconds if cpu else peer.seconds) / fast, 1)

    return {
        "benchmark": "simulation",
        "arrivals": drawn.persons,
        "groups": drawn.groups,
        "days": args.days,
        "seed": args.seed,
        "engine_arrivals_per_second": round(drawn.persons / engine.seconds),
        "simpy_arrivals_per_second": None if peer is None else round(drawn.persons / peer.seconds),
        "ratio_vs_simpy": ratio(engine.seconds),
        "mean_wait_difference_pct": None if difference is None else round(difference, 6),
        "ratio_vs_simpy_cpu": ratio(engine.cpu_seconds, cpu=True),
        "ratio_vs_simpy_waits_only": ratio(scheduling.seconds),
        "engine_seconds": round(engine.seconds, 3),
        "engine_cpu_seconds": round(engine.cpu_seconds, 3),
        "engine_runs_seconds": [round(t, 3) for t in engine.runs],
        "schedule_seconds": round(scheduling.seconds, 3),
        "sample_seconds": round(drawing.seconds, 3),
        "end_to_end_seconds": round(drawing.seconds + engine.seconds, 3),
        "warmup_seconds": round(warmup.seconds, 3),
        "simpy_seconds": None if peer is None else round(peer.seconds, 2),
        "simpy_cpu_seconds": None if peer is None else round(peer.cpu_seconds, 2),
        "mean_wait_minutes": {key: round(value, 4) for key, value in engine_means.items()},
        "simpy_mean_wait_minutes": None
        if simpy_means is None
        else {key: round(value, 4) for key, value in simpy_means.items()},
        "p90_wait_minutes": {stage.name: round(stage.waits.p90, 2) for stage in result.stages},
        "officers_per_shift": {stage.name: list(stage.servers) for stage in scenario.stages},
        "ciw": "not run: ciw 3.2 requires setuptools>=69; the project pins setuptools 65.5",
        "backlog_persons": result.backlog_persons,
        "waiting_area_peak": result.waiting_area.peak,
        "machine": machine_info(),
        "date": datetime.now(UTC).date().isoformat(),
    }
