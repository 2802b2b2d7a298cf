"""The father's and mother's names: recorded at registration as the person gives them, read back
through the API by those who may read the person, and handed to the matching engine."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from hbm.accounts.models import User
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.core.context import Actor
from hbm.core.errors import ValidationFailed
from hbm.crossings.models import CrossingPoint
from hbm.dedup.records import match_record_of
from hbm.registration.enums import Sex
from hbm.registration.models import Encounter, Person
from hbm.registration.services import IndividualData, person_register
from tests.api.conftest import assert_matches_openapi

pytestmark = pytest.mark.django_db

AHMAD = {
    "given_names_latin": "Ahmad",
    "surname_latin": "Karimi",
    "given_names_original": "احمد",
    "surname_original": "کریمی",
    "sex": "M",
    "nationality": "AFG",
    "estimated_age": 40,
}


def _ahmad(**overrides: object) -> IndividualData:
    values: dict[str, object] = {**AHMAD, "sex": Sex.MALE}
    values.update(overrides)
    return IndividualData(**values)  # type: ignore[arg-type]


def _written() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Person, Encounter, AuditEntry))


def test_the_parents_names_are_stored_as_given_in_any_script(
    actor: Actor, crossing_point: CrossingPoint
) -> None:
    person = person_register(
        actor=actor,
        crossing_point_id=crossing_point.pk,
        data=_ahmad(father_name="  Mohammad   Karim ", mother_name="فاطمه"),
    )

    stored = Person.objects.get(pk=person.pk)
    assert (stored.father_name, stored.mother_name) == ("Mohammad Karim", "فاطمه")


def test_without_them_the_registration_is_the_same_as_before(
    actor: Actor, crossing_point: CrossingPoint
) -> None:
    person = person_register(actor=actor, crossing_point_id=crossing_point.pk, data=_ahmad())

    assert (person.father_name, person.mother_name) == ("", "")


@pytest.mark.parametrize("field_name", ["father_name", "mother_name"])
def test_a_name_too_long_is_refused_by_name_and_nothing_is_written(
    actor: Actor, crossing_point: CrossingPoint, field_name: str
) -> None:
    before = _written()

    with pytest.raises(ValidationFailed) as refused:
        person_register(
            actor=actor, crossing_point_id=crossing_point.pk, data=_ahmad(**{field_name: "x" * 201})
        )

    assert refused.value.fields == {field_name: ["at most 200 characters"]}
    assert _written() == before


def test_the_matching_engine_gets_both_parents_names(actor: Actor, crossing_point: CrossingPoint) -> None:
    person = person_register(
        actor=actor,
        crossing_point_id=crossing_point.pk,
        data=_ahmad(father_name="Mohammad", mother_name="Fatima Rahimi"),
    )

    record = match_record_of(person)

    assert (record.father, record.mother) == ("Mohammad", "Fatima Rahimi")
    assert (
        match_record_of(person_register(actor=actor, crossing_point_id=crossing_point.pk, data=_ahmad()))
    ).father == ""


def test_the_api_records_them_and_reads_them_back(
    api: Callable[[User | None], Client], officer: User, crossing_point: CrossingPoint
) -> None:
    client = api(officer)

    created = client.post(
        f"/api/crossing-points/{crossing_point.pk}/persons",
        {**AHMAD, "father_name": "Mohammad", "mother_name": "Fatima Rahimi"},
        content_type="application/json",
    )
    read = client.get(f"/api/persons/{created.json()['id']}")

    assert_matches_openapi(created)
    assert_matches_openapi(read)
    assert created.status_code == 201
    assert read.status_code == 200
    for body in (created.json(), read.json()):
        assert (body["father_name"], body["mother_name"]) == ("Mohammad", "Fatima Rahimi")
    assert AuditEntry.objects.filter(event=AuditEvent.PERSON_VIEWED, subject_id=created.json()["id"]).exists()


@pytest.mark.parametrize("field_name", ["father_name", "mother_name"])
def test_the_api_refuses_a_name_too_long_naming_the_field(
    api: Callable[[User | None], Client], officer: User, crossing_point: CrossingPoint, field_name: str
) -> None:
    before = _written()

    response = api(officer).post(
        f"/api/crossing-points/{crossing_point.pk}/persons",
        {**AHMAD, field_name: "x" * 201},
        content_type="application/json",
    )

    assert_matches_openapi(response)
    assert response.status_code == 422
    assert list(response.json()["fields"]) == [field_name]
    assert "200" in response.json()["fields"][field_name][0]
    assert _written() == before
