"""Reading and verifying the audit trail."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from hbm.audit.chain import GENESIS_HASH, canonical_entry, chain_hash
from hbm.audit.models import AuditEntry, AuditHead


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


def audit_entries_list(
    *, subject_id: str | None = None, event: str | None = None, actor_label: str | None = None
) -> QuerySet[AuditEntry]:
    """Entries newest first, filtered. Only the auditor role reaches this (see the API)."""
    entries = AuditEntry.objects.order_by("-seq")
    if subject_id:
        entries = entries.filter(subject_id=subject_id)
    if event:
        entries = entries.filter(event=event)
    if actor_label:
        entries = entries.filter(actor_label=actor_label)
    return entries
