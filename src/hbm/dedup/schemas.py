"""In/Out schemas of the de-duplication API."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from ninja import Schema
from pydantic import Field

from hbm.core.schemas import InSchema
from hbm.dedup.enums import CandidateStatus, Ruling, Verdict
from hbm.registration.schemas import PersonOut


class ContributionOut(Schema):
    field: str
    level: str
    weight: float = Field(description="log2(m/u): positive pulls toward 'same person'.")


class CandidateSummaryOut(Schema):
    id: UUID
    person_low: UUID
    person_high: UUID
    verdict: Verdict
    status: CandidateStatus
    biographic_probability: float
    face_similarity: float | None
    involves_child: bool
    created_at: datetime


class AdjudicationOut(Schema):
    id: UUID
    ruling: Ruling
    reason: str
    decided_by: str | None = Field(description="null: decided by the engines above the 'same' threshold")
    created_at: datetime
    undone_at: datetime | None
    undone_by: str | None
    confirmed_at: datetime | None = Field(
        None,
        description="When a second adjudicator confirmed this link of a child's records (decision 0031).",
    )
    confirmed_by: str | None = None


class CandidateOut(CandidateSummaryOut):
    biographic_weight: float
    contributions: list[ContributionOut]
    persons: list[PersonOut]
    decisions: list[AdjudicationOut]
    group_records: int = Field(
        description="Records in the pair's review group, as the caller may see it: 2 when the pair is "
        "reviewed alone, more when other open pairs join it to more records (decide them together: "
        "/groups), 0 once decided."
    )
    held_by: str | None = Field(None, description="Who is reviewing the pair now (decision 0025).")
    held_until: datetime | None = None


class AdjudicateIn(InSchema):
    ruling: Ruling
    reason: str = Field("", max_length=1000)


class ReviewGroupOut(Schema):
    pairs: list[CandidateSummaryOut] = Field(
        description="In review order: children's first, then the most likely."
    )
    persons: list[UUID] = Field(description="Every record the pairs join, in the order the pairs name them.")
    probability: float = Field(description="The highest match probability among the pairs.")
    involves_child: bool
    held_by: str | None = Field(
        None,
        description="Who is reviewing the group now (decision 0025), or null: their decision comes first.",
    )
    held_until: datetime | None = Field(None, description="When that hold lapses, unless renewed.")


class ReviewHoldIn(InSchema):
    pairs: list[UUID] = Field(min_length=1, max_length=28, description="The pairs of the group, as shown.")


class ReviewHoldOut(Schema):
    held_by: str
    held_until: datetime = Field(description="Opening the group again, or taking it again, renews the hold.")


class ReviewReleasedOut(Schema):
    released: int = Field(description="How many of the caller's holds ended.")


class ReviewQueueOut(Schema):
    open_pairs: int = Field(description="Open pairs the caller may decide, in all.")
    open_groups: int = Field(description="The review groups they make, in all.")
    groups: list[ReviewGroupOut] = Field(description="The first groups to review, the most urgent first.")
    to_confirm: int = Field(
        0,
        description="Links of a child's records waiting for a second adjudicator that the caller may "
        "confirm (/candidates?status=confirm; decision 0031).",
    )


class DuplicateStatusOut(Schema):
    checked_at: datetime | None = Field(description="When the person was last checked; null while waiting.")
    being_rechecked: bool = Field(
        description="Whether a sweep re-checks them now (behind new registrations)."
    )
    waiting: int = Field(
        description="Possible duplicates of this person waiting for a decision, or a link of a child's "
        "records waiting for a second adjudicator (a count)."
    )
    pairs: list[CandidateSummaryOut] = Field(
        description="Those the caller may decide (screening officers and coordinators), the likeliest first."
    )


class CheckBacklogOut(Schema):
    waiting: int = Field(description="Persons new or changed waiting for their duplicate check, everywhere.")
    oldest_since: datetime | None = Field(description="Since when the longest of them has waited.")
    behind: bool = Field(description="Whether one has waited more than ten minutes: is the checker running?")
    swept: int = Field(description="Persons a sweep still has to re-check (after those waiting).")


class ReviewGroupDecideIn(InSchema):
    pairs: list[UUID] = Field(min_length=1, max_length=28, description="The pairs of the group, as shown.")
    letters: dict[UUID, str] = Field(
        description="A letter A–H per record of those pairs: records with one letter are one person."
    )
    reason: str = Field("", max_length=1000)


class RegisteredCountOut(Schema):
    records: int = Field(description="Registrations made (at the crossing point asked for, or everywhere).")
    persons: int = Field(
        description="The persons they are: records linked as one person (decisions in force) counted once."
    )
    waiting: int = Field(
        description="Pairs among these records still waiting for a decision or a link's confirmation: "
        "persons may still fall by as many."
    )
