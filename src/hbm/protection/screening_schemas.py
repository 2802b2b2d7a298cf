"""In/Out schemas of the screening API, and the questionnaire as data for field devices.

A field device asks the same questions offline, with the same skip logic: the definition goes out
with every question's texts in every language and its ``ask_if`` in the closed condition language
of decision 0012 (``all``, ``any``, ``not``, ``fact``, ``question`` with one operator), as JSON.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from ninja import Schema
from pydantic import Field

from hbm.core.schemas import InSchema
from hbm.engines.screening import (
    AllOf,
    AnyOf,
    Condition,
    Fact,
    Not,
    Question,
    Questionnaire,
    QuestionTest,
    Text,
)

AnswerValue = bool | int | float | str | list[str]


class ScreeningIn(InSchema):
    id: UUID | None = Field(None, description="made by the device: a retry with the same id is answered once")
    answers: dict[str, AnswerValue] = Field(
        max_length=200,
        description="question id -> answer: yes/no true|false, a choice's value (several: a list), a number, "
        "a date as YYYY-MM-DD, a text; leave out what was not asked or not answered",
    )


class FlagOut(Schema):
    code: str | None = Field(description="UNHCR specific-needs code; none where UNHCR has none")
    category: str | None
    concern: str
    urgency: str


class ScreeningOut(Schema):
    id: UUID
    person_id: UUID
    crossing_point_id: UUID
    questionnaire_id: str
    questionnaire_version: int
    questionnaire_digest: str
    answers: dict[str, Any]
    treated_as_child: bool
    age_in_doubt: bool = Field(
        description="a child only by the benefit of the doubt: the age must be assessed"
    )
    urgency: str | None
    flags: list[FlagOut]
    screened_by: str
    screened_at: datetime
    day: date
    first_accepted_at: datetime | None


class ServiceBriefOut(Schema):
    id: UUID
    name: str
    organisation_id: UUID
    organisation_name: str


class SuggestionOut(Schema):
    screening_id: UUID
    service_type: str
    urgency: str
    deadline_hours: float
    flags: list[str]
    concerns: list[str]
    pathways: list[str]
    services: list[ServiceBriefOut] = Field(description="active services of that type serving the point")
    referral_ids: list[UUID] = Field(description="referrals already confirmed from this suggestion")


class OptionOut(Schema):
    value: str
    label: dict[str, str]


class QuestionOut(Schema):
    id: str
    type: str
    text: dict[str, str]
    guidance: dict[str, str]
    options: list[OptionOut]
    multiple: bool
    minimum: float | None
    maximum: float | None
    integer: bool
    past_only: bool
    max_length: int
    required: bool
    ask_if: dict[str, Any] | None = Field(description="skip logic over earlier questions (decision 0012)")


class ConcernOut(Schema):
    id: str
    label: dict[str, str]


class QuestionnaireOut(Schema):
    id: str
    version: int
    digest: str = Field(description="SHA-256 of the definition file")
    languages: list[str]
    title: dict[str, str]
    introduction: dict[str, str] | None
    age: dict[str, Any] | None = Field(description="which questions give the age; the benefit of the doubt")
    concerns: list[ConcernOut]
    questions: list[QuestionOut]


class DayOut(Schema):
    crossing_point_id: UUID
    day: date
    flagged_persons: int
    by_category: dict[str, int] = Field(description='UNHCR category -> flagged persons ("": no UNHCR code)')
    referred_in_time: int
    share_referred_in_time: float | None
    median_minutes_to_acceptance: float | None
    overdue: int


class PointOut(Schema):
    id: UUID
    code: str
    name: str


class DashboardOut(Schema):
    start: date
    end: date
    crossing_points: list[PointOut]
    totals_by_category: dict[str, int]
    days: list[DayOut]


# --- the questionnaire as data ----------------------------------------------------------------------


def text_data(text: Text | None) -> dict[str, str] | None:
    return None if text is None else dict(text.translations)


def condition_data(condition: Condition) -> dict[str, Any]:
    """A condition in the closed language of the definition files, as JSON."""
    if isinstance(condition, AllOf):
        return {"all": [condition_data(item) for item in condition.items]}
    if isinstance(condition, AnyOf):
        return {"any": [condition_data(item) for item in condition.items]}
    if isinstance(condition, Not):
        return {"not": condition_data(condition.item)}
    if isinstance(condition, Fact):
        return {"fact": condition.name}
    assert isinstance(condition, QuestionTest)
    value = condition.value
    shown = sorted(value) if isinstance(value, frozenset) else value
    data: dict[str, Any] = {"question": condition.question, condition.op: shown}
    if condition.of is not None:
        data["of"] = sorted(condition.of)
    return data


def question_data(question: Question) -> dict[str, Any]:
    return {
        "id": question.id,
        "type": question.type.value,
        "text": text_data(question.text),
        "guidance": text_data(question.guidance),
        "options": [{"value": o.value, "label": text_data(o.label)} for o in question.options],
        "multiple": question.multiple,
        "minimum": question.minimum,
        "maximum": question.maximum,
        "integer": question.integer,
        "past_only": question.past_only,
        "max_length": question.max_length,
        "required": question.required,
        "ask_if": condition_data(question.ask_if) if question.ask_if is not None else None,
    }


def questionnaire_data(questionnaire: Questionnaire) -> dict[str, Any]:
    age = questionnaire.age
    return {
        "id": questionnaire.id,
        "version": questionnaire.version,
        "digest": questionnaire.digest,
        "languages": list(questionnaire.languages),
        "title": text_data(questionnaire.title),
        "introduction": text_data(questionnaire.introduction),
        "age": None
        if age is None
        else {
            "basis": age.basis,
            "years": age.years,
            "birth_date": age.birth_date,
            "in_doubt": age.in_doubt,
            "adult_age": age.adult_age,
            "older_age": age.older_age,
            "estimate_margin_years": age.estimate_margin_years,
            "doubt_reason": text_data(age.doubt_reason),
        },
        "concerns": [{"id": c.id, "label": text_data(c.label)} for c in questionnaire.concerns],
        "questions": [question_data(q) for q in questionnaire.questions],
    }
