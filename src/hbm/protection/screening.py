"""Protection screening at first contact: record one (writes), read them behind need to know, and
the referrals the pathways suggest for what a screening raised.

The questionnaire, the flags and the pathways are the engine's (``hbm.engines.screening``, decision
0012); this module stores them and decides who may do what (decision 0015):

* **screen**: a screening officer who may see the person (posted where the person was met);
* **read a screening** (answers, flags, suggestions): those screening officers and coordinators.
  Border officers, health officers, caseworkers and every other role are refused, and a refused
  read leaves only an ``access_refused`` audit entry.

A screening's flags also reach the person's quick specific-needs flags (registration's coarser
list, which a border officer ticks): each flag with an equivalent there is **added** to them, never
removed, so that what a border officer noticed is not erased by an interview the person could
decline to answer.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from hbm.accounts.enums import Role
from hbm.audit.enums import AuditEvent
from hbm.audit.services import audit_record
from hbm.core.context import Actor
from hbm.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hbm.core.reasons import answer_reasons
from hbm.core.time import now
from hbm.engines.screening import (
    AnswerError,
    Flag,
    Place,
    Questionnaire,
    QuestionType,
    SuggestedReferral,
    Urgency,
    check_answers,
    default_pathways,
    first_contact_screening,
    screen,
    specific_needs,
    suggest_referrals,
)
from hbm.protection.arrivals import arrival_of, local_day
from hbm.protection.models import ProtectionFlag, ProtectionScreening, Referral, Service
from hbm.registration.enums import SpecificNeed
from hbm.registration.models import Person
from hbm.registration.selectors import persons_visible_to

# Who screens: trained interviewers posted where the person was met.
SCREENER_ROLES = (Role.SCREENING_OFFICER,)
# Who reads screenings: the screeners, and coordinators when they need to (each read audited).
SCREENING_READER_ROLES = (Role.SCREENING_OFFICER, Role.COORDINATOR)

# A screening flag that has an equivalent among registration's quick flags: by UNHCR code first,
# then by HBM's concern. Registration is read by border officers, so only needs that the border
# must act on and that anyone at the desk can see are copied there (a child alone, a disability, a
# pregnancy, an older person, a lone caregiver). What a person discloses in the confidential
# protection interview — trafficking, violence or torture, a serious medical condition, a relative
# missing, gender-based violence, mental health, safety, asylum — stays on the screening, read by
# screening officers and coordinators only (need to know, DESIGN.md §2; decision 0015).
QUICK_FLAG_BY_CODE: Mapping[str, SpecificNeed] = {
    "SC-UC": SpecificNeed.UNACCOMPANIED_CHILD,
    "SC-CH": SpecificNeed.UNACCOMPANIED_CHILD,
    "SC-SC": SpecificNeed.SEPARATED_CHILD,
}
QUICK_FLAG_BY_CONCERN: Mapping[str, SpecificNeed] = {
    "disability": SpecificNeed.DISABILITY,
    "pregnancy": SpecificNeed.PREGNANT_OR_LACTATING,
    "older_person": SpecificNeed.OLDER_PERSON_AT_RISK,
    "single_caregiver": SpecificNeed.SINGLE_CAREGIVER,
}


def screening_questionnaire() -> Questionnaire:
    """The questionnaire screenings are recorded with: the shipped first-contact screening."""
    return first_contact_screening()


def quick_flag_of(code: str, concern: str) -> SpecificNeed | None:
    """The registration quick flag a screening flag stands for, if any."""
    return QUICK_FLAG_BY_CODE.get(code) or QUICK_FLAG_BY_CONCERN.get(concern)


# --- writes ----------------------------------------------------------------------------------------


def screening_record(
    *,
    actor: Actor,
    person_id: uuid.UUID,
    answers: Mapping[str, object],
    screening_id: uuid.UUID | None = None,
) -> ProtectionScreening:
    """Screen a person with the shipped questionnaire and keep the answers (encrypted) and the
    flags they raise, in one transaction, audited (``screening_recorded``).

    ``answers`` maps question ids to values (dates may be ISO strings). ``screening_id`` makes a
    device's retry safe: the same id for the same person returns the screening already stored.
    Raises :class:`ValidationFailed` with one field per offending question (``answers.<id>``),
    :class:`PermissionDenied` for a role that does not screen, :class:`NotFound` for a person
    the actor may not see, :class:`Conflict` for an id already used for another person.
    """
    if not actor.user.has_role(*SCREENER_ROLES):
        raise PermissionDenied(_("your role does not screen persons"))
    questionnaire = screening_questionnaire()
    with transaction.atomic():
        person = persons_visible_to(actor=actor).select_related("registered_at").filter(pk=person_id).first()
        if person is None:
            raise NotFound(_("no such person"))
        if screening_id is not None and (replay := _replay(screening_id, person)) is not None:
            return replay
        moment = now()
        point = person.registered_at
        day = local_day(point, moment)
        try:
            result = screen(questionnaire, _dates_read(questionnaire, answers), on=day)
        except AnswerError as exc:
            raise _answer_errors(exc) from exc
        stored = {key: _json_of(value) for key, value in _normalised(questionnaire, answers, day).items()}
        screening = ProtectionScreening.objects.create(
            id=screening_id or uuid.uuid4(),
            person=person,
            crossing_point=point,
            questionnaire_id=questionnaire.id,
            questionnaire_version=questionnaire.version,
            questionnaire_digest=questionnaire.digest,
            answers=stored,
            treated_as_child=result.treated_as_child,
            age_in_doubt=result.age_in_doubt,
            urgency=result.urgency.value if result.urgency else "",
            screened_by=actor.user,
            screened_at=moment,
            day=day,
            arrived_at=arrival_of(person, point),
        )
        ProtectionFlag.objects.bulk_create(_flag_rows(screening, result.flags))
        added = _quick_flags_add(person, result.flags)
        audit_record(
            actor=actor,
            event=AuditEvent.SCREENING_RECORDED,
            subject=screening,
            detail={
                "person": str(person.pk),
                "questionnaire": questionnaire.id,
                "version": questionnaire.version,
                "flags": len(result.flags),
                "quick_flags_added": len(added),
            },
        )
    return screening


def _replay(screening_id: uuid.UUID, person: Person) -> ProtectionScreening | None:
    existing = ProtectionScreening.objects.filter(pk=screening_id).first()
    if existing is None:
        return None
    if existing.person_id != person.pk:
        raise Conflict(_("this id is already used by another record"), fields={"id": [_("already used")]})
    return existing


def _dates_read(questionnaire: Questionnaire, answers: Mapping[str, object]) -> dict[str, object]:
    """The answers with ISO dates (as JSON carries them) read as dates; a bad one is a field error."""
    read = dict(answers)
    for question in questionnaire.questions:
        value = read.get(question.id)
        if question.type is QuestionType.DATE and isinstance(value, str):
            try:
                read[question.id] = date.fromisoformat(value)
            except ValueError:
                raise ValidationFailed.on(
                    f"answers.{question.id}", _("write the date as YYYY-MM-DD")
                ) from None
    return read


def _normalised(questionnaire: Questionnaire, answers: Mapping[str, object], day: date) -> dict[str, Any]:
    return dict(check_answers(questionnaire, _dates_read(questionnaire, answers), on=day))


def _answer_errors(error: AnswerError) -> ValidationFailed:
    fields = {path: [reason] for path, reason in answer_reasons(error).items()}
    return ValidationFailed(_("some answers do not fit the questions"), fields=fields)


def _json_of(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _flag_rows(screening: ProtectionScreening, flags: tuple[Flag, ...]) -> list[ProtectionFlag]:
    codes = specific_needs()
    return [
        ProtectionFlag(
            person_id=screening.person_id,
            screening=screening,
            crossing_point_id=screening.crossing_point_id,
            code=flag.code or "",
            category=codes[flag.code].category if flag.code else "",
            concern=flag.concern,
            urgency=flag.urgency.value,
            raised_at=screening.screened_at,
            day=screening.day,
        )
        for flag in flags
    ]


def _quick_flags_add(person: Person, flags: tuple[Flag, ...]) -> list[str]:
    """Add the quick-flag equivalents of ``flags`` to the person (never removes one); the person's
    version moves on when they change, so that a device's offline edit sees the change."""
    wanted = {need.value for flag in flags if (need := quick_flag_of(flag.code or "", flag.concern))}
    if not wanted - set(person.specific_needs or []):
        return []
    locked = Person.objects.select_for_update().get(pk=person.pk)  # an offline edit may race us
    current = list(locked.specific_needs or [])
    added = sorted(wanted - set(current))
    if added:
        locked.specific_needs = sorted({*current, *added})
        locked.version += 1
        locked.save(update_fields=["specific_needs", "version", "updated_at"])
    return added


# --- reads -----------------------------------------------------------------------------------------


def _refusal_record(*, actor: Actor, kind: str, record_id: object) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor, event=AuditEvent.ACCESS_REFUSED, detail={"kind": kind, "id": str(record_id)}
        )


def _as_uuid(value: object) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


def _readable_persons(actor: Actor) -> Any:
    if not actor.user.has_role(*SCREENING_READER_ROLES):
        return Person.objects.none()
    return persons_visible_to(actor=actor)


def access_screening(*, actor: Actor, screening_id: object) -> ProtectionScreening:
    """One screening, for a screening officer who may see the person or a coordinator; audited
    (``screening_viewed``). Anyone else, or a missing id: :class:`NotFound`, and only an
    ``access_refused`` entry is written."""
    key = _as_uuid(screening_id)
    screening = (
        None
        if key is None
        else ProtectionScreening.objects.select_related("person", "crossing_point", "screened_by")
        .filter(pk=key, person__in=_readable_persons(actor))
        .first()
    )
    if screening is None:
        _refusal_record(actor=actor, kind="screening", record_id=screening_id)
        raise NotFound(_("no such screening"))
    with transaction.atomic():
        audit_record(
            actor=actor,
            event=AuditEvent.SCREENING_VIEWED,
            subject=screening,
            detail={"person": str(screening.person_id)},
        )
    return screening


def access_person_screenings(*, actor: Actor, person_id: object) -> tuple[Person, list[ProtectionScreening]]:
    """A person's screenings, newest first, for those who may read them; the read is audited
    (``screening_viewed`` naming the screenings shown). Refused as :func:`access_screening`."""
    key = _as_uuid(person_id)
    person = (
        None
        if key is None
        else _readable_persons(actor).select_related("registered_at").filter(pk=key).first()
    )
    if person is None:
        _refusal_record(actor=actor, kind="screenings", record_id=person_id)
        raise NotFound(_("no such person"))
    rows = list(
        ProtectionScreening.objects.filter(person=person)
        .select_related("crossing_point", "screened_by")
        .prefetch_related("flags")
        .order_by("-screened_at")
    )
    with transaction.atomic():
        audit_record(
            actor=actor,
            event=AuditEvent.SCREENING_VIEWED,
            subject=person,
            detail={"person": str(person.pk), "screenings": [str(s.pk) for s in rows]},
        )
    return person, rows


def screening_flags(*, screening: ProtectionScreening) -> list[ProtectionFlag]:
    """The flags of a screening from :func:`access_screening`, most urgent first."""
    order = {u.value: u.rank for u in Urgency}
    return sorted(screening.flags.all(), key=lambda f: (order[f.urgency], f.code == "", f.code, f.concern))


# --- suggested referrals ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A referral the pathways suggest, the directory's services that could take it, and the
    referrals already made from this screening to services of that type."""

    suggested: SuggestedReferral
    services: tuple[Service, ...]
    referrals: tuple[Referral, ...]

    @property
    def service_type(self) -> str:
        return self.suggested.service


def screening_suggestions(*, screening: ProtectionScreening) -> list[Suggestion]:
    """What the pathways suggest for the screening's flags at its crossing point, each with the
    active services of that type serving the point (or serving everywhere: no crossing point named).
    Nothing is sent: the officer confirms each. ``screening`` from :func:`access_screening`."""
    flags = [
        Flag(code=f.code or None, concern=f.concern, urgency=Urgency(f.urgency), rules=(), reasons=())
        for f in screening.flags.all()
    ]
    point = screening.crossing_point
    suggested = suggest_referrals(default_pathways(), flags=flags, place=Place(crossing_point=point.code))
    types = [s.service for s in suggested]
    services = (
        Service.objects.filter(is_active=True, service_type__in=types)
        .filter(Q(crossing_points=point) | Q(crossing_points__isnull=True))
        .select_related("organisation")
        .distinct()
        .order_by("organisation__name", "name")
    )
    by_type: dict[str, list[Service]] = {}
    for service in services:
        by_type.setdefault(service.service_type, []).append(service)
    made: dict[str, list[Referral]] = {}
    for referral in Referral.objects.filter(screening=screening).select_related("service", "organisation"):
        made.setdefault(referral.service.service_type, []).append(referral)
    return [
        Suggestion(s, tuple(by_type.get(s.service, ())), tuple(made.get(s.service, ()))) for s in suggested
    ]


def latest_screening(*, person: Person) -> ProtectionScreening | None:
    """The person's newest screening (``person`` from an access selector, audited there)."""
    return (
        ProtectionScreening.objects.filter(person=person)
        .select_related("crossing_point")
        .order_by("-screened_at")
        .first()
    )
