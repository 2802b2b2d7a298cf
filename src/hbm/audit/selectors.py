"""Reading and verifying the audit trail. The trail names who saw which person: reading it is a
read of personal data, audited like any other (``audit.entries_read``), and a refused read leaves an
``access.refused`` entry and nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hbm.audit.chain import GENESIS_HASH, canonical_entry, chain_hash
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry, AuditHead
from hbm.audit.services import audit_record
from hbm.core.context import Actor
from hbm.core.errors import PermissionDenied, ValidationFailed

AUDITOR_ROLE = "auditor"  # hbm.accounts.enums.Role.AUDITOR: accounts sits above this app
MAX_SUBJECT_ID = 64


@dataclass(frozen=True, slots=True)
class ChainVerdict:
    """``first_broken`` is the ``seq`` of the first entry that fails, ``None`` when all hold."""

    is_intact: bool
    checked: int
    first_broken: int | None
    reason: str


def _entry_canonical(entry: AuditEntry) -> bytes:
    return canonical_entry(
        seq=entry.seq,
        at=entry.at,
        actor_id=entry.actor_id,
        actor_label=entry.actor_label,
        device=entry.device,
        address=entry.address,
        event=entry.event,
        subject_type=entry.subject_type,
        subject_id=entry.subject_id,
        detail=entry.detail,
    )


def audit_chain_verify() -> ChainVerdict:
    """Walk the whole chain in order and name the first entry that was altered, removed or added.

    Detects: an edited field (its hash no longer matches), a removed entry (a gap in ``seq`` or a
    ``prev_hash`` that does not match), removed entries at the end (the head is ahead of the last
    row), and a forged head.
    """
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq != expected_seq:
            return ChainVerdict(False, checked, expected_seq, f"entry #{expected_seq} is missing")
        if entry.prev_hash != expected_prev:
            return ChainVerdict(
                False, checked, entry.seq, f"entry #{entry.seq} does not follow #{entry.seq - 1}"
            )
        if chain_hash(entry.prev_hash, _entry_canonical(entry)) != entry.entry_hash:
            return ChainVerdict(False, checked, entry.seq, f"entry #{entry.seq} was altered")
        expected_prev = entry.entry_hash
        expected_seq += 1
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    head_seq = head.seq if head else 0
    head_hash = head.entry_hash if head else GENESIS_HASH
    if head_seq != checked or head_hash != expected_prev:
        return ChainVerdict(
            False, checked, checked + 1, f"entries after #{checked} were removed (head is #{head_seq})"
        )
    return ChainVerdict(True, checked, None, "intact")


def audit_entries_read(
    *, actor: Actor, subject_id: str = "", event: str = "", actor_label: str = ""
) -> QuerySet[AuditEntry]:
    """The auditor's read of the trail, newest first, filtered as :func:`audit_entries_list`; the
    read is audited (``audit.entries_read``, naming the filters given: a ``subject_id`` is one
    record's history, often a person's). Anyone else is refused (:class:`PermissionDenied`, an
    ``access.refused`` entry: kind ``audit_entries``, id the subject asked for or ``list``) before
    the filters are checked; a ``subject_id`` longer than :data:`MAX_SUBJECT_ID` raises
    :class:`ValidationFailed`."""
    user = actor.user
    if not (user.is_active and user.role == AUDITOR_ROLE):
        with transaction.atomic():
            audit_record(
                actor=actor,
                event=AuditEvent.ACCESS_REFUSED,
                detail={"kind": "audit_entries", "id": subject_id[:MAX_SUBJECT_ID] or "list"},
            )
        raise PermissionDenied(_("only the auditor reads the audit trail"))
    if len(subject_id) > MAX_SUBJECT_ID:
        raise ValidationFailed.on(
            "subject_id",
            ngettext(
                "is longer than %(count)s character", "is longer than %(count)s characters", MAX_SUBJECT_ID
            )
            % {"count": MAX_SUBJECT_ID},
        )
    filters: dict[str, Any] = {"subject_id": subject_id, "event": event, "actor": actor_label}
    with transaction.atomic():
        audit_record(actor=actor, event=AuditEvent.AUDIT_READ, detail={k: v for k, v in filters.items() if v})
    return audit_entries_list(
        subject_id=subject_id or None, event=event or None, actor_label=actor_label or None
    )


def audit_entries_list(
    *, subject_id: str | None = None, event: str | None = None, actor_label: str | None = None
) -> QuerySet[AuditEntry]:
    """Entries newest first, filtered; not audited: readers go through :func:`audit_entries_read`."""
    entries = AuditEntry.objects.order_by("-seq")
    if subject_id:
        entries = entries.filter(subject_id=subject_id)
    if event:
        entries = entries.filter(event=event)
    if actor_label:
        entries = entries.filter(actor_label=actor_label)
    return entries
