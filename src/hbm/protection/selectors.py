"""Reads of the protection app: the services directory (no personal data: any staff may read it)
and referrals, each behind the need-to-know rule of ``access_referral``. A refused read of
referrals, one or the received list, leaves an ``access.refused`` entry and nothing else."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from hbm.audit.enums import AuditEvent
from hbm.audit.services import audit_record
from hbm.core.context import Actor
from hbm.core.errors import NotFound, PermissionDenied
from hbm.core.time import now
from hbm.protection.enums import ReferralStatus, ServiceType, SharedField
from hbm.protection.models import Referral, Service
from hbm.protection.referrals import HEALTH_FLAG, HEALTH_ROLES, RECEIVING_ROLES, REFERRING_ROLES
from hbm.registration.models import Person
from hbm.registration.selectors import persons_visible_to

LIST_LIMIT = 200


def _as_uuid(value: object) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


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


# --- referrals: need to know ---------------------------------------------------------------------


def _refusal_record(*, actor: Actor, kind: str, record_id: object) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor, event=AuditEvent.ACCESS_REFUSED, detail={"kind": kind, "id": str(record_id)}
        )


def _is_receiver(actor: Actor, referral: Referral) -> bool:
    return (
        actor.user.has_role(*RECEIVING_ROLES)
        and referral.organisation_id == actor.user.organisation_id
        and referral.status != ReferralStatus.PENDING
        and (referral.flag != HEALTH_FLAG or actor.user.has_role(*HEALTH_ROLES))
    )


def _is_referrer(actor: Actor, referral: Referral) -> bool:
    return (
        actor.user.has_role(*REFERRING_ROLES)
        and referral.flag != HEALTH_FLAG
        and persons_visible_to(actor=actor).filter(pk=referral.person_id).exists()
    )


def access_referral(*, actor: Actor, referral_id: object) -> Referral:
    """A referral for the side that made it (who may see the person) or the organisation that
    received it (once sent). Audited; a refusal leaves only an ``access_refused`` entry."""
    key = _as_uuid(referral_id)
    referral = (
        None
        if key is None
        else Referral.objects.select_related("person", "service", "organisation", "crossing_point")
        .filter(pk=key)
        .first()
    )
    if referral is None or not (_is_receiver(actor, referral) or _is_referrer(actor, referral)):
        _refusal_record(actor=actor, kind="referral", record_id=referral_id)
        raise NotFound(_("no such referral"))
    with transaction.atomic():
        audit_record(
            actor=actor,
            event=AuditEvent.REFERRAL_VIEWED,
            subject=referral,
            detail={"person": str(referral.person_id), "shared": referral.shared_fields},
        )
    return referral


def referrals_received(*, actor: Actor, status: ReferralStatus | None = None) -> list[Referral]:
    """The referrals sent to the actor's organisation, the most urgent deadline first; the list and
    the persons it shows are audited. A role that does not receive referrals is refused
    (:class:`PermissionDenied`, an ``access.refused`` entry); a receiving role with no organisation
    has none."""
    if not actor.user.has_role(*RECEIVING_ROLES):
        _refusal_record(actor=actor, kind="referrals", record_id="received")
        raise PermissionDenied(_("your role does not receive referrals"))
    organisation_id = actor.user.organisation_id
    if organisation_id is None:
        return []
    referrals = Referral.objects.filter(organisation_id=organisation_id).exclude(
        status=ReferralStatus.PENDING
    )
    if not actor.user.has_role(*HEALTH_ROLES):
        referrals = referrals.exclude(flag=HEALTH_FLAG)
    if status:
        referrals = referrals.filter(status=status)
    rows = list(referrals.select_related("person", "service").order_by("deadline_at")[:LIST_LIMIT])
    with transaction.atomic():
        audit_record(
            actor=actor,
            event=AuditEvent.REFERRALS_LISTED,
            detail={"referrals": [str(r.pk) for r in rows]},
        )
    return rows


def referrals_of_person(*, person: Person) -> list[Referral]:
    """A person's referrals, newest first. ``person`` from ``access_person`` (audited there). Health
    referrals are left out: only health roles see them, in ``hbm.health``."""
    return list(
        Referral.objects.filter(person=person)
        .exclude(flag=HEALTH_FLAG)
        .select_related("service", "organisation")
        .order_by("-created_at")
    )


def referral_shared_view(*, referral: Referral) -> dict[str, Any]:
    """What the receiving organisation sees of the person: only the referral's shared fields."""
    person = referral.person
    shared = set(referral.shared_fields)
    view: dict[str, Any] = {}
    if SharedField.NAMES in shared:
        view.update(
            surname_latin=person.surname_latin,
            given_names_latin=person.given_names_latin,
            surname_original=person.surname_original,
            given_names_original=person.given_names_original,
        )
    if SharedField.SEX in shared:
        view["sex"] = person.sex
    if SharedField.DATE_OF_BIRTH in shared:
        view.update(date_of_birth=person.date_of_birth, birth_date_accuracy=person.birth_date_accuracy)
    if SharedField.NATIONALITY in shared:
        view["nationality"] = person.nationality
    if SharedField.LANGUAGES in shared:
        view["languages"] = list(person.languages)
    if SharedField.SPECIFIC_NEEDS in shared:
        view["specific_needs"] = list(person.specific_needs or [])
    if SharedField.PHOTO in shared:
        view["has_photo"] = person.photo is not None
    return view


def referrals_overdue(*, crossing_point_ids: list[uuid.UUID] | None = None) -> list[Referral]:
    """Referrals past their deadline that nobody has accepted yet (pending or sent), oldest
    deadline first: the coordinator's escalations. No personal data is read. Health referrals are
    left out: health data, which coordinators see only as the health report's counts."""
    referrals = Referral.objects.filter(
        status__in=(ReferralStatus.PENDING, ReferralStatus.SENT), deadline_at__lt=now()
    ).exclude(flag=HEALTH_FLAG)
    if crossing_point_ids is not None:
        referrals = referrals.filter(crossing_point_id__in=crossing_point_ids)
    return list(referrals.select_related("service", "organisation", "crossing_point").order_by("deadline_at"))
