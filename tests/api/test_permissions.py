"""Who may call each endpoint: anonymous, another organisation, a wrong role, the right role.

A refused call writes nothing: no row changes but, for reads of a person, an ``access.refused``
audit entry. Every response (allowed or refused) is checked against the committed OpenAPI document.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from hbm.accounts.enums import Role
from hbm.accounts.models import DeviceToken, User
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.core.context import Actor
from hbm.crossings.models import CrossingPoint, ModeDecision
from hbm.registration.enums import Relationship, Sex, SpecificNeed
from hbm.registration.models import CountCell, Document, Encounter, Group, GroupMembership, Person
from hbm.registration.services import EncounterData, IndividualData, group_preregister, person_register
from tests.api.conftest import assert_matches_openapi
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

VALID_TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"


@dataclass(frozen=True)
class World:
    point: CrossingPoint
    person: Person
    group: Group
    users: dict[str, User]


@pytest.fixture
def world(
    crossing_point: CrossingPoint, other_crossing_point: CrossingPoint, make_user: Callable[..., User]
) -> World:
    neighbour = OrganisationFactory(name="Neighbouring Border Guard")
    users = {
        "officer": make_user(Role.BORDER_OFFICER),
        "screener": make_user(Role.SCREENING_OFFICER),
        "coordinator": make_user(Role.COORDINATOR, posted=False),
        "auditor": make_user(Role.AUDITOR, posted=False),
        "planner": make_user(Role.PLANNER, posted=False),
        "health": make_user(Role.HEALTH_OFFICER),
        "caseworker": make_user(Role.CASEWORKER, posted=False),
        "other_org_officer": make_user(Role.BORDER_OFFICER, posted=False, organisation=neighbour),
        "other_org_screener": make_user(Role.SCREENING_OFFICER, posted=False, organisation=neighbour),
    }
    other_crossing_point.staff.add(users["other_org_officer"], users["other_org_screener"])
    actor = Actor(user=users["officer"], device="fixture")
    group = group_preregister(
        actor=actor,
        crossing_point_id=crossing_point.pk,
        size=2,
        head_name="Olena Kovalenko",
        nationality="UKR",
        data=EncounterData(),
    )
    person = person_register(
        actor=actor,
        crossing_point_id=crossing_point.pk,
        data=IndividualData(
            given_names_latin="Olena",
            surname_latin="Kovalenko",
            sex=Sex.FEMALE,
            nationality="UKR",
            estimated_age=34,
            group_token=group.token,
            relationship=Relationship.HEAD,
        ),
    )
    from hbm.registration.services import person_photo_set

    person_photo_set(actor=actor, person=person, data=_png())
    return World(point=crossing_point, person=person, group=group, users=users)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 50), (10, 20, 30)).save(out, format="PNG")
    return out.getvalue()


def _state() -> tuple[Any, ...]:
    """Everything a refused call must leave as it was (audit entries of refusals aside)."""
    rows = tuple(
        m.objects.count()
        for m in (Person, Group, Encounter, Document, GroupMembership, CountCell, ModeDecision, DeviceToken)
    )
    audit = AuditEntry.objects.exclude(event__in=[AuditEvent.ACCESS_REFUSED, AuditEvent.LOGIN_FAILED]).count()
    photos = tuple(Person.objects.order_by("pk").values_list("updated_at", flat=True))
    modes = tuple(CrossingPoint.objects.order_by("pk").values_list("mode", flat=True))
    return rows, audit, photos, modes


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: Callable[[World], str]
    body: Callable[[World], dict[str, Any]] | None
    right: str  # a user key in World.users that may call it
    ok: int
    wrong: str | None  # a signed-in user whose role may not
    other_org: str | None  # the right role, in another organisation, posted elsewhere
    refused_read_status: int = 404
    multipart: bool = False


def _cp(w: World) -> str:
    return f"/api/crossing-points/{w.point.pk}"


ENDPOINTS = [
    Endpoint(
        "policy",
        "get",
        lambda w: f"{_cp(w)}/registration-policy",
        None,
        "officer",
        200,
        "planner",
        "other_org_officer",
        403,
    ),
    Endpoint(
        "count",
        "post",
        lambda w: f"{_cp(w)}/counts",
        lambda w: {"cells": [{"sex": "F", "age_band": "0-4", "count": 2}]},
        "officer",
        201,
        "health",
        "other_org_officer",
        403,
    ),
    Endpoint(
        "group",
        "post",
        lambda w: f"{_cp(w)}/groups",
        lambda w: {"size": 3, "head_name": "Ahmad Karimi", "nationality": "AFG"},
        "officer",
        201,
        "coordinator",
        "other_org_officer",
        403,
    ),
    Endpoint(
        "person",
        "post",
        lambda w: f"{_cp(w)}/persons",
        lambda w: {
            "given_names_latin": "Ahmad",
            "surname_latin": "Karimi",
            "sex": "M",
            "nationality": "AFG",
            "estimated_age": 40,
        },
        "screener",
        201,
        "caseworker",
        "other_org_screener",
        403,
    ),
    Endpoint(
        "figures",
        "get",
        lambda w: f"{_cp(w)}/figures",
        None,
        "coordinator",
        200,
        "planner",
        "other_org_officer",
        403,
    ),
    Endpoint(
        "person_detail",
        "get",
        lambda w: f"/api/persons/{w.person.pk}",
        None,
        "officer",
        200,
        "health",
        "other_org_officer",
    ),
    Endpoint(
        "person_photo",
        "get",
        lambda w: f"/api/persons/{w.person.pk}/photo",
        None,
        "coordinator",
        200,
        "auditor",
        "other_org_screener",
    ),
    Endpoint(
        "person_photo_upload",
        "post",
        lambda w: f"/api/persons/{w.person.pk}/photo",
        lambda w: {"photo": io.BytesIO(_png())},
        "officer",
        200,
        "planner",
        "other_org_officer",
        multipart=True,
    ),
    Endpoint(
        "person_document",
        "post",
        lambda w: f"/api/persons/{w.person.pk}/documents",
        lambda w: {"kind": "passport", "mrz": VALID_TD3},
        "screener",
        201,
        "caseworker",
        "other_org_screener",
    ),
    Endpoint(
        "group_detail",
        "get",
        lambda w: f"/api/groups/{w.group.pk}",
        None,
        "officer",
        200,
        "planner",
        "other_org_officer",
    ),
    Endpoint(
        "group_by_token",
        "get",
        lambda w: f"/api/groups/by-token/{w.group.token}",
        None,
        "screener",
        200,
        "health",
        "other_org_screener",
    ),
    Endpoint(
        "mrz_check",
        "post",
        lambda w: "/api/documents/mrz/check",
        lambda w: {"mrz": VALID_TD3},
        "officer",
        200,
        "planner",
        None,
    ),
    Endpoint(
        "mode_switch",
        "post",
        lambda w: f"{_cp(w)}/mode",
        lambda w: {"to_mode": "recovery", "reason": "the flow is down to normal levels"},
        "coordinator",
        201,
        "officer",
        None,
        403,
    ),
    Endpoint(
        "person_search",
        "get",
        lambda w: "/api/persons?q=kovalenko",
        None,
        "officer",
        200,
        "planner",
        None,
        403,
    ),
    Endpoint("crossing_points", "get", lambda w: "/api/crossing-points", None, "planner", 200, None, None),
    Endpoint("crossing_point", "get", lambda w: _cp(w), None, "auditor", 200, None, None),
    Endpoint(
        "mode_decisions", "get", lambda w: f"{_cp(w)}/mode-decisions", None, "coordinator", 200, None, None
    ),
    Endpoint("me", "get", lambda w: "/api/auth/me", None, "caseworker", 200, None, None),
    Endpoint("tokens", "get", lambda w: "/api/auth/tokens", None, "officer", 200, None, None),
    Endpoint(
        "audit_entries", "get", lambda w: "/api/audit/entries", None, "auditor", 200, "coordinator", None, 403
    ),
    Endpoint(
        "audit_verify", "get", lambda w: "/api/audit/verify", None, "auditor", 200, "admin_like", None, 403
    ),
]

CASES = [
    pytest.param(e, who, id=f"{e.name}-{who}")
    for e in ENDPOINTS
    for who in ("anonymous", "other_org", "wrong_role", "right_role")
    if not (who == "other_org" and e.other_org is None) and not (who == "wrong_role" and e.wrong is None)
]


def _call(client: Client, endpoint: Endpoint, w: World) -> Any:
    path = endpoint.path(w)
    if endpoint.method == "get":
        return client.get(path)
    body = endpoint.body(w) if endpoint.body else {}
    if endpoint.multipart:
        return client.post(path, body)
    return client.post(path, body, content_type="application/json")


@pytest.mark.parametrize(("endpoint", "who"), CASES)
def test_endpoint_access(endpoint: Endpoint, who: str, world: World, make_user: Callable[..., User]) -> None:
    world.users["admin_like"] = make_user(Role.ADMIN, posted=False)
    user = {
        "anonymous": None,
        "other_org": world.users.get(endpoint.other_org or ""),
        "wrong_role": world.users.get(endpoint.wrong or ""),
        "right_role": world.users[endpoint.right],
    }[who]
    client = Client()
    if user is not None:
        client.force_login(user)
    before = _state()

    response = _call(client, endpoint, world)

    assert_matches_openapi(response)
    if who == "right_role":
        assert response.status_code == endpoint.ok, response.content
        return
    expected = 401 if who == "anonymous" else endpoint.refused_read_status
    assert response.status_code == expected, response.content
    assert response.json()["code"] in {"not_authenticated", "forbidden", "not_found"}
    assert _state() == before


def test_a_refused_person_read_leaves_only_an_audit_entry(world: World) -> None:
    client = Client()
    client.force_login(world.users["other_org_officer"])

    response = client.get(f"/api/persons/{world.person.pk}")

    assert response.status_code == 404
    refusal = AuditEntry.objects.order_by("-seq").first()
    assert refusal is not None
    assert (refusal.event, refusal.actor, refusal.detail) == (
        AuditEvent.ACCESS_REFUSED,
        world.users["other_org_officer"],
        {"kind": "person", "id": str(world.person.pk)},
    )


def test_a_search_refused_for_the_role_leaves_only_an_audit_entry(world: World) -> None:
    client = Client()
    client.force_login(world.users["planner"])
    before = AuditEntry.objects.count()

    response = client.get("/api/persons?q=kovalenko")

    assert response.status_code == 403
    assert "KOVALENKO" not in response.content.decode().upper()
    written = [(e.event, e.actor, e.detail) for e in AuditEntry.objects.filter(seq__gt=before)]
    assert written == [
        (AuditEvent.ACCESS_REFUSED, world.users["planner"], {"kind": "persons", "id": "search"})
    ]


def test_reading_the_trail_is_audited_and_a_refusal_too(world: World) -> None:
    auditor, coordinator = Client(), Client()
    auditor.force_login(world.users["auditor"])
    coordinator.force_login(world.users["coordinator"])
    before = AuditEntry.objects.count()

    history = auditor.get("/api/audit/entries", {"subject_id": str(world.person.pk)})
    refused = coordinator.get("/api/audit/entries", {"subject_id": str(world.person.pk)})
    listed = auditor.get("/api/audit/entries", {"event": AuditEvent.ACCESS_REFUSED.value})

    assert (history.status_code, refused.status_code) == (200, 403)
    assert str(world.person.pk) not in refused.content.decode()
    written = [(e.event, e.actor, e.detail) for e in AuditEntry.objects.filter(seq__gt=before)]
    assert written == [
        (AuditEvent.AUDIT_READ, world.users["auditor"], {"subject_id": str(world.person.pk)}),
        (
            AuditEvent.ACCESS_REFUSED,
            world.users["coordinator"],
            {"kind": "audit_entries", "id": str(world.person.pk)},
        ),
        (AuditEvent.AUDIT_READ, world.users["auditor"], {"event": AuditEvent.ACCESS_REFUSED.value}),
    ]
    assert [e["detail"] for e in listed.json()["items"]][:1] == [written[1][2]]


def test_missing_and_forbidden_persons_look_the_same(world: World) -> None:
    client = Client()
    client.force_login(world.users["other_org_officer"])
    forbidden = client.get(f"/api/persons/{world.person.pk}")
    missing = client.get("/api/persons/00000000-0000-4000-8000-000000000000")
    assert (forbidden.status_code, forbidden.json()) == (missing.status_code, missing.json())


def test_protection_flags_are_shown_only_to_protection_roles(world: World) -> None:
    actor = Actor(user=world.users["officer"], device="fixture")
    flagged = person_register(
        actor=actor,
        crossing_point_id=world.point.pk,
        data=IndividualData(
            given_names_latin="Mariam",
            surname_latin="Haidari",
            sex=Sex.FEMALE,
            nationality="AFG",
            estimated_age=15,
            specific_needs=(SpecificNeed.UNACCOMPANIED_CHILD,),
        ),
    )
    seen = {}
    for key in ("officer", "screener", "coordinator"):
        client = Client()
        client.force_login(world.users[key])
        body = client.get(f"/api/persons/{flagged.pk}").json()
        seen[key] = (body["has_specific_needs"], body["specific_needs"])
    assert seen == {
        "officer": (True, None),
        "screener": (True, ["unaccompanied_child"]),
        "coordinator": (True, ["unaccompanied_child"]),
    }


def test_every_person_read_is_audited_with_its_reader(world: World) -> None:
    client = Client()
    client.force_login(world.users["screener"])
    client.get(f"/api/persons/{world.person.pk}")
    client.get(f"/api/persons/{world.person.pk}/photo")
    client.get("/api/persons", {"q": "koval"})

    events = list(
        AuditEntry.objects.filter(actor=world.users["screener"])
        .order_by("seq")
        .values_list("event", "subject_id")
    )
    assert events == [
        (AuditEvent.PERSON_VIEWED, str(world.person.pk)),
        (AuditEvent.PHOTO_VIEWED, str(world.person.pk)),
        (AuditEvent.PERSONS_SEARCHED, ""),
    ]
    search = AuditEntry.objects.get(event=AuditEvent.PERSONS_SEARCHED)
    assert search.detail == {"criteria": ["query"], "hits": [str(world.person.pk)]}


def test_a_search_by_sound_finds_a_name_spelt_another_way_at_the_readers_posts_only(world: World) -> None:
    insider, outsider = Client(), Client()
    insider.force_login(world.users["officer"])
    outsider.force_login(world.users["other_org_officer"])
    spelt_otherwise = {"q": "Kowalenko"}  # W for V: the same key

    assert insider.get("/api/persons", spelt_otherwise).json() == []
    found = insider.get("/api/persons", {**spelt_otherwise, "sounds_like": "true"})
    assert [p["id"] for p in found.json()] == [str(world.person.pk)]
    assert outsider.get("/api/persons", {**spelt_otherwise, "sounds_like": "true"}).json() == []


def test_search_finds_only_persons_at_the_readers_posts(world: World) -> None:
    insider, outsider = Client(), Client()
    insider.force_login(world.users["officer"])
    outsider.force_login(world.users["other_org_officer"])

    for query in ({"q": "KOVAL"}, {"q": "olena"}, {"token": world.group.token.lower()}):
        assert [p["id"] for p in insider.get("/api/persons", query).json()] == [str(world.person.pk)]
        assert outsider.get("/api/persons", query).json() == []
    audit = AuditEntry.objects.filter(
        event=AuditEvent.PERSONS_SEARCHED, actor=world.users["other_org_officer"]
    )
    assert [entry.detail["hits"] for entry in audit] == [[], [], []]
