"""In/Out schemas of the field app's API: enrolment, reference data, sync batches, pulls, conflicts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from ninja import Schema
from pydantic import Field

from hbm.core.schemas import ErrorOut, InSchema
from hbm.field.enums import ConflictChoice, RecordKind, RecordStatus
from hbm.registration.enums import Sex
from hbm.registration.schemas import NATIONALITY_CODE, GroupOut, LanguageCode, PersonOut

SYNC_BATCH_MAX_RECORDS = 50
PHOTO_MAX_BYTES = 200 * 1024


class EnrolIn(InSchema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=256)
    device_name: str = Field(min_length=1, max_length=100)
    app_version: str = Field("", max_length=40)


class FieldUserOut(Schema):
    username: str
    display_name: str
    role: str
    preferred_language: str


class EnrolOut(Schema):
    device_id: UUID
    token: str = Field(description="Shown once: the device keeps it, encrypted under the officer's PIN.")
    user: FieldUserOut
    crossing_points: list[UUID]
    offline_days: int
    server_time: datetime


class PersonChangesIn(InSchema):
    """The fields an edit may change; a field left out is not changed."""

    given_names_original: str | None = Field(None, max_length=200)
    surname_original: str | None = Field(None, max_length=200)
    given_names_latin: str | None = Field(None, max_length=200)
    surname_latin: str | None = Field(None, max_length=200)
    sex: Sex | None = None
    date_of_birth: date | None = None
    nationality: str | None = Field(None, min_length=3, max_length=3, json_schema_extra=NATIONALITY_CODE)
    place_of_birth: str | None = Field(None, max_length=200)
    father_name: str | None = Field(None, max_length=200)
    mother_name: str | None = Field(None, max_length=200)
    languages: list[LanguageCode] | None = Field(None, max_length=10)


class SyncRecordIn(InSchema):
    """One record of an outbox. Its payload is checked record by record, so that one bad record is
    rejected on its own instead of refusing the whole batch."""

    id: UUID = Field(description="Made on the device; the same id is never stored twice.")
    kind: RecordKind
    crossing_point: UUID | None = Field(None, description="count, group, person")
    payload: dict[str, Any] | None = Field(
        None, description="count, group, person: CountIn, GroupIn, PersonIn"
    )
    person: UUID | None = Field(None, description="person_edit, photo")
    base_version: int | None = Field(None, ge=1, description="person_edit: the version the edit started from")
    changes: dict[str, Any] | None = Field(None, description="person_edit: PersonChangesIn")
    photo: str | None = Field(None, max_length=300_000, description="photo: base64 JPEG of at most 200 KB")


class SyncIn(InSchema):
    device_id: UUID
    pending: int = Field(0, ge=0, description="Records in the device's outbox before this upload.")
    rejected: int = Field(0, ge=0, description="Records in the outbox the server rejected.")
    app_version: str = Field("", max_length=40)
    records: list[SyncRecordIn] = Field(default_factory=list, max_length=SYNC_BATCH_MAX_RECORDS)


class RecordResultOut(Schema):
    id: UUID
    kind: RecordKind
    status: RecordStatus
    version: int | None
    error: ErrorOut | None
    conflicts: list[str]


class SyncOut(Schema):
    key: str
    replayed: bool = Field(description="True when this answer was given before to the same key.")
    server_time: datetime
    results: list[RecordResultOut]


class PulledPersonOut(PersonOut):
    group_tokens: list[str]


class PullOut(Schema):
    persons: list[PulledPersonOut]
    groups: list[GroupOut]
    server_time: datetime


class ConflictOut(Schema):
    id: UUID
    person: UUID
    field: str
    base_version: int
    server_value: Any
    device_value: Any
    current_value: Any
    device: str
    officer: str
    status: str
    choice: str
    created_at: datetime


class ConflictResolveIn(InSchema):
    choice: ConflictChoice


class FieldDeviceOut(Schema):
    id: UUID
    name: str
    username: str
    enrolled_at: datetime
    last_sync_at: datetime | None
    pending_reported: int
    rejected_reported: int
    records_received: int
    revoked_at: datetime | None
