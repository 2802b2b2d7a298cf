"""Writing to the audit trail. Called by every service, inside that service's transaction."""

from __future__ import annotations

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
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the write it records")
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    subject_type, subject_id = _subject_ref(subject)
    seq = head.seq + 1
    at = now().astimezone(UTC)
    user = actor.user if actor else None
    fields: dict[str, Any] = {
        "seq": seq,
        "at": at,
        "actor_label": actor_label or (user.get_username() if user else "system"),
        "device": actor.device if actor else "",
        "address": (actor.address or "") if actor else "",
        "event": str(event),
        "subject_type": subject_type,
        "subject_id": subject_id,
        "detail": detail or {},
    }
    entry_hash = chain_hash(head.entry_hash, canonical_entry(actor_id=user.pk if user else None, **fields))
    entry = AuditEntry.objects.create(actor=user, prev_hash=head.entry_hash, entry_hash=entry_hash, **fields)
    head.seq, head.entry_hash = seq, entry_hash
    head.save(update_fields=["seq", "entry_hash"])
    return entry
