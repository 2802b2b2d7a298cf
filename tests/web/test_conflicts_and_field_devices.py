"""The web pages of the field app's server side: devices with their sync state, conflicts to resolve."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from hbm.accounts.models import User
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.crossings.models import CrossingPoint
from hbm.field.models import FieldDevice, PersonConflict
from hbm.registration.models import Person
from tests.field.conftest import enrol, person_record

pytestmark = pytest.mark.django_db


def _edit(person_id: str, **changes: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "kind": "person_edit",
        "person": person_id,
        "base_version": 1,
        "changes": changes,
    }


@pytest.fixture
def conflict(officer: User, make_user: Any, crossing_point: CrossingPoint) -> PersonConflict:
    first = enrol(officer, "tablet-north")
    second = enrol(make_user("border_officer", username="colleague"), "phone-south")
    record = person_record(crossing_point)
    first.sync([record])
    first.sync([_edit(record["id"], nationality="MDA")])
    second.sync([_edit(record["id"], nationality="ROU")])
    return PersonConflict.objects.get()


def test_a_coordinator_sees_both_values_with_names_and_takes_the_devices(
    conflict: PersonConflict, coordinator: User, api: Any
) -> None:
    client = api(coordinator)

    listing = client.get("/conflicts/").content.decode()
    resolved = client.post(f"/conflicts/{conflict.pk}/resolve", {"choice": "device"}, follow=True)

    assert "Moldova" in listing
    assert "Romania" in listing
    assert f'data-testid="take-device-{conflict.pk}"' in listing
    assert resolved.status_code == 200
    assert "No open conflict" in resolved.content.decode()
    assert Person.objects.get(pk=conflict.person_id).nationality == "ROU"
    assert AuditEntry.objects.filter(event=AuditEvent.CONFLICT_RESOLVED).count() == 1
    assert "Romania" in client.get("/conflicts/?status=resolved").content.decode()


def test_officers_do_not_see_the_conflicts_page(conflict: PersonConflict, officer: User, api: Any) -> None:
    client = api(officer)
    before = AuditEntry.objects.count()

    listing = client.get("/conflicts/")

    assert listing.status_code == 403
    assert 'data-status="403"' in listing.content.decode()
    assert "Romania" not in listing.content.decode()
    written = [(e.event, e.actor, e.detail) for e in AuditEntry.objects.filter(seq__gt=before)]
    assert written == [(AuditEvent.ACCESS_REFUSED, officer, {"kind": "conflicts", "id": "list"})]
    assert client.post(f"/conflicts/{conflict.pk}/resolve", {"choice": "device"}).status_code == 404
    assert PersonConflict.objects.get().status == "open"
    assert 'data-testid="nav-conflicts"' not in client.get("/devices/").content.decode()


def test_the_conflicts_page_is_translated_into_arabic(
    conflict: PersonConflict, coordinator: User, api: Any
) -> None:
    client = api(coordinator)
    client.post("/i18n/setlang/", {"language": "ar", "next": "/conflicts/"})

    content = client.get("/conflicts/").content.decode()

    assert 'dir="rtl"' in content
    assert "Conflicts between offline edits" not in content


def test_the_devices_page_shows_what_each_field_device_last_reported(
    officer: User, coordinator: User, crossing_point: CrossingPoint, api: Any
) -> None:
    device = enrol(officer, "tablet-north")
    device.sync([person_record(crossing_point)], pending=7, rejected=2)
    token = FieldDevice.objects.get(pk=device.id).token

    content = api(coordinator).get("/devices/").content.decode()

    cell = content.split(f'data-testid="sync-state-{token.pk}"', 1)[1].split("</td>", 1)[0]
    assert "last sync" in cell
    assert "6 records waiting on the device" in cell
    assert "2 to fix" in cell
    assert "1 record received" in cell
