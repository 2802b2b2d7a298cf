"""Exactly-once sync of a device's outbox: replays, lost answers, rejections, revoked devices."""

from __future__ import annotations

import base64
import io
import uuid
from typing import Any

import pytest
from PIL import Image

from hbm.accounts.models import DeviceToken, User
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.audit.selectors import audit_chain_verify
from hbm.crossings.models import CrossingPoint
from hbm.engines.tokens import token_generate
from hbm.field import services
from hbm.field.models import FieldDevice, SyncReceipt
from hbm.registration.models import Encounter, Group, Person
from tests.api.conftest import assert_matches_openapi
from tests.factories import TEST_PASSWORD
from tests.field.conftest import Device, count_record, enrol, group_record, person_record

pytestmark = pytest.mark.django_db


def _statuses(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    assert_matches_openapi(response)
    return [r["status"] for r in response.json()["results"]]


def test_enrolment_issues_the_device_its_own_token_and_is_audited(officer: User) -> None:
    device = enrol(officer, "tablet-7")

    stored = FieldDevice.objects.select_related("token").get(pk=device.id)
    assert stored.token.user == officer
    assert stored.token.name == "tablet-7"
    assert device.token.startswith("hbm_")
    assert AuditEntry.objects.filter(event=AuditEvent.DEVICE_ENROLLED, subject_id=device.id).exists()


def test_enrolment_refuses_a_wrong_password_and_roles_that_do_not_register(
    officer: User, coordinator: User, api: Any
) -> None:
    wrong = api(None).post(
        "/api/field/enrol",
        {"username": officer.username, "password": "nope", "device_name": "x"},
        content_type="application/json",
    )
    refused = api(None).post(
        "/api/field/enrol",
        {"username": coordinator.username, "password": TEST_PASSWORD, "device_name": "x"},
        content_type="application/json",
    )

    assert (wrong.status_code, wrong.json()["code"]) == (401, "not_authenticated")
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    assert FieldDevice.objects.count() == 0


def test_one_batch_stores_counts_groups_persons_and_photos(
    device: Device, crossing_point: CrossingPoint
) -> None:
    token = token_generate()
    person = person_record(crossing_point, group_token=token, relationship="head")
    photo = _photo_record(person["id"])

    response = device.sync(
        [count_record(crossing_point), group_record(crossing_point, token), person, photo], pending=4
    )

    assert _statuses(response) == ["stored", "stored", "stored", "stored"]
    stored = Person.objects.get(pk=person["id"])
    assert stored.photo is not None
    assert stored.version == 2
    assert stored.memberships.get().group.token == token
    assert Encounter.objects.count() == 3  # count, group, individual


def test_a_replayed_batch_gets_the_same_answer_and_stores_nothing_twice(
    device: Device, crossing_point: CrossingPoint
) -> None:
    records = [person_record(crossing_point) for _ in range(3)] + [count_record(crossing_point)]
    key = uuid.uuid4().hex

    first = device.sync(records, key=key)
    again = device.sync(records, key=key)

    assert again.json()["replayed"] is True
    assert again.json()["results"] == first.json()["results"]
    assert Person.objects.count() == 3
    assert Encounter.objects.count() == 4


def test_the_same_records_under_a_new_key_are_answered_already_stored(
    device: Device, crossing_point: CrossingPoint
) -> None:
    records = [person_record(crossing_point), count_record(crossing_point), _group(crossing_point)]
    device.sync(records)

    assert _statuses(device.sync(records)) == ["already_stored"] * 3
    assert (Person.objects.count(), Encounter.objects.count(), Group.objects.count()) == (1, 3, 1)


def _group(crossing_point: CrossingPoint) -> dict[str, Any]:
    return group_record(crossing_point, token_generate())


def test_a_retry_reporting_a_different_outbox_size_is_the_same_upload(
    device: Device, crossing_point: CrossingPoint
) -> None:
    records = [person_record(crossing_point)]
    key = uuid.uuid4().hex
    device.sync(records, key=key, pending=1)

    again = device.sync(records, key=key, pending=6)  # five more were queued while the answer was lost

    assert again.status_code == 200
    assert again.json()["replayed"] is True
    assert FieldDevice.objects.get(pk=device.id).pending_reported == 6


def test_a_key_reused_for_another_batch_is_refused(device: Device, crossing_point: CrossingPoint) -> None:
    key = uuid.uuid4().hex
    device.sync([person_record(crossing_point)], key=key)

    response = device.sync([person_record(crossing_point)], key=key)

    assert (response.status_code, response.json()["code"]) == (409, "idempotency_key_reused")
    assert "Idempotency-Key" in response.json()["fields"]
    assert Person.objects.count() == 1


def test_a_rejected_record_does_not_block_the_others_and_says_which_field(
    device: Device, crossing_point: CrossingPoint
) -> None:
    bad_code = person_record(crossing_point, nationality="ZZZ")
    bad_shape = person_record(crossing_point, sex="Q")
    good = person_record(crossing_point)

    response = device.sync([bad_code, bad_shape, good])

    assert _statuses(response) == ["rejected", "rejected", "stored"]
    first, second, _ = response.json()["results"]
    assert list(first["error"]["fields"]) == ["nationality"]
    assert list(second["error"]["fields"]) == ["sex"]
    assert list(Person.objects.values_list("pk", flat=True)) == [uuid.UUID(good["id"])]


def test_a_fixed_record_sent_again_with_the_same_id_is_stored(
    device: Device, crossing_point: CrossingPoint
) -> None:
    record = person_record(crossing_point, nationality="ZZZ")
    device.sync([record])
    record["payload"]["nationality"] = "UKR"

    assert _statuses(device.sync([record])) == ["stored"]


def test_a_malformed_batch_is_refused_whole_naming_the_field(
    device: Device, crossing_point: CrossingPoint
) -> None:
    good = person_record(crossing_point)
    response = device.sync([good, {"id": str(uuid.uuid4()), "kind": "nope"}])

    assert response.status_code == 422
    assert "records.1.kind" in response.json()["fields"]
    assert Person.objects.count() == 0


def test_a_missing_or_malformed_idempotency_key_is_a_field_error(device: Device) -> None:
    response = device.client.post(
        "/api/field/sync",
        {"device_id": device.id, "records": []},
        content_type="application/json",
        headers={"Authorization": f"Bearer {device.token}"},
    )
    short = device.sync([], key="abc")

    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["fields"]
    assert short.status_code == 422
    assert "Idempotency-Key" in short.json()["fields"]


def test_a_revoked_device_is_refused_with_its_reason(
    device: Device, crossing_point: CrossingPoint, coordinator: User, api: Any
) -> None:
    token = FieldDevice.objects.get(pk=device.id).token
    api(coordinator).post(f"/api/auth/tokens/{token.pk}/revoke")

    response = device.sync([person_record(crossing_point)])

    assert (response.status_code, response.json()["code"]) == (401, "device_revoked")
    assert "revoked" in response.json()["message"]
    assert Person.objects.count() == 0


def test_a_session_cannot_sync_only_an_enrolled_device(officer: User, api: Any) -> None:
    response = api(officer).post(
        "/api/field/sync",
        {"device_id": str(uuid.uuid4()), "records": []},
        content_type="application/json",
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )

    assert response.status_code == 403


def test_another_devices_id_is_refused(device: Device, enrol_device: Any, officer: User) -> None:
    other = enrol_device(officer, "phone-2")

    response = device.sync([], device_id=other.id)

    assert response.status_code == 422
    assert "device_id" in response.json()["fields"]


def test_the_device_reports_its_outbox_and_the_server_keeps_it(
    device: Device, crossing_point: CrossingPoint
) -> None:
    device.sync(
        [person_record(crossing_point), person_record(crossing_point, sex="Q")], pending=5, rejected=0
    )
    device.sync([], pending=4, rejected=1)

    stored = FieldDevice.objects.get(pk=device.id)
    assert (stored.pending_reported, stored.rejected_reported, stored.records_received) == (4, 1, 1)
    assert stored.last_sync_at is not None


def test_a_server_stopped_mid_batch_keeps_what_it_stored_and_the_retry_stores_the_rest(
    device: Device, crossing_point: CrossingPoint, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = [person_record(crossing_point), person_record(crossing_point), count_record(crossing_point)]
    records += [person_record(crossing_point), person_record(crossing_point)]

    def the_server_stops(actor: Any, record: Any) -> Any:
        raise SystemExit("the server process stops here")

    real = services._APPLIERS[services.RecordKind.COUNT]
    monkeypatch.setitem(services._APPLIERS, services.RecordKind.COUNT, the_server_stops)
    key = uuid.uuid4().hex
    with pytest.raises(SystemExit):
        device.sync(records, key=key)
    assert Person.objects.count() == 2
    assert not SyncReceipt.objects.exists()
    monkeypatch.setitem(services._APPLIERS, services.RecordKind.COUNT, real)

    statuses = _statuses(device.sync(records, key=key))

    assert statuses == ["already_stored", "already_stored", "stored", "stored", "stored"]
    assert Person.objects.count() == 4
    assert audit_chain_verify().is_intact


def test_registrations_of_a_batch_are_checked_one_by_one_though_written_together(
    device: Device, crossing_point: CrossingPoint
) -> None:
    token = token_generate()
    head = person_record(crossing_point, group_token=token, relationship="head")
    second_head = person_record(crossing_point, group_token=token, relationship="head")
    child = person_record(crossing_point, group_token=token, relationship="child", estimated_age=6)
    stranger = person_record(crossing_point, group_token=token_generate(), relationship="child")
    future = person_record(crossing_point, encounter={"occurred_at": "2099-01-01T00:00:00+00:00"})
    records = [group_record(crossing_point, token), head, second_head, child, stranger, future, head]

    response = device.sync(records)

    statuses = _statuses(response)
    assert statuses == ["stored", "stored", "rejected", "stored", "rejected", "rejected", "already_stored"]
    errors = [r["error"] and list(r["error"]["fields"]) for r in response.json()["results"]]
    assert errors[2:6] == [["relationship"], None, ["group_token"], ["occurred_at"]]
    assert Group.objects.get().memberships.count() == 2
    assert AuditEntry.objects.filter(event=AuditEvent.PERSON_REGISTERED).count() == 2
    assert audit_chain_verify().is_intact


def test_a_batch_that_meets_a_concurrent_retry_falls_back_to_one_by_one(
    device: Device, crossing_point: CrossingPoint, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import IntegrityError

    from hbm.registration import services as registration

    records = [person_record(crossing_point) for _ in range(3)]
    device.sync(records[:1])

    def a_retry_won(*args: Any) -> Any:
        raise IntegrityError("UNIQUE constraint failed: registration_person.id")

    monkeypatch.setattr(registration, "_batch_write", a_retry_won)
    monkeypatch.setattr(registration, "_batch_triage", lambda point, policy, items, outcomes: [object()])

    assert _statuses(device.sync(records)) == ["already_stored", "stored", "stored"]
    assert Person.objects.count() == 3


def test_a_photo_larger_than_200_kb_is_rejected(device: Device, crossing_point: CrossingPoint) -> None:
    person = person_record(crossing_point)
    big = {"id": str(uuid.uuid4()), "kind": "photo", "person": person["id"], "photo": _b64(b"x" * 210_000)}

    response = device.sync([person, big])

    assert _statuses(response) == ["stored", "rejected"]
    assert "photo" in response.json()["results"][1]["error"]["fields"]


def test_the_token_of_an_officer_not_posted_there_is_refused_per_record(
    device: Device, other_crossing_point: CrossingPoint
) -> None:
    response = device.sync([person_record(other_crossing_point)])

    assert _statuses(response) == ["rejected"]
    assert response.json()["results"][0]["error"]["code"] == "forbidden"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _photo_record(person_id: str) -> dict[str, Any]:
    out = io.BytesIO()
    Image.new("RGB", (64, 80), (120, 90, 60)).save(out, format="JPEG")
    return {"id": str(uuid.uuid4()), "kind": "photo", "person": person_id, "photo": _b64(out.getvalue())}


def test_devices_are_listed_for_a_coordinator_with_their_sync_state(
    device: Device, coordinator: User, officer: User, api: Any, make_user: Any
) -> None:
    other = make_user("border_officer", username="other")
    enrol(other, "phone-of-other")

    everyone = api(coordinator).get("/api/field/devices").json()
    own = api(officer).get("/api/field/devices").json()

    assert {d["username"] for d in everyone} == {"officer", "other"}
    assert [d["name"] for d in own] == ["tablet-1"]
    assert DeviceToken.objects.count() == 2


def test_signing_out_ends_the_devices_token(device: Device, officer: User) -> None:
    response = device.client.post("/api/field/sign-out", headers={"Authorization": f"Bearer {device.token}"})

    assert response.status_code == 204
    assert DeviceToken.objects.get(user=officer).revoked_at is not None
    assert AuditEntry.objects.filter(event=AuditEvent.LOGOUT, actor=officer).exists()
    assert device.sync([]).json()["code"] == "device_revoked"
