"""Writes of follow-ups: open one, record a step. Each along ``hbm.engines.followup``'s lifecycle of
its kind, dated by the day it happened, audited in its transaction; a refused step leaves no trace.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext as _

from hbm.accounts.enums import Role
from hbm.accounts.models import Organisation
from hbm.audit.enums import AuditEvent
from hbm.audit.services import audit_record
from hbm.core.context import Actor
from hbm.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hbm.core.time import now
from hbm.crossings.models import CrossingPoint
from hbm.engines.followup import StepError, is_closed, review_due, step_check
from hbm.followup.access import (
    BORDER_SIDE_ROLES,
    FOLLOWUP_ROLES,
    TAKEN,
    followup_persons_of,
    followups_visible_to,
)
from hbm.followup.enums import FollowUpKind, FollowUpStage
from hbm.followup.models import FollowUp, FollowUpStep
from hbm.protection.models import Referral
from hbm.protection.referrals import HEALTH_FLAG
from hbm.registration.models import Person
from hbm.tracing.enums import MatchStatus
from hbm.tracing.models import TracingRequest

TEXT_LIMIT = 2000


@dataclass(frozen=True, slots=True)
class FollowUpData:
    """A follow-up as it starts: its kind, the stage it starts at and the day that happened."""

    kind: FollowUpKind
    stage: FollowUpStage
    happened_on: date
    referral_id: uuid.UUID | None = None
    tracing_request_id: uuid.UUID | None = None
    tracing_reference: str = ""  # or the request's reference, as its caseworker reads it
    note: str = ""


@dataclass(frozen=True, slots=True)
class StepData:
    to: FollowUpStage
    happened_on: date
    note: str = ""


def followup_open(*, actor: Actor, person_id: uuid.UUID, data: FollowUpData) -> FollowUp:
    """Open a follow-up of a person the actor may follow up.

    A caseworker opens one from a referral their organisation took (``referral_id``); screening
    officers and coordinators may open one without. The case is held by the referral's organisation,
    else the actor's. Raises :class:`ValidationFailed` naming the field, :class:`NotFound` for a
    person the actor may not see, :class:`Conflict` when one of that kind is already open.
    """
    _recorder_check(actor)
    _length_check(data.note)
    with transaction.atomic():
        person = followup_persons_of(actor=actor).select_related("registered_at").filter(pk=person_id).first()
        if person is None:
            raise NotFound(_("no such person"))
        _step_check(
            data.kind, None, data.stage, data.happened_on, None, today_there=_today_at(person.registered_at)
        )
        referral = _referral_of(actor, person, data.referral_id)
        holder = _holder(actor, referral)
        tracing_request = _tracing_request_of(actor, person, holder, data)
        try:
            with transaction.atomic():
                follow_up = FollowUp.objects.create(
                    person=person,
                    kind=data.kind,
                    stage=data.stage,
                    started_on=data.happened_on,
                    stage_on=data.happened_on,
                    review_on=review_due(data.kind, data.stage, data.happened_on),
                    organisation=holder,
                    crossing_point=person.registered_at,
                    referral=referral,
                    tracing_request=tracing_request,
                    opened_by=actor.user,
                    note=data.note.strip(),
                )
        except IntegrityError:
            raise Conflict(
                _("this person already has an open follow-up of this kind: record a step of it")
            ) from None
        FollowUpStep.objects.create(
            follow_up=follow_up,
            to_stage=data.stage,
            happened_on=data.happened_on,
            recorded_by=actor.user,
            note=data.note.strip(),
        )
        audit_record(
            actor=actor,
            event=AuditEvent.FOLLOWUP_RECORDED,
            subject=follow_up,
            detail={
                "person": str(person.pk),
                "kind": str(data.kind),
                "stage": str(data.stage),
                "happened_on": data.happened_on.isoformat(),
                "organisation": str(holder.pk),
                "referral": str(referral.pk) if referral else None,
                "tracing_request": str(tracing_request.pk) if tracing_request else None,
            },
        )
    return follow_up


def followup_step(*, actor: Actor, followup_id: uuid.UUID, data: StepData) -> FollowUp:
    """Move a follow-up to its next stage on the day it happened; the row is locked meanwhile.

    Raises :class:`Conflict` for a step the lifecycle does not allow (a closed follow-up allows
    none), :class:`ValidationFailed` on ``happened_on`` for a day in the future or before the last
    step, :class:`NotFound` for a follow-up the actor may not see.
    """
    _recorder_check(actor)
    _length_check(data.note)
    with transaction.atomic():
        follow_up = followups_visible_to(actor=actor).select_for_update().filter(pk=followup_id).first()
        if follow_up is None:
            raise NotFound(_("no such follow-up"))
        previous = follow_up.stage
        today_there = _today_at(CrossingPoint.objects.get(pk=follow_up.crossing_point_id))
        _step_check(
            follow_up.kind, previous, data.to, data.happened_on, follow_up.stage_on, today_there=today_there
        )
        follow_up.stage = data.to
        follow_up.stage_on = data.happened_on
        follow_up.is_closed = is_closed(follow_up.kind, data.to)
        follow_up.review_on = review_due(follow_up.kind, data.to, data.happened_on)
        if data.note.strip():
            follow_up.note = data.note.strip()
        follow_up.save()
        FollowUpStep.objects.create(
            follow_up=follow_up,
            from_stage=previous,
            to_stage=data.to,
            happened_on=data.happened_on,
            recorded_by=actor.user,
            note=data.note.strip(),
        )
        audit_record(
            actor=actor,
            event=AuditEvent.FOLLOWUP_UPDATED,
            subject=follow_up,
            detail={
                "person": str(follow_up.person_id),
                "from": previous,
                "to": str(data.to),
                "happened_on": data.happened_on.isoformat(),
            },
        )
    return follow_up


def _today_at(point: CrossingPoint) -> date:
    """The calendar day at the crossing point now: a step is dated in the local calendar of the
    place that follows the person (in Chisinau it is already tomorrow from 22:00 UTC)."""
    return dj_timezone.localtime(now(), ZoneInfo(point.timezone)).date()


def _step_check(
    kind: str, current: str | None, new: str, on: date, previous_on: date | None, *, today_there: date
) -> None:
    try:
        step_check(kind, current, new, on=on, previous_on=previous_on, today=today_there)
    except StepError as exc:
        if exc.field == "happened_on":
            if on > today_there:
                raise ValidationFailed.on("happened_on", _("a step cannot be dated in the future")) from exc
            raise ValidationFailed.on(
                "happened_on",
                _("a step cannot be dated before the step before it (%(day)s)") % {"day": previous_on},
            ) from exc
        if exc.field == "kind":
            raise ValidationFailed.on("kind", _("not a known kind of follow-up")) from exc
        if current is None:
            raise ValidationFailed.on(
                "stage", _("a follow-up of this kind cannot start at this stage")
            ) from exc
        raise Conflict(
            _("a follow-up at the stage “%(stage)s” cannot move to “%(to)s”")
            % {"stage": _stage_label(current), "to": _stage_label(new)}
        ) from exc


def _stage_label(code: str) -> str:
    return str(FollowUpStage(code).label) if code in FollowUpStage.values else code


def _recorder_check(actor: Actor) -> None:
    if not actor.user.has_role(*FOLLOWUP_ROLES):
        raise PermissionDenied(_("your role does not record follow-ups"))


def _length_check(note: str) -> None:
    if len(note) > TEXT_LIMIT:
        raise ValidationFailed.on("note", _("at most %(limit)s characters") % {"limit": TEXT_LIMIT})


def _referral_of(actor: Actor, person: Person, referral_id: uuid.UUID | None) -> Referral | None:
    """The referral that led to the follow-up: the person's, taken by its service; a caseworker's
    must be to their own organisation, and a caseworker cannot open a follow-up without one."""
    if referral_id is None:
        if not actor.user.has_role(*BORDER_SIDE_ROLES):
            raise ValidationFailed.on(
                "referral_id", _("name the referral to your organisation that this follow-up continues")
            )
        return None
    referral = (
        Referral.objects.select_related("organisation")
        .filter(pk=referral_id, person=person, status__in=TAKEN)
        .exclude(flag=HEALTH_FLAG)  # health data, no follow-up's business
        .first()
    )
    if referral is None or (
        not actor.user.has_role(*BORDER_SIDE_ROLES) and referral.organisation_id != actor.user.organisation_id
    ):
        raise ValidationFailed.on(
            "referral_id", _("no referral of this person that a service has accepted has this id")
        )
    return referral


def _holder(actor: Actor, referral: Referral | None) -> Organisation:
    if referral is not None:
        return referral.organisation
    if actor.user.organisation is None:
        raise PermissionDenied(_("you belong to no organisation that could hold the case"))
    return actor.user.organisation


def _tracing_request_of(
    actor: Actor, person: Person, holder: Organisation, data: FollowUpData
) -> TracingRequest | None:
    """A tracing request about this person (they are its enquirer, or a match they agreed to
    disclose), filed by the actor or held by the case's organisation; family reunification only.
    Named by id or by reference; either way a refusal says the same, whatever the reason."""
    field = "tracing_request_id" if data.tracing_request_id is not None else "tracing_reference"
    reference = data.tracing_reference.strip().upper()
    if data.tracing_request_id is None and not reference:
        return None
    if data.kind != FollowUpKind.FAMILY_REUNIFICATION:
        raise ValidationFailed.on(field, _("only a family reunification follows a tracing request"))
    found = (
        TracingRequest.objects.filter(pk=data.tracing_request_id)
        if data.tracing_request_id is not None
        else TracingRequest.objects.filter(reference=reference)
    )
    request = found.first()
    is_about_person = request is not None and (
        request.enquirer_person_id == person.pk
        or request.matches.filter(person=person, status=MatchStatus.DISCLOSED).exists()
    )
    is_ours = request is not None and (
        request.caseworker_id == actor.user.pk
        or request.organisation_id == holder.pk
        or actor.user.has_role(Role.COORDINATOR)
    )
    if request is None or not is_about_person or not is_ours:
        raise ValidationFailed.on(field, _("no tracing request about this person has this id"))
    return request
