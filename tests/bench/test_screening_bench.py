"""The screening benchmark at a tiny size (a fresh SQLite, the real services), and its answers."""

from __future__ import annotations

import json
from datetime import date
from random import Random

import pytest

from hbm.bench.screening import main
from hbm.demo.screening import answers_of
from hbm.engines.screening import check_answers, first_contact_screening, screen


def test_a_small_run_screens_refers_and_times_the_dashboard() -> None:
    figures = main(["--persons", "40", "--referrals", "600", "--queries", "3", "--seed", "3"])

    assert json.loads(json.dumps(figures)) == figures
    assert {k: figures[k] for k in ("benchmark", "backend", "persons", "stored_referrals", "queries")} == {
        "benchmark": "screening",
        "backend": "sqlite",
        "persons": 40,
        "stored_referrals": 600,
        "queries": 3,
    }
    assert 0 < figures["flagged"] <= 40
    assert figures["referrals_made"] == figures["referrals_sent"] > 0
    assert figures["flags"] >= figures["flagged"]
    assert figures["stored_flags"] >= 300  # at least one per stored person (one per two referrals)
    assert 0 < figures["dashboard_p50_ms"] <= figures["dashboard_p95_ms"]
    assert figures["dashboard_all_days_p95_ms"] > 0
    assert figures["dashboard_days_shown"] > 0
    assert figures["per_second"] == pytest.approx(40 / figures["seconds"], rel=0.01)
    assert figures["database"].startswith("sqlite 3.")


def test_the_answers_are_valid_for_the_questionnaire_and_reproducible() -> None:
    questionnaire, day = first_contact_screening(), date(2026, 11, 24)
    drawn = [answers_of(Random(5), day), answers_of(Random(5), day)]
    rng = Random(7)
    many = [answers_of(rng, day) for _ in range(400)]

    assert drawn[0] == drawn[1]
    flagged = 0
    for answers in many:
        typed = {k: date.fromisoformat(v) if k == "birth_date" else v for k, v in answers.items()}
        check_answers(questionnaire, typed, on=day)  # raises if any answer does not fit
        flagged += bool(screen(questionnaire, typed, on=day).flags)
    assert 120 < flagged < 280  # about two in five have a specific need


def test_bad_options_are_refused() -> None:
    for argv in (["--persons", "0"], ["--referrals", "1"], ["--queries", "0"]):
        with pytest.raises(SystemExit):
            main(argv)
