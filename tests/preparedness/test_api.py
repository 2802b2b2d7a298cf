"""The preparedness API end to end, and who may call each endpoint.

Every response is checked against the committed OpenAPI document. A refused call writes nothing
(no plan, scenario, result, reading, alert, mode decision or audit entry beyond refusals)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from hbm.accounts.models import User
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.core.context import Actor
from hbm.crossings.models import CrossingPoint, ModeDecision
from hbm.preparedness.alerts import triggers_check
from hbm.preparedness.models import (
    ContingencyPlan,
    PlanAlert,
    PlanReading,
    PlanRole,
    PlanScenario,
    PlanTrigger,
    ScenarioResult,
)
from hbm.preparedness.selectors import plan_scenario
from hbm.preparedness.services import scenario_compute
from tests.api.conftest import assert_matches_openapi

pytestmark = pytest.mark.django_db

SCENARIO = {
    "arrivals_per_day": [300, 600],
    "stages": [
        {"kind": "triage", "servers": [1, 1, 1]},
        {"kind": "individual_registration", "servers": [3, 3, 1]},
    ],
    "waiting_area_capacity": 80,
}


def test_a_planner_builds_computes_and_exports_a_plan(
    api: Callable[[User | None], Client],
    planner: User,
    partner: Any,
    normal_point: CrossingPoint,
    openapi_check: Callable[[Any], None],
) -> None:
    client = api(planner)
    made = client.post(
        "/api/preparedness/plans",
        {
            "crossing_point_id": str(normal_point.pk),
            "title": "Palanca surge plan",
            "status": "active",
            "roles": [{"organisation_id": str(partner.pk), "responsibilities": "First aid."}],
            "triggers": [
                {"metric": "arrivals_per_day", "threshold": 500},
                {"metric": "waiting_time", "threshold": 90},
            ],
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    openapi_check(made)
    plan_id = made.json()["id"]
    assert [t["evaluated_from"] for t in made.json()["triggers"]] == ["registrations", "reading"]

    path = f"/api/preparedness/plans/{plan_id}/scenarios/most_likely"
    impossible = client.put(
        path,
        {**SCENARIO, "stages": [{"kind": "triage", "servers": [0, 0, 0]}]},
        content_type="application/json",
    )
    assert impossible.status_code == 422
    openapi_check(impossible)
    assert list(impossible.json()["fields"]) == ["stages.0.servers"]
    unknown = client.put(path, {**SCENARIO, "colour": "red"}, content_type="application/json")
    assert (unknown.status_code, unknown.json()["fields"]) == (422, {"colour": ["unknown field"]})
    saved = client.put(path, SCENARIO, content_type="application/json")
    assert saved.status_code == 200, saved.content
    openapi_check(saved)

    computed = client.post(f"{path}/results", {"seed": 3}, content_type="application/json")
    assert computed.status_code == 201, computed.content
    openapi_check(computed)
    figures = computed.json()["figures"]
    assert computed.json()["seed"] == 3
    assert figures["requirements"]["present"] == [300.0, 900.0]  # a stay of 2 days
    latest = client.get(f"{path}/results/latest")
    openapi_check(latest)
    assert latest.json()["id"] == computed.json()["id"]

    pdf = client.get(f"/api/preparedness/plans/{plan_id}/pdf")
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Palanca surge plan" in text
    assert "Waiting time over the days" in text
    assert "First aid." in text


def test_the_alerts_api_checks_the_triggers_and_a_coordinator_decides(
    api: Callable[[User | None], Client],
    plan: ContingencyPlan,
    coordinator: User,
    count_arrivals: Callable[[int], None],
    openapi_check: Callable[[Any], None],
) -> None:
    count_arrivals(25)
    first = api(coordinator).get("/api/preparedness/alerts")
    openapi_check(first)
    again = api(coordinator).get("/api/preparedness/alerts")
    [check] = again.json()["checks"]
    assert (check["state"], check["value"], check["source"]) == ("crossed", 25.0, "registrations")
    [alert] = again.json()["alerts"]
    assert alert["id"] == check["alert_id"]
    assert PlanAlert.objects.count() == 1
    decided = api(coordinator).post(
        f"/api/preparedness/alerts/{alert['id']}/decide",
        {"decision": "switch", "reason": "25 arrivals by noon, the trigger is 10."},
        content_type="application/json",
    )
    assert decided.status_code == 200, decided.content
    openapi_check(decided)
    assert (decided.json()["status"], decided.json()["crossing_point_mode"]) == ("switched", "emergency")
    assert decided.json()["mode_decision_id"] == str(ModeDecision.objects.get().pk)


# --- who may call what ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    plan: ContingencyPlan
    alert: PlanAlert
    users: dict[str, User]


@pytest.fixture
def world(
    plan: ContingencyPlan,
    planner: User,
    partner_planner: User,
    stranger_planner: User,
    coordinator: User,
    officer: User,
    planner_actor: Actor,
    count_arrivals: Callable[[int], None],
) -> World:
    scenario_compute(actor=planner_actor, scenario=plan_scenario(plan=plan, kind="most_likely"))
    count_arrivals(40)
    [check] = triggers_check()
    assert check.alert is not None
    users = {
        "planner": planner,
        "partner": partner_planner,
        "stranger": stranger_planner,
        "coordinator": coordinator,
        "officer": officer,
    }
    return World(plan=plan, alert=check.alert, users=users)


def _state() -> tuple[Any, ...]:
    rows = tuple(
        m.objects.count()
        for m in (
            ContingencyPlan,
            PlanScenario,
            ScenarioResult,
            PlanRole,
            PlanTrigger,
            PlanReading,
            PlanAlert,
        )
    )
    audit = AuditEntry.objects.exclude(event__in=[AuditEvent.ACCESS_REFUSED, AuditEvent.LOGIN_FAILED]).count()
    versions = tuple(ContingencyPlan.objects.order_by("pk").values_list("version", flat=True))
    alerts = tuple(PlanAlert.objects.order_by("pk").values_list("status", flat=True))
    modes = tuple(CrossingPoint.objects.order_by("pk").values_list("mode", flat=True))
    return rows, audit, versions, alerts, modes, ModeDecision.objects.count()


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: Callable[[World], str]
    body: Callable[[World], dict[str, Any]] | None
    right: str
    ok: int
    wrong: str  # a signed-in user whose role may not
    other_org: str | None  # someone of another organisation
    other_org_status: int = 404


def _plan(w: World) -> str:
    return f"/api/preparedness/plans/{w.plan.pk}"


def _plan_body(w: World) -> dict[str, Any]:
    return {"crossing_point_id": str(w.plan.crossing_point_id), "title": "A plan", "status": "draft"}


ENDPOINTS = [
    Endpoint(
        "list", "get", lambda w: "/api/preparedness/plans", None, "planner", 200, "officer", "stranger", 200
    ),
    Endpoint(
        "create", "post", lambda w: "/api/preparedness/plans", _plan_body, "planner", 201, "coordinator", None
    ),
    Endpoint("detail", "get", _plan, None, "partner", 200, "officer", "stranger"),
    Endpoint("update", "put", _plan, _plan_body, "planner", 200, "coordinator", "partner", 403),
    Endpoint(
        "scenario",
        "put",
        lambda w: f"{_plan(w)}/scenarios/best",
        lambda w: SCENARIO,
        "planner",
        200,
        "coordinator",
        "stranger",
    ),
    Endpoint(
        "compute",
        "post",
        lambda w: f"{_plan(w)}/scenarios/most_likely/results",
        lambda w: {"seed": 2},
        "planner",
        201,
        "coordinator",
        "partner",
        403,
    ),
    Endpoint(
        "latest",
        "get",
        lambda w: f"{_plan(w)}/scenarios/most_likely/results/latest",
        None,
        "coordinator",
        200,
        "officer",
        "stranger",
    ),
    Endpoint("pdf", "get", lambda w: f"{_plan(w)}/pdf", None, "partner", 200, "officer", "stranger"),
    Endpoint(
        "rosters",
        "post",
        lambda w: f"{_plan(w)}/scenarios/most_likely/rosters",
        lambda w: {
            "rosters": [
                {"name": "Planned", "servers": {"triage": [1, 1, 1], "individual_registration": [3, 3, 1]}}
            ],
            "replications": 2,
        },
        "partner",
        200,
        "officer",
        "stranger",
    ),
    Endpoint(
        "reading",
        "post",
        lambda w: f"{_plan(w)}/readings",
        lambda w: {"metric": "waiting_time", "value": 45},
        "coordinator",
        201,
        "officer",
        "partner",
        403,
    ),
    Endpoint(
        "alerts",
        "get",
        lambda w: "/api/preparedness/alerts",
        None,
        "coordinator",
        200,
        "officer",
        "stranger",
        200,
    ),
    Endpoint(
        "decide",
        "post",
        lambda w: f"/api/preparedness/alerts/{w.alert.pk}/decide",
        lambda w: {"decision": "dismiss", "reason": "A planned convoy, expected."},
        "coordinator",
        200,
        "planner",
        "stranger",
    ),
]


def _call(client: Client, endpoint: Endpoint, world: World) -> Any:
    body = endpoint.body(world) if endpoint.body else None
    method = getattr(client, endpoint.method)
    if body is None:
        return method(endpoint.path(world))
    return method(endpoint.path(world), body, content_type="application/json")


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_who_may_call_each_endpoint(
    endpoint: Endpoint, world: World, api: Callable[[User | None], Client]
) -> None:
    before = _state()
    anonymous = _call(api(None), endpoint, world)
    assert anonymous.status_code == 401
    assert_matches_openapi(anonymous)
    wrong = _call(api(world.users[endpoint.wrong]), endpoint, world)
    assert wrong.status_code == 403, wrong.content
    assert_matches_openapi(wrong)
    if endpoint.other_org is not None:
        other = _call(api(world.users[endpoint.other_org]), endpoint, world)
        assert other.status_code == endpoint.other_org_status, other.content
        assert_matches_openapi(other)
        if other.status_code == 200:
            body = other.json()
            shown = body if isinstance(body, list) else body["alerts"]
            assert shown == []
    assert _state() == before
    right = _call(api(world.users[endpoint.right]), endpoint, world)
    assert right.status_code == endpoint.ok, right.content
    assert_matches_openapi(right)


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("", {"title": "x", "crossing_point_id": "POINT", "status": "bogus"}, "status"),
        (
            "",
            {"title": "x", "crossing_point_id": "POINT", "triggers": [{"metric": "rain", "threshold": 1}]},
            "triggers.0.metric",
        ),
        (
            "",
            {"title": "x", "crossing_point_id": "POINT", "target_p90_wait_minutes": 0},
            "target_p90_wait_minutes",
        ),
        (
            "",
            {
                "title": "x",
                "crossing_point_id": "POINT",
                "roles": [{"organisation_id": "POINT", "responsibilities": "x"}],
            },
            "roles.0.organisation_id",
        ),
        ("/scenarios/worst", {**SCENARIO, "arrivals_per_day": [100, -3]}, "arrivals_per_day.1"),
        ("/scenarios/worst", {**SCENARIO, "shift_hours": 5}, "shift_hours"),
        (
            "/scenarios/worst",
            {**SCENARIO, "stages": [{"kind": "triage", "servers": [1, 1, 1], "colour": 1}]},
            "stages.0.colour",
        ),
        ("/scenarios/worst", {**SCENARIO, "demographics": {"pregnant": 1.5}}, "demographics.pregnant"),
        ("/scenarios/worst", {**SCENARIO, "arrivals_per_day": [5_000_000, 5_000_001]}, "arrivals_per_day"),
        ("/readings", {"metric": "waiting_time", "value": -4}, "value"),
        ("/readings", {"metric": "arrivals_per_day", "value": 40}, "metric"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(
    api: Callable[[User | None], Client],
    plan: ContingencyPlan,
    planner: User,
    path: str,
    body: dict[str, Any],
    field: str,
) -> None:
    raw = json.dumps(body).replace('"POINT"', f'"{plan.crossing_point_id}"')
    method = "post" if path in ("", "/readings") else "put"
    url = "/api/preparedness/plans" + (f"/{plan.pk}{path}" if path else "")
    if path == "" and field == "target_p90_wait_minutes":
        method, url = "put", f"/api/preparedness/plans/{plan.pk}"
    before = _state()
    response = getattr(api(planner), method)(url, raw, content_type="application/json")
    assert response.status_code == 422, response.content
    assert_matches_openapi(response)
    assert list(response.json()["fields"]) == [field]
    assert _state() == before
