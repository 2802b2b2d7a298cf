from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema


class AuditEntryOut(Schema):
    seq: int
    at: datetime
    actor_label: str
    device: str
    address: str
    event: str
    subject_type: str
    subject_id: str
    detail: dict[str, Any]
    entry_hash: str


class ChainVerdictOut(Schema):
    is_intact: bool
    checked: int
    first_broken: int | None
    reason: str
