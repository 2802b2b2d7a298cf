"""The family tracing pages: the caseworker files and follows, the screening officer checks and asks;
each sees only their side."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from hbm.accounts.models import User
from hbm.dedup.services import dedup_pending_process
from hbm.registration.enums import Sex
from hbm.registration.models import Person
from hbm.tracing.enums import MatchStatus
from hbm.tracing.models import TracingMatch, TracingRequest
from hbm.tracing.services import tracing_pending_search

pytestmark = pytest.mark.django_db

FORM: dict[str, Any] = {
    "enquirer_name": "Fatima Hassan",
    "enquirer_contact": "Red Cross desk",
    "relationship": "child",
    "surname_latin": "Hassan",
    "given_names_latin": "Amina",
    "sex": "F",
    "estimated_age": "8",
    "nationality": "syr",
    "separated_at_place": "Palanca bus station",
    "separated_on": "2026-11-20",
    "enquirer_consent": "on",
}


@pytest.fixture
def daughter(register: Callable[..., Person]) -> Person:
    person = register("AMINA", "HASAN", sex=Sex.FEMALE, date_of_birth=None, estimated_age=9)
    dedup_pending_process()
    return person


def test_a_caseworker_files_a_request_from_the_form(
    api: Callable[[User | None], Client], tracer: User
) -> None:
    client = api(tracer)
    assert 'data-testid="nav-tracing"' in client.get("/tracing/").content.decode()

    response = client.post("/tracing/new", FORM)

    request = TracingRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/tracing/{request.pk}/"
    assert request.nationality == "SYR"
    page = client.get(response["Location"]).content.decode()
    assert request.reference in page
    assert 'data-testid="none-found"' in page
    assert request.reference in client.get("/tracing/").content.decode()


def test_without_the_consent_box_the_form_says_so_and_nothing_is_filed(
    api: Callable[[User | None], Client], tracer: User
) -> None:
    response = api(tracer).post("/tracing/new", {**FORM, "enquirer_consent": ""})

    assert response.status_code == 422
    assert 'id="field-enquirer_consent"' in response.content.decode()
    assert "record the enquirer" in response.content.decode()
    assert not TracingRequest.objects.exists()


def test_the_screening_officer_asks_and_the_caseworker_then_sees_the_person(
    api: Callable[[User | None], Client], tracer: User, screener: User, daughter: Person
) -> None:
    api(tracer).post("/tracing/new", FORM)
    tracing_pending_search()
    match = TracingMatch.objects.get()
    officer = api(screener)

    queue = officer.get("/tracing/matches/").content.decode()
    assert f'data-testid="match-{match.pk}"' in queue
    detail = officer.get(f"/tracing/matches/{match.pk}/").content.decode()
    assert "Fatima Hassan is looking for their child." in detail
    assert "Red Cross desk" not in detail

    refused = officer.post(
        f"/tracing/matches/{match.pk}/consent", {"answer": "yes", "given_by": "best_interests"}
    )
    assert refused.status_code == 422
    assert "give the reason" in refused.content.decode()

    done = officer.post(
        f"/tracing/matches/{match.pk}/consent",
        {"answer": "yes", "given_by": "guardian", "note": "with her aunt at the reception centre"},
    )
    assert done.status_code == 302
    match.refresh_from_db()
    assert match.status == MatchStatus.DISCLOSED
    page = api(tracer).get(f"/tracing/{match.request_id}/").content.decode()
    assert f'data-testid="found-{daughter.pk}"' in page
    assert "with her aunt at the reception centre" in page


def test_not_the_person_sought_is_dismissed_and_can_be_reopened(
    api: Callable[[User | None], Client], tracer: User, screener: User, daughter: Person
) -> None:
    api(tracer).post("/tracing/new", FORM)
    tracing_pending_search()
    match = TracingMatch.objects.get()
    officer = api(screener)

    officer.post(f"/tracing/matches/{match.pk}/dismiss", {"note": "her mother is here"})
    assert TracingMatch.objects.get().status == MatchStatus.DISMISSED
    assert f"match-{match.pk}" not in officer.get("/tracing/matches/").content.decode()

    officer.post(f"/tracing/matches/{match.pk}/reopen")
    assert TracingMatch.objects.get().status == MatchStatus.PROPOSED


@pytest.mark.parametrize("role", ["border_officer", "coordinator", "caseworker", "health_officer", "auditor"])
def test_other_roles_get_not_found_on_both_sides(
    api: Callable[[User | None], Client],
    tracer: User,
    make_user: Callable[..., User],
    daughter: Person,
    role: str,
) -> None:
    api(tracer).post("/tracing/new", FORM)
    tracing_pending_search()
    match = TracingMatch.objects.get()
    other = api(make_user(role))

    assert other.get(f"/tracing/{match.request_id}/").status_code == 404
    assert other.get(f"/tracing/matches/{match.pk}/").status_code == 404
    assert (
        other.post(
            f"/tracing/matches/{match.pk}/consent", {"answer": "yes", "given_by": "person"}
        ).status_code
        == 404
    )
    assert TracingMatch.objects.get().status == MatchStatus.PROPOSED


@pytest.mark.parametrize(
    ("role", "url", "kind"),
    [
        ("border_officer", "/tracing/", "tracing_requests"),
        ("coordinator", "/tracing/", "tracing_requests"),
        ("auditor", "/tracing/", "tracing_requests"),
        ("border_officer", "/tracing/matches/", "tracing_matches"),
        ("caseworker", "/tracing/matches/", "tracing_matches"),
        ("coordinator", "/tracing/matches/", "tracing_matches"),
        ("health_officer", "/tracing/matches/", "tracing_matches"),
    ],
)
def test_a_list_refused_to_the_role_is_the_403_page_and_one_audit_entry(
    api: Callable[[User | None], Client],
    tracer: User,
    make_user: Callable[..., User],
    daughter: Person,
    role: str,
    url: str,
    kind: str,
) -> None:
    from hbm.audit.enums import AuditEvent
    from hbm.audit.models import AuditEntry

    api(tracer).post("/tracing/new", FORM)
    tracing_pending_search()
    asking = make_user(role)
    before = AuditEntry.objects.count()

    response = api(asking).get(url)

    content = response.content.decode()
    assert response.status_code == 403
    assert 'data-status="403"' in content
    assert "Hassan" not in content
    assert "AMINA" not in content
    written = [(e.event, e.actor, e.detail) for e in AuditEntry.objects.filter(seq__gt=before)]
    assert written == [(AuditEvent.ACCESS_REFUSED, asking, {"kind": kind, "id": "list"})]


@pytest.mark.parametrize("role", ["border_officer", "coordinator", "auditor"])
def test_the_filing_form_refuses_another_role_with_403_and_files_nothing(
    api: Callable[[User | None], Client], make_user: Callable[..., User], role: str
) -> None:
    asking = api(make_user(role))

    assert asking.get("/tracing/new").status_code == 403
    assert asking.post("/tracing/new", FORM).status_code == 403
    assert not TracingRequest.objects.exists()


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_pages_speak_the_officers_language(
    api: Callable[[User | None], Client], tracer: User, language: str
) -> None:
    client = api(tracer)
    client.cookies["django_language"] = language

    page = client.get("/tracing/new").content.decode()

    assert f'lang="{language}"' in page
    assert "New tracing request" not in page
