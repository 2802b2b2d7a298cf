"""Offline edits: fields that did not collide merge, fields changed on both sides become conflicts
that a supervisor resolves; nothing is overwritten and every step is audited."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from hbm.accounts.models import User
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.crossings.models import CrossingPoint
from hbm.field.models import PersonConflict
from hbm.registration.models import Person
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


@pytest.fixture
def registered(device: Device, crossing_point: CrossingPoint) -> str:
    record = person_record(crossing_point, place_of_birth="Kharkiv")
    assert device.sync([record]).json()["results"][0]["status"] == "stored"
    return str(record["id"])


@pytest.fixture
def second_device(make_user: Any) -> Device:
    return enrol(make_user("border_officer", username="colleague"), "phone-2")


def _result(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.content
    assert_matches_openapi(response)
    result: dict[str, Any] = response.json()["results"][0]
    return result


def test_an_edit_from_the_current_version_merges(device: Device, registered: str) -> None:
    result = _result(device.sync([_edit(registered, 1, surname_latin="Kovalenko-Shevchenko")]))

    person = Person.objects.get(pk=registered)
    assert (result["status"], result["version"]) == ("merged", 2)
    assert (person.surname_latin, person.search_name) == (
        "Kovalenko-Shevchenko",
        "KOVALENKO-SHEVCHENKO OLENA",
    )


def test_two_devices_editing_the_same_field_make_a_conflict_and_the_untouched_field_merges(
    device: Device, second_device: Device, registered: str
) -> None:
    first = _result(device.sync([_edit(registered, 1, surname_latin="Kowalenko")]))
    second = _result(
        second_device.sync([_edit(registered, 1, surname_latin="Kovalenka", place_of_birth="Lviv")])
    )

    person = Person.objects.get(pk=registered)
    conflict = PersonConflict.objects.get()
    assert first["status"] == "merged"
    assert second["status"] == "conflict"
    assert second["conflicts"] == ["surname_latin"]
    assert (person.surname_latin, person.place_of_birth) == ("Kowalenko", "Lviv")
    assert (conflict.field, conflict.server_value, conflict.device_value) == (
        "surname_latin",
        "Kowalenko",
        "Kovalenka",
    )


def test_the_same_value_changed_on_both_sides_is_no_conflict(
    device: Device, second_device: Device, registered: str
) -> None:
    device.sync([_edit(registered, 1, nationality="MDA")])

    result = _result(second_device.sync([_edit(registered, 1, nationality="mda")]))

    assert result["status"] == "merged"
    assert not PersonConflict.objects.exists()


def test_a_replayed_edit_is_applied_once(device: Device, registered: str) -> None:
    edit = _edit(registered, 1, languages=["ukr", "rus"])
    device.sync([edit])

    again = _result(device.sync([edit]))

    assert (again["status"], again["version"]) == ("already_stored", 2)
    assert Person.objects.get(pk=registered).version == 2


def test_a_bad_edit_is_rejected_naming_the_field_and_changes_nothing(device: Device, registered: str) -> None:
    result = _result(device.sync([_edit(registered, 1, nationality="ZZZ", place_of_birth="Odesa")]))

    assert result["status"] == "rejected"
    assert list(result["error"]["fields"]) == ["nationality"]
    assert Person.objects.get(pk=registered).place_of_birth == "Kharkiv"


def test_an_edit_of_a_person_the_officer_may_not_see_is_rejected_as_not_found(
    registered: str, make_user: Any, other_crossing_point: CrossingPoint
) -> None:
    stranger = make_user("border_officer", username="stranger", posted=False)
    other_crossing_point.staff.add(stranger)

    result = _result(enrol(stranger, "far").sync([_edit(registered, 1, surname_latin="X")]))

    assert (result["status"], result["error"]["code"]) == ("rejected", "not_found")


def _conflict(device: Device, second_device: Device, registered: str) -> PersonConflict:
    device.sync([_edit(registered, 1, sex="M")])
    second_device.sync([_edit(registered, 1, sex="X")])
    return PersonConflict.objects.get()


def test_a_coordinator_sees_conflicts_with_both_values(
    device: Device, second_device: Device, registered: str, coordinator: User, api: Any
) -> None:
    conflict = _conflict(device, second_device, registered)

    response = api(coordinator).get("/api/field/conflicts")

    assert_matches_openapi(response)
    [row] = response.json()
    assert (row["id"], row["server_value"], row["device_value"], row["current_value"]) == (
        str(conflict.pk),
        "M",
        "X",
        "M",
    )
    assert row["officer"] == "colleague"
    assert AuditEntry.objects.filter(event=AuditEvent.CONFLICTS_VIEWED).exists()


def test_taking_the_device_value_applies_it_as_a_new_version_and_is_audited(
    device: Device, second_device: Device, registered: str, coordinator: User, api: Any
) -> None:
    conflict = _conflict(device, second_device, registered)

    response = api(coordinator).post(
        f"/api/field/conflicts/{conflict.pk}/resolve", {"choice": "device"}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["status"] == "resolved"
    person = Person.objects.get(pk=registered)
    assert (person.sex, person.version) == ("X", 3)
    entry = AuditEntry.objects.get(event=AuditEvent.CONFLICT_RESOLVED)
    assert entry.detail == {"conflict": str(conflict.pk), "field": "sex", "choice": "device"}


def test_keeping_the_server_value_changes_nothing_but_closes_the_conflict(
    device: Device, second_device: Device, registered: str, coordinator: User, api: Any
) -> None:
    conflict = _conflict(device, second_device, registered)

    api(coordinator).post(
        f"/api/field/conflicts/{conflict.pk}/resolve", {"choice": "server"}, content_type="application/json"
    )
    twice = api(coordinator).post(
        f"/api/field/conflicts/{conflict.pk}/resolve", {"choice": "device"}, content_type="application/json"
    )

    assert Person.objects.get(pk=registered).sex == "M"
    assert twice.status_code == 409


def test_officers_neither_see_nor_resolve_conflicts(
    device: Device, second_device: Device, registered: str, officer: User, api: Any
) -> None:
    conflict = _conflict(device, second_device, registered)
    before = AuditEntry.objects.count()

    listing = api(officer).get("/api/field/conflicts")
    resolving = api(officer).post(
        f"/api/field/conflicts/{conflict.pk}/resolve", {"choice": "device"}, content_type="application/json"
    )

    assert listing.status_code == 403
    assert_matches_openapi(listing)
    assert resolving.status_code == 404
    assert PersonConflict.objects.get().status == "open"
    written = [(e.event, e.actor, e.detail) for e in AuditEntry.objects.filter(seq__gt=before)]
    assert written == [(AuditEvent.ACCESS_REFUSED, officer, {"kind": "conflicts", "id": "list"})]


def test_conflict_values_are_encrypted_at_rest(
    device: Device, second_device: Device, registered: str
) -> None:
    from django.db import connection

    _conflict(device, second_device, registered)
    with connection.cursor() as cursor:
        cursor.execute("SELECT server_value, device_value FROM field_personconflict")
        raw = cursor.fetchone()

    assert all(b'"X"' not in bytes(value) and b'"M"' not in bytes(value) for value in raw)


def test_pulling_recent_persons_for_offline_look_up_is_audited_by_id(
    device: Device, registered: str, crossing_point: CrossingPoint
) -> None:
    response = device.get("/api/field/persons", crossing_point=str(crossing_point.pk))

    assert response.status_code == 200, response.content
    assert_matches_openapi(response)
    [person] = response.json()["persons"]
    assert (person["id"], person["version"]) == (registered, 1)
    entry = AuditEntry.objects.get(event=AuditEvent.PERSONS_PULLED)
    assert entry.detail["persons"] == [registered]


def test_pulling_from_a_crossing_point_the_officer_is_not_posted_at_is_refused(
    device: Device, other_crossing_point: CrossingPoint
) -> None:
    response = device.get("/api/field/persons", crossing_point=str(other_crossing_point.pk))

    assert response.status_code == 403
    assert not AuditEntry.objects.filter(event=AuditEvent.PERSONS_PULLED).exists()
