"""Loading twice, resetting, and erasing the demo: reproducible, and the audit trail stays append-only."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, transaction

from hbm.accounts.models import User
from hbm.audit.models import AuditEntry, AuditHead
from hbm.audit.selectors import audit_chain_verify
from hbm.demo.load import demo_data_erase, demo_is_loaded
from hbm.registration.models import Person
from tests.demo.conftest import load

pytestmark = pytest.mark.django_db


def _without_time(summary: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in summary.items() if key != "seconds"}


def test_the_same_seed_gives_the_same_summary_after_a_reset_and_another_seed_another() -> None:
    first = load(seed=11)

    again = load(seed=11, reset=True)
    other = load(seed=12, reset=True)

    assert _without_time(again) == _without_time(first)
    assert _without_time(other) != _without_time(first)
    assert audit_chain_verify().is_intact


def test_a_second_load_without_reset_writes_nothing() -> None:
    load()
    before = (AuditEntry.objects.count(), Person.objects.count(), User.objects.count())

    summary = load()

    assert summary["status"] == "already_loaded"
    assert (AuditEntry.objects.count(), Person.objects.count(), User.objects.count()) == before


def test_erasing_restarts_the_chain_and_keeps_the_trail_append_only() -> None:
    load()

    demo_data_erase()

    assert (AuditEntry.objects.count(), User.objects.count(), Person.objects.count()) == (0, 0, 0)
    assert AuditHead.objects.get().seq == 0
    assert not demo_is_loaded()
    load()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=1).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=1).update(event="forged")
    assert audit_chain_verify().is_intact
