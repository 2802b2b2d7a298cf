"""The names in the original script from the field app: registered offline, corrected offline
(merged, or kept as a conflict that a coordinator resolves), and found by the person search however
they are typed afterwards, because every change folds them again."""

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
from tests.field.conftest import Device, enrol, person_record

pytestmark = pytest.mark.django_db

KARIMI_PERSIAN = "\u06a9\u0631\u06cc\u0645\u06cc"  # کریمی: KEHEH, FARSI YEH
KARIMI_ARABIC = "\u0643\u0631\u064a\u0645\u064a"  # كريمي: KAF, YEH


def _edit(person_id: str, base_version: int, **changes: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "kind": "person_edit",
        "person": person_id,
        "base_version": base_version,
        "changes": changes,
    }


def _statuses(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [r["status"] for r in response.json()["results"]]


@pytest.fixture
def registered(device: Device, crossing_point: CrossingPoint) -> str:
    record = person_record(crossing_point, surname_original="КОВАЛЕНКО", given_names_original="ОЛЕНА")
    assert _statuses(device.sync([record])) == ["stored"]
    return str(record["id"])


@pytest.fixture
def second_device(make_user: Any) -> Device:
    return enrol(make_user("border_officer", username="colleague"), "phone-2")


def _found(user: User, query: str) -> list[str]:
    return [str(p.pk) for p in persons_search(actor=Actor(user=user, device="test"), query=query)]


def test_a_registration_synced_from_the_device_is_found_in_lower_case(registered: str, officer: User) -> None:
    assert Person.objects.get(pk=registered).search_original == "КОВАЛЕНКО ОЛЕНА"
    assert _found(officer, "олена") == [registered]


def test_a_corrected_original_surname_is_found_by_the_new_name_not_the_old(
    device: Device, registered: str, officer: User
) -> None:
    assert _statuses(device.sync([_edit(registered, 1, surname_original=KARIMI_PERSIAN)])) == ["merged"]

    assert Person.objects.get(pk=registered).search_original == f"{KARIMI_ARABIC} ОЛЕНА"
    assert _found(officer, KARIMI_ARABIC) == [registered]
    assert _found(officer, "коваленко") == []


def test_taking_the_devices_original_name_in_a_conflict_makes_the_person_found_by_it(
    device: Device, second_device: Device, registered: str, coordinator: User, api: Any
) -> None:
    device.sync([_edit(registered, 1, given_names_original="Олена Петрівна")])
    second_device.sync([_edit(registered, 1, given_names_original="Гелена")])
    conflict = PersonConflict.objects.get()
    assert _found(coordinator, "петрівна") == [registered]

    resolved = api(coordinator).post(
        f"/api/field/conflicts/{conflict.pk}/resolve", {"choice": "device"}, content_type="application/json"
    )

    assert resolved.status_code == 200
    assert Person.objects.get(pk=registered).search_original == "КОВАЛЕНКО ГЕЛЕНА"
    assert _found(coordinator, "гелена") == [registered]
    assert _found(coordinator, "петрівна") == []
