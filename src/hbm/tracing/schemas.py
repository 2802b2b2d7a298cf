"""In/Out schemas of the family tracing API."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from ninja import Schema
from pydantic import Field

from hbm.core.schemas import InSchema
from hbm.dedup.schemas import ContributionOut  # one component: the match's evidence, as dedup shows it
from hbm.registration.enums import BirthDateAccuracy, Sex
from hbm.tracing.enums import ConsentGivenBy, MatchStatus, RequestOutcome, RequestStatus, SoughtRelationship


class SoughtIn(InSchema):
    given_names_latin: str = Field("", max_length=200)
    surname_latin: str = Field("", max_length=200)
    given_names_original: str = Field("", max_length=200)
    surname_original: str = Field("", max_length=200)
    sex: Sex
    date_of_birth: date | None = None
    birth_year: int | None = None
    estimated_age: int | None = Field(None, description="the age today, as the enquirer thinks it")
    nationality: str = Field("", max_length=3)
    place_of_birth: str = Field("", max_length=200)
    father_name: str = Field("", max_length=200, description="As the enquirer gives it, first name first.")
    mother_name: str = Field("", max_length=200, description="As the enquirer gives it, first name first.")


class TracingRequestIn(InSchema):
    id: UUID | None = Field(None, description="the client's id: a retried request returns the first")
    sought: SoughtIn
    relationship: SoughtRelationship = Field(description="what the sought person is to the enquirer")
    enquirer_name: str = Field(max_length=200)
    enquirer_contact: str = Field("", max_length=500)
    enquirer_person_id: UUID | None = Field(None, description="the enquirer, when registered in HBM")
    enquirer_consent: bool = Field(
        description="the enquirer agrees to the search and to their name being told to the person found"
    )
    separated_at_place: str = Field("", max_length=200)
    separated_on: date | None = None
    circumstances: str = Field("", max_length=2000)


class SoughtOut(Schema):
    given_names_latin: str
    surname_latin: str
    given_names_original: str
    surname_original: str
    sex: Sex
    date_of_birth: date
    birth_date_accuracy: BirthDateAccuracy
    nationality: str
    place_of_birth: str
    father_name: str
    mother_name: str


class TracingRequestSummaryOut(Schema):
    id: UUID
    reference: str
    status: RequestStatus
    outcome: RequestOutcome | None
    relationship: SoughtRelationship
    sought: SoughtOut
    disclosed_matches: int
    created_at: datetime


class FoundPersonOut(Schema):
    """What a found person agreed to disclose to the tracing caseworker."""

    match_id: UUID
    person_id: UUID
    given_names_latin: str
    surname_latin: str
    given_names_original: str
    surname_original: str
    sex: Sex
    date_of_birth: date
    birth_date_accuracy: BirthDateAccuracy
    registered_at: str = Field(description="the crossing point where the person was registered")
    registered_on: date
    consent_given_by: ConsentGivenBy
    note: str = Field(description="the screening officer's note: how to reach the person")
    disclosed_at: datetime | None


class TracingRequestOut(TracingRequestSummaryOut):
    enquirer_name: str
    enquirer_contact: str
    enquirer_person_id: UUID | None
    separated_at_place: str
    separated_on: date | None
    circumstances: str
    has_photo: bool
    face_status: str = Field(description="encoded, none (no photo), or why the photo gave no face")
    found: list[FoundPersonOut]
    closing_note: str
    closed_at: datetime | None


class TracingCloseIn(InSchema):
    outcome: RequestOutcome
    note: str = Field("", max_length=2000)


class TracingMatchOut(Schema):
    """A possible match, for the screening officer who checks it with the person."""

    id: UUID
    status: MatchStatus
    request_reference: str
    person_id: UUID
    relationship: SoughtRelationship
    enquirer_name: str = Field(
        description="who is looking: the enquirer agreed that the person found is told"
    )
    sought: SoughtOut
    separated_at_place: str
    separated_on: date | None
    has_photo: bool
    weight: float = Field(description="bits of evidence (log2 likelihood ratio), names and dates plus face")
    face_similarity: float | None
    involves_child: bool
    contributions: list[ContributionOut]
    created_at: datetime


class TracingDismissIn(InSchema):
    note: str = Field("", max_length=2000)


class TracingConsentIn(InSchema):
    is_given: bool = Field(
        description="the person found agrees that the enquirer's caseworker learns where they are"
    )
    given_by: ConsentGivenBy = ConsentGivenBy.PERSON
    reason: str = Field("", max_length=2000, description="required for a best-interests decision")
    approved_by: str = Field(
        "", max_length=150, description="the supervisor's username, for a best-interests decision"
    )
    note: str = Field("", max_length=2000, description="for the caseworker: how to reach the person")
