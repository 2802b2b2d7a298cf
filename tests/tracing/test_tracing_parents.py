"""The sought person's parents' names: recorded with the request, handed to the matching engine,
shown to the screening officer beside the registered person's — and disclosure stays as it was:
the caseworker learns nothing of the person found before both sides consent, and then no more."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from hbm.accounts.models import User
from hbm.core.context import Actor
from hbm.core.errors import ValidationFailed
from hbm.dedup.services import dedup_pending_process
from hbm.registration.enums import Sex
from hbm.registration.models import Person
from hbm.tracing.enums import ConsentGivenBy
from hbm.tracing.models import TracingMatch, TracingRequest
from hbm.tracing.records import request_record
from hbm.tracing.services import (
    ConsentData,
    tracing_match_consent,
    tracing_pending_search,
    tracing_request_create,
)
from tests.tracing.conftest import request_data

pytestmark = pytest.mark.django_db

PARENTS = {"father_name": "Khaled", "mother_name": "Fatima Al-Ali"}
FILING: dict[str, Any] = {
    "sought": {
        "given_names_latin": "Amina",
        "surname_latin": "Hassan",
        "sex": "F",
        "estimated_age": 8,
        "nationality": "SYR",
        **PARENTS,
    },
    "relationship": "child",
    "enquirer_name": "Fatima Hassan",
    "enquirer_contact": "Red Cross desk, Palanca",
    "enquirer_consent": True,
}


@pytest.fixture
def daughter(register: Callable[..., Person]) -> Person:
    person = register(
        "AMINA", "HASAN", sex=Sex.FEMALE, date_of_birth=None, estimated_age=9, father_name="Khaled"
    )
    dedup_pending_process()
    return person


def test_the_request_keeps_them_and_the_engine_gets_them(tracer_actor: Actor) -> None:
    request = tracing_request_create(
        actor=tracer_actor,
        data=request_data(sought={"father_name": " Khaled  Hassan ", "mother_name": "فاطمة العلي"}),
    )

    stored = TracingRequest.objects.get(pk=request.pk)
    record = request_record(stored)
    assert (stored.father_name, stored.mother_name) == ("Khaled Hassan", "فاطمة العلي")
    assert (record.father, record.mother) == ("Khaled Hassan", "فاطمة العلي")


def test_without_them_the_engine_gets_empty_names(tracer_actor: Actor) -> None:
    record = request_record(tracing_request_create(actor=tracer_actor, data=request_data()))

    assert (record.father, record.mother) == ("", "")


@pytest.mark.parametrize("field_name", ["father_name", "mother_name"])
def test_a_name_too_long_is_refused_by_name_and_nothing_is_filed(
    tracer_actor: Actor, field_name: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        tracing_request_create(actor=tracer_actor, data=request_data(sought={field_name: "x" * 201}))

    assert list(refused.value.fields) == [field_name]
    assert not TracingRequest.objects.exists()


def test_through_the_api_the_caseworker_and_the_screening_officer_see_the_sought_parents_only(
    api: Callable[[User | None], Client],
    tracer: User,
    screener: User,
    daughter: Person,
    openapi_check: Callable[[Any], None],
) -> None:
    filed = api(tracer).post("/api/tracing/requests", FILING, content_type="application/json")
    openapi_check(filed)
    assert filed.status_code == 201
    assert {k: filed.json()["sought"][k] for k in PARENTS} == PARENTS
    tracing_pending_search()

    [match] = api(screener).get("/api/tracing/matches").json()
    assert {k: match["sought"][k] for k in PARENTS} == PARENTS
    before = api(tracer).get(f"/api/tracing/requests/{filed.json()['id']}").json()
    assert before["found"] == []
    assert "Khaled" not in str({k: v for k, v in before.items() if k != "sought"})

    api(screener).post(
        f"/api/tracing/matches/{match['id']}/consent", {"is_given": True}, content_type="application/json"
    )
    detail = api(tracer).get(f"/api/tracing/requests/{filed.json()['id']}")
    openapi_check(detail)
    [found] = detail.json()["found"]
    assert set(found) == {
        "match_id",
        "person_id",
        "given_names_latin",
        "surname_latin",
        "given_names_original",
        "surname_original",
        "sex",
        "date_of_birth",
        "birth_date_accuracy",
        "registered_at",
        "registered_on",
        "consent_given_by",
        "note",
        "disclosed_at",
    }


@pytest.mark.parametrize("field_name", ["father_name", "mother_name"])
def test_the_api_refuses_a_name_too_long_naming_the_field(
    api: Callable[[User | None], Client], tracer: User, field_name: str
) -> None:
    body = {**FILING, "sought": {**FILING["sought"], field_name: "x" * 201}}

    response = api(tracer).post("/api/tracing/requests", body, content_type="application/json")

    assert response.status_code == 422
    assert list(response.json()["fields"]) == [f"sought.{field_name}"]
    assert not TracingRequest.objects.exists()


def test_the_web_form_files_them_and_the_match_screen_sets_them_side_by_side(
    api: Callable[[User | None], Client], tracer: User, screener: User, daughter: Person
) -> None:
    form = {
        "enquirer_name": "Fatima Hassan",
        "relationship": "child",
        "surname_latin": "Hassan",
        "given_names_latin": "Amina",
        "sex": "F",
        "estimated_age": "8",
        "nationality": "syr",
        "enquirer_consent": "on",
        **PARENTS,
    }
    new = api(tracer).get("/tracing/new").content.decode()
    assert '<input type="text" name="father_name" dir="auto" maxlength="200" id="id_father_name">' in new

    filed = api(tracer).post("/tracing/new", form)
    assert filed.status_code == 302
    request = TracingRequest.objects.get()
    assert (request.father_name, request.mother_name) == ("Khaled", "Fatima Al-Ali")
    own = api(tracer).get(filed["Location"]).content.decode().replace("&#x27;", "'")
    assert '<th scope="row">Father\'s name</th><td dir="auto">Khaled</td>' in own
    tracing_pending_search()
    match = TracingMatch.objects.get()

    screen = api(screener).get(f"/tracing/matches/{match.pk}/").content.decode().replace("&#x27;", "'")

    assert (
        '<tr><th scope="row">Father\'s name</th><td dir="auto">Khaled</td><td dir="auto">Khaled</td></tr>'
    ) in screen
    assert (
        '<tr><th scope="row">Mother\'s name</th><td dir="auto">Fatima Al-Ali</td><td dir="auto">—</td></tr>'
    ) in screen


def test_a_too_long_name_in_the_form_is_shown_at_its_input(
    api: Callable[[User | None], Client], tracer: User
) -> None:
    form = {
        "enquirer_name": "Fatima Hassan",
        "relationship": "child",
        "given_names_latin": "Amina",
        "sex": "F",
        "estimated_age": "8",
        "enquirer_consent": "on",
        "mother_name": "x" * 201,
    }

    response = api(tracer).post("/tracing/new", form)

    assert response.status_code == 422
    assert "at most 200 characters" in response.content.decode().split('id="id_mother_name_error"')[1]
    assert not TracingRequest.objects.exists()


def test_the_disclosure_to_the_caseworker_does_not_show_the_persons_parents(
    api: Callable[[User | None], Client], tracer: User, screener: User, daughter: Person
) -> None:
    filed = api(tracer).post(
        "/api/tracing/requests",
        {**FILING, "sought": {**FILING["sought"], "father_name": ""}},
        content_type="application/json",
    )
    tracing_pending_search()
    match = TracingMatch.objects.get()
    tracing_match_consent(
        actor=Actor(user=screener, device="test"),
        match_id=match.pk,
        data=ConsentData(is_given=True, given_by=ConsentGivenBy.GUARDIAN),
    )

    page = api(tracer).get(f"/tracing/{filed.json()['id']}/").content.decode()

    assert f'data-testid="found-{daughter.pk}"' in page
    assert "Khaled" not in page  # the person's father, recorded at registration, not the enquirer's
