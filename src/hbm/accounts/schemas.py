from __future__ import annotations

from datetime import datetime
from uuid import UUID

from ninja import Schema
from pydantic import Field

from hbm.core.schemas import InSchema


class TokenCreateIn(InSchema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=256)
    device_name: str = Field(min_length=1, max_length=100)


class TokenOut(Schema):
    id: UUID
    name: str
    prefix: str
    username: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    token: str = Field(description="Shown once: store it on the device.")


class OrganisationOut(Schema):
    id: UUID
    name: str
    kind: str
    country: str


class MeOut(Schema):
    username: str
    first_name: str
    last_name: str
    role: str
    organisation: OrganisationOut | None
    crossing_points: list[UUID]
