"""Reads of the protection app: the services directory (no personal data: any staff may read it)."""

from __future__ import annotations

import uuid

from django.utils.translation import gettext as _

from hbm.core.errors import NotFound
from hbm.protection.enums import ServiceType
from hbm.protection.models import Service


def services_list(
    *,
    service_type: ServiceType | None = None,
    crossing_point_id: uuid.UUID | None = None,
    area: str = "",
    language: str = "",
    include_inactive: bool = False,
) -> list[Service]:
    """The directory, filtered: a type, a crossing point (its own services), an area (its exact
    name, any case), a language (ISO 639-3). Ordered by type, organisation and name. The directory
    is small (hundreds of services): areas and languages are matched here, alike on every database."""
    services = Service.objects.select_related("organisation").prefetch_related("crossing_points")
    if not include_inactive:
        services = services.filter(is_active=True)
    if service_type:
        services = services.filter(service_type=service_type)
    if crossing_point_id:
        services = services.filter(crossing_points__pk=crossing_point_id)
    ordered = services.order_by("service_type", "organisation__name", "name").distinct()
    wanted_area, wanted_language = area.strip().casefold(), language.strip().lower()
    return [
        s
        for s in ordered
        if (not wanted_area or wanted_area in (a.casefold() for a in s.areas))
        and (not wanted_language or wanted_language in s.languages)
    ]


def service_get(*, service_id: object) -> Service:
    try:
        key = uuid.UUID(str(service_id))
    except ValueError:
        raise NotFound(_("no such service")) from None
    service = (
        Service.objects.select_related("organisation").prefetch_related("crossing_points").filter(pk=key)
    )
    found = service.first()
    if found is None:
        raise NotFound(_("no such service"))
    return found
