"""The biographic benchmark at a tiny size, splink included: every figure present and sane."""

from __future__ import annotations

import json

import pytest

from hbm.bench import BENCHMARKS


def test_a_small_run_reports_every_figure() -> None:
    figures = BENCHMARKS["dedup-biographic"](["--records", "400", "--queries", "20"])

    assert json.loads(json.dumps(figures)) == figures
    assert {k: figures[k] for k in ("benchmark", "records", "queries")} == {
        "benchmark": "dedup-biographic",
        "records": 400,
        "queries": 20,
    }
    assert figures["online_check_p95_ms"] >= figures["online_check_p50_ms"] > 0
    assert figures["sweep_seconds"] > 0
    for key in ("precision", "recall", "f1"):
        assert 0 <= figures[key] <= 1
        assert 0 <= figures["splink"][key] <= 1
    assert figures["f1"] > 0.7
    error = figures["model_error"]
    assert set(error["fields"]) >= {"given", "surname", "birth_date", "place_of_birth"}
    assert 0 <= error["m_l1"] == pytest.approx(sum(error["fields"].values()), abs=0.01)
    assert error["m_l1"] < 9 * 2  # each field's distance is at most 2
    assert 0 < error["true_prior"] < 1
    assert figures["splink"]["seconds"] > 0
    assert figures["machine"]["cpus"] >= 1
