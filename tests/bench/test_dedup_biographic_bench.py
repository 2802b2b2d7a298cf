"""The biographic benchmark at a tiny size, splink included: every figure present and sane."""

from __future__ import annotations

import json

import numpy as np
import pytest

from hbm.bench import BENCHMARKS
from hbm.bench.dedup_biographic import by_nationality
from hbm.engines.matching import MatchRecord


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
    assert {"UKR", "SYR", "AFG"} <= set(figures["by_nationality"])
    assert all(0 <= row["f1"] <= 1 for row in figures["by_nationality"].values())
    error = figures["model_error"]
    assert set(error["fields"]) >= {"given", "surname", "birth_date", "place_of_birth"}
    assert 0 <= error["m_l1"] == pytest.approx(sum(error["fields"].values()), abs=0.01)
    assert error["m_l1"] < 9 * 2  # each field's distance is at most 2
    assert 0 < error["true_prior"] < 1
    queue = figures["adjudication_queue"]
    assert queue["pairs"] >= 0
    assert 0 <= queue["true_share"] <= 1
    assert queue["per_1000_records"] == pytest.approx(1000 * queue["pairs"] / 400, abs=0.01)
    assert figures["splink"]["seconds"] > 0
    assert figures["machine"]["cpus"] >= 1


def test_quality_by_nationality_counts_each_pair_once_for_its_first_record() -> None:
    records = [
        MatchRecord(id=i, given="A", surname="B", nationality=nationality)
        for i, nationality in enumerate(["UKR", "UKR", "SYR", "SYR", ""])
    ]
    person_ids = np.array([1, 1, 2, 2, 3])
    # found: the Ukrainian pair; wrongly joined: a Ukrainian with a Syrian; missed: the Syrian pair
    left, right = np.array([0, 1]), np.array([1, 2])
    figures = by_nationality(records, left, right, person_ids)
    assert figures["UKR"] == {"precision": 0.5, "recall": 1.0, "f1": pytest.approx(0.6667, abs=1e-4)}
    assert figures["SYR"] == {"precision": 1.0, "recall": 0.0, "f1": 0.0}
    assert figures["?"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
