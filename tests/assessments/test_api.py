"""The assessments API, end to end, every response as the committed OpenAPI document declares it;
one permission test per endpoint across callers, each refusal writing nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from hbm.accounts.models import User
from hbm.assessments.models import Assessment
from hbm.assessments.services import AssessmentData, assessment_create
from hbm.audit.models import AuditEntry
from hbm.core.context import Actor
from tests.assessments.conftest import all_answered, payload

pytestmark = pytest.mark.django_db
Api = Callable[[User | None], Client]


def test_a_planner_drafts_completes_and_reads_the_gap_report(
    api: Api, planner: User, coordinator: User, openapi_check: Callable[[Any], None]
) -> None:
    client = api(planner)

    questionnaire = client.get("/api/assessments/questionnaire", HTTP_ACCEPT_LANGUAGE="fr")
    openapi_check(questionnaire)
    assert questionnaire.json()["language"] == "fr"
    assert len(questionnaire.json()["pillars"]) == 11

    created = client.post("/api/assessments", payload(), content_type="application/json")
    assert created.status_code == 201
    openapi_check(created)
    body = created.json()
    assert (body["status"], body["revision"], body["country"]) == ("draft", 1, "MDA")
    assert [gap["question_id"] for gap in body["result"]["gaps"]] == [
        "sop_emergency_mode",
        "emergency_legal_basis",
    ]
    assert body["result"]["gaps"][0]["priority"] == "high"

    completed = client.post(
        f"/api/assessments/{body['id']}",
        payload(answers=all_answered(3, sea_coverage=None, hbm_training=1), revision=1, complete=True),
        content_type="application/json",
    )
    assert completed.status_code == 200
    openapi_check(completed)
    assert (completed.json()["status"], completed.json()["revision"]) == ("completed", 2)
    assert [gap["question_id"] for gap in completed.json()["result"]["gaps"]] == ["hbm_training"]

    read = api(coordinator).get(f"/api/assessments/{body['id']}", HTTP_ACCEPT_LANGUAGE="ar")
    openapi_check(read)
    assert read.json()["result"]["language"] == "ar"
    listed = api(coordinator).get("/api/assessments")
    openapi_check(listed)
    assert [row["id"] for row in listed.json()] == [body["id"]]


def test_unknown_fields_and_bad_levels_are_refused_by_name(
    api: Api, planner: User, openapi_check: Callable[[Any], None]
) -> None:
    client = api(planner)

    unknown = client.post("/api/assessments", payload(owner="me"), content_type="application/json")
    bad = client.post(
        "/api/assessments",
        payload(answers={"land_coverage": 9}, country="ZZZ"),
        content_type="application/json",
    )
    incomplete = client.post("/api/assessments", payload(complete=True), content_type="application/json")

    for response in (unknown, bad, incomplete):
        assert response.status_code == 422
        openapi_check(response)
    assert unknown.json()["fields"] == {"owner": ["unknown field"]}
    assert set(bad.json()["fields"]) == {"answers.land_coverage", "country"}
    assert "answers.hbm_training" in incomplete.json()["fields"]
    assert Assessment.objects.count() == 0


def test_a_stale_revision_is_a_conflict(
    api: Api, planner: User, openapi_check: Callable[[Any], None]
) -> None:
    client = api(planner)
    assessment_id = client.post("/api/assessments", payload(), content_type="application/json").json()["id"]
    client.post(f"/api/assessments/{assessment_id}", payload(revision=1), content_type="application/json")

    stale = client.post(
        f"/api/assessments/{assessment_id}",
        payload(title="Lost", revision=1),
        content_type="application/json",
    )

    assert stale.status_code == 409
    openapi_check(stale)
    assert Assessment.objects.get().title == "Moldova, eastern border, 2026"


CALLERS = ["anonymous", "other_organisation", "wrong_role", "reader", "planner"]


@pytest.fixture
def callers(planner: User, other_planner: User, coordinator: User, officer: User) -> dict[str, User | None]:
    return {
        "anonymous": None,
        "other_organisation": other_planner,
        "wrong_role": officer,
        "reader": coordinator,
        "planner": planner,
    }


@pytest.fixture
def existing(planner: User) -> Assessment:
    return assessment_create(
        actor=Actor(user=planner),
        data=AssessmentData(title="Existing", country="MDA", answers={"land_coverage": 2}),
    )


# (method, path, body, expected status per caller)
ENDPOINTS: list[tuple[str, str, dict[str, Any] | None, dict[str, int]]] = [
    (
        "get",
        "/api/assessments/questionnaire",
        None,
        {"anonymous": 401, "other_organisation": 200, "wrong_role": 403, "reader": 200, "planner": 200},
    ),
    (
        "get",
        "/api/assessments",
        None,
        {"anonymous": 401, "other_organisation": 200, "wrong_role": 403, "reader": 200, "planner": 200},
    ),
    (
        "post",
        "/api/assessments",
        payload(),
        {"anonymous": 401, "other_organisation": 201, "wrong_role": 403, "reader": 403, "planner": 201},
    ),
    (
        "get",
        "/api/assessments/{id}",
        None,
        {"anonymous": 401, "other_organisation": 404, "wrong_role": 403, "reader": 200, "planner": 200},
    ),
    (
        "post",
        "/api/assessments/{id}",
        payload(title="Changed", revision=1),
        {"anonymous": 401, "other_organisation": 404, "wrong_role": 403, "reader": 403, "planner": 200},
    ),
]


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(("method", "path", "body", "expected"), ENDPOINTS, ids=lambda v: str(v)[:40])
def test_each_endpoint_answers_each_caller_and_a_refusal_writes_nothing(
    api: Api,
    callers: dict[str, User | None],
    existing: Assessment,
    openapi_check: Callable[[Any], None],
    caller: str,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    expected: dict[str, int],
) -> None:
    client = api(callers[caller])
    before = (Assessment.objects.count(), AuditEntry.objects.count())
    url = path.replace("{id}", str(existing.pk))

    response = client.get(url) if method == "get" else client.post(url, body, content_type="application/json")

    assert response.status_code == expected[caller]
    openapi_check(response)
    if response.status_code >= 400:
        assert (Assessment.objects.count(), AuditEntry.objects.count()) == before
        existing.refresh_from_db()
        assert (existing.title, existing.revision) == ("Existing", 1)
    if caller == "other_organisation" and path == "/api/assessments":
        listed = response.json() if method == "get" else [response.json()]
        assert str(existing.pk) not in {row["id"] for row in listed}
