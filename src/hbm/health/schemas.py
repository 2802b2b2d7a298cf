"""In/Out schemas of the health API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from ninja import Schema
from pydantic import Field

from hbm.core.schemas import InSchema
from hbm.health.enums import HealthAction, LegalBasis
from hbm.protection.enums import ConsentGivenBy, ReferralStatus, Urgency


class HealthOptionOut(Schema):
    value: str
    label: str


class HealthQuestionOut(Schema):
    id: str
    type: str
    text: str
    guidance: str
    options: list[HealthOptionOut]
    multiple: bool
    minimum: float | None
    maximum: float | None
    integer: bool


class HealthChecklistOut(Schema):
    id: str
    version: int
    digest: str = Field(description="SHA-256 of the checklist file")
    title: str
    fever_threshold_c: float
    temperature_question: str
    questions: list[HealthQuestionOut]
    diseases: list[HealthOptionOut] = Field(description="the diseases screened for: id and name")


class HealthScreeningIn(InSchema):
    crossing_point_id: UUID
    answers: dict[str, Any] = Field(
        description=(
            "{question id: answer}: yes/no as true/false, a multiple choice as a list of option values, "
            "numbers as numbers; only questions asked (see GET /health/checklist). temperature_c is required."
        )
    )
    person_id: UUID | None = Field(None, description="required if positive; dropped unread if negative")
    service_id: UUID | None = Field(
        None, description="the medical or isolation service, required if positive"
    )
    consent_given: bool = Field(
        False, description="the person agrees that the receiving organisation is told (medical referral)"
    )
    given_by: ConsentGivenBy = ConsentGivenBy.PERSON


class HealthSuspectedOut(Schema):
    disease: str
    name: str
    action: HealthAction
    urgency: Urgency
    advice: str


class HealthScreeningOut(Schema):
    outcome: str = Field(description="negative or positive")
    suspected: list[HealthSuspectedOut]
    action: HealthAction | None
    urgency: Urgency | None
    has_fever: bool
    health_record_id: UUID | None
    referral_id: UUID | None
    referral_status: ReferralStatus | None
    legal_basis: LegalBasis | None


class HealthReferralOut(Schema):
    id: UUID
    service_id: UUID
    service_name: str
    organisation_id: UUID
    status: ReferralStatus
    deadline_at: datetime


class HealthRecordPersonOut(Schema):
    surname_latin: str
    given_names_latin: str
    surname_original: str
    given_names_original: str
    sex: str
    date_of_birth: date


class HealthRecordOut(Schema):
    id: UUID
    person_id: UUID
    person: HealthRecordPersonOut
    crossing_point_id: UUID
    checklist_id: str
    checklist_version: int
    checklist_digest: str
    answers: dict[str, Any]
    temperature_c: float | None
    suspected: list[HealthSuspectedOut]
    action: HealthAction
    urgency: Urgency
    legal_basis: LegalBasis
    referral: HealthReferralOut | None
    screened_at: datetime
    recorded_by: str


class HealthConsentIn(InSchema):
    given_by: ConsentGivenBy = ConsentGivenBy.PERSON


class HealthHourOut(Schema):
    hour: int
    screened: int
    negative: int | None = Field(description="null: not shown to this role")
    positive: int | None = Field(description="null: not shown to this role")


class HealthCountOut(Schema):
    key: str
    name: str
    count: int | None = Field(description="null: fewer than the small-cell threshold, hidden")


class HealthReportOut(Schema):
    crossing_point_id: UUID
    day: date
    is_exact: bool = Field(description="false: small cells hidden (coordinators)")
    small_cell_threshold: int
    hours: list[HealthHourOut]
    screened: int
    negative: int | None
    positive: int | None
    by_disease: list[HealthCountOut]
    referrals_by_status: list[HealthCountOut]
    referrals_overdue: int | None
    checklists: list[str]
