"""Two tabs or a retry racing the first try: the same batch arriving at once is stored once."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import pytest
from django.db import connection

from hbm.accounts.models import User
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.audit.selectors import audit_chain_verify
from hbm.crossings.models import CrossingPoint
from hbm.registration.models import Encounter, Person
from tests.field.conftest import Device, count_record, enrol, person_record

pytestmark = pytest.mark.django_db(transaction=True)
SENDERS = 4


def _at_once(device: Device, records: list[dict[str, Any]], keys: list[str]) -> list[Any]:
    """Send ``records`` from SENDERS threads released together, one key each (keys may repeat)."""
    barrier = threading.Barrier(SENDERS)
    answers: list[Any] = []

    def send(key: str) -> None:
        try:
            barrier.wait()
            answers.append(device.sync(records, key=key))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


@pytest.fixture
def racing_device(officer: User) -> Device:
    return enrol(officer, "tablet-racing")


@pytest.mark.parametrize("same_key", [True, False], ids=["one key (a retry)", "a key each (two tabs)"])
def test_the_same_batch_sent_at_once_is_stored_once(
    racing_device: Device, crossing_point: CrossingPoint, same_key: bool
) -> None:
    records = [person_record(crossing_point) for _ in range(20)] + [count_record(crossing_point)]
    keys = [uuid.uuid4().hex] * SENDERS if same_key else [uuid.uuid4().hex for _ in range(SENDERS)]

    answers = _at_once(racing_device, records, keys)

    assert [a.status_code for a in answers] == [200] * SENDERS
    for answer in answers:
        assert {r["status"] for r in answer.json()["results"]} <= {"stored", "already_stored"}
    assert Person.objects.count() == 20
    assert Encounter.objects.count() == 21
    assert AuditEntry.objects.filter(event=AuditEvent.PERSON_REGISTERED).count() == 20
    assert audit_chain_verify().is_intact
