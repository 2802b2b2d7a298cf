"""The registration benchmark, end to end at a tiny size: real gunicorn, real HTTP, a fresh SQLite."""

from __future__ import annotations

import json
from random import Random

import pytest

from hbm.bench.registration import WARMUP_PER_CLIENT, main, percentile_ms, person_body


def test_a_small_run_stores_every_registration_and_reports_its_figures() -> None:
    figures = main(["--registrations", "40", "--clients", "2"])

    assert json.loads(json.dumps(figures)) == figures
    assert {k: figures[k] for k in ("benchmark", "backend", "registrations", "clients", "server")} == {
        "benchmark": "registration",
        "backend": "sqlite",
        "registrations": 40,
        "clients": 2,
        "server": "gunicorn gthread 3 workers × 1 threads",
    }
    assert (figures["errors"], figures["warmup_errors"], figures["first_error"]) == (0, 0, None)
    assert figures["warmup"] == 2 * WARMUP_PER_CLIENT
    assert figures["stored"] == figures["warmup"] + figures["registrations"] == 80
    assert 0 < figures["p50_ms"] <= figures["p95_ms"] <= figures["p99_ms"]
    # Both figures are rounded (seconds to 1 ms, per_second to 0.1), so allow for that and no more.
    low, high = 40 / (figures["seconds"] + 0.0005), 40 / max(figures["seconds"] - 0.0005, 1e-9)
    assert low - 0.05 <= figures["per_second"] <= high + 0.05
    assert figures["database"].startswith("sqlite 3.")
    assert figures["machine"]["cpus"] >= 1
    assert set(figures) >= {"server_cpu_ms_per_registration", "client_cpu_ms_per_registration", "date"}


def test_percentiles_are_nearest_rank() -> None:
    latencies = [i / 1000 for i in range(1, 101)]  # 1 ms … 100 ms

    assert [percentile_ms(latencies, q) for q in (0.5, 0.95, 0.99, 1.0)] == [50.0, 95.0, 99.0, 100.0]
    assert percentile_ms([0.007], 0.99) == 7.0


def test_the_people_sent_are_a_valid_minimum_data_set_and_reproducible() -> None:
    assert person_body(Random(3)) == person_body(Random(3))
    assert person_body(Random(3)) != person_body(Random(4))
    for body in (person_body(Random(seed)) for seed in range(50)):
        assert {"id", "given_names_latin", "surname_latin", "sex", "nationality", "languages"} <= set(body)
        assert ("estimated_age" in body) != ("date_of_birth" in body)


def test_bad_options_are_refused() -> None:
    with pytest.raises(SystemExit):
        main(["--clients", "0"])
