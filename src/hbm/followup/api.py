"""Follow-up API: open a follow-up of a person, record its steps, read it, list a person's, and the
overview of where every flagged person stands. Each handler finds, calls, returns."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from hbm.core.http import actor_from_request
from hbm.core.schemas import ErrorOut
from hbm.core.time import today
from hbm.engines.followup import lifecycle
from hbm.followup.enums import Phase
from hbm.followup.models import FollowUp
from hbm.followup.schemas import FollowUpIn, FollowUpOut, FollowUpSummaryOut, OverviewOut, StepIn
from hbm.followup.selectors import (
    OverviewFilter,
    access_followup,
    followup_overview,
    followup_steps,
    followups_held,
    followups_of_person,
)
from hbm.followup.services import FollowUpData, StepData, followup_open, followup_step

router = Router(tags=["followup"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def summary_out(follow_up: FollowUp) -> dict[str, Any]:
    return {
        "id": follow_up.pk,
        "person_id": follow_up.person_id,
        "kind": follow_up.kind,
        "stage": follow_up.stage,
        "is_closed": follow_up.is_closed,
        "stage_on": follow_up.stage_on,
        "review_on": follow_up.review_on,
        "is_overdue": follow_up.review_on is not None and follow_up.review_on < today(),
        "organisation_id": follow_up.organisation_id,
        "referral_id": follow_up.referral_id,
    }


def followup_out(follow_up: FollowUp) -> dict[str, Any]:
    """A follow-up from ``access_followup`` (audited there), with its steps."""
    return {
        **summary_out(follow_up),
        "started_on": follow_up.started_on,
        "next_stages": list(lifecycle(follow_up.kind).next_stages(follow_up.stage)),
        "organisation_name": follow_up.organisation.name,
        "crossing_point_id": follow_up.crossing_point_id,
        "tracing_request_id": follow_up.tracing_request_id,
        "tracing_reference": follow_up.tracing_request.reference if follow_up.tracing_request else None,
        "note": follow_up.note,
        "steps": [
            {
                "from_stage": s.from_stage or None,
                "to_stage": s.to_stage,
                "happened_on": s.happened_on,
                "recorded_by": s.recorded_by.get_username(),
                "recorded_at": s.created_at,
                "note": s.note,
            }
            for s in followup_steps(follow_up=follow_up)
        ],
    }


@router.post("/persons/{person_id}/followups", response={201: FollowUpOut, **ERRORS})
def followup_add(request: HttpRequest, person_id: uuid.UUID, payload: FollowUpIn) -> Status[dict[str, Any]]:
    """Open a follow-up: caseworkers from a referral their organisation accepted; screening officers
    and coordinators of a person they may see."""
    actor = actor_from_request(request)
    follow_up = followup_open(actor=actor, person_id=person_id, data=FollowUpData(**payload.model_dump()))
    return Status(201, followup_out(access_followup(actor=actor, followup_id=follow_up.pk)))


@router.get("/persons/{person_id}/followups", response={200: list[FollowUpSummaryOut], **ERRORS})
def followups_index(request: HttpRequest, person_id: uuid.UUID) -> list[dict[str, Any]]:
    """A person's follow-ups that the caller may see, open ones first."""
    return [
        summary_out(f) for f in followups_of_person(actor=actor_from_request(request), person_id=person_id)
    ]


@router.get("/overview", response={200: OverviewOut, **ERRORS})
def overview(
    request: HttpRequest,
    crossing_point_id: uuid.UUID | None = None,
    category: str = "",
    phase: Phase | None = None,
    stage: str = "",
    overdue: bool | None = None,
    page: int = 1,
) -> dict[str, Any]:
    """Where every flagged person stands (coordinators; screening officers at their posts): counts
    per crossing point, phase and stage, and a page of persons, overdue first."""
    found = followup_overview(
        actor=actor_from_request(request),
        filters=OverviewFilter(
            crossing_point_id=crossing_point_id,
            category=category.strip().upper()[:4],
            phase=phase,
            stage=stage.strip()[:64],
            is_overdue=overdue,
            page=page,
        ),
    )
    return {
        "counts": [
            {
                "crossing_point_id": c.crossing_point_id,
                "phase": c.phase,
                "stage": c.stage,
                "persons": c.persons,
            }
            for c in found.counts
        ],
        "rows": [
            {
                "person_id": r.person.pk,
                "surname_latin": r.person.surname_latin,
                "given_names_latin": r.person.given_names_latin,
                "crossing_point_id": r.crossing_point.pk,
                "categories": r.categories,
                "phase": r.phase,
                "stage": r.stage,
                "since": r.since,
                "is_overdue": r.is_overdue,
                "follow_up_id": r.follow_up_id,
                "referral_id": r.referral_id,
            }
            for r in found.rows
        ],
        "total": found.total,
        "page": found.page,
        "pages": found.pages,
    }


def vars_of(count: Any) -> dict[str, Any]:
    return {
        "crossing_point_id": count.crossing_point_id,
        "phase": count.phase,
        "stage": count.stage,
        "persons": count.persons,
    }


@router.get("/followups", response={200: list[FollowUpSummaryOut], **ERRORS})
def followups_index_held(request: HttpRequest, closed: bool = False) -> list[dict[str, Any]]:
    """The follow-ups one's organisation holds (a caseworker's cases), the longest waiting first."""
    return [summary_out(f) for f in followups_held(actor=actor_from_request(request), is_closed=closed)]


@router.get("/followups/{followup_id}", response={200: FollowUpOut, **ERRORS})
def followup_detail(request: HttpRequest, followup_id: uuid.UUID) -> dict[str, Any]:
    return followup_out(access_followup(actor=actor_from_request(request), followup_id=followup_id))


@router.post("/followups/{followup_id}/steps", response={200: FollowUpOut, **ERRORS})
def followup_step_add(request: HttpRequest, followup_id: uuid.UUID, payload: StepIn) -> dict[str, Any]:
    """Record the next step, dated by the day it happened; 409 for a step its lifecycle does not allow."""
    actor = actor_from_request(request)
    followup_step(actor=actor, followup_id=followup_id, data=StepData(**payload.model_dump()))
    return followup_out(access_followup(actor=actor, followup_id=followup_id))
