"""Writes of the health app: a point-of-entry health screening, counted, and recorded only if positive.

Data minimisation (issue 5, decision 0016): a negative screening adds one to a count per crossing
point, local hour and checklist version, and its audit entry is that count — the person is never
looked up, named or linked. A positive one needs the person, creates a :class:`HealthRecord` and a
medical or isolation referral through ``hbm.protection``, in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hbm.accounts.enums import Role
from hbm.audit.enums import AuditEvent
from hbm.audit.services import audit_record
from hbm.core.context import Actor
from hbm.core.errors import NotFound, PermissionDenied, ValidationFailed
from hbm.core.reasons import answer_reasons
from hbm.core.time import now
from hbm.crossings.models import CrossingPoint
from hbm.engines.screening import (
    AnswerError,
    HealthChecklist,
    HealthOutcome,
    HealthScreening,
    check_answers,
    poe_health_checklist,
    screen_health,
)
from hbm.engines.screening import HealthAction as EngineAction
from hbm.health.enums import HealthAction, LegalBasis
from hbm.health.models import HealthRecord, ScreeningCount, SuspectedCount
from hbm.protection.enums import ConsentGivenBy, ServiceType, Urgency
from hbm.protection.models import Referral, Service
from hbm.protection.referrals import (
    ConsentData,
    HealthReferralData,
    health_referral_make,
    health_referral_send,
)
from hbm.registration.models import Person

# Who records a health screening: health officers only. Border officers may take temperatures and
# send anyone with a fever to the health desk, but record nothing (decision 0016).
SCREENING_ROLES = (Role.HEALTH_OFFICER,)
# A device's clock may run this far ahead of the server's.
CLOCK_SKEW_TOLERANCE = timedelta(minutes=10)
CountT = TypeVar("CountT", ScreeningCount, SuspectedCount)


def health_checklist() -> HealthChecklist:
    """The checklist in force: the shipped point-of-entry checklist (``hbm.engines.screening``)."""
    return poe_health_checklist()


@dataclass(frozen=True, slots=True)
class PositiveReferral:
    """Where a positive screening is referred. ``consent_given``: the person (or, for a child, a
    parent or guardian: ``given_by``) agrees that the receiving organisation is told. An isolation
    case is referred under the public-health law whatever the answer."""

    service_id: uuid.UUID
    consent_given: bool = False
    given_by: ConsentGivenBy = ConsentGivenBy.PERSON


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    """What the officer is told. ``record`` and ``referral`` only for a positive screening."""

    screening: HealthScreening
    record: HealthRecord | None = None
    referral: Referral | None = None

    @property
    def is_positive(self) -> bool:
        return self.screening.outcome is HealthOutcome.POSITIVE


def health_screen(
    *,
    actor: Actor,
    crossing_point_id: uuid.UUID | str,
    answers: Mapping[str, object],
    person_id: uuid.UUID | str | None = None,
    referral: PositiveReferral | None = None,
    at: datetime | None = None,
) -> ScreeningResult:
    """Screen one traveller at a crossing point with the checklist in force.

    Negative: one more in the hour's count; ``person_id`` is dropped unread. Positive: refused
    (:class:`ValidationFailed` on ``person_id`` or ``service_id``, nothing written, not even the
    count) unless the person and a health service are given; then the count, the health record and
    the referral are written together. Raises :class:`PermissionDenied` for a role other than health
    officer or a crossing point they are not posted at; :class:`ValidationFailed` on
    ``answers.<question>`` for answers that do not fit the checklist (a temperature is required).
    ``at``: when it happened, for a screening recorded afterwards (default now; not in the future)."""
    point = screening_point_of(actor=actor, crossing_point_id=crossing_point_id)
    checklist = health_checklist()
    normalised = _answers_check(checklist, answers)
    screening = screen_health(checklist, normalised)
    moment = _moment_check(at)
    if screening.outcome is HealthOutcome.NEGATIVE:
        with transaction.atomic():
            count = _count_add(point, moment, checklist, positive=False)
            audit_record(
                actor=actor,
                event=AuditEvent.HEALTH_SCREENINGS_COUNTED,
                subject=count,
                detail={
                    "crossing_point": str(point.pk),
                    "day": count.day.isoformat(),
                    "hour": count.hour,
                    "checklist": checklist.id,
                    "version": checklist.version,
                    "outcome": str(HealthOutcome.NEGATIVE),
                    "added": 1,
                },
            )
        return ScreeningResult(screening=screening)
    if person_id is None or not str(person_id).strip():
        raise ValidationFailed.on("person_id", _("a positive screening needs the person: give their id"))
    if referral is None:
        raise ValidationFailed.on("service_id", _("choose the health service the person is referred to"))
    with transaction.atomic():
        person = _person_at(point, person_id)
        return _positive_record(actor, point, person, checklist, normalised, screening, referral, moment)


def health_screening_preview(
    *, actor: Actor, crossing_point_id: uuid.UUID | str, answers: Mapping[str, object]
) -> HealthScreening:
    """The outcome the answers give, checked like :func:`health_screen` but writing nothing: the
    page asks for the person and the service only when it is positive."""
    screening_point_of(actor=actor, crossing_point_id=crossing_point_id)
    checklist = health_checklist()
    return screen_health(checklist, _answers_check(checklist, answers))


def screening_point_of(*, actor: Actor, crossing_point_id: uuid.UUID | str) -> CrossingPoint:
    """The crossing point if the actor is a health officer posted there."""
    if not actor.user.has_role(*SCREENING_ROLES):
        raise PermissionDenied(_("only health officers record health screenings"))
    try:
        key = uuid.UUID(str(crossing_point_id))
    except ValueError:
        raise ValidationFailed.on("crossing_point_id", _("no such crossing point")) from None
    point = CrossingPoint.objects.filter(pk=key).first()
    if point is None:
        raise ValidationFailed.on("crossing_point_id", _("no such crossing point"))
    if not point.staff.filter(pk=actor.user.pk).exists():
        raise PermissionDenied(_("you are not posted at this crossing point"))
    return point


def _answers_check(checklist: HealthChecklist, answers: Mapping[str, object]) -> Mapping[str, object]:
    try:
        normalised = check_answers(checklist, answers)
    except AnswerError as exc:
        raise ValidationFailed(
            _("some answers do not fit the checklist"),
            fields={
                path: [_("not accepted: %(reason)s") % {"reason": reason}]
                for path, reason in answer_reasons(exc).items()
            },
        ) from exc
    if checklist.temperature not in normalised:
        raise ValidationFailed.on(f"answers.{checklist.temperature}", _("measure and enter the temperature"))
    return normalised


def _moment_check(at: datetime | None) -> datetime:
    moment = now()
    if at is None:
        return moment
    if at.tzinfo is None or at > moment + CLOCK_SKEW_TOLERANCE:
        raise ValidationFailed.on("screened_at", _("a screening cannot be in the future"))
    return at


def local_hour_of(point: CrossingPoint, moment: datetime) -> tuple[date, int]:
    """The crossing point's local day and hour of ``moment``."""
    local = moment.astimezone(ZoneInfo(point.timezone))
    return local.date(), local.hour


def _count_add(
    point: CrossingPoint, moment: datetime, checklist: HealthChecklist, *, positive: bool
) -> ScreeningCount:
    """One more screening in the hour's count, without losing a concurrent one: the row is changed
    by ``UPDATE … SET n = n + 1`` (the database serialises it); a first screening of the hour
    inserts the row, and the loser of a race to insert it retries the update."""
    day, hour = local_hour_of(point, moment)
    key = {
        "crossing_point": point,
        "day": day,
        "hour": hour,
        "checklist_id": checklist.id,
        "checklist_version": checklist.version,
    }
    column = "positive" if positive else "negative"
    return _increment(ScreeningCount, key, column)


def _increment(model: type[CountT], key: dict[str, object], column: str) -> CountT:
    rows = model._default_manager.filter(**key)
    for _attempt in range(3):
        if rows.update(**{column: F(column) + 1}):
            return rows.get()
        try:
            with transaction.atomic():
                return model._default_manager.create(**key, **{column: 1})
        except IntegrityError:
            continue  # another writer inserted the row first: add to it
    raise RuntimeError(f"could not count into {model.__name__}")  # pragma: no cover


def _person_at(point: CrossingPoint, person_id: uuid.UUID | str) -> Person:
    """A person registered or met at the crossing point (a health officer posted there screens
    them); "not found" whether missing or met elsewhere."""
    try:
        key = uuid.UUID(str(person_id))
    except ValueError:
        raise ValidationFailed.on("person_id", _("no such person at this crossing point")) from None
    person = (
        Person.objects.filter(Q(registered_at=point) | Q(encounters__crossing_point=point), pk=key)
        .distinct()
        .first()
    )
    if person is None:
        raise ValidationFailed.on("person_id", _("no such person at this crossing point"))
    return person


def health_services_for(
    *, crossing_point: CrossingPoint, action: HealthAction | None = None
) -> list[Service]:
    """Active medical and isolation services serving the crossing point (or not tied to any):
    only isolation services for an isolation case."""
    types = (
        [ServiceType.ISOLATION]
        if action == HealthAction.ISOLATE
        else [ServiceType.ISOLATION, ServiceType.MEDICAL]
    )
    return list(
        Service.objects.filter(is_active=True, service_type__in=types)
        .filter(Q(crossing_points=crossing_point) | Q(crossing_points__isnull=True))
        .select_related("organisation")
        .distinct()
        .order_by("service_type", "organisation__name", "name")
    )


def _positive_record(
    actor: Actor,
    point: CrossingPoint,
    person: Person,
    checklist: HealthChecklist,
    answers: Mapping[str, object],
    screening: HealthScreening,
    choice: PositiveReferral,
    moment: datetime,
) -> ScreeningResult:
    action = HealthAction(str(screening.action))
    urgency = Urgency(str(screening.urgency))
    services = {s.pk: s for s in health_services_for(crossing_point=point, action=action)}
    service = services.get(choice.service_id)
    if service is None:
        reason = (
            _("an isolation case is referred to an isolation service serving this crossing point")
            if action == HealthAction.ISOLATE
            else _("choose a medical or isolation service serving this crossing point")
        )
        raise ValidationFailed.on("service_id", reason)
    _given_by_check(choice.given_by)
    is_isolation = screening.action is EngineAction.ISOLATE
    basis = LegalBasis.PUBLIC_HEALTH_LAW if is_isolation else LegalBasis.CONSENT
    _count_add(point, moment, checklist, positive=True)
    day, _hour = local_hour_of(point, moment)
    for case in screening.suspected:
        _increment(
            SuspectedCount,
            {
                "crossing_point": point,
                "day": day,
                "checklist_id": checklist.id,
                "checklist_version": checklist.version,
                "disease": case.disease,
            },
            "count",
        )
    record = HealthRecord.objects.create(
        person=person,
        crossing_point=point,
        checklist_id=checklist.id,
        checklist_version=checklist.version,
        checklist_digest=checklist.digest,
        answers=_jsonable(answers),
        temperature_c=screening.temperature_c,
        suspected=[
            {"disease": c.disease, "action": str(c.action), "urgency": str(c.urgency)}
            for c in screening.suspected
        ],
        action=action,
        urgency=urgency,
        legal_basis=basis,
        screened_at=moment,
        recorded_by=actor.user,
    )
    consent = (
        ConsentData(recipient_id=service.organisation_id, is_given=True, given_by=choice.given_by)
        if choice.consent_given
        else None
    )
    referral = health_referral_make(
        actor=actor,
        person=person,
        crossing_point=point,
        data=HealthReferralData(
            service_id=service.pk,
            urgency=urgency,
            reason=_referral_reason(checklist, screening, record),
            consent=consent,
            public_health_basis=is_isolation,
        ),
    )
    record.referral = referral
    record.save(update_fields=["referral", "updated_at"])
    audit_record(
        actor=actor,
        event=AuditEvent.HEALTH_RECORD_CREATED,
        subject=record,
        detail={
            "person": str(person.pk),
            "crossing_point": str(point.pk),
            "checklist": checklist.id,
            "version": checklist.version,
            "legal_basis": str(basis),
            "referral": str(referral.pk),
            "counted": 1,
        },
    )
    return ScreeningResult(screening=screening, record=record, referral=referral)


def _referral_reason(checklist: HealthChecklist, screening: HealthScreening, record: HealthRecord) -> str:
    """What the health service is told (only health officers see a health referral)."""
    language = (get_language() or "en")[:2]
    names = "; ".join(case.name.get(language) for case in screening.suspected)
    temperature = f"{screening.temperature_c:.1f} °C" if screening.temperature_c is not None else "—"
    text = _(
        "Point-of-entry health screening: suspected %(diseases)s; temperature %(temperature)s. "
        "Health record %(record)s."
    )
    return text % {
        "diseases": names,
        "temperature": temperature,
        "record": str(record.pk)[:8],
    }


def _given_by_check(given_by: ConsentGivenBy) -> None:
    # A best-interests decision is the child-protection procedure's (hbm.protection), not the health desk's.
    if given_by not in (ConsentGivenBy.PERSON, ConsentGivenBy.GUARDIAN):
        raise ValidationFailed.on("given_by", _("the person or a parent or guardian consents"))


def _jsonable(answers: Mapping[str, object]) -> dict[str, object]:
    return {key: list(value) if isinstance(value, tuple) else value for key, value in answers.items()}


def health_referral_consent(
    *, actor: Actor, record: HealthRecord, given_by: ConsentGivenBy = ConsentGivenBy.PERSON
) -> Referral:
    """The person now consents to the pending medical referral of their health record: record the
    consent and send it. ``record`` from ``access_health_record``. Raises :class:`NotFound` when the
    record has no pending referral."""
    _given_by_check(given_by)
    referral = record.referral
    if referral is None or referral.status != "pending":
        raise NotFound(_("this health record has no referral waiting for consent"))
    with transaction.atomic():
        sent = health_referral_send(
            actor=actor,
            referral=referral,
            consent=ConsentData(recipient_id=referral.organisation_id, is_given=True, given_by=given_by),
        )
        record.save(update_fields=["updated_at"])
        audit_record(
            actor=actor,
            event=AuditEvent.HEALTH_RECORD_UPDATED,
            subject=record,
            detail={"person": str(record.person_id), "referral": str(sent.pk), "consent": str(given_by)},
        )
    return sent
