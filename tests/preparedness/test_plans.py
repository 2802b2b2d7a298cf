"""Plans, scenarios and results through the services: refusals name the field and write nothing;
a computed result is stored with what reproduces it, and the same seed gives the same figures."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.core.context import Actor
from hbm.core.errors import PermissionDenied, ValidationFailed
from hbm.crossings.models import CrossingPoint
from hbm.preparedness.computing import StageData, scenario_figures
from hbm.preparedness.enums import PlanStatus, ScenarioKind, TriggerMetric
from hbm.preparedness.models import ContingencyPlan, PlanScenario, ScenarioResult
from hbm.preparedness.selectors import access_plan, access_plan_for_editing, plan_scenario, plans_list
from hbm.preparedness.services import (
    PlanData,
    RoleData,
    TriggerData,
    plan_create,
    plan_update,
    scenario_compute,
    scenario_save,
)
from tests.preparedness.conftest import small_scenario

pytestmark = pytest.mark.django_db


def _state() -> tuple[int, ...]:
    return (
        ContingencyPlan.objects.count(),
        PlanScenario.objects.count(),
        ScenarioResult.objects.count(),
        AuditEntry.objects.filter(event__startswith="preparedness.").count(),
    )


def test_a_plan_is_created_with_roles_and_triggers_and_audited(plan: ContingencyPlan, partner: Any) -> None:
    assert plan.version == 2  # created, then its scenario saved
    assert [(r.organisation_id, r.responsibilities) for r in plan.roles.all()] == [
        (partner.pk, "Health screening and first aid.")
    ]
    assert [(t.metric, t.threshold) for t in plan.triggers.all()] == [("arrivals_per_day", 10.0)]
    events = list(AuditEntry.objects.filter(subject_id=str(plan.pk)).values_list("event", flat=True))
    assert events == [AuditEvent.PLAN_CREATED, AuditEvent.PLAN_UPDATED]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"crossing_point_id": uuid.uuid4()}, "crossing_point_id"),
        ({"target_p90_wait_minutes": -5.0}, "target_p90_wait_minutes"),
        ({"target_p90_wait_minutes": float("nan")}, "target_p90_wait_minutes"),
        ({"figures_overlay": "tropical"}, "figures_overlay"),
        (
            {"roles": (RoleData(organisation_id=uuid.uuid4(), responsibilities="x"),)},
            "roles.0.organisation_id",
        ),
        (
            {"triggers": (TriggerData(metric=TriggerMetric.WAITING_TIME, threshold=-1),)},
            "triggers.0.threshold",
        ),
        (
            {
                "triggers": (
                    TriggerData(metric=TriggerMetric.WAITING_TIME, threshold=60),
                    TriggerData(metric=TriggerMetric.WAITING_TIME, threshold=90),
                )
            },
            "triggers.1.metric",
        ),
    ],
)
def test_an_impossible_plan_is_refused_naming_the_field(
    planner_actor: Actor, normal_point: CrossingPoint, changes: dict[str, Any], field: str
) -> None:
    before = _state()
    values: dict[str, Any] = {"crossing_point_id": normal_point.pk, "title": "Plan"}
    values.update(changes)
    with pytest.raises(ValidationFailed) as refused:
        plan_create(actor=planner_actor, data=PlanData(**values))
    assert list(refused.value.fields) == [field]
    assert _state() == before


def test_a_role_that_does_not_plan_cannot_write_one(
    coordinator_actor: Actor, normal_point: CrossingPoint
) -> None:
    with pytest.raises(PermissionDenied):
        plan_create(actor=coordinator_actor, data=PlanData(crossing_point_id=normal_point.pk, title="Plan"))
    assert _state() == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"arrivals_per_day": (100.0, -5.0)}, "arrivals_per_day.1"),
        ({"arrivals_per_day": ()}, "arrivals_per_day"),
        ({"stages": (StageData(kind="triage", servers=(0, 0, 0)),)}, "stages.0.servers"),
        ({"stages": (StageData(kind="triage", servers=(1, 1)),)}, "stages.0.servers"),
        ({"stages": (StageData(kind="juggling", servers=(1, 1, 1)),)}, "stages.0.kind"),
        (
            {"stages": (StageData(kind="triage", servers=(1, 1, 1), mean_minutes=-2),)},
            "stages.0.mean_minutes",
        ),
        ({"stages": ()}, "stages"),
        ({"hourly_pattern": (1.0,) * 23}, "hourly_pattern"),
        ({"specific_needs_share": 1.5}, "specific_needs_share"),
        ({"shift_hours": 7}, "shift_hours"),
        ({"average_stay_days": 0.0}, "average_stay_days"),
        ({"demographics": {"pregnant": 2.0}}, "demographics.pregnant"),
    ],
)
def test_an_impossible_scenario_is_refused_naming_the_field(
    plan: ContingencyPlan, planner_actor: Actor, changes: dict[str, Any], field: str
) -> None:
    before = _state()
    with pytest.raises(ValidationFailed) as refused:
        scenario_save(
            actor=planner_actor, plan_id=plan.pk, kind=ScenarioKind.WORST, data=small_scenario(**changes)
        )
    assert list(refused.value.fields) == [field]
    assert _state() == before


def test_a_partner_reads_the_plan_but_does_not_change_it(
    plan: ContingencyPlan, partner_planner: Any, stranger_planner: Any
) -> None:
    assert access_plan(user=partner_planner, plan_id=plan.pk) == plan
    assert list(plans_list(user=partner_planner)) == [plan]
    with pytest.raises(PermissionDenied):
        access_plan_for_editing(user=partner_planner, plan_id=plan.pk)
    with pytest.raises(PermissionDenied):
        scenario_save(
            actor=Actor(user=partner_planner), plan_id=plan.pk, kind=ScenarioKind.BEST, data=small_scenario()
        )
    assert list(plans_list(user=stranger_planner)) == []


def test_an_update_replaces_roles_and_triggers(plan: ContingencyPlan, planner_actor: Actor) -> None:
    updated = plan_update(
        actor=planner_actor,
        plan_id=plan.pk,
        data=PlanData(
            crossing_point_id=plan.crossing_point_id,
            title="Palanca plan, revised",
            status=PlanStatus.DRAFT,
            triggers=(TriggerData(metric=TriggerMetric.RECEPTION_OCCUPANCY, threshold=85),),
        ),
    )
    assert (updated.title, updated.version, updated.roles.count()) == ("Palanca plan, revised", 3, 0)
    assert [(t.metric, t.threshold) for t in updated.triggers.all()] == [("reception_occupancy", 85.0)]


def test_a_result_is_stored_with_what_reproduces_it(plan: ContingencyPlan, planner_actor: Actor) -> None:
    scenario = plan_scenario(plan=plan, kind="most_likely")
    result = scenario_compute(actor=planner_actor, scenario=scenario, seed=7)
    assert (result.seed, result.replications, result.plan_version) == (7, 10, 2)
    assert result.engine_version.startswith("hbm ")
    figures = result.figures
    assert figures["days"] == 3
    assert [s["name"] for s in figures["stages"]] == ["triage", "individual_registration"]
    assert len(figures["waiting_by_hour"]) == 72
    assert len(figures["mean_wait_by_day"]) == 3
    assert figures["staffing"]["target"] == 30.0
    assert len(figures["staffing"]["stages"][1]["servers"]) == 3
    water = next(i for i in figures["requirements"]["items"] if i["id"] == "water_domestic")
    # 400, 800, 600 arrivals staying 1.5 days: 400, 1000, 1000 present; 15 litres each.
    assert figures["requirements"]["present"] == [400.0, 1000.0, 1000.0]
    assert water["per_day"] == [6000.0, 15000.0, 15000.0]
    # The stored inputs and seed give the same figures again.
    from hbm.preparedness.computing import ScenarioData

    again = scenario_figures(ScenarioData.from_json(result.inputs), target_p90_wait=30.0, overlay="", seed=7)
    assert again == figures
    assert (
        AuditEntry.objects.filter(event=AuditEvent.PLAN_UPDATED, detail__changed="result:most_likely").count()
        == 1
    )


def test_a_surge_beyond_capacity_is_simulated_with_its_backlog(
    plan: ContingencyPlan, planner_actor: Actor
) -> None:
    overloaded = small_scenario(
        arrivals_per_day=(3000.0, 3000.0),
        stages=(StageData(kind="individual_registration", servers=(1, 1, 1)),),
    )
    scenario = scenario_save(actor=planner_actor, plan_id=plan.pk, kind=ScenarioKind.WORST, data=overloaded)
    figures = scenario_compute(actor=planner_actor, scenario=scenario).figures
    assert figures["overloaded_stages"] == ["individual_registration"]
    assert figures["overloaded_replications"] == 10
    assert figures["backlog_persons"]["mean"] > 4500  # about 960 of 6,000 served in 2 days
    assert figures["drain_hours"]["mean"] > 24


def test_a_large_scenario_is_left_to_the_command_line(plan: ContingencyPlan, planner_actor: Actor) -> None:
    big = small_scenario(arrivals_per_day=(60_000.0,) * 3)
    scenario = scenario_save(actor=planner_actor, plan_id=plan.pk, kind=ScenarioKind.WORST, data=big)
    before = _state()
    with pytest.raises(ValidationFailed) as refused:
        scenario_compute(actor=planner_actor, scenario=scenario)
    assert "hbm plans compute" in refused.value.message
    assert _state() == before
