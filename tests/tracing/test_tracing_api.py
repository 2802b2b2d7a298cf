"""The family tracing API: filing, checking with the person found, disclosure to the caseworker
only; every response as the committed OpenAPI document declares it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from hbm.accounts.models import User
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.dedup.services import dedup_pending_process
from hbm.registration.enums import Sex
from hbm.registration.models import Person
from hbm.tracing.models import TracingMatch, TracingRequest
from hbm.tracing.services import tracing_pending_search

pytestmark = pytest.mark.django_db

FILING: dict[str, Any] = {
    "sought": {
        "given_names_latin": "Amina",
        "surname_latin": "Hassan",
        "sex": "F",
        "estimated_age": 8,
        "nationality": "SYR",
    },
    "relationship": "child",
    "enquirer_name": "Fatima Hassan",
    "enquirer_contact": "Red Cross desk, Palanca",
    "enquirer_consent": True,
    "separated_at_place": "Palanca bus station",
    "separated_on": "2026-11-20",
}


@pytest.fixture
def daughter(register: Callable[..., Person]) -> Person:
    person = register("AMINA", "HASAN", sex=Sex.FEMALE, date_of_birth=None, estimated_age=9)
    dedup_pending_process()
    return person


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, body, content_type="application/json")


def test_a_caseworker_files_a_request_and_a_retry_returns_it(
    api: Callable[[User | None], Client], tracer: User, openapi_check: Callable[[Any], None]
) -> None:
    client = api(tracer)
    body = {**FILING, "id": "6c1d7d0e-7a43-4c7e-9a55-0f7f2a1f3b11"}

    first = _post(client, "/api/tracing/requests", body)
    again = _post(client, "/api/tracing/requests", body)

    assert first.status_code == again.status_code == 201
    openapi_check(first)
    assert first.json()["id"] == again.json()["id"] == body["id"]
    assert first.json()["found"] == []
    assert first.json()["enquirer_name"] == "Fatima Hassan"
    assert TracingRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"enquirer_consent": False}, "enquirer_consent"),
        ({"sought": {**FILING["sought"], "nationality": "QQQ"}}, "nationality"),
        ({"sought": {**FILING["sought"], "birth_year": 2017}}, "date_of_birth"),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    api: Callable[[User | None], Client],
    tracer: User,
    openapi_check: Callable[[Any], None],
    changes: dict[str, Any],
    field: str,
) -> None:
    response = _post(api(tracer), "/api/tracing/requests", {**FILING, **changes})

    assert response.status_code == 422
    openapi_check(response)
    assert list(response.json()["fields"]) == [field]
    assert not TracingRequest.objects.exists()


def test_from_match_to_disclosure_through_the_api(
    api: Callable[[User | None], Client],
    tracer: User,
    screener: User,
    daughter: Person,
    openapi_check: Callable[[Any], None],
) -> None:
    filed = _post(api(tracer), "/api/tracing/requests", FILING).json()
    tracing_pending_search()

    queue = api(screener).get("/api/tracing/matches")
    openapi_check(queue)
    [match] = queue.json()
    assert match["person_id"] == str(daughter.pk)
    assert match["enquirer_name"] == "Fatima Hassan"
    assert "enquirer_contact" not in match
    assert "circumstances" not in match
    assert api(tracer).get(f"/api/tracing/requests/{filed['id']}").json()["found"] == []

    consented = _post(
        api(screener),
        f"/api/tracing/matches/{match['id']}/consent",
        {"is_given": True, "note": "reception centre, tent 4"},
    )
    openapi_check(consented)
    assert consented.json()["status"] == "disclosed"

    detail = api(tracer).get(f"/api/tracing/requests/{filed['id']}")
    openapi_check(detail)
    [found] = detail.json()["found"]
    assert (found["person_id"], found["surname_latin"], found["registered_at"]) == (
        str(daughter.pk),
        "HASAN",
        "Palanca",
    )
    assert found["note"] == "reception centre, tent 4"
    assert found["consent_given_by"] == "person"

    closed = _post(api(tracer), f"/api/tracing/requests/{filed['id']}/close", {"outcome": "reunited"})
    openapi_check(closed)
    assert closed.json()["status"] == "closed"
    assert closed.json()["outcome"] == "reunited"


@pytest.mark.parametrize(
    "role", ["border_officer", "screening_officer", "coordinator", "caseworker", "auditor"]
)
def test_someone_else_gets_not_found_for_the_request(
    api: Callable[[User | None], Client],
    tracer: User,
    make_user: Callable[..., User],
    openapi_check: Callable[[Any], None],
    role: str,
) -> None:
    filed = _post(api(tracer), "/api/tracing/requests", FILING).json()
    other = api(make_user(role))

    response = other.get(f"/api/tracing/requests/{filed['id']}")

    assert response.status_code == 404
    openapi_check(response)


@pytest.mark.parametrize("role", ["border_officer", "coordinator", "health_officer", "auditor"])
def test_the_requests_list_is_refused_to_a_role_that_does_not_trace_and_the_refusal_audited(
    api: Callable[[User | None], Client],
    tracer: User,
    make_user: Callable[..., User],
    openapi_check: Callable[[Any], None],
    role: str,
) -> None:
    _post(api(tracer), "/api/tracing/requests", FILING)
    asking = make_user(role)
    before = AuditEntry.objects.count()

    response = api(asking).get("/api/tracing/requests")

    assert response.status_code == 403
    openapi_check(response)
    assert "Hassan" not in response.content.decode()
    written = [(e.event, e.actor, e.detail) for e in AuditEntry.objects.filter(seq__gt=before)]
    assert written == [(AuditEvent.ACCESS_REFUSED, asking, {"kind": "tracing_requests", "id": "list"})]


@pytest.mark.parametrize("role", ["border_officer", "caseworker", "coordinator", "health_officer"])
def test_only_a_screening_officer_who_may_see_the_person_checks_a_match(
    api: Callable[[User | None], Client],
    tracer: User,
    make_user: Callable[..., User],
    daughter: Person,
    role: str,
) -> None:
    _post(api(tracer), "/api/tracing/requests", FILING)
    tracing_pending_search()
    match = TracingMatch.objects.get()
    other = api(make_user(role))

    before = AuditEntry.objects.count()
    queue = other.get("/api/tracing/matches")
    assert queue.status_code == 403
    assert "HASAN" not in queue.content.decode()
    assert list(AuditEntry.objects.filter(seq__gt=before).values_list("event", "detail")) == [
        (AuditEvent.ACCESS_REFUSED, {"kind": "tracing_matches", "id": "list"})
    ]
    assert other.get(f"/api/tracing/matches/{match.pk}").status_code == 404
    assert _post(other, f"/api/tracing/matches/{match.pk}/consent", {"is_given": True}).status_code == 404
    match.refresh_from_db()
    assert match.status == "proposed"


def test_anonymous_gets_nothing(api: Callable[[User | None], Client]) -> None:
    assert api(None).get("/api/tracing/requests").status_code == 401
