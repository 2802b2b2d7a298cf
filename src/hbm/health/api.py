"""Health API: the checklist, recording a screening, health records (health officers), the daily report."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Router, Status

from hbm.core.http import actor_from_request
from hbm.core.schemas import ErrorOut
from hbm.health.display import report_as_dict, suspected_rows
from hbm.health.models import HealthRecord
from hbm.health.schemas import (
    HealthChecklistOut,
    HealthConsentIn,
    HealthRecordOut,
    HealthReportOut,
    HealthScreeningIn,
    HealthScreeningOut,
)
from hbm.health.selectors import (
    SMALL_CELL,
    access_health_record,
    health_day_report,
    health_records_list,
    report_point_of,
    today_at,
)
from hbm.health.services import (
    PositiveReferral,
    ScreeningResult,
    health_checklist,
    health_referral_consent,
    health_screen,
)

router = Router(tags=["health"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _language() -> str:
    return (get_language() or "en")[:2]


@router.get("/checklist", response={200: HealthChecklistOut, **ERRORS})
def checklist_detail(request: HttpRequest) -> dict[str, Any]:
    """The checklist in force, in the request's language: what a client asks and sends back."""
    actor_from_request(request)
    checklist, language = health_checklist(), _language()
    return {
        "id": checklist.id,
        "version": checklist.version,
        "digest": checklist.digest,
        "title": checklist.title.get(language),
        "fever_threshold_c": checklist.fever_threshold_c,
        "temperature_question": checklist.temperature,
        "questions": [
            {
                "id": q.id,
                "type": str(q.type),
                "text": q.text.get(language),
                "guidance": q.guidance.get(language),
                "options": [{"value": o.value, "label": o.label.get(language)} for o in q.options],
                "multiple": q.multiple,
                "minimum": q.minimum,
                "maximum": q.maximum,
                "integer": q.integer,
            }
            for q in checklist.questions
        ],
        "diseases": [{"value": d.id, "label": d.name.get(language)} for d in checklist.diseases if d.enabled],
    }


def _screening_out(result: ScreeningResult) -> dict[str, Any]:
    screening, record, referral = result.screening, result.record, result.referral
    return {
        "outcome": str(screening.outcome),
        "suspected": [
            {
                "disease": c.disease,
                "name": c.name.get(_language()),
                "action": str(c.action),
                "urgency": str(c.urgency),
                "advice": c.advice.get(_language()),
            }
            for c in screening.suspected
        ],
        "action": str(screening.action) if screening.action else None,
        "urgency": str(screening.urgency) if screening.urgency else None,
        "has_fever": screening.has_fever,
        "health_record_id": record.pk if record else None,
        "referral_id": referral.pk if referral else None,
        "referral_status": referral.status if referral else None,
        "legal_basis": record.legal_basis if record else None,
    }


@router.post("/screenings", response={201: HealthScreeningOut, **ERRORS})
def screening_add(request: HttpRequest, payload: HealthScreeningIn) -> Status[dict[str, Any]]:
    """Record a health screening (health officers posted at the crossing point). Negative: counted,
    nothing kept of the person. Positive: 422 on person_id / service_id until both are given; then a
    health record and its referral."""
    referral = (
        PositiveReferral(
            service_id=payload.service_id, consent_given=payload.consent_given, given_by=payload.given_by
        )
        if payload.service_id is not None
        else None
    )
    result = health_screen(
        actor=actor_from_request(request),
        crossing_point_id=payload.crossing_point_id,
        answers=payload.answers,
        person_id=payload.person_id,
        referral=referral,
    )
    return Status(201, _screening_out(result))


def record_out(record: HealthRecord) -> dict[str, Any]:
    """A record from ``access_health_record`` or ``health_records_list`` (audited there)."""
    person, referral = record.person, record.referral
    return {
        "id": record.pk,
        "person_id": record.person_id,
        "person": {
            "surname_latin": person.surname_latin,
            "given_names_latin": person.given_names_latin,
            "surname_original": person.surname_original,
            "given_names_original": person.given_names_original,
            "sex": person.sex,
            "date_of_birth": person.date_of_birth,
        },
        "crossing_point_id": record.crossing_point_id,
        "checklist_id": record.checklist_id,
        "checklist_version": record.checklist_version,
        "checklist_digest": record.checklist_digest,
        "answers": record.answers,
        "temperature_c": record.temperature_c,
        "suspected": [
            {
                "disease": row["disease"],
                "name": row["name"],
                "action": row["action"],
                "urgency": row["urgency"],
                "advice": row["advice"],
            }
            for row in suspected_rows(record, _language())
        ],
        "action": record.action,
        "urgency": record.urgency,
        "legal_basis": record.legal_basis,
        "referral": None
        if referral is None
        else {
            "id": referral.pk,
            "service_id": referral.service_id,
            "service_name": referral.service.name,
            "organisation_id": referral.organisation_id,
            "status": referral.status,
            "deadline_at": referral.deadline_at,
        },
        "screened_at": record.screened_at,
        "recorded_by": record.recorded_by.get_username(),
    }


@router.get("/records", response={200: list[HealthRecordOut], **ERRORS})
def records_index(
    request: HttpRequest, crossing_point_id: uuid.UUID | None = None, day: date | None = None
) -> list[dict[str, Any]]:
    """The health records the health officer may read, newest first (audited)."""
    rows = health_records_list(
        actor=actor_from_request(request), crossing_point_id=crossing_point_id, day=day
    )
    return [record_out(r) for r in rows]


@router.get("/records/{record_id}", response={200: HealthRecordOut, **ERRORS})
def record_detail(request: HttpRequest, record_id: uuid.UUID) -> dict[str, Any]:
    return record_out(access_health_record(actor=actor_from_request(request), record_id=record_id))


@router.post("/records/{record_id}/consent", response={200: HealthRecordOut, **ERRORS})
def record_consent(request: HttpRequest, record_id: uuid.UUID, payload: HealthConsentIn) -> dict[str, Any]:
    """The person now consents: the pending medical referral is sent (404 when none is pending)."""
    actor = actor_from_request(request)
    record = access_health_record(actor=actor, record_id=record_id)
    health_referral_consent(actor=actor, record=record, given_by=payload.given_by)
    return record_out(access_health_record(actor=actor, record_id=record_id))


@router.get("/crossing-points/{crossing_point_id}/report", response={200: HealthReportOut, **ERRORS})
def report_detail(
    request: HttpRequest, crossing_point_id: uuid.UUID, day: date | None = None
) -> dict[str, Any]:
    """The daily point-of-entry screening report (health officers posted there: exact; coordinators:
    small cells hidden). ``day``: the crossing point's local day, today by default."""
    actor = actor_from_request(request)
    point = report_point_of(actor=actor, crossing_point_id=crossing_point_id)
    report = health_day_report(actor=actor, crossing_point=point, day=day or today_at(point))
    return {**report_as_dict(report, _language()), "small_cell_threshold": SMALL_CELL}
