"""The demo holds one contingency plan for Palanca with its three scenarios computed, and its
triggers read "already in emergency mode" (the demo's Palanca is in emergency mode)."""

from __future__ import annotations

from typing import Any

import pytest

from hbm.preparedness.alerts import triggers_check
from hbm.preparedness.models import ContingencyPlan, ScenarioResult
from tests.demo.conftest import loaded_demo  # noqa: F401 - a fixture, used by name

pytestmark = pytest.mark.django_db


def test_the_demo_plan_is_computed_and_watched(loaded_demo: dict[str, Any]) -> None:  # noqa: F811
    assert loaded_demo["contingency_plans"] == 1
    plan = ContingencyPlan.objects.get()
    assert (plan.crossing_point.code, plan.status, plan.created_by.username) == (
        "PAL",
        "active",
        "planner.sofia",
    )
    assert plan.roles.count() == 5
    results = ScenarioResult.objects.filter(scenario__plan=plan)
    assert sorted(r.scenario.kind for r in results) == ["best", "most_likely", "worst"]
    assert {r.seed for r in results} == {2026}
    worst = results.get(scenario__kind="worst").figures
    assert worst["days"] == 10
    assert worst["staffing"]["officer_shifts_per_day"] > worst["staffing"]["planned_officer_shifts_per_day"]
    assert {c.state for c in triggers_check()} == {"emergency", "no_figure"}
