"""Writes of the protection app: the services directory (referrals follow)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hbm.accounts.enums import Role
from hbm.accounts.models import Organisation
from hbm.audit.enums import AuditEvent
from hbm.audit.services import audit_record
from hbm.core.context import Actor
from hbm.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hbm.crossings.models import CrossingPoint
from hbm.protection.enums import WEEKDAYS, ServiceType
from hbm.protection.models import Service
from hbm.registration.services import language_check

# Who keeps the directory: coordinators (any organisation's services) and administrators.
DIRECTORY_ROLES = (Role.COORDINATOR, Role.ADMIN)
_HOURS = re.compile(r"([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]|24):([0-5]\d)")
MAX_AREAS = 50
AREA_LIMIT = 120


@dataclass(frozen=True, slots=True)
class ServiceData:
    """A service as entered. ``opening_hours`` maps ``mon`` … ``sun`` to ``HH:MM-HH:MM`` ranges
    separated by commas (``08:00-12:00,14:00-18:00``), ``00:00-24:00`` for round the clock, ``""``
    for closed; a day left out is closed."""

    organisation_id: uuid.UUID
    name: str
    service_type: ServiceType
    description: str = ""
    crossing_point_ids: tuple[uuid.UUID, ...] = ()
    areas: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    capacity: int | None = None
    opening_hours: dict[str, str] = field(default_factory=dict)
    contact: str = ""
    is_active: bool = True


@dataclass(frozen=True, slots=True)
class _Checked:
    organisation: Organisation
    crossing_points: list[CrossingPoint]
    areas: list[str]
    languages: list[str]
    opening_hours: dict[str, str]


def service_create(*, actor: Actor, data: ServiceData) -> Service:
    """Add a service to the directory. Raises :class:`ValidationFailed` naming the field,
    :class:`PermissionDenied` for a role that does not keep the directory, :class:`Conflict` when the
    organisation already has a service of that name."""
    _directory_keeper_check(actor)
    checked = _service_check(data)
    try:
        with transaction.atomic():
            service = Service.objects.create(
                organisation=checked.organisation, **_plain_fields(data, checked)
            )
            service.crossing_points.set(checked.crossing_points)
            audit_record(
                actor=actor,
                event=AuditEvent.SERVICE_CREATED,
                subject=service,
                detail={"organisation": str(checked.organisation.pk), "type": str(data.service_type)},
            )
    except IntegrityError as exc:
        raise Conflict(_("this organisation already has a service of that name")) from exc
    return service


def service_update(*, actor: Actor, service_id: uuid.UUID, data: ServiceData) -> Service:
    """Replace what the directory says of a service (deactivate it with ``is_active=False``: a
    service with referrals is never deleted)."""
    _directory_keeper_check(actor)
    checked = _service_check(data)
    try:
        with transaction.atomic():
            service = Service.objects.select_for_update().filter(pk=service_id).first()
            if service is None:
                raise NotFound(_("no such service"))
            service.organisation = checked.organisation
            for name, value in _plain_fields(data, checked).items():
                setattr(service, name, value)
            service.save()
            service.crossing_points.set(checked.crossing_points)
            audit_record(
                actor=actor,
                event=AuditEvent.SERVICE_UPDATED,
                subject=service,
                detail={"active": service.is_active, "type": str(data.service_type)},
            )
    except IntegrityError as exc:
        raise Conflict(_("this organisation already has a service of that name")) from exc
    return service


def _directory_keeper_check(actor: Actor) -> None:
    if not actor.user.has_role(*DIRECTORY_ROLES):
        raise PermissionDenied(_("your role does not keep the services directory"))


def _plain_fields(data: ServiceData, checked: _Checked) -> dict[str, object]:
    return {
        "name": data.name.strip(),
        "service_type": data.service_type,
        "description": data.description.strip(),
        "areas": checked.areas,
        "languages": checked.languages,
        "capacity": data.capacity,
        "opening_hours": checked.opening_hours,
        "contact": data.contact.strip(),
        "is_active": data.is_active,
    }


def _service_check(data: ServiceData) -> _Checked:
    if not data.name.strip():
        raise ValidationFailed.on("name", _("give the service's name"))
    if data.service_type not in ServiceType.values:
        raise ValidationFailed.on("service_type", _("not a known type of service"))
    if data.capacity is not None and data.capacity < 0:
        raise ValidationFailed.on("capacity", _("a capacity cannot be negative"))
    organisation = Organisation.objects.filter(pk=data.organisation_id).first()
    if organisation is None:
        raise ValidationFailed.on("organisation_id", _("no such organisation"))
    return _Checked(
        organisation=organisation,
        crossing_points=_crossing_points_of(data.crossing_point_ids),
        areas=_areas_check(data.areas),
        languages=[language_check(i, code) for i, code in enumerate(data.languages)],
        opening_hours=_hours_check(data.opening_hours),
    )


def _crossing_points_of(ids: tuple[uuid.UUID, ...]) -> list[CrossingPoint]:
    found = {p.pk: p for p in CrossingPoint.objects.filter(pk__in=ids)}
    for index, point_id in enumerate(ids):
        if point_id not in found:
            raise ValidationFailed.on(f"crossing_point_ids.{index}", _("no such crossing point"))
    return [found[i] for i in dict.fromkeys(ids)]


def _areas_check(areas: tuple[str, ...]) -> list[str]:
    if len(areas) > MAX_AREAS:
        raise ValidationFailed.on("areas", _("at most %(limit)s areas") % {"limit": MAX_AREAS})
    cleaned = []
    for index, area in enumerate(areas):
        text = area.strip()
        if not text or len(text) > AREA_LIMIT:
            raise ValidationFailed.on(
                f"areas.{index}",
                _("an area is a place name of 1 to %(limit)s characters") % {"limit": AREA_LIMIT},
            )
        cleaned.append(text)
    return list(dict.fromkeys(cleaned))


def _hours_check(hours: dict[str, str]) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    for day, text in hours.items():
        if day not in WEEKDAYS:
            raise ValidationFailed.on(
                f"opening_hours.{day}", _("days are mon, tue, wed, thu, fri, sat and sun")
            )
        ranges = [part.strip() for part in text.split(",") if part.strip()]
        for part in ranges:
            match = _HOURS.fullmatch(part)
            if match is None or part[:5] >= part[6:]:
                raise ValidationFailed.on(
                    f"opening_hours.{day}", _("write the hours as 08:00-18:00 (several separated by commas)")
                )
        cleaned[day] = ",".join(ranges)
    return {day: cleaned.get(day, "") for day in WEEKDAYS}
