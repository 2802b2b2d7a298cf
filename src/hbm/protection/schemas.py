"""In/Out schemas of the protection API."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from ninja import Schema
from pydantic import Field

from hbm.core.schemas import InSchema
from hbm.protection.enums import (
    ConsentGivenBy,
    ConsentPurpose,
    ReferralOutcome,
    ReferralStatus,
    ServiceType,
    SharedField,
    Urgency,
)


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


class ConsentIn(InSchema):
    recipient_id: UUID = Field(description="the organisation the person agrees to share with")
    is_given: bool
    given_by: ConsentGivenBy = ConsentGivenBy.PERSON
    purpose: ConsentPurpose = ConsentPurpose.REFERRAL
    reason: str = Field("", max_length=2000, description="required for a best-interests decision")
    approved_by: str = Field("", max_length=150, description="the approving supervisor's username")


class ConsentOut(Schema):
    id: UUID
    person_id: UUID
    recipient_id: UUID
    purpose: ConsentPurpose
    is_given: bool
    given_by: ConsentGivenBy
    created_at: datetime


class ReferralIn(InSchema):
    service_id: UUID
    urgency: Urgency
    reason: str = Field(max_length=2000, description="what the service needs to know: shared with it")
    flag: str = Field("", max_length=16, description="the specific-needs code that led here, e.g. SC-UC")
    shared_fields: list[SharedField] = Field(
        default_factory=lambda: [SharedField.NAMES, SharedField.SEX, SharedField.DATE_OF_BIRTH]
    )
    screening_id: UUID | None = Field(
        None, description="the screening whose suggested referral this confirms"
    )


class ReferralAnswerIn(InSchema):
    to: ReferralStatus
    outcome: ReferralOutcome | None = None
    note: str = Field("", max_length=2000)


class ReferralOut(Schema):
    id: UUID
    person_id: UUID
    service_id: UUID
    service_name: str
    organisation_id: UUID
    crossing_point_id: UUID
    flag: str
    urgency: Urgency
    status: ReferralStatus
    outcome: ReferralOutcome | None
    reason: str
    shared_fields: list[SharedField]
    person: dict[str, Any] = Field(description="only the fields the referral shares")
    deadline_at: datetime
    is_overdue: bool
    sent_at: datetime | None
    answered_at: datetime | None
    closed_at: datetime | None
    note: str
    created_at: datetime


class OverdueOut(Schema):
    id: UUID
    crossing_point_id: UUID
    service_name: str
    organisation_name: str
    flag: str
    urgency: Urgency
    status: ReferralStatus
    deadline_at: datetime
