"""Crossing points and their mode switch."""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status

from hbm.core.http import actor_from_request
from hbm.core.schemas import ErrorOut
from hbm.crossings.models import CrossingPoint, ModeDecision
from hbm.crossings.schemas import CrossingPointOut, ModeDecisionOut, ModeSwitchIn
from hbm.crossings.selectors import crossing_point_get, crossing_points_list, mode_decisions_of
from hbm.crossings.services import crossing_mode_switch

router = Router(tags=["crossing points"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.get("", response={200: list[CrossingPointOut], **ERRORS})
def crossing_point_list(request: HttpRequest) -> QuerySet[CrossingPoint]:
    return crossing_points_list()


@router.get("/{crossing_point_id}", response={200: CrossingPointOut, **ERRORS})
def crossing_point_detail(request: HttpRequest, crossing_point_id: UUID) -> CrossingPoint:
    return crossing_point_get(crossing_point_id=crossing_point_id)


@router.post("/{crossing_point_id}/mode", response={201: ModeDecisionOut, **ERRORS})
def crossing_point_mode_switch(
    request: HttpRequest, crossing_point_id: UUID, payload: ModeSwitchIn
) -> Status[ModeDecision]:
    """Switch normal → emergency → recovery → normal. A coordinator decides; the reason is kept."""
    crossing_point_get(crossing_point_id=crossing_point_id)
    decision = crossing_mode_switch(
        actor=actor_from_request(request),
        crossing_point_id=crossing_point_id,
        to_mode=payload.to_mode,
        reason=payload.reason,
    )
    return Status(201, decision)


@router.get("/{crossing_point_id}/mode-decisions", response={200: list[ModeDecisionOut], **ERRORS})
def crossing_point_mode_decisions(request: HttpRequest, crossing_point_id: UUID) -> QuerySet[ModeDecision]:
    return mode_decisions_of(crossing_point=crossing_point_get(crossing_point_id=crossing_point_id))
