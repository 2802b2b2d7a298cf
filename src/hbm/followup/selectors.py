"""Reads of follow-ups, each behind the need-to-know rule of ``hbm.followup.access`` and audited; a
refused read, of one follow-up or of a list, leaves an ``access.refused`` entry and nothing else.
And the coordinator's overview: where every flagged person now stands, counted in SQL per crossing
point and stage."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from hbm.audit.enums import AuditEvent
from hbm.audit.services import audit_record
from hbm.core.context import Actor
from hbm.core.errors import NotFound, PermissionDenied, ValidationFailed
from hbm.core.time import now, today
from hbm.crossings.models import CrossingPoint
from hbm.crossings.selectors import crossing_points_of
from hbm.followup.access import FOLLOWUP_ROLES, OVERVIEW_ROLES, followup_persons_of, followups_visible_to
from hbm.followup.enums import Phase
from hbm.followup.flags import (
    categories_of,
    category_condition,
    first_flagged_of,
    flagged_persons,
    protection_referrals,
    unreferred_overdue_condition,
)
from hbm.followup.models import FollowUp, FollowUpStep
from hbm.protection.enums import ReferralStatus
from hbm.protection.models import Referral
from hbm.registration.models import Person

PAGE_SIZE = 50
FOLLOWUP_RELATED = ("person", "organisation", "crossing_point", "referral", "tracing_request", "opened_by")
LIST_LIMIT = 200


def _as_uuid(value: object) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


@transaction.atomic
def _refusal_record(*, actor: Actor, kind: str, record_id: object) -> None:
    audit_record(actor=actor, event=AuditEvent.ACCESS_REFUSED, detail={"kind": kind, "id": str(record_id)})


def access_followup(*, actor: Actor, followup_id: object) -> FollowUp:
    """One follow-up the actor may see, with its person, holder and links; audited, a refusal too."""
    key = _as_uuid(followup_id)
    follow_up = (
        None
        if key is None
        else followups_visible_to(actor=actor)
        .select_related(
            "person", "organisation", "crossing_point", "referral", "tracing_request", "opened_by"
        )
        .filter(pk=key)
        .first()
    )
    if follow_up is None:
        _refusal_record(actor=actor, kind="followup", record_id=followup_id)
        raise NotFound(_("no such follow-up"))
    with transaction.atomic():
        audit_record(
            actor=actor,
            event=AuditEvent.FOLLOWUP_VIEWED,
            subject=follow_up,
            detail={"person": str(follow_up.person_id)},
        )
    return follow_up


def followup_steps(*, follow_up: FollowUp) -> list[FollowUpStep]:
    """The steps of a follow-up, oldest first. ``follow_up`` from :func:`access_followup`."""
    return list(follow_up.steps.select_related("recorded_by").order_by("happened_on", "created_at"))


def followups_of_person(*, actor: Actor, person_id: object) -> list[FollowUp]:
    """A person's follow-ups the actor may see, open ones first, latest step first. A person the
    actor may not follow up is refused (audited) as not found; the list is audited."""
    key = _as_uuid(person_id)
    if key is None or not followup_persons_of(actor=actor).filter(pk=key).exists():
        _refusal_record(actor=actor, kind="person_followups", record_id=person_id)
        raise NotFound(_("no such person"))
    rows = list(
        followups_visible_to(actor=actor)
        .filter(person_id=key)
        .select_related("organisation", "referral")
        .order_by("is_closed", "-stage_on", "-created_at")[:LIST_LIMIT]
    )
    with transaction.atomic():
        audit_record(
            actor=actor,
            event=AuditEvent.FOLLOWUPS_LISTED,
            detail={"person": str(key), "followups": [str(f.pk) for f in rows]},
        )
    return rows


def followups_held(*, actor: Actor, is_closed: bool = False) -> list[FollowUp]:
    """The follow-ups the actor may see held by their organisation (a caseworker's worklist),
    overdue first; audited with the persons it shows. A role that does not follow up is refused
    (:class:`PermissionDenied`, an ``access.refused`` entry)."""
    if not actor.user.has_role(*FOLLOWUP_ROLES):
        _refusal_record(actor=actor, kind="followups", record_id="list")
        raise PermissionDenied(_("your role does not record follow-ups"))
    if actor.user.organisation_id is None:
        return []
    rows = list(
        followups_visible_to(actor=actor)
        .filter(organisation_id=actor.user.organisation_id, is_closed=is_closed)
        .select_related("referral", "referral__person", "person")
        .order_by(Coalesce("review_on", "stage_on"), "created_at")[:LIST_LIMIT]
    )
    with transaction.atomic():
        audit_record(
            actor=actor,
            event=AuditEvent.FOLLOWUPS_LISTED,
            detail={"held": True, "persons": [str(f.person_id) for f in rows]},
        )
    return rows


# --- the overview: where every flagged person now stands ---------------------------------------


@dataclass(frozen=True, slots=True)
class OverviewFilter:
    crossing_point_id: uuid.UUID | None = None
    category: str = ""
    phase: Phase | None = None
    stage: str = ""  # a stage code as the overview names it: "asylum:interviewed", "referral:sent"
    is_overdue: bool | None = None
    page: int = 1


@dataclass(frozen=True, slots=True)
class StageCount:
    crossing_point_id: uuid.UUID
    phase: str
    stage: str
    persons: int


@dataclass(frozen=True, slots=True)
class OverviewRow:
    person: Person
    crossing_point: CrossingPoint
    categories: list[str]
    phase: str
    stage: str
    since: date | None
    is_overdue: bool
    follow_up_id: uuid.UUID | None
    referral_id: uuid.UUID | None


@dataclass(frozen=True, slots=True)
class Overview:
    counts: list[StageCount]
    rows: list[OverviewRow]
    total: int
    page: int
    pages: int
    crossing_points: list[CrossingPoint] = field(default_factory=list)

    def phase_totals(self) -> dict[str, int]:
        totals = {str(p): 0 for p in Phase}
        for count in self.counts:
            totals[count.phase] += count.persons
        return totals


ANSWERED = (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS)
AWAITING = (ReferralStatus.PENDING, ReferralStatus.SENT)


def _latest_follow_up() -> QuerySet[FollowUp]:
    """A person's follow-up that says where they stand: an open one first, the latest step first."""
    return FollowUp.objects.filter(person=OuterRef("pk")).order_by("is_closed", "-stage_on", "-created_at")


def _furthest_referral() -> QuerySet[Any]:
    """A person's referral that went furthest: taken, closed, sent, pending, declined."""
    return (
        protection_referrals()
        .filter(person=OuterRef("pk"))
        .annotate(
            rank=Case(
                When(status__in=ANSWERED, then=Value(0)),
                When(status=ReferralStatus.CLOSED, then=Value(1)),
                When(status=ReferralStatus.SENT, then=Value(2)),
                When(status=ReferralStatus.PENDING, then=Value(3)),
                default=Value(4),
            )
        )
        .order_by("rank", "-created_at")
    )


def _with_position(persons: QuerySet[Person]) -> QuerySet[Any]:
    """Persons annotated with what places them: the latest follow-up's kind, stage and whether it is
    closed, and the furthest referral's status and outcome (each correlated subquery once)."""
    latest, furthest = _latest_follow_up(), _furthest_referral()
    return persons.annotate(
        fu_kind=Subquery(latest.values("kind")[:1]),
        fu_stage=Subquery(latest.values("stage")[:1]),
        fu_closed=Subquery(latest.values("is_closed")[:1], output_field=BooleanField()),
        ref_status=Subquery(furthest.values("status")[:1]),
        ref_outcome=Subquery(furthest.values("outcome")[:1]),
    )


def position_of(
    fu_kind: str | None,
    fu_stage: str | None,
    fu_closed: bool | None,
    ref_status: str | None,
    ref_outcome: str | None,
) -> tuple[str, str]:
    """Phase and stage of a person from their latest follow-up, else their furthest referral.
    Stages read ``<kind>:<stage>``, ``referral:<status or outcome>`` or ``flagged``."""
    if fu_kind:
        return (Phase.CLOSED if fu_closed else Phase.FOLLOW_UP).value, f"{fu_kind}:{fu_stage}"
    if ref_status in ANSWERED:
        return Phase.ACCEPTED.value, f"referral:{ref_status}"
    if ref_status == ReferralStatus.CLOSED:
        return Phase.CLOSED.value, f"referral:{ref_outcome}"
    if ref_status:
        return Phase.REFERRED.value, f"referral:{ref_status}"
    return Phase.FLAGGED.value, "flagged"


@dataclass(frozen=True, slots=True)
class _Conditions:
    """The phases and overdue as EXISTS conditions (semi-joins the database plans once), equal to
    :func:`position_of` for the phases. Overdue: an open follow-up past its review day; with no
    follow-up and no referral taken, a referral not accepted by its deadline; with no referral at
    all, a flag not referred within its urgency's deadline."""

    phases: dict[str, Q]
    is_overdue: Q


def _conditions(moment: datetime, day: date) -> _Conditions:
    follow_ups = FollowUp.objects.filter(person=OuterRef("pk"))
    referrals = protection_referrals().filter(person=OuterRef("pk"))
    has_follow_up = Q(Exists(follow_ups))
    has_open = Q(Exists(follow_ups.filter(is_closed=False)))
    taken = Q(Exists(referrals.filter(status__in=ANSWERED)))
    closed_referral = Q(Exists(referrals.filter(status=ReferralStatus.CLOSED)))
    referred = Q(Exists(referrals))
    no_service_yet = ~has_follow_up & ~taken & ~closed_referral
    return _Conditions(
        phases={
            Phase.FOLLOW_UP.value: has_open,
            Phase.CLOSED.value: (has_follow_up & ~has_open) | (~has_follow_up & ~taken & closed_referral),
            Phase.ACCEPTED.value: ~has_follow_up & taken,
            Phase.REFERRED.value: no_service_yet & referred,
            Phase.FLAGGED.value: ~has_follow_up & ~referred,
        },
        is_overdue=Q(Exists(follow_ups.filter(is_closed=False, review_on__lt=day)))
        | (no_service_yet & Q(Exists(referrals.filter(status__in=AWAITING, deadline_at__lt=moment))))
        | (~has_follow_up & ~referred & unreferred_overdue_condition(moment)),
    )


def _stage_condition(stage: str, conditions: _Conditions) -> Q:
    """Persons shown at ``stage`` (as :func:`position_of` names it)."""
    head, _sep, tail = stage.partition(":")
    if stage == "flagged":
        return conditions.phases[Phase.FLAGGED.value]
    if head == "referral":
        no_follow_up = Q(fu_kind__isnull=True)
        if tail in ReferralStatus.values and tail != ReferralStatus.CLOSED:
            return no_follow_up & Q(ref_status=tail)
        return no_follow_up & Q(ref_status=ReferralStatus.CLOSED, ref_outcome=tail)
    return Q(fu_kind=head, fu_stage=tail)


@contextmanager
def _without_jit() -> Iterator[None]:
    """PostgreSQL compiles plans this costly to machine code (JIT) for about 150 ms, to save a few ms
    of a 30 ms execution: off for the overview's transaction. Nothing to do on SQLite."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield


def _overview_points(actor: Actor, crossing_point_id: uuid.UUID | None) -> QuerySet[CrossingPoint]:
    """The crossing points of the overview; a refusal (the role, or a point the actor is not
    posted at) is audited as ``access.refused``."""
    if not actor.user.has_role(*OVERVIEW_ROLES):
        _refusal_record(actor=actor, kind="followup_overview", record_id="list")
        raise PermissionDenied(_("your role does not follow flagged persons"))
    points = crossing_points_of(user=actor.user)
    if crossing_point_id is not None:
        points = points.filter(pk=crossing_point_id)
        if not points.exists():
            _refusal_record(actor=actor, kind="followup_overview", record_id=crossing_point_id)
            raise PermissionDenied(_("you are not posted at this crossing point"))
    return points


def followup_overview(*, actor: Actor, filters: OverviewFilter) -> Overview:
    """Where every flagged person at the actor's crossing points stands: counts per crossing point,
    phase and stage (SQL aggregates over all of them), and one page of persons matching
    ``filters``, overdue first. The page's persons are audited; a refusal too (see
    :func:`_overview_points`), before the filters are checked."""
    points = _overview_points(actor, filters.crossing_point_id)
    if filters.page < 1:
        raise ValidationFailed.on("page", _("pages are numbered from 1"))
    moment, day = now(), today()
    persons = flagged_persons().filter(registered_at__in=points)
    if filters.category:
        persons = persons.filter(category_condition(filters.category))
    positioned = _with_position(persons)
    conditions = _conditions(moment, day)
    selected = positioned
    if filters.phase:
        selected = selected.filter(conditions.phases[filters.phase])
    if filters.stage:
        selected = selected.filter(_stage_condition(filters.stage, conditions))
    if filters.is_overdue is not None:
        selected = selected.filter(conditions.is_overdue if filters.is_overdue else ~conditions.is_overdue)
    start = (filters.page - 1) * PAGE_SIZE
    with _without_jit():
        counts = _counts(positioned)
        total = selected.count()
        found = list(
            selected.annotate(
                is_overdue=ExpressionWrapper(conditions.is_overdue, output_field=BooleanField()),
                fu_id=Subquery(_latest_follow_up().values("pk")[:1]),
                fu_since=Subquery(_latest_follow_up().values("stage_on")[:1], output_field=DateField()),
                ref_id=Subquery(_furthest_referral().values("pk")[:1]),
            )
            .select_related("registered_at")
            .order_by("-is_overdue", "registered_at__name", "created_at", "pk")[start : start + PAGE_SIZE]
        )
    pages = max(1, -(-total // PAGE_SIZE))
    rows = _rows(found)
    with transaction.atomic():
        audit_record(
            actor=actor,
            event=AuditEvent.FOLLOWUPS_LISTED,
            detail={
                "overview": True,
                "filters": _filters_detail(filters),
                "persons": [str(p.pk) for p in found],
            },
        )
    return Overview(
        counts=counts, rows=rows, total=total, page=filters.page, pages=pages, crossing_points=list(points)
    )


def _counts(positioned: QuerySet[Any]) -> list[StageCount]:
    """Persons per crossing point, phase and stage: one GROUP BY over what places each person."""
    grouped = (
        positioned.values("registered_at", "fu_kind", "fu_stage", "fu_closed", "ref_status", "ref_outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    totals: dict[tuple[uuid.UUID, str, str], int] = {}
    for row in grouped:
        phase, stage = position_of(
            row["fu_kind"], row["fu_stage"], row["fu_closed"], row["ref_status"], row["ref_outcome"]
        )
        key = (row["registered_at"], phase, stage)
        totals[key] = totals.get(key, 0) + row["n"]
    return [
        StageCount(crossing_point_id=point, phase=phase, stage=stage, persons=n)
        for (point, phase, stage), n in sorted(
            totals.items(), key=lambda item: (str(item[0][0]), *item[0][1:])
        )
    ]


def _rows(found: list[Any]) -> list[OverviewRow]:
    categories = categories_of([p.pk for p in found])
    since_of_referral = dict(
        Referral.objects.filter(pk__in=[p.ref_id for p in found if p.ref_id]).values_list(
            "pk", Coalesce("closed_at", "answered_at", "sent_at", "created_at")
        )
    )
    flagged_at = first_flagged_of([p.pk for p in found if not p.fu_id and not p.ref_id])
    rows = []
    for p in found:
        if p.fu_id:
            since: date | None = p.fu_since
        elif p.ref_id:
            since = since_of_referral[p.ref_id].date()
        else:
            since = flagged_at[p.pk].date() if p.pk in flagged_at else None
        phase, stage = position_of(p.fu_kind, p.fu_stage, p.fu_closed, p.ref_status, p.ref_outcome)
        rows.append(
            OverviewRow(
                person=p,
                crossing_point=p.registered_at,
                categories=categories.get(p.pk, []),
                phase=phase,
                stage=stage,
                since=since,
                is_overdue=p.is_overdue,
                follow_up_id=p.fu_id,
                referral_id=p.ref_id,
            )
        )
    return rows


def _filters_detail(filters: OverviewFilter) -> dict[str, Any]:
    return {
        "crossing_point": str(filters.crossing_point_id) if filters.crossing_point_id else None,
        "category": filters.category or None,
        "phase": str(filters.phase) if filters.phase else None,
        "stage": filters.stage or None,
        "overdue": filters.is_overdue,
        "page": filters.page,
    }
