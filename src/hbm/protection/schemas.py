"""In/Out schemas of the protection API."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from ninja import Schema
from pydantic import Field

from hbm.core.schemas import InSchema
from hbm.protection.enums import ServiceType


class ServiceIn(InSchema):
    organisation_id: UUID
    name: str = Field(max_length=200)
    service_type: ServiceType
    description: str = Field("", max_length=2000)
    crossing_point_ids: list[UUID] = Field(default_factory=list, max_length=200)
    areas: list[str] = Field(default_factory=list, max_length=50, description="districts, towns, regions")
    languages: list[str] = Field(default_factory=list, max_length=30, description="ISO 639-3 codes")
    capacity: int | None = Field(None, ge=0, description="persons at a time; none: not limited")
    opening_hours: dict[str, str] = Field(
        default_factory=dict,
        description=(
            '{"mon": "08:00-12:00,14:00-18:00", …}; "00:00-24:00" round the clock; a day left out is closed'
        ),
    )
    contact: str = Field("", max_length=500)
    is_active: bool = True


class ServiceOut(Schema):
    id: UUID
    organisation_id: UUID
    organisation_name: str
    name: str
    service_type: ServiceType
    description: str
    crossing_point_ids: list[UUID]
    areas: list[str]
    languages: list[str]
    capacity: int | None
    opening_hours: dict[str, str]
    contact: str
    is_active: bool
    updated_at: datetime
