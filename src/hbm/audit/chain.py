"""The hash of one audit entry: pure functions so the verifier and the writer cannot drift."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_entry(
    *,
    seq: int,
    at: datetime,
    actor_id: object,
    actor_label: str,
    device: str,
    address: str,
    event: str,
    subject_type: str,
    subject_id: str,
    detail: dict[str, Any],
) -> bytes:
    """The bytes that are hashed: sorted-key JSON of every stored field but the hashes."""
    payload = {
        "seq": seq,
        "at": at.isoformat(timespec="microseconds"),
        "actor_id": None if actor_id is None else str(actor_id),
        "actor_label": actor_label,
        "device": device,
        "address": address,
        "event": event,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "detail": detail,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def chain_hash(prev_hash: str, canonical: bytes) -> str:
    return hashlib.sha256(prev_hash.encode() + canonical).hexdigest()
