"""In/Out schemas of the follow-up API."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from ninja import Schema
from pydantic import Field

from hbm.core.schemas import InSchema
from hbm.followup.enums import FollowUpKind, FollowUpStage, Phase


class FollowUpIn(InSchema):
    kind: FollowUpKind
    stage: FollowUpStage = Field(
        description="where it starts, e.g. intention_expressed or application_lodged"
    )
    happened_on: date = Field(description="the day it happened: today or before")
    referral_id: UUID | None = Field(
        None, description="the accepted referral it continues (caseworkers: required)"
    )
    tracing_request_id: UUID | None = Field(
        None, description="family reunification: the tracing request about the person"
    )
    tracing_reference: str = Field("", max_length=12, description="or that request's reference")
    note: str = Field("", max_length=2000)


class StepIn(InSchema):
    to: FollowUpStage
    happened_on: date = Field(description="the day it happened: not in the future, not before the last step")
    note: str = Field("", max_length=2000)


class StepOut(Schema):
    from_stage: FollowUpStage | None
    to_stage: FollowUpStage
    happened_on: date
    recorded_by: str
    recorded_at: datetime
    note: str


class FollowUpOut(Schema):
    id: UUID
    person_id: UUID
    kind: FollowUpKind
    stage: FollowUpStage
    is_closed: bool
    started_on: date
    stage_on: date
    review_on: date | None = Field(description="overdue after this day; none once closed")
    is_overdue: bool
    next_stages: list[FollowUpStage]
    organisation_id: UUID
    organisation_name: str
    crossing_point_id: UUID
    referral_id: UUID | None
    tracing_request_id: UUID | None
    tracing_reference: str | None
    note: str
    steps: list[StepOut]


class FollowUpSummaryOut(Schema):
    id: UUID
    person_id: UUID
    kind: FollowUpKind
    stage: FollowUpStage
    is_closed: bool
    stage_on: date
    review_on: date | None
    is_overdue: bool
    organisation_id: UUID
    referral_id: UUID | None


class StageCountOut(Schema):
    crossing_point_id: UUID
    phase: Phase
    stage: str = Field(description='"flagged", "referral:<status or outcome>" or "<kind>:<stage>"')
    persons: int


class OverviewRowOut(Schema):
    person_id: UUID
    surname_latin: str
    given_names_latin: str
    crossing_point_id: UUID
    categories: list[str] = Field(description="UNHCR specific-needs categories, e.g. SC, LP")
    phase: Phase
    stage: str
    since: date | None
    is_overdue: bool
    follow_up_id: UUID | None
    referral_id: UUID | None


class OverviewOut(Schema):
    counts: list[StageCountOut]
    rows: list[OverviewRowOut]
    total: int
    page: int
    pages: int
