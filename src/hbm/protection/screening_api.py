"""Screening API (mounted at /api/protection beside the directory and referrals): the questionnaire
for field devices, record and read screenings, the referrals suggested for a person, and the
protection dashboard's figures. Who may do what: ``hbm.protection.screening`` and ``.dashboard``."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from hbm.core.http import actor_from_request
from hbm.core.schemas import ErrorOut
from hbm.protection.dashboard import Figures, protection_figures
from hbm.protection.models import ProtectionScreening
from hbm.protection.screening import (
    Suggestion,
    access_person_screenings,
    access_screening,
    latest_screening,
    screening_flags,
    screening_questionnaire,
    screening_record,
    screening_suggestions,
)
from hbm.protection.screening_schemas import (
    DashboardOut,
    QuestionnaireOut,
    ScreeningIn,
    ScreeningOut,
    SuggestionOut,
    questionnaire_data,
)

router = Router(tags=["protection"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def screening_out(screening: ProtectionScreening) -> dict[str, Any]:
    """A screening read through an access selector (audited there)."""
    return {
        "id": screening.pk,
        "person_id": screening.person_id,
        "crossing_point_id": screening.crossing_point_id,
        "questionnaire_id": screening.questionnaire_id,
        "questionnaire_version": screening.questionnaire_version,
        "questionnaire_digest": screening.questionnaire_digest,
        "answers": screening.answers,
        "treated_as_child": screening.treated_as_child,
        "age_in_doubt": screening.age_in_doubt,
        "urgency": screening.urgency or None,
        "flags": [
            {
                "code": f.code or None,
                "category": f.category or None,
                "concern": f.concern,
                "urgency": f.urgency,
            }
            for f in screening_flags(screening=screening)
        ],
        "screened_by": screening.screened_by.get_username(),
        "screened_at": screening.screened_at,
        "day": screening.day,
        "first_accepted_at": screening.first_accepted_at,
    }


def suggestion_out(screening: ProtectionScreening, suggestion: Suggestion) -> dict[str, Any]:
    suggested = suggestion.suggested
    return {
        "screening_id": screening.pk,
        "service_type": suggested.service,
        "urgency": suggested.urgency.value,
        "deadline_hours": suggested.deadline.total_seconds() / 3600,
        "flags": list(suggested.flags),
        "concerns": list(suggested.concerns),
        "pathways": list(suggested.pathways),
        "services": [
            {
                "id": s.pk,
                "name": s.name,
                "organisation_id": s.organisation_id,
                "organisation_name": s.organisation.name,
            }
            for s in suggestion.services
        ],
        "referral_ids": [r.pk for r in suggestion.referrals],
    }


@router.get("/screening/questionnaire", response={200: QuestionnaireOut, **ERRORS})
def questionnaire(request: HttpRequest) -> dict[str, Any]:
    """The first-contact protection screening as data (no personal data: every signed-in user)."""
    actor_from_request(request)
    return questionnaire_data(screening_questionnaire())


@router.post("/persons/{person_id}/screenings", response={201: ScreeningOut, **ERRORS})
def screening_add(request: HttpRequest, person_id: uuid.UUID, payload: ScreeningIn) -> Status[dict[str, Any]]:
    """Record a screening (screening officers posted where the person was met). A bad answer is a
    422 naming ``answers.<question>``; nothing is stored."""
    actor = actor_from_request(request)
    recorded = screening_record(
        actor=actor, person_id=person_id, answers=payload.answers, screening_id=payload.id
    )
    return Status(201, screening_out(access_screening(actor=actor, screening_id=recorded.pk)))


@router.get("/persons/{person_id}/screenings", response={200: list[ScreeningOut], **ERRORS})
def screenings_index(request: HttpRequest, person_id: uuid.UUID) -> list[dict[str, Any]]:
    """A person's screenings, newest first (screening officers who may see the person, coordinators)."""
    _, rows = access_person_screenings(actor=actor_from_request(request), person_id=person_id)
    return [screening_out(s) for s in rows]


@router.get("/screenings/{screening_id}", response={200: ScreeningOut, **ERRORS})
def screening_detail(request: HttpRequest, screening_id: uuid.UUID) -> dict[str, Any]:
    return screening_out(access_screening(actor=actor_from_request(request), screening_id=screening_id))


@router.get("/persons/{person_id}/suggested-referrals", response={200: list[SuggestionOut], **ERRORS})
def suggested_referrals(request: HttpRequest, person_id: uuid.UUID) -> list[dict[str, Any]]:
    """What the pathways suggest after the person's latest screening; nothing is sent until the
    officer confirms one (``POST /protection/persons/{id}/referrals`` with its ``screening_id``)."""
    person, _ = access_person_screenings(actor=actor_from_request(request), person_id=person_id)
    screening = latest_screening(person=person)
    if screening is None:
        return []
    return [suggestion_out(screening, s) for s in screening_suggestions(screening=screening)]


def figures_out(figures: Figures) -> dict[str, Any]:
    return {
        "start": figures.start,
        "end": figures.end,
        "crossing_points": [{"id": p.pk, "code": p.code, "name": p.name} for p in figures.crossing_points],
        "totals_by_category": figures.totals_by_category(),
        "days": [
            {
                "crossing_point_id": d.crossing_point_id,
                "day": d.day,
                "flagged_persons": d.flagged_persons,
                "by_category": d.by_category,
                "referred_in_time": d.referred_in_time,
                "share_referred_in_time": d.share_referred_in_time,
                "median_minutes_to_acceptance": d.median_minutes_to_acceptance,
                "overdue": d.overdue,
            }
            for d in figures.days
        ],
    }


@router.get("/dashboard", response={200: DashboardOut, **ERRORS})
def dashboard(
    request: HttpRequest,
    crossing_point_id: uuid.UUID | None = None,
    start: date | None = None,
    end: date | None = None,
) -> dict[str, Any]:
    """Figures per crossing point and day (coordinators: every point; screening officers: their
    postings). Default: the last 14 days; at most 92. No personal data."""
    user = actor_from_request(request).user
    return figures_out(
        protection_figures(user=user, crossing_point_id=crossing_point_id, start=start, end=end)
    )
