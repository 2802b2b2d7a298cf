"""The sweep benchmark at a tiny size: every figure present, and the same table on every cluster."""

from __future__ import annotations

import json

from hbm.bench import BENCHMARKS


def test_a_small_run_reports_every_figure() -> None:
    figures = BENCHMARKS["sweep"](
        ["--days", "3", "--arrivals-per-day", "200", "--replications", "2", "--workers", "1"]
    )

    assert json.loads(json.dumps(figures)) == figures
    keys = ("benchmark", "scenarios", "staffing_options", "tasks", "same_figures")
    assert {k: figures[k] for k in keys} == {
        "benchmark": "sweep",
        "scenarios": 3,
        "staffing_options": 5,
        "tasks": 30,
        "same_figures": True,
    }
    assert figures["serial_seconds"] > 0
    assert figures["seconds_1_workers"] > figures["warm_cluster_seconds_1_workers"] > 0
    # The leanest roster on the worst scenario keeps people waiting longer than the richest one.
    assert figures["worst_x0.6_mean_wait_minutes"] > figures["worst_x1.5_mean_wait_minutes"]
