"""The follow-up API end to end, every response checked against the committed OpenAPI document, and
each endpoint refused to the anonymous, another organisation and the wrong role, writing nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from hbm.accounts.models import User
from hbm.audit.models import AuditEntry
from hbm.core.time import today
from hbm.followup.models import FollowUp, FollowUpStep
from hbm.protection.models import Referral
from hbm.registration.models import Person

pytestmark = pytest.mark.django_db

DAY = today() - timedelta(days=10)


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, body, content_type="application/json")


def opened(client: Client, person: Person, referral: Referral | None = None, **changes: Any) -> Any:
    body = {
        "kind": "asylum",
        "stage": "intention_expressed",
        "happened_on": DAY.isoformat(),
        "note": "Wants to apply.",
        **({"referral_id": str(referral.pk)} if referral else {}),
        **changes,
    }
    return post(client, f"/api/followup/persons/{person.pk}/followups", body)


def test_a_caseworker_follows_an_asylum_application_through_the_api(
    api: Callable[[User | None], Client],
    caseworker: User,
    boy: Person,
    accepted_referral: Referral,
    openapi_check: Callable[[Any], None],
) -> None:
    client = api(caseworker)

    created = opened(client, boy, accepted_referral)
    assert created.status_code == 201, created.json()
    openapi_check(created)
    body = created.json()
    assert (body["kind"], body["stage"], body["is_closed"], body["referral_id"]) == (
        "asylum",
        "intention_expressed",
        False,
        str(accepted_referral.pk),
    )
    assert body["next_stages"] == ["application_lodged", "withdrawn"]
    followup_id = body["id"]

    lodged = post(
        client,
        f"/api/followup/followups/{followup_id}/steps",
        {"to": "application_lodged", "happened_on": (DAY + timedelta(days=2)).isoformat()},
    )
    openapi_check(lodged)
    assert lodged.status_code == 200
    assert [(s["from_stage"], s["to_stage"]) for s in lodged.json()["steps"]] == [
        (None, "intention_expressed"),
        ("intention_expressed", "application_lodged"),
    ]
    assert lodged.json()["review_on"] == (DAY + timedelta(days=62)).isoformat()

    listed = client.get(f"/api/followup/persons/{boy.pk}/followups")
    openapi_check(listed)
    assert [(f["id"], f["stage"]) for f in listed.json()] == [(followup_id, "application_lodged")]
    detail = client.get(f"/api/followup/followups/{followup_id}")
    openapi_check(detail)
    assert detail.json()["organisation_name"] == "National asylum service"


def test_bad_input_names_the_field_and_writes_nothing(
    api: Callable[[User | None], Client],
    coordinator: User,
    boy: Person,
    openapi_check: Callable[[Any], None],
) -> None:
    client = api(coordinator)
    before = AuditEntry.objects.count()

    unknown = opened(client, boy, colour="blue")
    future = opened(client, boy, happened_on=(today() + timedelta(days=1)).isoformat())
    wrong_start = opened(client, boy, stage="refugee_status")
    bad_kind = opened(client, boy, kind="exile")
    for response in (unknown, future, wrong_start, bad_kind):
        assert response.status_code == 422
        openapi_check(response)
    assert "colour" in str(unknown.json()["fields"])
    assert list(future.json()["fields"]) == ["happened_on"]
    assert list(wrong_start.json()["fields"]) == ["stage"]
    assert not FollowUp.objects.exists()
    assert AuditEntry.objects.count() == before


def test_an_illegal_step_is_409_and_leaves_no_trace(
    api: Callable[[User | None], Client], coordinator: User, boy: Person, openapi_check: Callable[[Any], None]
) -> None:
    client = api(coordinator)
    followup_id = opened(client, boy).json()["id"]
    before = AuditEntry.objects.count()

    refused = post(
        client,
        f"/api/followup/followups/{followup_id}/steps",
        {"to": "refugee_status", "happened_on": DAY.isoformat()},
    )

    assert refused.status_code == 409
    openapi_check(refused)
    assert FollowUpStep.objects.count() == 1
    assert AuditEntry.objects.count() == before


ROLES = ["anonymous", "stranger", "border_officer", "health_officer", "planner", "right"]


def _client_for(
    who: str, api: Callable[[User | None], Client], make_user: Callable[..., User], right: User
) -> Client:
    if who == "anonymous":
        return api(None)
    if who == "right":
        return api(right)
    if who == "stranger":
        from tests.factories import OrganisationFactory

        other = OrganisationFactory(name="Another NGO")
        return api(make_user("caseworker", posted=False, organisation=other, username="other-cw"))
    return api(make_user(who, username=f"u-{who}", posted=who != "planner"))


REFUSED = {"anonymous": 401, "stranger": 404, "border_officer": 403, "health_officer": 403, "planner": 403}


@pytest.mark.parametrize("who", ROLES)
def test_opening_a_follow_up(
    who: str,
    api: Callable[[User | None], Client],
    make_user: Callable[..., User],
    caseworker: User,
    boy: Person,
    accepted_referral: Referral,
    openapi_check: Callable[[Any], None],
) -> None:
    before = AuditEntry.objects.count()
    response = opened(_client_for(who, api, make_user, caseworker), boy, accepted_referral)
    openapi_check(response)
    if who == "right":
        assert response.status_code == 201
        return
    assert response.status_code == REFUSED[who]
    assert not FollowUp.objects.exists()
    assert AuditEntry.objects.count() == before


@pytest.fixture
def case(
    api: Callable[[User | None], Client], caseworker: User, boy: Person, accepted_referral: Referral
) -> str:
    response = opened(api(caseworker), boy, accepted_referral)
    assert response.status_code == 201
    return str(response.json()["id"])


@pytest.mark.parametrize("who", ROLES)
def test_recording_a_step(
    who: str,
    api: Callable[[User | None], Client],
    make_user: Callable[..., User],
    caseworker: User,
    case: str,
    openapi_check: Callable[[Any], None],
) -> None:
    before = AuditEntry.objects.count()
    response = post(
        _client_for(who, api, make_user, caseworker),
        f"/api/followup/followups/{case}/steps",
        {"to": "application_lodged", "happened_on": DAY.isoformat()},
    )
    openapi_check(response)
    if who == "right":
        assert response.status_code == 200
        return
    # the border officer, health officer and planner are refused by role before anything is looked up
    assert response.status_code == (404 if who == "stranger" else REFUSED[who])
    assert FollowUp.objects.get(pk=case).stage == "intention_expressed"
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize(
    "path", ["/api/followup/followups/{case}", "/api/followup/persons/{person}/followups"]
)
def test_reading_follow_ups(
    who: str,
    path: str,
    api: Callable[[User | None], Client],
    make_user: Callable[..., User],
    caseworker: User,
    case: str,
    boy: Person,
    openapi_check: Callable[[Any], None],
) -> None:
    client = _client_for(who, api, make_user, caseworker)
    before = AuditEntry.objects.count()

    response = client.get(path.format(case=case, person=boy.pk))

    openapi_check(response)
    events = list(AuditEntry.objects.filter(seq__gt=before).values_list("event", flat=True))
    if who == "right":
        assert response.status_code == 200
        assert events in (["followup.viewed"], ["followup.listed"])
    elif who == "anonymous":
        assert response.status_code == 401
        assert events == []
    else:
        assert response.status_code == 404  # nobody learns the follow-up or the person exists
        assert events == ["access.refused"]


@pytest.mark.parametrize("who", ROLES)
def test_the_cases_an_organisation_holds(
    who: str,
    api: Callable[[User | None], Client],
    make_user: Callable[..., User],
    caseworker: User,
    case: str,
    openapi_check: Callable[[Any], None],
) -> None:
    before = AuditEntry.objects.count()

    response = _client_for(who, api, make_user, caseworker).get("/api/followup/followups")

    openapi_check(response)
    expected = {"right": 200, "stranger": 200, "anonymous": 401}.get(who, 403)
    assert response.status_code == expected
    if who == "right":
        assert [f["id"] for f in response.json()] == [case]
    if who == "stranger":
        assert response.json() == []  # another organisation's cases are not theirs
    written = list(AuditEntry.objects.filter(seq__gt=before).values_list("event", "detail"))
    if expected == 200:
        assert [event for event, _detail in written] == ["followup.listed"]
    elif expected == 403:  # the role is refused, and the auditor sees who tried
        assert written == [("access.refused", {"kind": "followups", "id": "list"})]
        assert response.json()["code"] == "forbidden"
        assert case not in response.content.decode()
    else:
        assert written == []


@pytest.mark.parametrize("who", [*ROLES, "caseworker"])
def test_the_overview(
    who: str,
    api: Callable[[User | None], Client],
    make_user: Callable[..., User],
    coordinator: User,
    caseworker: User,
    boy: Person,
    accepted_referral: Referral,
    openapi_check: Callable[[Any], None],
) -> None:
    client = api(caseworker) if who == "caseworker" else _client_for(who, api, make_user, coordinator)
    before = AuditEntry.objects.count()

    response = client.get("/api/followup/overview?phase=accepted")

    openapi_check(response)
    if who == "right":
        assert response.status_code == 200
        body = response.json()
        assert body["counts"] == [
            {
                "crossing_point_id": str(boy.registered_at_id),
                "phase": "accepted",
                "stage": "referral:accepted",
                "persons": 1,
            }
        ]
        assert [(r["person_id"], r["categories"], r["is_overdue"]) for r in body["rows"]] == [
            (str(boy.pk), ["SC"], False)
        ]
        return
    assert response.status_code == {"anonymous": 401}.get(who, 403)
    written = list(AuditEntry.objects.filter(seq__gt=before).values_list("event", "detail"))
    if who == "anonymous":
        assert written == []
    else:  # the role is refused, and the auditor sees who tried; no person is shown
        assert written == [("access.refused", {"kind": "followup_overview", "id": "list"})]
        assert response.json()["code"] == "forbidden"
        assert str(boy.pk) not in response.content.decode()
        assert boy.surname_latin not in response.content.decode()


def test_the_overview_refuses_a_bad_filter(
    api: Callable[[User | None], Client], coordinator: User, openapi_check: Callable[[Any], None]
) -> None:
    client = api(coordinator)
    for query in ("phase=nowhere", "page=0", "overdue=perhaps", "crossing_point_id=12"):
        response = client.get(f"/api/followup/overview?{query}")
        assert response.status_code == 422, query
        openapi_check(response)
