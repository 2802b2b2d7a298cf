"""The audit trail is append-only, hash-chained, and its verifier names the first broken entry."""

from __future__ import annotations

import itertools

import pytest
from django.db import DatabaseError, connection, transaction

from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry, AuditHead
from hbm.audit.selectors import audit_chain_verify
from hbm.audit.services import audit_record
from hbm.cli import main as hbm_main
from hbm.core.context import Actor

pytestmark = pytest.mark.django_db(transaction=True)


def _record(actor: Actor, n: int) -> None:
    for i in range(n):
        with transaction.atomic():
            audit_record(actor=actor, event=AuditEvent.PERSON_VIEWED, detail={"i": i})


def _without_triggers(sql: str, params: list[object]) -> None:
    """What a database owner could do behind the application's back."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_entry_no_delete")
        else:
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        cursor.execute(sql, params)


def test_entries_chain_and_verify_intact(actor: Actor) -> None:
    _record(actor, 5)

    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.seq for e in entries][-5:] == list(range(entries[-1].seq - 4, entries[-1].seq + 1))
    assert all(b.prev_hash == a.entry_hash for a, b in itertools.pairwise(entries))
    assert AuditHead.objects.get().entry_hash == entries[-1].entry_hash
    verdict = audit_chain_verify()
    assert verdict.is_intact
    assert verdict.checked == len(entries)
    assert verdict.first_broken is None


def test_audit_record_outside_a_transaction_is_refused(actor: Actor) -> None:
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit_record(actor=actor, event=AuditEvent.PERSON_VIEWED)


def test_the_database_refuses_update_and_delete(actor: Actor) -> None:
    _record(actor, 2)
    entry = AuditEntry.objects.order_by("seq").first()
    assert entry is not None

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(actor_label="someone else")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).actor_label == entry.actor_label


def test_an_altered_entry_is_named(actor: Actor, capsys: pytest.CaptureFixture[str]) -> None:
    _record(actor, 4)
    target = AuditEntry.objects.order_by("seq")[2]

    _without_triggers("UPDATE audit_auditentry SET detail = %s WHERE seq = %s", ['{"i": 99}', target.seq])

    verdict = audit_chain_verify()
    assert not verdict.is_intact
    assert verdict.first_broken == target.seq
    assert verdict.reason == f"entry #{target.seq} was altered"
    assert hbm_main(["audit", "verify"]) == 1
    assert f"BROKEN at entry #{target.seq}" in capsys.readouterr().err


def test_a_removed_entry_is_named(actor: Actor) -> None:
    _record(actor, 4)
    target = AuditEntry.objects.order_by("seq")[1]

    _without_triggers("DELETE FROM audit_auditentry WHERE seq = %s", [target.seq])

    verdict = audit_chain_verify()
    assert (verdict.is_intact, verdict.first_broken) == (False, target.seq)
    assert verdict.reason == f"entry #{target.seq} is missing"


def test_removing_the_last_entries_is_caught_by_the_head(actor: Actor) -> None:
    _record(actor, 3)
    last = AuditEntry.objects.order_by("-seq").first()
    assert last is not None

    _without_triggers("DELETE FROM audit_auditentry WHERE seq = %s", [last.seq])

    verdict = audit_chain_verify()
    assert (verdict.is_intact, verdict.first_broken) == (False, last.seq)
    assert "removed" in verdict.reason


def test_recomputing_one_hash_still_breaks_the_next_link(actor: Actor) -> None:
    """A forger who rewrites an entry and its own hash is caught by the following entry."""
    _record(actor, 3)
    first, _second = AuditEntry.objects.order_by("seq")[:2]

    _without_triggers("UPDATE audit_auditentry SET entry_hash = %s WHERE seq = %s", ["f" * 64, first.seq])

    verdict = audit_chain_verify()
    assert verdict.first_broken == first.seq


def test_cli_verify_exits_zero_when_intact(actor: Actor, capsys: pytest.CaptureFixture[str]) -> None:
    _record(actor, 2)
    assert hbm_main(["audit", "verify"]) == 0
    assert "intact" in capsys.readouterr().out
