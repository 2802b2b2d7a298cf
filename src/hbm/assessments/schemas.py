"""In/Out schemas of the assessments API."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from ninja import Schema
from pydantic import Field

from hbm.assessments.enums import AssessmentStatus
from hbm.core.schemas import InSchema
from hbm.engines.assessment import Priority

QUESTIONS_LIMIT = 500


class AssessmentIn(InSchema):
    title: str = Field(max_length=200)
    country: str = Field(min_length=3, max_length=3, description="ISO 3166-1 alpha-3")
    crossing_point_id: UUID | None = Field(None, description="for the assessment of one crossing point")
    answers: dict[str, int | None] = Field(
        default_factory=dict,
        max_length=QUESTIONS_LIMIT,
        description="question id -> maturity level (0 … the questionnaire's top level); null: not answered",
    )
    not_applicable: list[str] = Field(default_factory=list, max_length=QUESTIONS_LIMIT)
    complete: bool = Field(False, description="complete it now: every applicable question must be answered")


class AssessmentUpdateIn(AssessmentIn):
    revision: int = Field(ge=1, description="the revision read; another save since then is refused (409)")


class AssessmentSummaryOut(Schema):
    id: UUID
    title: str
    country: str
    crossing_point_id: UUID | None
    status: AssessmentStatus
    overall_score: float | None
    pillar_scores: dict[str, float | None]
    questionnaire_id: str
    questionnaire_version: int
    revision: int
    updated_at: datetime
    completed_at: datetime | None


class AssessmentPillarScoreOut(Schema):
    id: str
    label: str
    score: float | None = Field(description="0–100; null when no applicable question is answered")
    answered: int
    applicable: int


class AssessmentGapOut(Schema):
    question_id: str
    pillar_id: str
    question: str
    level: int
    level_name: str
    target: int
    priority: Priority
    priority_score: float
    recommendation: str


class AssessmentResultOut(Schema):
    language: str
    is_current: bool = Field(description="false when the answers were given to another questionnaire version")
    overall_score: float | None
    complete: bool
    pillars: list[AssessmentPillarScoreOut]
    gaps: list[AssessmentGapOut] = Field(description="highest priority first")
    not_answered: list[str]
    not_applicable: list[str]


class AssessmentOut(AssessmentSummaryOut):
    questionnaire_digest: str
    answers: dict[str, int]
    not_applicable: list[str]
    result: AssessmentResultOut


class AssessmentQuestionOut(Schema):
    id: str
    text: str
    levels: list[str] = Field(description="what each level means, level 0 first")
    target: int
    weight: float
    criticality: str


class AssessmentPillarOut(Schema):
    id: str
    label: str
    weight: float
    questions: list[AssessmentQuestionOut]


class AssessmentQuestionnaireOut(Schema):
    id: str
    version: int
    digest: str
    language: str
    title: str
    max_level: int
    level_names: list[str]
    pillars: list[AssessmentPillarOut]
