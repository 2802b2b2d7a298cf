"""Reads of family tracing, each across a need-to-know line and each audited.

- The tracing caseworker (who filed the request) sees their requests and, for each, only the
  matches the found person agreed to disclose. Matches waiting, dismissed or refused do not exist
  for them: a refusal must not tell the enquirer that the person was found.
- A screening officer sees the matches waiting whose person they may see (posted where the person
  was met), with what the enquirer agreed to tell the person found: who is looking, their
  relationship, the sought person's names, age and photo, where and when they were separated. Not
  the enquirer's contact, not the circumstances.
- Nobody else sees either. A refused read, of one record or of a list, leaves an
  ``access.refused`` entry and nothing else.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from hbm.audit.enums import AuditEvent
from hbm.audit.services import audit_record
from hbm.core.context import Actor
from hbm.core.errors import NotFound, PermissionDenied
from hbm.registration.selectors import person_visible_filter
from hbm.tracing.enums import MatchStatus, RequestStatus
from hbm.tracing.models import TracingConsent, TracingMatch, TracingRequest
from hbm.tracing.services import CHECKER_ROLES, TRACER_ROLES

LIST_LIMIT = 200


def _as_uuid(value: object) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


@transaction.atomic
def _refusal_record(*, actor: Actor, kind: str, record_id: object) -> None:
    audit_record(actor=actor, event=AuditEvent.ACCESS_REFUSED, detail={"kind": kind, "id": str(record_id)})


def _own_requests(actor: Actor) -> QuerySet[TracingRequest]:
    if not actor.user.has_role(*TRACER_ROLES):
        return TracingRequest.objects.none()
    return TracingRequest.objects.filter(caseworker=actor.user)


def tracing_requests_of(*, actor: Actor, status: RequestStatus = RequestStatus.OPEN) -> list[TracingRequest]:
    """The actor's own tracing requests, newest first; the list (it names sought persons) is audited.
    A role that does not trace is refused (:class:`PermissionDenied`, an ``access.refused`` entry)."""
    if not actor.user.has_role(*TRACER_ROLES):
        _refusal_record(actor=actor, kind="tracing_requests", record_id="list")
        raise PermissionDenied(_("your role does not file tracing requests"))
    requests = list(_own_requests(actor).filter(status=status).order_by("-created_at")[:LIST_LIMIT])
    with transaction.atomic():
        audit_record(
            actor=actor,
            event=AuditEvent.TRACING_REQUESTS_LISTED,
            detail={"status": str(status), "requests": [str(r.pk) for r in requests]},
        )
    return requests


def access_tracing_request(*, actor: Actor, request_id: object) -> TracingRequest:
    """One of the actor's own requests, with the matches disclosed to them; the read (and which
    persons it disclosed) is audited, a refusal too."""
    key = _as_uuid(request_id)
    request = None if key is None else _own_requests(actor).filter(pk=key).first()
    if request is None:
        _refusal_record(actor=actor, kind="tracing_request", record_id=request_id)
        raise NotFound(_("no such tracing request"))
    with transaction.atomic():
        audit_record(
            actor=actor,
            event=AuditEvent.TRACING_REQUEST_VIEWED,
            subject=request,
            detail={"disclosed": [str(m.person_id) for m in disclosed_matches(request=request)]},
        )
    return request


def disclosed_matches(*, request: TracingRequest) -> list[TracingMatch]:
    """The persons found who agreed to be disclosed. ``request`` from :func:`access_tracing_request`."""
    return list(
        request.matches.filter(status=MatchStatus.DISCLOSED)
        .select_related("person", "person__registered_at", "decided_by")
        .order_by("decided_at")
    )


def request_consents(*, request: TracingRequest) -> list[TracingConsent]:
    """Both sides' consents on the request, oldest first (sought-side ones of disclosed matches only)."""
    return [
        consent
        for consent in request.consents.select_related("recorded_by", "approved_by", "match").order_by(
            "created_at"
        )
        if consent.match is None or consent.match.status == MatchStatus.DISCLOSED
    ]


def _checkable_matches(actor: Actor) -> QuerySet[TracingMatch]:
    if not actor.user.has_role(*CHECKER_ROLES):
        return TracingMatch.objects.none()
    return TracingMatch.objects.filter(person_visible_filter(actor=actor))


def tracing_match_queue(*, actor: Actor, status: MatchStatus = MatchStatus.PROPOSED) -> list[TracingMatch]:
    """Matches to check with the person found, children first, then the likeliest; audited. A role
    that does not check matches is refused (:class:`PermissionDenied`, an ``access.refused`` entry)."""
    if not actor.user.has_role(*CHECKER_ROLES):
        _refusal_record(actor=actor, kind="tracing_matches", record_id="list")
        raise PermissionDenied(_("your role does not check tracing matches"))
    matches = list(
        _checkable_matches(actor)
        .filter(status=status)
        .select_related("request", "person", "person__registered_at")
        .order_by("-involves_child", "-weight", "created_at")[:LIST_LIMIT]
    )
    with transaction.atomic():
        audit_record(
            actor=actor,
            event=AuditEvent.TRACING_MATCHES_LISTED,
            detail={"status": str(status), "persons": [str(m.person_id) for m in matches]},
        )
    return matches


def access_tracing_match(*, actor: Actor, match_id: object) -> TracingMatch:
    """One match for the officer checking it: the request side as the enquirer agreed to share it,
    the person side as the officer may see it. Audited; a refusal too."""
    key = _as_uuid(match_id)
    match = (
        None
        if key is None
        else _checkable_matches(actor)
        .select_related("request", "person", "person__registered_at", "decided_by")
        .filter(pk=key)
        .first()
    )
    if match is None:
        _refusal_record(actor=actor, kind="tracing_match", record_id=match_id)
        raise NotFound(_("no such tracing match"))
    with transaction.atomic():
        audit_record(
            actor=actor,
            event=AuditEvent.TRACING_MATCH_VIEWED,
            subject=match,
            detail={"request": str(match.request_id), "person": str(match.person_id)},
        )
    return match


def tracing_photo_of_match(*, actor: Actor, match_id: object) -> bytes:
    """The sought person's photo from the request, for the officer comparing faces; audited."""
    match = access_tracing_match(actor=actor, match_id=match_id)
    if match.request.photo is None:
        raise NotFound(_("no photo"))
    return bytes(match.request.photo)
