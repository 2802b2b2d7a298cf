"""Protection API: the services directory (referrals, screening and follow-up build on it)."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from hbm.accounts.enums import Role
from hbm.core.context import Actor
from hbm.core.errors import PermissionDenied
from hbm.core.http import actor_from_request
from hbm.core.schemas import ErrorOut
from hbm.core.time import now
from hbm.protection.enums import ReferralStatus, ServiceType
from hbm.protection.models import Referral, Service
from hbm.protection.referrals import (
    ConsentData,
    ReferralData,
    consent_record,
    referral_answer,
    referral_create,
    referral_send,
)
from hbm.protection.schemas import (
    ConsentIn,
    ConsentOut,
    OverdueOut,
    ReferralAnswerIn,
    ReferralIn,
    ReferralOut,
    ServiceIn,
    ServiceOut,
)
from hbm.protection.selectors import (
    access_referral,
    referral_shared_view,
    referrals_overdue,
    referrals_received,
    service_get,
    services_list,
)
from hbm.protection.services import ServiceData, service_create, service_update

router = Router(tags=["protection"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def service_out(service: Service) -> dict[str, Any]:
    return {
        "id": service.pk,
        "organisation_id": service.organisation_id,
        "organisation_name": service.organisation.name,
        "name": service.name,
        "service_type": service.service_type,
        "description": service.description,
        "crossing_point_ids": [p.pk for p in service.crossing_points.all()],
        "areas": service.areas,
        "languages": service.languages,
        "capacity": service.capacity,
        "opening_hours": service.opening_hours,
        "contact": service.contact,
        "is_active": service.is_active,
        "updated_at": service.updated_at,
    }


def _service_data(payload: ServiceIn) -> ServiceData:
    return ServiceData(
        organisation_id=payload.organisation_id,
        name=payload.name,
        service_type=payload.service_type,
        description=payload.description,
        crossing_point_ids=tuple(payload.crossing_point_ids),
        areas=tuple(payload.areas),
        languages=tuple(payload.languages),
        capacity=payload.capacity,
        opening_hours=payload.opening_hours,
        contact=payload.contact,
        is_active=payload.is_active,
    )


@router.get("/services", response={200: list[ServiceOut], **ERRORS})
def services_index(
    request: HttpRequest,
    service_type: ServiceType | None = None,
    crossing_point_id: uuid.UUID | None = None,
    area: str = "",
    language: str = "",
    include_inactive: bool = False,
) -> list[dict[str, Any]]:
    """The services directory (no personal data: every signed-in user may read it)."""
    actor_from_request(request)
    found = services_list(
        service_type=service_type,
        crossing_point_id=crossing_point_id,
        area=area,
        language=language,
        include_inactive=include_inactive,
    )
    return [service_out(s) for s in found]


@router.post("/services", response={201: ServiceOut, **ERRORS})
def service_add(request: HttpRequest, payload: ServiceIn) -> Status[dict[str, Any]]:
    """Add a service to the directory (coordinators, administrators)."""
    created = service_create(actor=actor_from_request(request), data=_service_data(payload))
    return Status(201, service_out(service_get(service_id=created.pk)))


@router.get("/services/{service_id}", response={200: ServiceOut, **ERRORS})
def service_detail(request: HttpRequest, service_id: uuid.UUID) -> dict[str, Any]:
    actor_from_request(request)
    return service_out(service_get(service_id=service_id))


@router.post("/services/{service_id}", response={200: ServiceOut, **ERRORS})
def service_change(request: HttpRequest, service_id: uuid.UUID, payload: ServiceIn) -> dict[str, Any]:
    """Replace a service's entry; ``is_active: false`` takes it out of the directory."""
    service_update(actor=actor_from_request(request), service_id=service_id, data=_service_data(payload))
    return service_out(service_get(service_id=service_id))


# --- consent and referrals -----------------------------------------------------------------------


def referral_out(referral: Referral) -> dict[str, Any]:
    """A referral from ``access_referral`` (audited there), with only the person's shared fields."""
    return {
        "id": referral.pk,
        "person_id": referral.person_id,
        "service_id": referral.service_id,
        "service_name": referral.service.name,
        "organisation_id": referral.organisation_id,
        "crossing_point_id": referral.crossing_point_id,
        "flag": referral.flag,
        "urgency": referral.urgency,
        "status": referral.status,
        "outcome": referral.outcome or None,
        "reason": referral.reason,
        "shared_fields": referral.shared_fields,
        "person": referral_shared_view(referral=referral),
        "deadline_at": referral.deadline_at,
        "is_overdue": referral.status in AWAITING and referral.deadline_at < now(),
        "sent_at": referral.sent_at,
        "answered_at": referral.answered_at,
        "closed_at": referral.closed_at,
        "note": referral.note,
        "created_at": referral.created_at,
    }


AWAITING = (ReferralStatus.PENDING, ReferralStatus.SENT)


def _fresh(actor: Actor, referral_id: uuid.UUID) -> dict[str, Any]:
    return referral_out(access_referral(actor=actor, referral_id=referral_id))


@router.post("/persons/{person_id}/consents", response={201: ConsentOut, **ERRORS})
def consent_add(request: HttpRequest, person_id: uuid.UUID, payload: ConsentIn) -> Status[dict[str, Any]]:
    """Record a person's consent (or its withdrawal) to share with one organisation for one purpose."""
    consent = consent_record(
        actor=actor_from_request(request),
        person_id=person_id,
        data=ConsentData(**payload.model_dump()),
    )
    return Status(
        201,
        {
            "id": consent.pk,
            "person_id": consent.person_id,
            "recipient_id": consent.recipient_id,
            "purpose": consent.purpose,
            "is_given": consent.is_given,
            "given_by": consent.given_by,
            "created_at": consent.created_at,
        },
    )


@router.post("/persons/{person_id}/referrals", response={201: ReferralOut, **ERRORS})
def referral_add(request: HttpRequest, person_id: uuid.UUID, payload: ReferralIn) -> Status[dict[str, Any]]:
    """Refer a person to a service (screening officers, coordinators): pending until sent."""
    actor = actor_from_request(request)
    data = ReferralData(**{**payload.model_dump(), "shared_fields": tuple(payload.shared_fields)})
    referral = referral_create(actor=actor, person_id=person_id, data=data)
    return Status(201, _fresh(actor, referral.pk))


@router.get("/referrals", response={200: list[ReferralOut], **ERRORS})
def referrals_index(request: HttpRequest, status: ReferralStatus | None = None) -> list[dict[str, Any]]:
    """The referrals sent to one's own organisation (caseworkers, health officers), soonest deadline first."""
    return [referral_out(r) for r in referrals_received(actor=actor_from_request(request), status=status)]


@router.get("/referrals/overdue", response={200: list[OverdueOut], **ERRORS})
def referrals_overdue_index(request: HttpRequest) -> list[dict[str, Any]]:
    """Referrals past their deadline that no service has accepted (coordinators): no personal data."""
    actor = actor_from_request(request)
    if not actor.user.has_role(Role.COORDINATOR):
        raise PermissionDenied(_("your role does not follow overdue referrals"))
    return [
        {
            "id": r.pk,
            "crossing_point_id": r.crossing_point_id,
            "service_name": r.service.name,
            "organisation_name": r.organisation.name,
            "flag": r.flag,
            "urgency": r.urgency,
            "status": r.status,
            "deadline_at": r.deadline_at,
        }
        for r in referrals_overdue()
    ]


@router.get("/referrals/{referral_id}", response={200: ReferralOut, **ERRORS})
def referral_detail(request: HttpRequest, referral_id: uuid.UUID) -> dict[str, Any]:
    return _fresh(actor_from_request(request), referral_id)


@router.post("/referrals/{referral_id}/send", response={200: ReferralOut, **ERRORS})
def referral_send_action(request: HttpRequest, referral_id: uuid.UUID) -> dict[str, Any]:
    """Send a pending referral; refused (409) without the person's consent to that organisation."""
    actor = actor_from_request(request)
    referral_send(actor=actor, referral_id=referral_id)
    return _fresh(actor, referral_id)


@router.post("/referrals/{referral_id}/answer", response={200: ReferralOut, **ERRORS})
def referral_answer_action(
    request: HttpRequest, referral_id: uuid.UUID, payload: ReferralAnswerIn
) -> dict[str, Any]:
    """The receiving organisation: accepted, declined (with a note), in_progress, closed (with an outcome)."""
    actor = actor_from_request(request)
    referral_answer(
        actor=actor, referral_id=referral_id, to=payload.to, outcome=payload.outcome, note=payload.note
    )
    return _fresh(actor, referral_id)
