"""The follow-up overview benchmark at a tiny size: a fresh SQLite, the real services for the
template person, every flagged person placed, and the figures reported."""

from __future__ import annotations

import json

import pytest

from hbm.bench.followup import main


def test_a_small_run_places_every_flagged_person_and_times_the_overview() -> None:
    figures = main(["--flagged", "300", "--queries", "2", "--seed", "3"])

    assert json.loads(json.dumps(figures)) == figures
    assert {k: figures[k] for k in ("benchmark", "backend", "flagged", "queries")} == {
        "benchmark": "followup",
        "backend": "sqlite",
        "flagged": 300,
        "queries": 2,
    }
    assert sum(figures["phases"].values()) == 300
    assert all(n > 0 for n in figures["phases"].values())
    assert 0 < figures["overview_p50_ms"] <= figures["overview_p95_ms"]
    assert figures["overdue_p95_ms"] > 0
    assert figures["middle_page_p95_ms"] > 0


def test_bad_options_are_refused() -> None:
    with pytest.raises(SystemExit):
        main(["--flagged", "0"])
