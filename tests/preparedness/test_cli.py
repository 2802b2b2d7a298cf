"""`hbm plans`: the trigger check from the command line (idempotent) and computing a scenario too
large for a request."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.cli import main
from hbm.core.context import Actor
from hbm.preparedness.computing import StageData
from hbm.preparedness.enums import ScenarioKind
from hbm.preparedness.models import ContingencyPlan, PlanAlert, ScenarioResult
from hbm.preparedness.services import scenario_save
from tests.preparedness.conftest import small_scenario

pytestmark = pytest.mark.django_db


def test_check_triggers_raises_the_days_alert_once(
    plan: ContingencyPlan, count_arrivals: Callable[[int], None], capsys: pytest.CaptureFixture[str]
) -> None:
    count_arrivals(11)
    assert main(["plans", "check-triggers"]) == 0
    assert main(["plans", "check-triggers"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line.get("raised") for line in lines] == [True, 1, False, 0]
    assert (lines[0]["state"], lines[0]["value"]) == ("crossed", 11.0)
    assert lines[1] == {"checked": 1, "raised": 1}
    assert lines[3] == {"checked": 1, "raised": 0}
    assert PlanAlert.objects.count() == 1
    raised = AuditEntry.objects.get(event=AuditEvent.PLAN_ALERT_RAISED)
    assert (raised.actor_label, raised.detail["checked_by"]) == ("system", "cli")


def test_compute_runs_a_scenario_too_large_for_a_request(
    plan: ContingencyPlan, planner_actor: Actor, capsys: pytest.CaptureFixture[str]
) -> None:
    # 160,000 persons × 10 replications: over the request's limit, about 2 s here.
    big = small_scenario(
        arrivals_per_day=(80_000.0, 80_000.0),
        stages=(StageData("triage", (20, 20, 10)),),
    )
    scenario_save(actor=planner_actor, plan_id=plan.pk, kind=ScenarioKind.WORST, data=big)
    assert main(["plans", "compute", str(plan.pk), "--scenario", "worst", "--seed", "5"]) == 0
    summary = json.loads(capsys.readouterr().out)
    result = ScenarioResult.objects.get(pk=summary["result"])
    assert (result.seed, result.computed_by, result.figures["days"]) == (5, None, 2)
    assert main(["plans", "compute", str(plan.pk), "--scenario", "best"]) == 1
    assert "no such scenario" in capsys.readouterr().err
