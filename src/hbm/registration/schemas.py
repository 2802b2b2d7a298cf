"""One In/Out schema per registration operation."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from ninja import Schema
from pydantic import AwareDatetime, ConfigDict, Field
from pydantic.config import JsonDict

from hbm.core.schemas import InSchema
from hbm.crossings.enums import CrossingMode
from hbm.registration.enums import (
    AgeBand,
    BirthDateAccuracy,
    Direction,
    DocumentCondition,
    DocumentKind,
    NoDocumentReason,
    Relationship,
    Sex,
    SpecificNeed,
    Tier,
    Transport,
)

# JSON Schema extensions read by the field app, which validates with these same schemas offline
# (see hbm.field.selectors.field_reference): codes from a reference list, a group token's check
# character, and "exactly one of these fields".
NATIONALITY_CODE: JsonDict = {"x-hbm-codes": "nationalities"}
LANGUAGE_CODE: JsonDict = {"x-hbm-codes": "languages"}
GROUP_TOKEN: JsonDict = {"x-hbm-format": "group-token"}
LanguageCode = Annotated[str, Field(max_length=3, json_schema_extra=LANGUAGE_CODE)]


class EncounterIn(InSchema):
    direction: Direction = Direction.ENTRY
    transport: Transport = Transport.LAND
    occurred_at: AwareDatetime | None = Field(None, description="When it happened; default: now.")


class CountCellIn(InSchema):
    sex: Sex
    age_band: AgeBand
    count: int = Field(ge=0, le=10_000)


class CountIn(InSchema):
    id: UUID | None = Field(
        None, description="Made by the client; a replay with the same id is not stored twice."
    )
    cells: list[CountCellIn] = Field(min_length=1, max_length=15)
    encounter: EncounterIn = Field(default_factory=lambda: EncounterIn(occurred_at=None))


class CountOut(Schema):
    id: UUID
    crossing_point: UUID
    occurred_at: datetime
    total: int
    cells: list[CountCellIn]


class GroupIn(InSchema):
    id: UUID | None = None
    token: str = Field(
        "",
        max_length=11,
        description="Made on the device; empty: the server makes one.",
        json_schema_extra=GROUP_TOKEN,
    )
    size: int = Field(ge=1, le=60)
    head_name: str = Field(min_length=1, max_length=200)
    nationality: str = Field(min_length=3, max_length=3, json_schema_extra=NATIONALITY_CODE)
    encounter: EncounterIn = Field(default_factory=lambda: EncounterIn(occurred_at=None))


class MemberOut(Schema):
    id: UUID
    name: str
    relationship: Relationship


class GroupOut(Schema):
    id: UUID
    token: str
    token_display: str
    size: int
    head_name: str
    nationality: str
    crossing_point: UUID
    created_at: datetime
    members: list[MemberOut]


class DocumentIn(InSchema):
    kind: DocumentKind
    mrz: str = Field("", max_length=200, description="TD1, TD2 or TD3 lines separated by newlines.")
    document_number: str = Field("", max_length=40)
    issuing_state: str = Field("", max_length=3, json_schema_extra=NATIONALITY_CODE)
    date_of_expiry: date | None = None
    is_damaged: bool = Field(False, description="The paper is damaged: record it even if check digits fail.")


class DocumentOut(Schema):
    id: UUID
    kind: DocumentKind
    document_number: str
    issuing_state: str
    date_of_expiry: date | None
    mrz_format: str
    failed_checks: list[str]
    condition: DocumentCondition


class PersonIn(InSchema):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "x-hbm-exactly-one": [["date_of_birth", "birth_year", "estimated_age"]],
            "x-hbm-requires": {"group_token": ["relationship"]},
        },
    )

    id: UUID | None = Field(
        None, description="Made by the client; a replay with the same id is not stored twice."
    )
    given_names_original: str = Field("", max_length=200)
    surname_original: str = Field("", max_length=200)
    given_names_latin: str = Field("", max_length=200)
    surname_latin: str = Field("", max_length=200)
    sex: Sex
    date_of_birth: date | None = None
    birth_year: int | None = None
    estimated_age: int | None = Field(None, ge=0, le=120)
    nationality: str = Field(min_length=3, max_length=3, json_schema_extra=NATIONALITY_CODE)
    place_of_birth: str = Field("", max_length=200)
    father_name: str = Field("", max_length=200, description="As the person gives it, first name first.")
    mother_name: str = Field("", max_length=200, description="As the person gives it, first name first.")
    languages: list[LanguageCode] = Field(default_factory=list, max_length=10)
    specific_needs: list[SpecificNeed] = Field(default_factory=list, max_length=20)
    group_token: str = Field("", max_length=11, json_schema_extra=GROUP_TOKEN)
    relationship: Relationship | None = None
    documents: list[DocumentIn] = Field(default_factory=list, max_length=5)
    no_document_reason: NoDocumentReason | None = None
    encounter: EncounterIn = Field(default_factory=lambda: EncounterIn(occurred_at=None))


class PersonOut(Schema):
    id: UUID
    given_names_original: str
    surname_original: str
    given_names_latin: str
    surname_latin: str
    sex: Sex
    date_of_birth: date
    birth_date_accuracy: BirthDateAccuracy
    age: int
    nationality: str
    place_of_birth: str
    father_name: str
    mother_name: str
    languages: list[str]
    has_specific_needs: bool
    specific_needs: list[SpecificNeed] | None = Field(
        description="Protection data: shown to screening officers and coordinators only (null otherwise)."
    )
    has_photo: bool
    registered_at: UUID
    created_at: datetime
    version: int = Field(description="1 at registration, +1 per applied change (offline edits name it).")
    documents: list[DocumentOut]
    groups: list[UUID]


class PersonSummaryOut(Schema):
    id: UUID
    given_names_latin: str
    surname_latin: str
    surname_original: str
    given_names_original: str
    sex: Sex
    date_of_birth: date
    birth_date_accuracy: BirthDateAccuracy
    nationality: str
    registered_at: UUID = Field(validation_alias="registered_at_id")
    # In a search by sound: found only because the names sound like those asked for, not written
    # as typed (the web page marks them "sounds alike"): check the person before relying on it.
    found_by_sound: bool = False


class MrzCheckIn(InSchema):
    mrz: str = Field(min_length=1, max_length=200)


class MrzCheckOut(Schema):
    format: str
    document_type: str
    issuing_state: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    date_of_birth: date | None
    sex: str
    date_of_expiry: date | None
    is_valid: bool
    expired: bool
    failed_checks: list[str]


class PolicyOut(Schema):
    mode: CrossingMode
    tiers: list[Tier]
    required: list[str]
    document_required: bool
    estimated_age_allowed: bool


class DayFiguresOut(Schema):
    crossing_point: UUID
    day: date
    arrivals_total: int
    arrivals_by_tier: dict[str, int]
    by_sex_and_age: dict[str, dict[str, int]]
    by_nationality: list[tuple[str, int]]
    arrivals_per_hour: list[int]
    persons_with_specific_needs: int
    documents_by_condition: dict[str, int]
