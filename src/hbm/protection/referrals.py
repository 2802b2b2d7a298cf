"""Writes of consents and referrals: a person referred to a service only after their consent to
that recipient, moved along ``hbm.engines.screening.REFERRAL_TRANSITIONS`` by the side whose turn
it is, each step audited in its transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from hbm.accounts.enums import Role
from hbm.accounts.models import Organisation, User
from hbm.accounts.selectors import approving_supervisor
from hbm.audit.enums import AuditEvent
from hbm.audit.services import audit_record
from hbm.core.context import Actor
from hbm.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hbm.core.time import now, today
from hbm.crossings.models import CrossingPoint
from hbm.engines.screening import TransitionError, deadline_for, transition_check
from hbm.protection.arrivals import arrival_of, local_day
from hbm.protection.enums import (
    ConsentGivenBy,
    ConsentPurpose,
    ReferralOutcome,
    ReferralStatus,
    ServiceType,
    SharedField,
    Urgency,
)
from hbm.protection.models import Consent, ProtectionScreening, Referral, ReferralStep, Service
from hbm.registration.enums import BirthDateAccuracy
from hbm.registration.models import Person
from hbm.registration.selectors import persons_visible_to
from hbm.registration.values import age_on

# Who refers (and records consent): they meet the person at the crossing point.
REFERRING_ROLES = (Role.SCREENING_OFFICER, Role.COORDINATOR)
# Who approves a best-interests decision for a child: not the officer who records it.
SUPERVISOR_ROLES = (Role.COORDINATOR, Role.SCREENING_OFFICER)
# Who answers for the receiving organisation.
RECEIVING_ROLES = (Role.CASEWORKER, Role.HEALTH_OFFICER)
TEXT_LIMIT = 2000
# A referral made from a point-of-entry health screening (hbm.health) carries the checklist's id as
# its flag, shares only what identifies the person, and is seen by health officers only, on either
# side: the screening officer who may see the person does not see it (decision 0016).
HEALTH_FLAG = "poe-health"
HEALTH_ROLES = (Role.HEALTH_OFFICER,)
HEALTH_SERVICE_TYPES = (ServiceType.MEDICAL, ServiceType.ISOLATION)
HEALTH_SHARED_FIELDS = (SharedField.NAMES, SharedField.SEX, SharedField.DATE_OF_BIRTH)
# An estimated age this close to 18 is treated as a child's until assessed (benefit of the doubt).
AGE_DOUBT_YEARS = 3  # as the screening and matching engines


def is_child_or_may_be(person: Person) -> bool:
    """Under 18, or an estimated or year-only age that may be under 18 (the benefit of the doubt)."""
    age = age_on(person.date_of_birth, today())
    doubt = 0 if person.birth_date_accuracy == BirthDateAccuracy.EXACT else AGE_DOUBT_YEARS
    return age < 18 + doubt


# --- consent ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConsentData:
    recipient_id: uuid.UUID
    is_given: bool
    given_by: ConsentGivenBy = ConsentGivenBy.PERSON
    purpose: ConsentPurpose = ConsentPurpose.REFERRAL
    reason: str = ""
    approved_by: str = ""  # the approving supervisor's username, for a best-interests decision


def consent_record(*, actor: Actor, person_id: uuid.UUID, data: ConsentData) -> Consent:
    """Record a person's consent (or its withdrawal) to ``purpose`` with one recipient organisation.
    Raises :class:`ValidationFailed` naming the field; :class:`NotFound` for a person the actor may
    not see."""
    _referrer_check(actor)
    _length_check("reason", data.reason)
    with transaction.atomic():
        seen = _visible_person(actor, person_id)
        return _consent_create(seen.actor, seen.person, data)


def _consent_create(actor: Actor, person: Person, data: ConsentData) -> Consent:
    with transaction.atomic():
        recipient = _organisation_of(data.recipient_id)
        approver = _consent_check(actor, person, data)
        consent = Consent.objects.create(
            person=person,
            purpose=data.purpose,
            recipient=recipient,
            is_given=data.is_given,
            given_by=data.given_by,
            reason=data.reason.strip(),
            approved_by=approver,
            recorded_by=actor.user,
        )
        audit_record(
            actor=actor,
            event=AuditEvent.CONSENT_RECORDED,
            subject=consent,
            detail={
                "person": str(person.pk),
                "purpose": str(data.purpose),
                "recipient": str(recipient.pk),
                "given": data.is_given,
                "given_by": str(data.given_by),
            },
        )
    return consent


def _consent_check(actor: Actor, person: Person, data: ConsentData) -> User | None:
    if data.given_by == ConsentGivenBy.PERSON:
        return None
    if not is_child_or_may_be(person):
        raise ValidationFailed.on("given_by", _("an adult decides for themself"))
    if data.given_by == ConsentGivenBy.GUARDIAN:
        return None
    if not data.is_given:
        raise ValidationFailed.on("given_by", _("a best-interests decision records a yes"))
    if not data.reason.strip():
        raise ValidationFailed.on("reason", _("give the reason for the best-interests decision"))
    return approving_supervisor(username=data.approved_by, roles=SUPERVISOR_ROLES, actor=actor.user)


def consent_in_force(*, person: Person, recipient_id: uuid.UUID, purpose: ConsentPurpose) -> Consent | None:
    """The latest consent of the person to this purpose and recipient, if it is a yes. Consents
    given at the health desk (recorded by a health officer, or sending a health referral) are left
    out: they were given for that medical referral only, and that there was one is health data."""
    from_health_desk = Q(recorded_by__role__in=HEALTH_ROLES) | Q(
        Exists(Referral.objects.filter(consent=OuterRef("pk"), flag=HEALTH_FLAG))
    )
    latest = (
        Consent.objects.filter(person=person, purpose=purpose, recipient_id=recipient_id)
        .exclude(from_health_desk)
        .order_by("-created_at")
        .first()
    )
    return latest if latest is not None and latest.is_given else None


# --- referrals ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReferralData:
    service_id: uuid.UUID
    urgency: Urgency
    reason: str
    flag: str = ""
    shared_fields: tuple[SharedField, ...] = (SharedField.NAMES, SharedField.SEX, SharedField.DATE_OF_BIRTH)
    screening_id: uuid.UUID | None = None  # the screening whose suggestion the officer confirmed


def referral_create(*, actor: Actor, person_id: uuid.UUID, data: ReferralData) -> Referral:
    """A referral the officer confirmed, *pending* until sent. Its deadline runs from now.
    Raises :class:`ValidationFailed` naming the field; :class:`NotFound` for a person the actor may
    not see."""
    _referrer_check(actor)
    _referral_data_check(data)
    with transaction.atomic():
        return _referral_insert(_visible_person(actor, person_id), data)


def _referral_data_check(data: ReferralData) -> None:
    _length_check("reason", data.reason)
    if not data.reason.strip():
        raise ValidationFailed.on("reason", _("say what the service needs to know"))
    if data.urgency not in Urgency.values:
        raise ValidationFailed.on("urgency", _("not a known urgency"))
    if data.flag.strip() == HEALTH_FLAG:
        raise ValidationFailed.on("flag", _("health referrals are made by health officers"))
    for index, name in enumerate(data.shared_fields):
        if name not in SharedField.values:
            raise ValidationFailed.on(f"shared_fields.{index}", _("not a field a referral can share"))


def _referral_insert(seen: _VisiblePerson, data: ReferralData) -> Referral:
    """The pending referral of ``data`` (checked by :func:`_referral_data_check`), with its first
    step and audit entry; in the caller's transaction."""
    actor, person = seen.actor, seen.person
    service = (
        Service.objects.select_related("organisation").filter(pk=data.service_id, is_active=True).first()
    )
    if service is None:
        raise ValidationFailed.on("service_id", _("no such service in the directory"))
    screening = _screening_of(person, data.screening_id)
    created = now()
    point = person.registered_at
    referral = Referral.objects.create(
        person=person,
        service=service,
        organisation=service.organisation,
        crossing_point=person.registered_at,
        flag=data.flag.strip(),
        urgency=data.urgency,
        reason=data.reason.strip(),
        shared_fields=sorted(set(data.shared_fields)),
        created_by=actor.user,
        deadline_at=deadline_for(data.urgency, created),
        screening=screening,
        day=screening.day if screening is not None else local_day(point, created),
        arrived_at=arrival_of(person, point),
    )
    ReferralStep.objects.create(referral=referral, to_status=ReferralStatus.PENDING, actor=actor.user)
    audit_record(
        actor=actor,
        event=AuditEvent.REFERRAL_CREATED,
        subject=referral,
        detail={"person": str(person.pk), "service": str(service.pk), "urgency": str(data.urgency)},
    )
    return referral


def referral_send(*, actor: Actor, referral_id: uuid.UUID) -> Referral:
    """Send a pending referral: only with the person's consent to the receiving organisation.
    Raises :class:`NotFound` for a referral of a person the actor may not see (or a health
    referral), :class:`Conflict` without the consent."""
    _referrer_check(actor)
    with transaction.atomic():
        referral = _locked(referral_id)
        seen = None if referral.flag == HEALTH_FLAG else _visible_person_or_none(actor, referral.person_id)
        if seen is None:
            raise NotFound(_("no such referral"))
        consent = consent_in_force(
            person=seen.person, recipient_id=referral.organisation_id, purpose=ConsentPurpose.REFERRAL
        )
        if consent is None:
            raise Conflict(_("record the person's consent to share with this organisation first"))
        return _referral_dispatch(seen, referral, consent)


def _referral_dispatch(seen: _VisiblePerson, referral: Referral, consent: Consent) -> Referral:
    """Send ``referral`` (pending, not a health referral, of ``seen.person``, locked or created in
    this transaction) under ``consent`` (in force, to its organisation)."""
    if referral.person_id != seen.person.pk or referral.flag == HEALTH_FLAG:
        raise NotFound(_("no such referral"))  # a caller's bug, refused as an outsider would be
    referral.person = seen.person
    referral.consent = consent
    return _move(seen.actor, referral, ReferralStatus.SENT)


def referral_answer(
    *,
    actor: Actor,
    referral_id: uuid.UUID,
    to: ReferralStatus,
    outcome: ReferralOutcome | None = None,
    note: str = "",
) -> Referral:
    """The receiving organisation's step: accept, decline, start, close (with an outcome)."""
    _length_check("note", note)
    if not actor.user.has_role(*RECEIVING_ROLES):
        raise PermissionDenied(_("your role does not answer referrals"))
    with transaction.atomic():
        referral = _locked(referral_id)
        if (
            referral.organisation_id != actor.user.organisation_id
            or referral.status == ReferralStatus.PENDING
            or (referral.flag == HEALTH_FLAG and not actor.user.has_role(*HEALTH_ROLES))
        ):
            raise NotFound(_("no such referral"))
        if to == ReferralStatus.DECLINED and not note.strip():
            raise ValidationFailed.on("note", _("say why the service declines"))
        if note.strip():
            referral.note = note.strip()
        if to == ReferralStatus.ACCEPTED:
            referral.caseworker = actor.user
        return _move(actor, referral, to, outcome)


def _move(
    actor: Actor, referral: Referral, to: ReferralStatus, outcome: ReferralOutcome | None = None
) -> Referral:
    try:
        transition_check(referral.status, to, outcome=outcome)
    except TransitionError as exc:
        raise Conflict(
            _("a referral that is %(status)s cannot become %(to)s")
            % {"status": ReferralStatus(referral.status).label, "to": ReferralStatus(to).label}
        ) from exc
    moment = now()
    previous = referral.status
    referral.status = to
    if to == ReferralStatus.SENT:
        referral.sent_at = moment
    elif to in (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED):
        referral.answered_at = moment
    elif to == ReferralStatus.CLOSED:
        referral.closed_at, referral.outcome = moment, outcome or ""
    referral.save()
    if to == ReferralStatus.ACCEPTED and referral.screening_id is not None:
        _screening_taken_charge(referral, moment)
    ReferralStep.objects.create(referral=referral, from_status=previous, to_status=to, actor=actor.user)
    audit_record(
        actor=actor,
        event=AuditEvent.REFERRAL_MOVED,
        subject=referral,
        detail={"from": previous, "to": str(to), "outcome": str(outcome) if outcome else None},
    )
    return referral


def _screening_taken_charge(referral: Referral, moment: datetime) -> None:
    """A service accepted a referral confirmed from a screening: the screening keeps when someone
    first took charge, and whether it was before a deadline (the dashboard's figures, 0015)."""
    assert referral.screening_id is not None
    screenings = ProtectionScreening.objects.filter(pk=referral.screening_id)
    screenings.filter(first_accepted_at__isnull=True).update(first_accepted_at=moment)
    if moment <= referral.deadline_at:
        screenings.filter(accepted_in_time=False).update(accepted_in_time=True)


def _screening_of(person: Person, screening_id: uuid.UUID | None) -> ProtectionScreening | None:
    if screening_id is None:
        return None
    screening = ProtectionScreening.objects.filter(pk=screening_id, person=person).first()
    if screening is None:
        raise ValidationFailed.on("screening_id", _("no such screening of this person"))
    return screening


def _locked(referral_id: uuid.UUID) -> Referral:
    referral = Referral.objects.select_for_update().filter(pk=referral_id).first()
    if referral is None:
        raise NotFound(_("no such referral"))
    return referral


def _referrer_check(actor: Actor) -> None:
    if not actor.user.has_role(*REFERRING_ROLES):
        raise PermissionDenied(_("your role does not refer persons"))


@dataclass(frozen=True, slots=True)
class _VisiblePerson:
    """A person the need-to-know check found ``actor`` may see, with ``registered_at`` loaded.

    Made only by :func:`_visible_person` (or ``_visible_person_or_none``): the inner steps of a
    referral take one instead of a person's id, so none runs without the check, and a referral
    made in one step (:func:`referral_make`) is checked once, not at each step."""

    actor: Actor
    person: Person


def _visible_person(actor: Actor, person_id: uuid.UUID) -> _VisiblePerson:
    seen = _visible_person_or_none(actor, person_id)
    if seen is None:
        raise NotFound(_("no such person"))
    return seen


def _visible_person_or_none(actor: Actor, person_id: uuid.UUID) -> _VisiblePerson | None:
    person = persons_visible_to(actor=actor).select_related("registered_at").filter(pk=person_id).first()
    return None if person is None else _VisiblePerson(actor=actor, person=person)


def _organisation_of(organisation_id: uuid.UUID) -> Organisation:
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise ValidationFailed.on("recipient_id", _("no such organisation"))
    return organisation


def _length_check(field_name: str, value: str) -> None:
    if len(value) > TEXT_LIMIT:
        raise ValidationFailed.on(field_name, _("at most %(limit)s characters") % {"limit": TEXT_LIMIT})


def referral_make(
    *, actor: Actor, person_id: uuid.UUID, data: ReferralData, consent: ConsentData | None
) -> Referral:
    """The screening officer's one step: record the consent given now (if any), refer, and send
    when a consent to the receiving organisation is in force — all or nothing. Without consent the
    referral stays pending, and nothing is shared.

    The same checks as :func:`consent_record`, :func:`referral_create` and :func:`referral_send`
    in turn, the need-to-know one once for the three. Raises :class:`ValidationFailed` naming the
    field, :class:`NotFound` for a person the actor may not see."""
    _referrer_check(actor)
    if consent is not None:
        _length_check("reason", consent.reason)
    _referral_data_check(data)
    with transaction.atomic():
        seen = _visible_person(actor, person_id)
        if consent is not None:
            _consent_create(actor, seen.person, consent)
        referral = _referral_insert(seen, data)
        in_force = consent_in_force(
            person=seen.person, recipient_id=referral.organisation_id, purpose=ConsentPurpose.REFERRAL
        )
        return referral if in_force is None else _referral_dispatch(seen, referral, in_force)


# --- health referrals (hbm.health) ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HealthReferralData:
    """A health officer's referral of a person screened positive at ``crossing_point``.

    ``public_health_basis``: sent without consent under the public-health law (International Health
    Regulations (2005) art. 31.2 and 23, through national law) — isolation services only. Otherwise
    ``consent`` (the person's, or a guardian's) is recorded first and the referral is sent only
    with it; without it the referral stays pending and nothing is shared."""

    service_id: uuid.UUID
    urgency: Urgency
    reason: str
    consent: ConsentData | None = None
    public_health_basis: bool = False


def health_referral_make(
    *, actor: Actor, person: Person, crossing_point: CrossingPoint, data: HealthReferralData
) -> Referral:
    """Refer a person to a medical or isolation service, sharing only names, sex and date of birth.

    The caller (``hbm.health``) has checked that the health officer may screen ``person`` at
    ``crossing_point``. Raises :class:`PermissionDenied` for any other role, :class:`ValidationFailed`
    naming ``service_id``, ``reason`` or ``consent``; all or nothing."""
    if not actor.user.has_role(*HEALTH_ROLES):
        raise PermissionDenied(_("your role does not make health referrals"))
    _length_check("reason", data.reason)
    with transaction.atomic():
        service = _health_service(data)
        consent = None
        if data.consent is not None:
            if data.consent.recipient_id != service.organisation_id:
                raise ValidationFailed.on("consent", _("the consent must name the receiving organisation"))
            consent = _consent_create(actor, person, data.consent)
        created = now()
        referral = Referral.objects.create(
            person=person,
            service=service,
            organisation=service.organisation,
            crossing_point=crossing_point,
            flag=HEALTH_FLAG,
            urgency=data.urgency,
            reason=data.reason.strip(),
            shared_fields=sorted(HEALTH_SHARED_FIELDS),
            created_by=actor.user,
            deadline_at=deadline_for(data.urgency, created),
            day=local_day(crossing_point, created),
            arrived_at=arrival_of(person, crossing_point),
        )
        ReferralStep.objects.create(referral=referral, to_status=ReferralStatus.PENDING, actor=actor.user)
        audit_record(
            actor=actor,
            event=AuditEvent.REFERRAL_CREATED,
            subject=referral,
            detail={
                "person": str(person.pk),
                "service": str(service.pk),
                "urgency": str(data.urgency),
                "basis": "public_health_law" if data.public_health_basis else "consent",
            },
        )
        if consent is not None and consent.is_given:
            referral.consent = consent
            return _move(actor, referral, ReferralStatus.SENT)
        if data.public_health_basis:
            return _move(actor, referral, ReferralStatus.SENT)
        return referral


def _health_service(data: HealthReferralData) -> Service:
    services = Service.objects.select_related("organisation")
    service = services.filter(pk=data.service_id, is_active=True).first()
    if service is None or service.service_type not in HEALTH_SERVICE_TYPES:
        raise ValidationFailed.on("service_id", _("choose a medical or isolation service of the directory"))
    if data.public_health_basis and service.service_type != ServiceType.ISOLATION:
        raise ValidationFailed.on(
            "service_id", _("only an isolation service receives a person without their consent")
        )
    return service


def health_referral_send(*, actor: Actor, referral: Referral, consent: ConsentData) -> Referral:
    """Send a pending health referral once the person consents to the receiving organisation.
    ``referral`` comes from the caller's access check (a health officer who may read it)."""
    if not actor.user.has_role(*HEALTH_ROLES):
        raise PermissionDenied(_("your role does not make health referrals"))
    if consent.recipient_id != referral.organisation_id:
        raise ValidationFailed.on("consent", _("the consent must name the receiving organisation"))
    with transaction.atomic():
        locked = _locked(referral.pk)
        if locked.flag != HEALTH_FLAG:
            raise NotFound(_("no such referral"))
        recorded = _consent_create(actor, locked.person, consent)
        if not recorded.is_given:
            return locked
        locked.consent = recorded
        return _move(actor, locked, ReferralStatus.SENT)
