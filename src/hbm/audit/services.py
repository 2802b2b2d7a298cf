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
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    user = actor.user if actor else None
    label = actor_label or (user.get_username() if user else "system")
    entries = []
    for event, subject, detail in events:
        subject_type, subject_id = _subject_ref(subject)
        fields: dict[str, Any] = {
            "seq": head.seq + 1,
            "at": now().astimezone(UTC),
            "actor_label": label,
            "device": actor.device if actor else "",
            "address": (actor.address or "") if actor else "",
            "event": str(event),
            "subject_type": subject_type,
            "subject_id": subject_id,
            "detail": detail or {},
        }
        entry_hash = chain_hash(
            head.entry_hash, canonical_entry(actor_id=user.pk if user else None, **fields)
        )
        entries.append(AuditEntry(actor=user, prev_hash=head.entry_hash, entry_hash=entry_hash, **fields))
        head.seq, head.entry_hash = fields["seq"], entry_hash
    created = AuditEntry.objects.bulk_create(entries) if len(entries) > 1 else [_insert(entries[0])]
    head.save(update_fields=["seq", "entry_hash"])
    return created


def _insert(entry: AuditEntry) -> AuditEntry:
    entry.save(force_insert=True)
    return entry
