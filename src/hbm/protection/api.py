"""Protection API: the services directory (referrals, screening and follow-up build on it)."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from hbm.core.http import actor_from_request
from hbm.core.schemas import ErrorOut
from hbm.protection.enums import ServiceType
from hbm.protection.models import Service
from hbm.protection.schemas import ServiceIn, ServiceOut
from hbm.protection.selectors import service_get, services_list
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
