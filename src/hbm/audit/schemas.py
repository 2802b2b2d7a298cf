from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema

from hbm.audit.enums import event_label


class AuditEntryOut(Schema):
    seq: int
    at: datetime
    actor_label: str
    device: str
    address: str
    event: str
    event_label: str
    subject_type: str
    subject_id: str
    detail: dict[str, Any]
    entry_hash: str

    @staticmethod
    def resolve_event_label(entry: Any) -> str:
        """The event's label in the request's language, beside its stable code."""
        return str(event_label(entry.event))


class ChainVerdictOut(Schema):
    is_intact: bool
    checked: int
    first_broken: int | None
    reason: str
