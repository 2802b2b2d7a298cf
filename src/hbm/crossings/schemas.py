from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from ninja import Schema
from pydantic import Field

from hbm.core.schemas import InSchema
from hbm.crossings.enums import CrossingKind, CrossingMode


class CrossingPointOut(Schema):
    id: UUID
    code: str
    name: str
    kind: CrossingKind
    latitude: Decimal
    longitude: Decimal
    neighbouring_country: str
    normal_daily_capacity: int
    timezone: str
    mode: CrossingMode
    mode_changed_at: datetime | None
    operator: str = Field(validation_alias="operator.name")


class ModeSwitchIn(InSchema):
    to_mode: CrossingMode
    reason: str = Field(min_length=1, max_length=2000)


class ModeDecisionOut(Schema):
    id: UUID
    from_mode: CrossingMode
    to_mode: CrossingMode
    decided_by: str = Field(validation_alias="decided_by.username")
    decided_at: datetime
    reason: str
