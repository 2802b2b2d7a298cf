"""The assessment pages: a planner drafts and completes the questionnaire; the scores, the chart and
the gap report; who may see which page; English, French and Arabic (right to left)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from hbm.accounts.models import User
from hbm.assessments.models import Assessment
from hbm.assessments.services import AssessmentData, assessment_create
from hbm.audit.models import AuditEntry
from hbm.core.context import Actor
from hbm.crossings.models import CrossingPoint
from hbm.engines.assessment import default_questionnaire

pytestmark = pytest.mark.django_db
Api = Callable[[User | None], Client]


def form(**changes: Any) -> dict[str, Any]:
    """The form as posted: title, country and every question at level 2, with ``changes``."""
    data: dict[str, Any] = {"title": "Palanca readiness", "country": "MDA", "crossing_point": ""}
    data.update({f"q_{q.id}": "2" for q in default_questionnaire().questions})
    data.update(changes)
    return data


def test_a_planner_saves_a_draft_then_completes_it_and_reads_the_report(
    api: Api, planner: User, crossing_point: CrossingPoint
) -> None:
    client = api(planner)
    assert 'data-testid="pillar-reception"' in client.get("/assessments/new").content.decode()

    # A draft with two questions left open and sea coverage not applying
    draft = form(
        crossing_point=str(crossing_point.pk),
        action="save",
        q_sop_emergency_mode="0",
        q_hbm_training="",
        q_air_coverage="",
        q_sea_coverage="na",
    )
    saved = client.post("/assessments/new", draft)
    assessment = Assessment.objects.get()
    assert saved.status_code == 302
    assert saved["Location"] == f"/assessments/{assessment.pk}/"
    assert (assessment.status, assessment.crossing_point_id) == ("draft", crossing_point.pk)
    assert assessment.answers["sop_emergency_mode"] == 0
    assert "hbm_training" not in assessment.answers
    assert assessment.not_applicable == ["sea_coverage"]

    page = client.get(saved["Location"]).content.decode()
    assert 'data-testid="assessment-chart"' in page
    assert "<svg" in page
    assert 'data-testid="pillar-policy_law"' in page
    assert page.index("Write and approve emergency-mode SOPs") < page.index('data-testid="gap-2"')
    assert 'data-testid="assessment-edit"' in page

    # Completing with questions still open is refused next to those questions, nothing changed
    refused = client.post(
        f"/assessments/{assessment.pk}/edit", {**draft, "revision": "1", "action": "complete"}
    )
    assert refused.status_code == 422
    assert 'id="field-q_hbm_training"' in refused.content.decode()
    assert "not answered" in refused.content.decode()
    assessment.refresh_from_db()
    assert (assessment.status, assessment.revision) == ("draft", 1)

    # Answered in full, it completes; the page has no edit button any more
    completed = client.post(
        f"/assessments/{assessment.pk}/edit", form(revision="1", action="complete", q_sea_coverage="na")
    )
    assert completed.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.status, assessment.revision) == ("completed", 2)
    page = client.get(completed["Location"]).content.decode()
    assert 'data-testid="assessment-edit"' not in page
    assert client.get(f"/assessments/{assessment.pk}/edit").status_code == 302


def test_a_form_with_a_bad_country_says_so_on_the_field_and_writes_nothing(api: Api, planner: User) -> None:
    response = api(planner).post("/assessments/new", form(country="XXX", action="save"))

    assert response.status_code == 422
    assert 'id="field-country"' in response.content.decode()
    assert Assessment.objects.count() == 0
    assert not AuditEntry.objects.exists()


@pytest.fixture
def existing(planner: User) -> Assessment:
    data = AssessmentData(title="Existing", country="MDA", answers={"land_coverage": 1})
    return assessment_create(actor=Actor(user=planner), data=data)


@pytest.mark.parametrize(
    ("who", "path", "status"),
    [
        ("anonymous", "/assessments/", 302),
        ("officer", "/assessments/", 403),
        ("coordinator", "/assessments/", 200),
        ("coordinator", "/assessments/{id}/", 200),
        ("officer", "/assessments/{id}/", 403),
        ("officer", "/assessments/new", 403),
        ("coordinator", "/assessments/new", 403),
        ("coordinator", "/assessments/{id}/edit", 403),
        ("other_planner", "/assessments/{id}/", 404),
        ("other_planner", "/assessments/{id}/edit", 404),
        ("planner", "/assessments/{id}/edit", 200),
    ],
)
def test_who_sees_which_page(
    api: Api,
    existing: Assessment,
    planner: User,
    other_planner: User,
    coordinator: User,
    officer: User,
    who: str,
    path: str,
    status: int,
) -> None:
    users = {
        "anonymous": None,
        "officer": officer,
        "coordinator": coordinator,
        "other_planner": other_planner,
    }
    users["planner"] = planner
    before = AuditEntry.objects.count()

    response = api(users[who]).get(path.replace("{id}", str(existing.pk)))

    assert response.status_code == status
    if status in (403, 404):  # no personal data: a refusal writes no audit entry
        assert AuditEntry.objects.count() == before
        assert existing.organisation.name not in response.content.decode()


def test_the_navigation_offers_assessments_to_planners_and_coordinators_only(
    api: Api, planner: User, coordinator: User, officer: User
) -> None:
    assert 'data-testid="nav-assessments"' in api(planner).get("/").content.decode()
    assert 'data-testid="nav-assessments"' in api(coordinator).get("/").content.decode()
    assert 'data-testid="nav-assessments"' not in api(officer).get("/").content.decode()


@pytest.mark.parametrize(
    ("language", "pillar"), [("fr", "Politiques et cadre juridique"), ("ar", "السياسات والإطار القانوني")]
)
def test_the_report_speaks_the_planners_language(
    api: Api, planner: User, existing: Assessment, language: str, pillar: str
) -> None:
    client = api(planner)
    client.cookies["django_language"] = language

    page = client.get(f"/assessments/{existing.pk}/").content.decode()

    assert f'lang="{language}"' in page
    assert pillar in page
    assert ('dir="rtl"' in page) is (language == "ar")


def test_a_completed_assessment_starts_the_next_review_with_its_answers(api: Api, planner: User) -> None:
    data = AssessmentData(title="2025 review", country="MDA", answers={"land_coverage": 1})
    earlier = assessment_create(actor=Actor(user=planner), data=data)
    Assessment.objects.filter(pk=earlier.pk).update(status="completed")
    client = api(planner)

    assert 'data-testid="assessment-review"' in client.get(f"/assessments/{earlier.pk}/").content.decode()
    page = client.get(f"/assessments/new?from={earlier.pk}").content.decode()

    assert 'data-testid="assessment-from"' in page
    assert 'value="2025 review"' in page
    checked = re.findall(r'<input type="radio" name="q_land_coverage" value="(\w*)"[^>]*checked', page)
    assert checked == ["1"]
    assert 'name="revision"' in page
    assert 'name="revision" value=' not in page
    assert client.get("/assessments/new?from=not-a-uuid").status_code == 404
