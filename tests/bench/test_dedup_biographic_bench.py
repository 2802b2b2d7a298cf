"""The biographic benchmark at a tiny size, splink included: every figure present and sane."""

from __future__ import annotations

import json

import numpy as np
import pytest

from hbm.bench import BENCHMARKS
from hbm.bench.dedup_biographic import by_nationality, fused_what_if
from hbm.engines.matching import GROUP_LIMIT, MatchRecord, best_threshold, sweep
from hbm.engines.synthetic import population


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
    assert error["m_l1"] < 11 * 2  # each field's distance is at most 2
    assert {"father", "mother", "document"} <= set(error["fields"])
    assert figures["parents"] == 1.0
    assert figures["documents"] == 1.0
    assert 0 < error["true_prior"] < 1
    queue = figures["adjudication_queue"]
    assert queue["pairs"] >= 0
    assert 0 <= queue["true_share"] <= 1
    assert queue["per_1000_records"] == pytest.approx(1000 * queue["pairs"] / 400, abs=0.01)
    assert 0 < queue["groups"] <= queue["pairs"]
    assert 2 <= queue["group_records_p50"] <= queue["group_records_max"] <= GROUP_LIMIT
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


def test_the_face_what_if_decides_the_same_pairs_again_with_face_bits() -> None:
    people = population(3000, seed=8)
    result = sweep(people.records, on=people.on, kept_from=1e-4)
    _, alone = best_threshold(result.left, result.right, result.probabilities, people.person_ids)

    def what_if(capture: float) -> dict[str, object]:
        return fused_what_if(
            result, people.records, people.person_ids, capture, np.random.default_rng(0), people.on
        )

    none, every = what_if(0.0), what_if(1.0)
    assert none["pairs_with_faces"] == 0
    assert none["f1"] == round(alone.f1, 4)  # no face: the biographic decisions
    assert every["pairs_with_faces"] == len(result.left)
    assert every["f1"] > none["f1"]
    assert every["adjudication_queue"]["pairs"] < none["adjudication_queue"]["pairs"]


def test_a_small_run_with_faces_reports_the_what_if() -> None:
    figures = BENCHMARKS["dedup-biographic"](
        ["--records", "400", "--queries", "5", "--no-splink", "--face-capture", "0.9"]
    )

    fused = figures["fused_what_if"]
    assert fused["face_capture"] == 0.9
    assert fused["pairs_with_faces"] > 0
    assert 0 <= fused["precision"] <= 1
    assert 0 <= fused["same_decisions"]["recall"] <= 1
    assert (
        BENCHMARKS["dedup-biographic"](["--records", "50", "--queries", "1", "--no-splink"])["fused_what_if"]
        is None
    )


def test_a_run_without_parents_names_says_so() -> None:
    figures = BENCHMARKS["dedup-biographic"](
        ["--records", "300", "--queries", "3", "--no-splink", "--parents", "0"]
    )
    assert figures["parents"] == 0
    with pytest.raises(SystemExit):
        BENCHMARKS["dedup-biographic"](["--records", "10", "--parents", "1.5"])
