"""Family tracing API: the caseworker's requests, the screening officer's matches to check."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import File, Router, Status
from ninja.files import UploadedFile

from hbm.core.context import Actor
from hbm.core.http import actor_from_request
from hbm.core.schemas import ErrorOut
from hbm.tracing.enums import MatchStatus, RequestStatus
from hbm.tracing.models import TracingMatch, TracingRequest
from hbm.tracing.schemas import (
    TracingCloseIn,
    TracingConsentIn,
    TracingDismissIn,
    TracingMatchOut,
    TracingRequestIn,
    TracingRequestOut,
    TracingRequestSummaryOut,
)
from hbm.tracing.selectors import (
    access_tracing_match,
    access_tracing_request,
    disclosed_matches,
    request_consents,
    tracing_match_queue,
    tracing_requests_of,
)
from hbm.tracing.services import (
    ConsentData,
    SoughtData,
    TracingRequestData,
    tracing_match_consent,
    tracing_match_dismiss,
    tracing_match_reopen,
    tracing_request_close,
    tracing_request_create,
    tracing_request_photo_set,
)

router = Router(tags=["family tracing"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
SOUGHT_FIELDS = (
    "given_names_latin",
    "surname_latin",
    "given_names_original",
    "surname_original",
    "sex",
    "date_of_birth",
    "birth_date_accuracy",
    "nationality",
    "place_of_birth",
    "father_name",
    "mother_name",
)
# What a found person's disclosure shows of them (after consent on both sides): their names, sex
# and birth, never more than before the parents' names were recorded.
FOUND_FIELDS = (
    "given_names_latin",
    "surname_latin",
    "given_names_original",
    "surname_original",
    "sex",
    "date_of_birth",
    "birth_date_accuracy",
)


def _sought(request: TracingRequest) -> dict[str, Any]:
    return {name: getattr(request, name) for name in SOUGHT_FIELDS}


def request_summary_out(request: TracingRequest) -> dict[str, Any]:
    return {
        "id": request.pk,
        "reference": request.reference,
        "status": request.status,
        "outcome": request.outcome or None,
        "relationship": request.relationship,
        "sought": _sought(request),
        "disclosed_matches": request.matches.filter(status=MatchStatus.DISCLOSED).count(),
        "created_at": request.created_at,
    }


def request_out(request: TracingRequest) -> dict[str, Any]:
    """The whole request for its caseworker, with the persons found who agreed to be disclosed.
    ``request`` comes from ``access_tracing_request`` (the read is audited there)."""
    given_by = {c.match_id: c.given_by for c in request_consents(request=request) if c.match_id}
    found = [
        {
            "match_id": m.pk,
            "person_id": m.person_id,
            **{name: getattr(m.person, name) for name in FOUND_FIELDS},
            "registered_at": m.person.registered_at.name,
            "registered_on": m.person.created_at.date(),
            "consent_given_by": given_by.get(m.pk),
            "note": m.note,
            "disclosed_at": m.decided_at,
        }
        for m in disclosed_matches(request=request)
    ]
    return {
        **request_summary_out(request),
        "enquirer_name": request.enquirer.get("name", ""),
        "enquirer_contact": request.enquirer.get("contact", ""),
        "enquirer_person_id": request.enquirer_person_id,
        "separated_at_place": request.separated_at_place,
        "separated_on": request.separated_on,
        "circumstances": request.circumstances,
        "has_photo": request.photo is not None,
        "face_status": request.face_status,
        "found": found,
        "closing_note": request.closing_note,
        "closed_at": request.closed_at,
    }


def match_out(match: TracingMatch) -> dict[str, Any]:
    """A match as the checking officer sees it: what the enquirer agreed to tell, and the score."""
    request = match.request
    return {
        "id": match.pk,
        "status": match.status,
        "request_reference": request.reference,
        "person_id": match.person_id,
        "relationship": request.relationship,
        "enquirer_name": request.enquirer.get("name", ""),
        "sought": _sought(request),
        "separated_at_place": request.separated_at_place,
        "separated_on": request.separated_on,
        "has_photo": request.photo is not None,
        "weight": match.weight,
        "face_similarity": match.face_similarity,
        "involves_child": match.involves_child,
        "contributions": match.contributions,
        "created_at": match.created_at,
    }


def _request_data(payload: TracingRequestIn) -> TracingRequestData:
    return TracingRequestData(
        sought=SoughtData(**payload.sought.model_dump()),
        relationship=payload.relationship,
        enquirer_name=payload.enquirer_name,
        enquirer_contact=payload.enquirer_contact,
        enquirer_person_id=payload.enquirer_person_id,
        enquirer_consent=payload.enquirer_consent,
        separated_at_place=payload.separated_at_place,
        separated_on=payload.separated_on,
        circumstances=payload.circumstances,
    )


def _fresh(actor: Actor, request_id: uuid.UUID) -> dict[str, Any]:
    return request_out(access_tracing_request(actor=actor, request_id=request_id))


@router.post("/requests", response={201: TracingRequestOut, **ERRORS})
def request_create(request: HttpRequest, payload: TracingRequestIn) -> Status[dict[str, Any]]:
    """File a tracing request (caseworkers, screening officers): the one filing follows it."""
    actor = actor_from_request(request)
    filed = tracing_request_create(actor=actor, data=_request_data(payload), request_id=payload.id)
    return Status(201, _fresh(actor, filed.pk))


@router.get("/requests", response={200: list[TracingRequestSummaryOut], **ERRORS})
def requests_list(request: HttpRequest, status: RequestStatus = RequestStatus.OPEN) -> list[dict[str, Any]]:
    """One's own tracing requests, newest first."""
    return [
        request_summary_out(r) for r in tracing_requests_of(actor=actor_from_request(request), status=status)
    ]


@router.get("/requests/{request_id}", response={200: TracingRequestOut, **ERRORS})
def request_detail(request: HttpRequest, request_id: uuid.UUID) -> dict[str, Any]:
    """One of one's own requests, with the persons found who agreed to be disclosed."""
    return _fresh(actor_from_request(request), request_id)


@router.post("/requests/{request_id}/photo", response={200: TracingRequestOut, **ERRORS})
def request_photo(request: HttpRequest, request_id: uuid.UUID, photo: File[UploadedFile]) -> dict[str, Any]:
    """Add the sought person's photo (JPEG, PNG or WebP): its face is searched too."""
    actor = actor_from_request(request)
    tracing_request_photo_set(actor=actor, request_id=request_id, data=photo.read())
    return _fresh(actor, request_id)


@router.post("/requests/{request_id}/close", response={200: TracingRequestOut, **ERRORS})
def request_close(request: HttpRequest, request_id: uuid.UUID, payload: TracingCloseIn) -> dict[str, Any]:
    """Close a request; *withdrawn* records the enquirer taking back their consent."""
    actor = actor_from_request(request)
    tracing_request_close(actor=actor, request_id=request_id, outcome=payload.outcome, note=payload.note)
    return _fresh(actor, request_id)


@router.get("/matches", response={200: list[TracingMatchOut], **ERRORS})
def matches_list(request: HttpRequest, status: MatchStatus = MatchStatus.PROPOSED) -> list[dict[str, Any]]:
    """Possible matches to check with the person found (screening officers posted where they were met)."""
    return [match_out(m) for m in tracing_match_queue(actor=actor_from_request(request), status=status)]


@router.get("/matches/{match_id}", response={200: TracingMatchOut, **ERRORS})
def match_detail(request: HttpRequest, match_id: uuid.UUID) -> dict[str, Any]:
    return match_out(access_tracing_match(actor=actor_from_request(request), match_id=match_id))


@router.post("/matches/{match_id}/dismiss", response={200: TracingMatchOut, **ERRORS})
def match_dismiss(request: HttpRequest, match_id: uuid.UUID, payload: TracingDismissIn) -> dict[str, Any]:
    """Not the sought person: never proposed again unless reopened."""
    return match_out(
        tracing_match_dismiss(actor=actor_from_request(request), match_id=match_id, note=payload.note)
    )


@router.post("/matches/{match_id}/reopen", response={200: TracingMatchOut, **ERRORS})
def match_reopen(request: HttpRequest, match_id: uuid.UUID) -> dict[str, Any]:
    return match_out(tracing_match_reopen(actor=actor_from_request(request), match_id=match_id))


@router.post("/matches/{match_id}/consent", response={200: TracingMatchOut, **ERRORS})
def match_consent(request: HttpRequest, match_id: uuid.UUID, payload: TracingConsentIn) -> dict[str, Any]:
    """The person found's answer: yes discloses them to the tracing caseworker; no ends the match."""
    data = ConsentData(**payload.model_dump())
    return match_out(tracing_match_consent(actor=actor_from_request(request), match_id=match_id, data=data))
