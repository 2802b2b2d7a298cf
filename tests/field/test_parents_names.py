"""The parents' names from the field app: registered offline and synced exactly once, corrected
offline (merged, or kept as a conflict like any other name), and pulled back for look-up."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from hbm.accounts.models import User
from hbm.core.context import Actor
from hbm.crossings.models import CrossingPoint
from hbm.field.models import PersonConflict
from hbm.registration.models import Person
from hbm.registration.selectors import persons_search
from tests.api.conftest import assert_matches_openapi
from tests.field.conftest import Device, enrol, person_record

pytestmark = pytest.mark.django_db


def _edit(person_id: str, base_version: int, **changes: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "kind": "person_edit",
        "person": person_id,
        "base_version": base_version,
        "changes": changes,
    }


def _results(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    assert_matches_openapi(response)
    results: list[dict[str, Any]] = response.json()["results"]
    return results


@pytest.fixture
def registered(device: Device, crossing_point: CrossingPoint) -> str:
    record = person_record(crossing_point, father_name="Mykola Kovalenko", mother_name="Галина")
    assert _results(device.sync([record]))[0]["status"] == "stored"
    return str(record["id"])


@pytest.fixture
def second_device(make_user: Any) -> Device:
    return enrol(make_user("border_officer", username="colleague"), "phone-2")


def test_a_registration_with_the_parents_names_is_stored_once_however_often_it_is_sent(
    device: Device, crossing_point: CrossingPoint
) -> None:
    record = person_record(crossing_point, father_name="Mykola Kovalenko", mother_name="Галина Коваленко")
    key = uuid.uuid4().hex

    first = _results(device.sync([record], key=key))
    replayed = _results(device.sync([record], key=key))
    resent = _results(device.sync([record]))

    assert [r["status"] for r in (*first, *replayed, *resent)] == ["stored", "stored", "already_stored"]
    person = Person.objects.get()
    assert (person.father_name, person.mother_name) == ("Mykola Kovalenko", "Галина Коваленко")


def test_a_name_too_long_rejects_only_that_record_naming_the_field(
    device: Device, crossing_point: CrossingPoint
) -> None:
    bad = person_record(crossing_point, mother_name="x" * 201)
    good = person_record(crossing_point, father_name="Mykola")

    results = _results(device.sync([bad, good]))

    assert [r["status"] for r in results] == ["rejected", "stored"]
    assert list(results[0]["error"]["fields"]) == ["mother_name"]
    assert list(Person.objects.values_list("pk", flat=True)) == [uuid.UUID(good["id"])]


def test_a_correction_of_a_parents_name_merges_and_asks_for_a_new_duplicate_check(
    device: Device, registered: str, officer: User
) -> None:
    [result] = _results(device.sync([_edit(registered, 1, father_name="  Mykola   Ivanovych Kovalenko ")]))

    person = Person.objects.get(pk=registered)
    assert (result["status"], result["version"]) == ("merged", 2)
    assert (person.father_name, person.mother_name) == ("Mykola Ivanovych Kovalenko", "Галина")
    assert person.dedup_checked_at is None
    assert person.father_search_name == "MYKOLA IVANOVYCH KOVALENKO"
    assert persons_search(actor=Actor(user=officer, device="test"), parent_name="ivanovych") == [person]


def test_two_devices_changing_the_mothers_name_apart_make_a_conflict(
    device: Device, second_device: Device, registered: str, coordinator: User, api: Any
) -> None:
    device.sync([_edit(registered, 1, mother_name="Галина Коваленко")])

    [result] = _results(second_device.sync([_edit(registered, 1, mother_name="Halyna Kovalenko")]))

    conflict = PersonConflict.objects.get()
    assert (result["status"], result["conflicts"]) == ("conflict", ["mother_name"])
    assert (conflict.field, conflict.server_value, conflict.device_value) == (
        "mother_name",
        "Галина Коваленко",
        "Halyna Kovalenko",
    )
    page = api(coordinator).get("/conflicts/").content.decode().replace("&#x27;", "'")
    assert "<td>mother's name</td>" in page  # lower case, as every other field's label


def test_taking_the_devices_mothers_name_makes_the_person_found_by_it_and_says_so_in_lower_case(
    device: Device, second_device: Device, registered: str, coordinator: User, api: Any
) -> None:
    device.sync([_edit(registered, 1, mother_name="Галина Коваленко")])
    second_device.sync([_edit(registered, 1, mother_name="Halyna Kovalenko")])
    conflict = PersonConflict.objects.get()

    resolved = api(coordinator).post(f"/conflicts/{conflict.pk}/resolve", {"choice": "device"}, follow=True)

    page = resolved.content.decode().replace("&#x27;", "'")
    assert "Resolved: mother's name of this person is settled." in page
    actor = Actor(user=coordinator, device="test")
    assert [p.pk for p in persons_search(actor=actor, parent_name="halyna")] == [uuid.UUID(registered)]
    assert persons_search(actor=actor, parent_name="галина") == []


def test_the_pulled_persons_carry_the_parents_names(
    device: Device, registered: str, crossing_point: CrossingPoint
) -> None:
    response = device.get("/api/field/persons", crossing_point=str(crossing_point.pk))

    assert_matches_openapi(response)
    [person] = response.json()["persons"]
    assert (person["father_name"], person["mother_name"]) == ("Mykola Kovalenko", "Галина")


def test_the_app_validates_them_offline_with_the_servers_rules(device: Device) -> None:
    schemas = device.get("/api/field/reference").json()["schemas"]

    for name in ("father_name", "mother_name"):
        assert schemas["person"]["properties"][name]["maxLength"] == 200
        assert {"type": "string", "maxLength": 200} in schemas["person_edit"]["properties"][name]["anyOf"]
