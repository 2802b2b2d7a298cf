"""Large sweeps — scenarios × staffing options × replications — run on Dask (decision 0019).

A sweep is a cross product: every scenario (an arrival curve, a waiting area) with every staffing
option (officers per stage and shift), each replicated. Every replication of every pair is one
Dask task calling this engine's :func:`sample` and :func:`schedule`, so the work spreads over a
``LocalCluster`` on this machine (the default) or over an existing Dask cluster named by its
scheduler's address. Dask does the distribution; nothing here schedules, retries or moves data.

Seeds. Replication ``i`` of every pair uses ``SeedSequence(seed).spawn(replications)[i]``: the
stream :func:`replicate` gives its replication ``i``. So

- a row of the sweep has exactly the figures of ``replicate(scenario.with_servers(option),
  replications=n, seed=seed)``;
- every staffing option of a scenario meets the same people (common random numbers), so options
  are compared on identical arrivals and service times;
- the figures do not depend on the cluster: how many workers, which worker ran which task, or in
  which order they finished (results are gathered in task order).

A sweep file (YAML or JSON, ``format: hbm-sweep/1``)::

    format: hbm-sweep/1
    replications: 20            # ≥ 2; optional, default 10
    seed: 2026                  # optional, default 0
    confidence: 0.95            # optional
    shift_hours: 8              # optional; the first shift starts at shift_start_hour (6)
    stages: [triage, group_pre_registration, individual_registration, biometrics]   # default kinds
    scenarios:
      - {name: best, arrivals_per_day: [800, 900, 1000], waiting_area_capacity: 400}
      - {name: worst, arrivals_per_day: [2000, 3000, 2500]}
    staffing:
      - name: lean
        servers: {triage: [1, 1, 1], group_pre_registration: [2, 2, 1], …}   # per stage, per shift
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import math
import platform
import time
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from importlib import resources
from typing import Any, Final

import numpy as np
import yaml

from hbm.engines.simulation._defaults import default_scenario, default_stage, stage_kinds
from hbm.engines.simulation._errors import ScenarioError
from hbm.engines.simulation._model import Scenario
from hbm.engines.simulation._replicate import MAX_REPLICATIONS, Estimate, estimate
from hbm.engines.simulation._results import summarise
from hbm.engines.simulation._sample import sample
from hbm.engines.simulation._schedule import schedule

__all__ = [
    "FORMAT",
    "ClusterMismatch",
    "StaffingOption",
    "Sweep",
    "SweepPlan",
    "SweepRow",
    "load_sweep",
    "sweep",
]

FORMAT: Final = "hbm-sweep/1"
MAX_TASKS: Final = 1_000_000
WAIT_FOR_WORKERS_SECONDS: Final = 30
# Dask's nanny starts each worker with MALLOC_TRIM_THRESHOLD_=65536 (glibc hands freed memory back
# to the system at once). The engine allocates and frees large NumPy arrays in every replication;
# with that setting a replication took 1.55 times the CPU it takes in a plain process (measured
# 1.86 s against 1.10-1.26 s for the same 90 replications). Local workers start without it; an
# existing cluster's operator can do the same (decision 0019).
LOCAL_WORKER_CONFIG: Final = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}
# The figures one replication sends back: total wait mean and p90 (minutes), backlog (persons),
# throughput (persons leaving per day), overloaded (1 or 0).
Figures = tuple[float, float, float, float, float]


class ClusterMismatch(RuntimeError):
    """The workers of a cluster started apart run other software than this process, so their
    figures could differ from the ones a replication gives here (and the seed would no longer
    reproduce them). ``here`` is what this process runs (:func:`installed`); ``workers`` maps the
    address of each worker that differs to what it runs, or holds Dask's own complaint."""

    def __init__(self, here: Mapping[str, str], workers: Mapping[str, object]) -> None:
        self.here = dict(here)
        self.workers = dict(workers)
        listed = "; ".join(f"{address}: {found}" for address, found in sorted(self.workers.items()))
        super().__init__(f"the cluster's workers run other software than this process ({here}): {listed}")


def installed() -> dict[str, str]:
    """What a replication's figures depend on besides its scenario and seed: the Python and NumPy
    versions and the simulation engine's own code (a digest of its source files — HBM's version
    number alone does not change with every commit)."""
    digest = hashlib.sha256()
    package = resources.files("hbm.engines.simulation")
    for name in sorted(entry.name for entry in package.iterdir() if entry.name.endswith(".py")):
        digest.update(name.encode())
        digest.update(package.joinpath(name).read_bytes())
    return {
        "python": ".".join(platform.python_version_tuple()[:2]),
        "numpy": np.__version__,
        "engine": digest.hexdigest()[:16],
    }


@dataclass(frozen=True, slots=True)
class StaffingOption:
    """A roster: ``servers[k]`` officers per shift at stage ``k`` of the scenarios."""

    name: str
    servers: tuple[tuple[int, ...], ...]


@dataclass(frozen=True, slots=True)
class SweepPlan:
    """What to run: every scenario with every staffing option, ``replications`` times each."""

    scenarios: tuple[Scenario, ...]
    staffing: tuple[StaffingOption, ...]
    replications: int = 10
    seed: int = 0
    confidence: float = 0.95

    def __post_init__(self) -> None:
        _plan_check(self)
        self.cases()  # every roster fits every scenario, or ScenarioError before anything runs

    def cases(self) -> list[tuple[Scenario, StaffingOption, Scenario]]:
        """Each (scenario, option, the scenario with the option's roster), scenario by scenario."""
        return [
            (scenario, option, _staffed(scenario, option, s, o))
            for s, scenario in enumerate(self.scenarios)
            for o, option in enumerate(self.staffing)
        ]


@dataclass(frozen=True, slots=True)
class SweepRow:
    """One scenario under one staffing option over the replications: the total wait of a person
    over all stages (mean and 90th percentile, minutes), the persons still present at the end of
    the last day (``backlog``), persons leaving per day (``throughput_per_day``), each with its
    confidence interval; ``overloaded``: replications in which some stage could not keep up."""

    scenario: str
    staffing: str
    replications: int
    mean_wait: Estimate
    p90_wait: Estimate
    backlog: Estimate
    throughput_per_day: Estimate
    overloaded: int


@dataclass(frozen=True, slots=True)
class Sweep:
    """The tidy result: one row per scenario × staffing option, in the plan's order. ``scheduler``
    and ``workers`` say where it ran and ``seconds`` how long it took (wall clock, cluster start
    included); they are the only figures that depend on the cluster."""

    seed: int
    replications: int
    confidence: float
    rows: tuple[SweepRow, ...]
    scheduler: str
    workers: int
    seconds: float

    def records(self) -> list[dict[str, Any]]:
        """Flat rows (one dict each) for JSON and CSV: each estimate as mean, low and high."""
        return [_record(row) for row in self.rows]

    def as_json(self) -> dict[str, Any]:
        return {
            "sweep": {
                "seed": self.seed,
                "replications": self.replications,
                "confidence": self.confidence,
                "scheduler": self.scheduler,
                "workers": self.workers,
                "seconds": round(self.seconds, 3),
                "tasks": len(self.rows) * self.replications,
            },
            "rows": self.records(),
        }

    def as_csv(self) -> str:
        records = self.records()
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(records[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        return out.getvalue()


def _record(row: SweepRow) -> dict[str, Any]:
    record: dict[str, Any] = {
        "scenario": row.scenario,
        "staffing": row.staffing,
        "replications": row.replications,
    }
    for name in ("mean_wait", "p90_wait", "backlog", "throughput_per_day"):
        value: Estimate = getattr(row, name)
        record[name] = value.mean
        record[f"{name}_low"] = value.low
        record[f"{name}_high"] = value.high
    record["overloaded"] = row.overloaded
    return record


def replication_figures(scenario: Scenario, seed: np.random.SeedSequence) -> Figures:
    """One replication of ``scenario`` on the stream ``seed``, reduced to the sweep's figures (a
    Dask task: a module-level function of picklable arguments, returning five floats)."""
    result = summarise(schedule(sample(scenario, seed=seed)))
    return (
        result.total_wait.mean,
        result.total_wait.p90,
        float(result.backlog_persons),
        float(sum(result.departures_by_day)) / scenario.days,
        1.0 if result.is_overloaded else 0.0,
    )


def sweep(plan: SweepPlan, *, scheduler: str | None = None, workers: int | None = None) -> Sweep:
    """Run ``plan`` on Dask and gather one row per scenario × staffing option.

    ``scheduler``: the address of an existing Dask scheduler (``tcp://host:8786``), whose workers
    must have HBM installed; ``None`` starts a ``LocalCluster`` of ``workers`` processes (one
    thread each; default: the CPUs of this machine) and stops it afterwards. Raises
    :class:`ScenarioError` for a plan that cannot run (checked before anything is sent), and
    whatever Dask raises when the scheduler cannot be reached or has no worker within
    ``WAIT_FOR_WORKERS_SECONDS`` (``OSError``, ``TimeoutError``); :class:`ClusterMismatch`, before
    any task is sent, when the workers of a scheduler run other software than this process."""
    import dask
    from distributed import Client, LocalCluster

    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise ScenarioError("workers", f"is a whole number ≥ 1, not {workers!r}")
    cases = plan.cases()
    started = time.perf_counter()
    streams = np.random.SeedSequence(plan.seed).spawn(plan.replications)
    with ExitStack() as stack:
        target: Any = scheduler
        if scheduler is None:
            stack.enter_context(dask.config.set(LOCAL_WORKER_CONFIG))
            target = stack.enter_context(
                LocalCluster(  # type: ignore[no-untyped-call]
                    n_workers=workers or _cpu_count(),
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0",  # none is served; a fixed port clashes with a second
                    silence_logs=logging.ERROR,
                )
            )
        client = stack.enter_context(Client(target, timeout="20s"))  # type: ignore[no-untyped-call]
        client.wait_for_workers(1, timeout=WAIT_FOR_WORKERS_SECONDS)
        if scheduler is not None:
            _same_software(client)
        used = len(client.scheduler_info()["workers"])
        figures = _run(client, cases, streams)
    rows = tuple(
        _row(scenario, option, figures[i * plan.replications : (i + 1) * plan.replications], plan.confidence)
        for i, (scenario, option, _) in enumerate(cases)
    )
    return Sweep(
        seed=plan.seed,
        replications=plan.replications,
        confidence=plan.confidence,
        rows=rows,
        scheduler=scheduler or "local",
        workers=used,
        seconds=time.perf_counter() - started,
    )


def _same_software(client: Any) -> None:
    """Refuse a cluster whose workers run other software than this process (:class:`ClusterMismatch`):
    Dask's own packages checked by Dask, the engine's by :func:`installed` on every worker."""
    try:
        client.get_versions(check=True)
    except ValueError as complaint:
        raise ClusterMismatch(installed(), {"dask": str(complaint)}) from complaint
    here = installed()
    different = {address: found for address, found in client.run(installed).items() if found != here}
    if different:
        raise ClusterMismatch(here, different)


def _run(
    client: Any,
    cases: Sequence[tuple[Scenario, StaffingOption, Scenario]],
    streams: Sequence[np.random.SeedSequence],
) -> list[Figures]:
    """Every replication of every case as one task, gathered in task order. Each staffed scenario
    is sent to the cluster once and shared by its replications' tasks."""
    staffed = client.scatter([case[2] for case in cases], broadcast=False)
    futures = [
        client.submit(replication_figures, scenario, stream, pure=False)
        for scenario in staffed
        for stream in streams
    ]
    gathered: list[Figures] = client.gather(futures)
    return gathered


def _row(
    scenario: Scenario, option: StaffingOption, figures: Sequence[Figures], confidence: float
) -> SweepRow:
    columns = list(zip(*figures, strict=True))
    return SweepRow(
        scenario=scenario.name,
        staffing=option.name,
        replications=len(figures),
        mean_wait=estimate(columns[0], confidence),
        p90_wait=estimate(columns[1], confidence),
        backlog=estimate(columns[2], confidence),
        throughput_per_day=estimate(columns[3], confidence),
        overloaded=int(sum(columns[4])),
    )


def _cpu_count() -> int:
    import os

    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def _staffed(scenario: Scenario, option: StaffingOption, s: int, o: int) -> Scenario:
    try:
        return scenario.with_servers(option.servers)
    except ValueError as error:
        field = error.field if isinstance(error, ScenarioError) else "servers"
        reason = error.reason if isinstance(error, ScenarioError) else "one row of officers per stage"
        raise ScenarioError(
            f"staffing[{o}].{field}", f"{reason} (with scenario {scenario.name or s!r})"
        ) from None


def _plan_check(plan: SweepPlan) -> None:
    if not plan.scenarios:
        raise ScenarioError("scenarios", "give at least one scenario")
    if not plan.staffing:
        raise ScenarioError("staffing", "give at least one staffing option")
    replications = plan.replications
    if isinstance(replications, bool) or not isinstance(replications, int) or replications < 2:
        raise ScenarioError("replications", f"at least 2 for a confidence interval, not {replications!r}")
    if replications > MAX_REPLICATIONS:
        raise ScenarioError("replications", f"at most {MAX_REPLICATIONS}, not {replications}")
    if isinstance(plan.seed, bool) or not isinstance(plan.seed, int) or plan.seed < 0:
        raise ScenarioError("seed", f"is a whole number ≥ 0, not {plan.seed!r}")
    confidence = plan.confidence
    if isinstance(confidence, bool) or not isinstance(confidence, float | int) or not 0 < confidence < 1:
        raise ScenarioError("confidence", f"is a share between 0 and 1 (0.95), not {confidence!r}")
    tasks = len(plan.scenarios) * len(plan.staffing) * replications
    if tasks > MAX_TASKS:
        raise ScenarioError("replications", f"{tasks:,} tasks is more than {MAX_TASKS:,}: split the sweep")
    for field, names in (
        ("scenarios", [scenario.name for scenario in plan.scenarios]),
        ("staffing", [option.name for option in plan.staffing]),
    ):
        for index, name in enumerate(names):
            if not name or names.index(name) != index:
                raise ScenarioError(f"{field}[{index}].name", f"each needs its own name, not {name!r}")


# --- the sweep file ---------------------------------------------------------------------------------


def load_sweep(text: str) -> SweepPlan:
    """The plan in a sweep file (YAML or JSON, see the module's docstring); stages are the engine's
    default stage kinds, with their published service times. Raises :class:`ScenarioError` naming
    the field as a path (``scenarios[1].arrivals_per_day``, ``staffing[0].servers.triage``)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ScenarioError("file", f"not valid YAML or JSON: {error}") from None
    top = _mapping(data, "", {"format", "stages", "scenarios", "staffing"},
                   {"replications", "seed", "confidence", "shift_hours", "shift_start_hour"})  # fmt: skip
    if top["format"] != FORMAT:
        raise ScenarioError("format", f"must be {FORMAT!r}, not {top['format']!r}")
    kinds = _list(top["stages"], "stages")
    for index, kind in enumerate(kinds):
        if kind not in stage_kinds():
            raise ScenarioError(
                f"stages[{index}]", f"no stage kind {kind!r}; known: {', '.join(stage_kinds())}"
            )
    if len(set(kinds)) != len(kinds):
        raise ScenarioError("stages", "each stage kind once")
    shift_hours = top.get("shift_hours", 8)
    if shift_hours not in (1, 2, 3, 4, 6, 8, 12, 24):
        raise ScenarioError("shift_hours", f"must divide 24, not {shift_hours!r}")
    options = [
        _option(entry, f"staffing[{i}]", kinds, 24 // shift_hours)
        for i, entry in enumerate(_list(top["staffing"], "staffing"))
    ]
    # The scenarios are built with one officer per shift; each option then sets its own roster.
    placeholder = tuple((1,) * (24 // shift_hours) for _ in kinds)
    scenarios = [
        _scenario(entry, f"scenarios[{i}]", kinds, placeholder, shift_hours, top.get("shift_start_hour", 6))
        for i, entry in enumerate(_list(top["scenarios"], "scenarios"))
    ]
    return SweepPlan(
        scenarios=tuple(scenarios),
        staffing=tuple(options),
        replications=top.get("replications", 10),
        seed=top.get("seed", 0),
        confidence=top.get("confidence", 0.95),
    )


def _mapping(value: object, path: str, required: set[str], optional: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ScenarioError(path or "file", "must be a mapping (key: value)")
    for key in value:
        if key not in required | optional:
            known = ", ".join(sorted(required | optional))
            raise ScenarioError(f"{path}.{key}" if path else str(key), f"unknown key (known: {known})")
    for key in sorted(required):
        if key not in value:
            raise ScenarioError(f"{path}.{key}" if path else key, "is missing")
    return value


def _list(value: object, path: str) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise ScenarioError(path, "must be a list with at least one entry")
    return value


def _option(entry: object, path: str, kinds: list[str], shifts: int) -> StaffingOption:
    option = _mapping(entry, path, {"name", "servers"}, set())
    servers = _mapping(option["servers"], f"{path}.servers", set(kinds), set())
    rows = []
    for kind in kinds:
        row = servers[kind]
        if not isinstance(row, list) or len(row) != shifts or not all(_whole(v) for v in row):
            raise ScenarioError(
                f"{path}.servers.{kind}", f"give {shifts} whole numbers of officers, one per shift"
            )
        rows.append(tuple(row))
    return StaffingOption(name=str(option["name"]), servers=tuple(rows))


def _scenario(
    entry: object,
    path: str,
    kinds: list[str],
    servers: tuple[tuple[int, ...], ...],
    shift_hours: int,
    shift_start_hour: object,
) -> Scenario:
    values = _mapping(entry, path, {"name", "arrivals_per_day"}, {"waiting_area_capacity"})
    arrivals = values["arrivals_per_day"]
    if not isinstance(arrivals, list) or not arrivals or not all(_number(v) for v in arrivals):
        raise ScenarioError(f"{path}.arrivals_per_day", "give a list of persons expected per day")
    if not _whole(shift_start_hour) or not 0 <= int(shift_start_hour) < 24:  # type: ignore[call-overload]
        raise ScenarioError("shift_start_hour", f"is an hour from 0 to 23, not {shift_start_hour!r}")
    try:
        stages = tuple(default_stage(kind, servers=row) for kind, row in zip(kinds, servers, strict=True))
        return default_scenario(
            stages=stages,
            arrivals_per_day=tuple(float(v) for v in arrivals),
            waiting_area_capacity=values.get("waiting_area_capacity"),
            shift_hours=shift_hours,
            shift_start_hour=int(shift_start_hour),  # type: ignore[call-overload]
            name=str(values["name"]),
        )
    except ScenarioError as error:
        raise ScenarioError(f"{path}.{error.field}", error.reason) from None


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
