"""Sweeps on Dask: the same figures as the engine's own replications, whatever the cluster —
a local cluster of one or two workers, or a scheduler and worker started apart, reached by address."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from hbm.cli import main
from hbm.engines.simulation import (
    ClusterMismatch,
    ScenarioError,
    Sweep,
    SweepPlan,
    load_sweep,
    replicate,
    sweep,
)

SWEEP_FILE = """
format: hbm-sweep/1
replications: 3
seed: 11
stages: [triage, individual_registration]
scenarios:
  - {name: calm, arrivals_per_day: [200, 300]}
  - {name: surge, arrivals_per_day: [700, 1100], waiting_area_capacity: 150}
staffing:
  - name: lean
    servers: {triage: [1, 1, 1], individual_registration: [2, 2, 1]}
  - name: generous
    servers: {triage: [1, 1, 1], individual_registration: [4, 4, 2]}
"""


@pytest.fixture(scope="module")
def plan() -> SweepPlan:
    return load_sweep(SWEEP_FILE)


@pytest.fixture(scope="module")
def on_two_workers(plan: SweepPlan) -> Sweep:
    return sweep(plan, workers=2)


def test_each_row_is_the_engines_replications_of_that_roster(plan: SweepPlan, on_two_workers: Sweep) -> None:
    # Then the table has one row per scenario × staffing option, in the plan's order
    assert [(row.scenario, row.staffing) for row in on_two_workers.rows] == [
        ("calm", "lean"),
        ("calm", "generous"),
        ("surge", "lean"),
        ("surge", "generous"),
    ]
    assert (on_two_workers.scheduler, on_two_workers.workers) == ("local", 2)
    # And each row has exactly the figures of replicate() on that scenario and roster, seed for seed
    for row, (_, _, staffed) in zip(on_two_workers.rows, plan.cases(), strict=True):
        expected = replicate(staffed, replications=3, seed=11)
        assert row.mean_wait == expected.total_wait_mean
        assert row.p90_wait == expected.total_wait_p90
        assert row.backlog == expected.backlog_persons
        assert row.throughput_per_day.values == tuple(
            sum(result.departures_by_day) / staffed.days for result in expected.results
        )
        assert row.overloaded == expected.overloaded
    # And the lean roster makes the surge wait longer than the generous one (common random numbers)
    surge_lean, surge_generous = on_two_workers.rows[2], on_two_workers.rows[3]
    assert surge_lean.mean_wait.mean > surge_generous.mean_wait.mean


def test_one_worker_gives_the_same_table_as_two(plan: SweepPlan, on_two_workers: Sweep) -> None:
    on_one = sweep(plan, workers=1)

    assert on_one.workers == 1
    assert on_one.records() == on_two_workers.records()


def test_a_cluster_started_apart_is_used_by_its_address(
    plan: SweepPlan, on_two_workers: Sweep, dask_scheduler_apart: str
) -> None:
    result = sweep(plan, scheduler=dask_scheduler_apart)

    assert (result.scheduler, result.workers) == (dask_scheduler_apart, 1)
    assert result.records() == on_two_workers.records()


def test_a_cluster_whose_workers_run_other_software_is_refused_before_any_task(
    plan: SweepPlan, dask_scheduler_apart: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Figures from workers with another engine or NumPy would not be the ones the seed gives here.
    This process pretends to run another NumPy; the worker, its own process, runs the real one."""
    monkeypatch.setattr(np, "__version__", "0.0-elsewhere")

    with pytest.raises(ClusterMismatch) as refused:
        sweep(plan, scheduler=dask_scheduler_apart)

    assert refused.value.here["numpy"] == "0.0-elsewhere"
    [(address, found)] = refused.value.workers.items()
    assert address.startswith("tcp://127.0.0.1:")
    assert isinstance(found, dict)
    assert found["numpy"] != "0.0-elsewhere"
    assert found["engine"] == refused.value.here["engine"]


def test_the_command_prints_the_table_as_csv_and_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], on_two_workers: Sweep
) -> None:
    path = tmp_path / "sweep.yaml"
    path.write_text(SWEEP_FILE, encoding="utf-8")

    assert main(["simulate", "sweep", "--scenarios", str(path), "--workers", "1", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(
        "scenario,staffing,replications,mean_wait,mean_wait_low,mean_wait_high,p90_wait"
    )
    assert [line.split(",")[:2] for line in lines[1:]] == [
        ["calm", "lean"],
        ["calm", "generous"],
        ["surge", "lean"],
        ["surge", "generous"],
    ]

    assert main(["simulate", "sweep", "--scenarios", str(path), "--workers", "1", "--seed", "11"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["sweep"]["tasks"] == 12
    assert printed["rows"] == on_two_workers.records()


def test_the_command_refuses_a_bad_file_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sweep.yaml"
    path.write_text(SWEEP_FILE.replace("[2, 2, 1]", "[2, 2]"), encoding="utf-8")

    assert main(["simulate", "sweep", "--scenarios", str(path)]) == 2
    assert "staffing[0].servers.individual_registration" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (("hbm-sweep/1", "hbm-sweep/2"), "format"),
        (("replications: 3", "replications: 1"), "replications"),
        (("seed: 11", "seed: -1"), "seed"),
        (("[triage, individual_registration]", "[triage, nothing]"), "stages[1]"),
        (("[200, 300]", "[200, -300]"), "scenarios[0].arrivals_per_day[1]"),
        (("[200, 300]", "[200, x]"), "scenarios[0].arrivals_per_day"),
        (("waiting_area_capacity: 150", "waiting_room: 150"), "scenarios[1].waiting_room"),
        (("name: generous", "name: lean"), "staffing[1].name"),
        (("{triage: [1, 1, 1], individual_registration: [4, 4, 2]}", "{triage: [1, 1, 1]}"),
         "staffing[1].servers.individual_registration"),
        (("{triage: [1, 1, 1], individual_registration: [2, 2, 1]}",
          "{triage: [0, 0, 0], individual_registration: [2, 2, 1]}"), "staffing[0].stages[0].servers"),
    ],
)  # fmt: skip
def test_a_bad_sweep_file_is_refused_naming_the_field(change: tuple[str, str], field: str) -> None:
    with pytest.raises(ScenarioError) as refused:
        load_sweep(SWEEP_FILE.replace(*change))

    assert refused.value.field == field


def test_a_bad_worker_count_is_refused_before_any_cluster_starts(plan: SweepPlan) -> None:
    with pytest.raises(ScenarioError) as refused:
        sweep(plan, workers=0)

    assert refused.value.field == "workers"
