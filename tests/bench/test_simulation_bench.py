"""The simulation benchmark at a tiny size, SimPy included: every figure present, and SimPy's
waits the engine's on the same inputs."""

from __future__ import annotations

import json

from hbm.bench import BENCHMARKS


def test_a_small_run_reports_every_figure() -> None:
    figures = BENCHMARKS["simulation"](["--days", "2", "--arrivals-per-day", "3000", "--repeats", "2"])

    assert json.loads(json.dumps(figures)) == figures
    assert {k: figures[k] for k in ("benchmark", "days", "seed")} == {
        "benchmark": "simulation",
        "days": 2,
        "seed": 0,
    }
    assert 4000 < figures["arrivals"] < 8000
    assert figures["engine_arrivals_per_second"] > figures["simpy_arrivals_per_second"] > 0
    assert figures["ratio_vs_simpy"] > 1
    assert figures["mean_wait_difference_pct"] < 1e-6
    assert set(figures["mean_wait_minutes"]) == {
        "triage",
        "individual_registration",
        "biometrics",
        "protection_screening",
        "total",
    }
    assert figures["simpy_mean_wait_minutes"] == figures["mean_wait_minutes"]
    assert len(figures["engine_runs_seconds"]) == 2
    assert figures["end_to_end_seconds"] >= figures["engine_seconds"] > 0
    assert figures["machine"]["cpus"] >= 1


def test_without_simpy_the_peer_figures_are_null() -> None:
    figures = BENCHMARKS["simulation"](["--days", "1", "--arrivals-per-day", "500", "--no-simpy"])

    assert figures["simpy_arrivals_per_second"] is None
    assert figures["ratio_vs_simpy"] is None
    assert figures["mean_wait_difference_pct"] is None
    assert figures["arrivals"] > 0
