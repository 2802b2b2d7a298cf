"""Writing to the audit trail. Called by every service, inside that service's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from typing import Any

from django.db import models, transaction

from hbm.audit.chain import canonical_entry, chain_hash
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry, AuditHead
from hbm.core.context import Actor
from hbm.core.rows import Write, rows_insert
from hbm.core.time import now


def _subject_ref(subject: models.Model | None) -> tuple[str, str]:
    if subject is None:
        return "", ""
    return subject._meta.label_lower, str(subject.pk)


def audit_record(
    *,
    actor: Actor | None,
    event: AuditEvent,
    subject: models.Model | None = None,
    detail: dict[str, Any] | None = None,
    actor_label: str | None = None,
) -> AuditEntry:
    """Append one entry to the chain. Must run inside the caller's transaction.

    ``detail`` must hold identifiers and field names only, never the sensitive values themselves:
    the auditor reads it. ``actor`` is ``None`` for events with no authenticated user: a failed
    login (which names the claimed user in ``actor_label``) or a command-line task ("system").
    """
    return audit_record_many(actor=actor, events=[(event, subject, detail)], actor_label=actor_label)[0]


AuditItem = tuple[AuditEvent, models.Model | None, dict[str, Any] | None]


def audit_record_many(
    *, actor: Actor | None, events: Sequence[AuditItem], actor_label: str | None = None
) -> list[AuditEntry]:
    """Append several entries of one actor in order, taking the chain's head lock once (a batch of
    records synced from a device). Same rules as :func:`audit_record`."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the write it records")
    if not events:
        return []
    head_seq, head_hash = _head_locked()
    user = actor.user if actor else None
    label = actor_label or (user.get_username() if user else "system")
    entries = []
    for event, subject, detail in events:
        subject_type, subject_id = _subject_ref(subject)
        fields: dict[str, Any] = {
            "seq": head_seq + 1,
            "at": now().astimezone(UTC),
            "actor_label": label,
            "device": actor.device if actor else "",
            "address": (actor.address or "") if actor else "",
            "event": str(event),
            "subject_type": subject_type,
            "subject_id": subject_id,
            "detail": detail or {},
        }
        entry_hash = chain_hash(head_hash, canonical_entry(actor_id=user.pk if user else None, **fields))
        entries.append(AuditEntry(actor=user, prev_hash=head_hash, entry_hash=entry_hash, **fields))
        head_seq, head_hash = fields["seq"], entry_hash
    head_move = _head_move(seq=head_seq, entry_hash=head_hash)
    if len(entries) > 1:
        AuditEntry.objects.bulk_create(entries)
        with transaction.get_connection().cursor() as cursor:
            cursor.execute(*head_move)
    else:
        rows_insert(entries[0], along=[head_move])  # one round trip on PostgreSQL
    return entries


# Every audited write runs the two statements below, so they are written out rather than built by
# the ORM each time (about 0.3 ms of CPU per write on PostgreSQL, see benchmarks/RESULTS.md). The
# entry and the head's move go to PostgreSQL as one statement: the head is locked one round trip less.
_HEAD = AuditHead._meta.db_table
_HEAD_ID = 1


def _head_locked() -> tuple[int, str]:
    """The chain's head ``(seq, entry_hash)``, locked until the transaction ends: ``SELECT … FOR
    UPDATE`` on PostgreSQL; on SQLite the transaction holds the database's write lock already
    (``BEGIN IMMEDIATE``). The head row is made at genesis the first time."""
    connection = transaction.get_connection()
    table = connection.ops.quote_name(_HEAD)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seq, entry_hash FROM {table} WHERE id = %s{lock}", [_HEAD_ID])  # noqa: S608
        row = cursor.fetchone()
    if row is None:
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=_HEAD_ID)
        return head.seq, head.entry_hash
    return int(row[0]), str(row[1])


def _head_move(*, seq: int, entry_hash: str) -> Write:
    """The statement that moves the head to the entry just appended."""
    table = transaction.get_connection().ops.quote_name(_HEAD)
    return f"UPDATE {table} SET seq = %s, entry_hash = %s WHERE id = %s", [seq, entry_hash, _HEAD_ID]  # noqa: S608
