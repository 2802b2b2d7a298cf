"""The planner's pages and the alerts page, through the browser's forms (Django's test client):
a plan, a scenario refused by field then saved, computed, charted, exported; an alert decided."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from pypdf import PdfReader

from hbm.accounts.models import User
from hbm.crossings.models import CrossingPoint, ModeDecision
from hbm.preparedness.enums import AlertStatus
from hbm.preparedness.models import ContingencyPlan, PlanAlert, PlanScenario, ScenarioResult
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

SCENARIO_FORM = {
    "arrivals_per_day": "300 600 450",
    "shift_hours": "8",
    "shift_start_hour": "6",
    "waiting_area_capacity": "60",
    "average_stay_days": "1.5",
    "stage_triage_position": "1",
    "stage_triage_servers": "1 1 1",
    "stage_individual_registration_position": "2",
    "stage_individual_registration_servers": "3 3 1",
}


def _roles_management(total: int = 2) -> dict[str, str]:
    return {
        "roles-TOTAL_FORMS": str(total),
        "roles-INITIAL_FORMS": "0",
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "30",
    }


def test_a_planner_writes_a_plan_through_the_form(
    planner: User, normal_point: CrossingPoint, partner: Any
) -> None:
    client = client_for(planner)
    assert client.get("/plans/new").status_code == 200
    refused = client.post(
        "/plans/new",
        {
            "crossing_point": str(normal_point.pk),
            "title": "Palanca plan",
            "status": "active",
            "target_p90_wait_minutes": "-3",
            "trigger_waiting_time": "-1",
            **_roles_management(),
        },
    )
    assert refused.status_code == 422
    assert ContingencyPlan.objects.count() == 0
    saved = client.post(
        "/plans/new",
        {
            "crossing_point": str(normal_point.pk),
            "title": "Palanca plan",
            "status": "active",
            "target_p90_wait_minutes": "20",
            "trigger_arrivals_per_day": "2500",
            "trigger_waiting_time": "",
            "trigger_reception_occupancy": "90",
            "roles-0-organisation": str(partner.pk),
            "roles-0-responsibilities": "First aid at the gate.",
            **_roles_management(),
        },
    )
    plan = ContingencyPlan.objects.get()
    assert saved.status_code == 302
    assert saved["Location"] == f"/plans/{plan.pk}/"
    assert sorted(plan.triggers.values_list("metric", "threshold")) == [
        ("arrivals_per_day", 2500.0),
        ("reception_occupancy", 90.0),
    ]
    page = client.get(saved["Location"]).content.decode()
    assert "First aid at the gate." in page
    assert "counted from the crossing point" in page


def test_a_service_refusal_lands_on_its_trigger_field(plan: ContingencyPlan, planner: User) -> None:
    response = client_for(planner).post(
        f"/plans/{plan.pk}/edit",
        {
            "crossing_point": str(plan.crossing_point_id),
            "title": plan.title,
            "status": "active",
            "target_p90_wait_minutes": "30",
            "trigger_waiting_time": "-5",
            **_roles_management(),
        },
    )
    assert response.status_code == 422
    assert "trigger_waiting_time" in response.context["form"].errors
    assert ContingencyPlan.objects.get().version == plan.version


def test_a_scenario_is_refused_by_field_saved_computed_and_charted(
    plan: ContingencyPlan, planner: User
) -> None:
    client = client_for(planner)
    path = f"/plans/{plan.pk}/scenarios/worst/"
    assert client.get(path).status_code == 200
    refused = client.post(path, {**SCENARIO_FORM, "stage_triage_servers": "0 0 0"})
    assert refused.status_code == 422
    assert "stage_triage_servers" in refused.context["form"].errors
    negative = client.post(path, {**SCENARIO_FORM, "arrivals_per_day": "300 -1"})
    assert "arrivals_per_day" in negative.context["form"].errors
    assert not PlanScenario.objects.filter(kind="worst").exists()
    assert client.post(path, SCENARIO_FORM).status_code == 302
    computed = client.post(f"/plans/{plan.pk}/scenarios/worst/compute")
    assert computed["Location"] == f"/plans/{plan.pk}/scenarios/worst/results"
    assert ScenarioResult.objects.filter(scenario__kind="worst").count() == 1
    page = client.get(computed["Location"]).content.decode()
    for key in ("wait-by-day", "queues", "staffing", "throughput"):
        assert f'data-testid="chart-{key}"' in page
        assert f'data-testid="chart-{key}-table"' in page
    assert page.count("<svg") == 4
    assert "Covered living space" in page
    overview = client.get(f"/plans/{plan.pk}/").content.decode()
    compared = overview[overview.index('data-testid="scenarios-compared"') :]
    assert "Worst case" in compared
    assert "Water at the peak (litres per day)" in compared


def test_results_and_pdf_in_arabic(plan: ContingencyPlan, planner: User) -> None:
    client = client_for(planner)
    client.post(f"/plans/{plan.pk}/scenarios/most_likely/compute")
    client.cookies["django_language"] = "ar"
    page = client.get(f"/plans/{plan.pk}/scenarios/most_likely/results", HTTP_ACCEPT_LANGUAGE="ar")
    html = page.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "الانتظار" in html  # "waiting" in the charts' titles
    pdf = client.get(f"/plans/{plan.pk}/pdf", HTTP_ACCEPT_LANGUAGE="ar")
    assert pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    fonts = {str(f) for page_ in reader.pages for f in page_["/Resources"]["/Font"].values()}
    assert fonts
    text = "".join(p.extract_text() for p in reader.pages)
    assert "Palanca surge plan" in text
    assert re.search("[\u0600-\u06ff\ufb50-\ufeff]", text)  # Arabic letters, shaped or not


def test_the_alerts_page_raises_and_a_coordinator_decides(
    plan: ContingencyPlan,
    coordinator: User,
    officer: User,
    stranger_planner: User,
    count_arrivals: Callable[[int], None],
) -> None:
    count_arrivals(20)
    assert client_for(officer).get("/plans/alerts/").status_code == 403
    stranger = client_for(stranger_planner).get("/plans/alerts/")
    assert (stranger.status_code, PlanAlert.objects.count()) == (200, 0)
    page = client_for(coordinator).get("/plans/alerts/")
    alert = PlanAlert.objects.get()
    assert f'data-testid="decide-{alert.pk}"' in page.content.decode()
    short = client_for(coordinator).post(
        f"/plans/alerts/{alert.pk}/decide", {"decision": "switch", "reason": "x"}
    )
    assert short.status_code == 302
    assert PlanAlert.objects.get().status == AlertStatus.OPEN
    client_for(coordinator).post(
        f"/plans/alerts/{alert.pk}/decide", {"decision": "switch", "reason": "Twenty arrivals before noon."}
    )
    assert PlanAlert.objects.get().status == AlertStatus.SWITCHED
    assert ModeDecision.objects.get().to_mode == "emergency"


def test_who_sees_which_page(
    plan: ContingencyPlan, officer: User, stranger_planner: User, partner_planner: User
) -> None:
    assert client_for(None).get("/plans/").status_code == 302
    assert client_for(officer).get("/plans/").status_code == 403
    assert client_for(stranger_planner).get(f"/plans/{plan.pk}/").status_code == 404
    assert client_for(partner_planner).get(f"/plans/{plan.pk}/").status_code == 200
    assert client_for(partner_planner).get(f"/plans/{plan.pk}/edit").status_code == 403
    assert (
        client_for(partner_planner).post(f"/plans/{plan.pk}/scenarios/most_likely/compute").status_code == 403
    )
    assert ScenarioResult.objects.count() == 0


def test_the_admin_lists_plans_and_alerts_read_only(
    plan: ContingencyPlan, make_user: Callable[..., User]
) -> None:
    admin = make_user("admin", posted=False, username="root", is_staff=True, is_superuser=True)
    client = client_for(admin)
    listing = client.get("/admin/preparedness/contingencyplan/")
    assert listing.status_code == 200
    assert "Palanca surge plan" in listing.content.decode()
    assert client.get("/admin/preparedness/planalert/").status_code == 200
    assert client.get("/admin/preparedness/contingencyplan/add/").status_code == 403
