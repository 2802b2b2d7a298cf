"""``hbm bench sweep``: a planner's sweep — 3 scenarios × 5 staffing options × 20 replications —
on a Dask ``LocalCluster`` of 1 and of 2 worker processes, and in this process without Dask.

The model: a crossing point with four stages (triage and count, group pre-registration,
individual registration, biometrics with irises and fingerprints; the engine's default figures)
over ``--days`` days. The scenarios are the surge curve of ``hbm bench simulation`` averaging
``--arrivals-per-day`` persons × 0.5 (best), × 1 (most likely) and × 2 (worst). The staffing
options scale the roster that covers the most likely scenario's peak-day work in each shift by
0.6, 0.8, 1.0, 1.25 and 1.5.

Timed with ``perf_counter`` (wall clock): ``serial_seconds`` — every task one after the other in
this process (the engine's work, no Dask); ``seconds_<n>_workers`` for each ``--workers`` size
(default 1 and 2) — the whole :func:`sweep` call, cluster start, workers' first use of the
compiled code and cluster stop included; ``warm_cluster_seconds_<n>_workers`` — the tasks alone,
on a cluster already started and warmed up (a sweep sent to a running cluster), and
``cluster_overhead_seconds_<n>_workers`` the rest of that cluster's life (start, warm-up, stop).
``same_figures``: whether every run gave the same table (it must: seeds do not depend on the
cluster).
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Final

import numpy as np

from hbm.bench.common import machine_info
from hbm.bench.simulation import _peak_shift_officers, surge_curve
from hbm.engines.simulation import (
    StaffingOption,
    SweepPlan,
    default_scenario,
    default_stage,
    sweep,
)
from hbm.engines.simulation._sweep import LOCAL_WORKER_CONFIG, _run, replication_figures

STAGE_KINDS: Final = ("triage", "group_pre_registration", "individual_registration", "biometrics")
SCENARIOS: Final = (("best", 0.5), ("most_likely", 1.0), ("worst", 2.0))
ROSTER_FACTORS: Final = (0.6, 0.8, 1.0, 1.25, 1.5)


def plan_of(*, days: int, arrivals_per_day: float, replications: int, seed: int) -> SweepPlan:
    stages = tuple(default_stage(kind, servers=(1, 1, 1)) for kind in STAGE_KINDS)
    scenarios = tuple(
        default_scenario(
            stages=stages, arrivals_per_day=surge_curve(days, arrivals_per_day * factor), name=name
        )
        for name, factor in SCENARIOS
    )
    base = _peak_shift_officers(scenarios[1])
    options = tuple(
        StaffingOption(
            name=f"x{factor:g}",
            servers=tuple(tuple(max(1, math.ceil(officers * factor)) for officers in row) for row in base),
        )
        for factor in ROSTER_FACTORS
    )
    return SweepPlan(scenarios=scenarios, staffing=options, replications=replications, seed=seed)


def _serial_seconds(plan: SweepPlan) -> float:
    streams = np.random.SeedSequence(plan.seed).spawn(plan.replications)
    started = time.perf_counter()
    for _, _, staffed in plan.cases():
        for stream in streams:
            replication_figures(staffed, stream)
    return time.perf_counter() - started


def _warm_cluster_seconds(plan: SweepPlan, workers: int) -> tuple[float, float]:
    """(start and stop of an empty cluster, the tasks alone on the started and warmed-up cluster)."""
    import logging

    import dask
    from distributed import Client, LocalCluster

    cases = plan.cases()
    streams = np.random.SeedSequence(plan.seed).spawn(plan.replications)
    started = time.perf_counter()
    with (
        dask.config.set(LOCAL_WORKER_CONFIG),
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        client.wait_for_workers(workers)
        client.run(replication_figures, cases[0][2], streams[0])  # each worker loads numba's code
        ready = time.perf_counter()
        _run(client, cases, streams)
        tasks = time.perf_counter() - ready
    return time.perf_counter() - started - tasks, tasks


def main(argv: Sequence[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="hbm bench sweep")
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--arrivals-per-day", type=float, default=2000.0, help="most likely scenario's mean")
    parser.add_argument("--replications", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workers", default="1,2", help="local cluster sizes to time, e.g. 1,2,4,8")
    args = parser.parse_args(argv)
    plan = plan_of(
        days=args.days, arrivals_per_day=args.arrivals_per_day, replications=args.replications, seed=args.seed
    )
    sizes = [int(n) for n in args.workers.split(",")]
    replication_figures(plan.cases()[0][2], np.random.SeedSequence(0))  # load numba's cached code
    serial = _serial_seconds(plan)
    warm = {n: _warm_cluster_seconds(plan, n) for n in sizes}
    runs = {n: sweep(plan, workers=n) for n in sizes}
    first = runs[sizes[0]]
    persons = (
        sum(scenario.expected_persons for scenario in plan.scenarios) * len(plan.staffing) * plan.replications
    )
    figures: dict[str, Any] = {
        "benchmark": "sweep",
        "scenarios": len(plan.scenarios),
        "staffing_options": len(plan.staffing),
        "replications": plan.replications,
        "tasks": len(plan.scenarios) * len(plan.staffing) * plan.replications,
        "days": args.days,
        "expected_persons_simulated": round(persons),
        "serial_seconds": round(serial, 2),
    }
    for n in sizes:
        figures[f"seconds_{n}_workers"] = round(runs[n].seconds, 2)
        figures[f"warm_cluster_seconds_{n}_workers"] = round(warm[n][1], 2)
        figures[f"cluster_overhead_seconds_{n}_workers"] = round(warm[n][0], 2)
    if 1 in runs and 2 in runs:
        figures["speedup_2_vs_1"] = round(runs[1].seconds / runs[2].seconds, 2)
    return {
        **figures,
        "same_figures": all(run.records() == first.records() for run in runs.values()),
        "worst_x0.6_mean_wait_minutes": round(first.rows[10].mean_wait.mean, 1),
        "worst_x1.5_mean_wait_minutes": round(first.rows[14].mean_wait.mean, 1),
        "machine": machine_info(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }
