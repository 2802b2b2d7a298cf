"""Reads of follow-ups, each behind the need-to-know rule of ``hbm.followup.access`` and audited; a
refused read leaves an ``access_refused`` entry and nothing else. And the coordinator's overview:
where every flagged person now stands, counted in SQL per crossing point and stage."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    DateTimeField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat
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
    overdue first; audited with the persons it shows. Refused to roles that do not follow up."""
    if not actor.user.has_role(*FOLLOWUP_ROLES):
        raise PermissionDenied(_("your role does not record follow-ups"))
    if actor.user.organisation_id is None:
        return []
    rows = list(
        followups_visible_to(actor=actor)
        .filter(organisation_id=actor.user.organisation_id, is_closed=is_closed)
        .select_related("referral")
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


def _positioned(persons: QuerySet[Person], moment: datetime, day: date) -> QuerySet[Any]:
    """Persons annotated with where they stand: their latest follow-up (open ones first), else
    their furthest referral (taken, closed, sent, pending, declined), else flagged only."""
    latest = FollowUp.objects.filter(person=OuterRef("pk")).order_by("is_closed", "-stage_on", "-created_at")
    furthest = (
        Referral.objects.filter(person=OuterRef("pk"))
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
    annotated = persons.annotate(
        fu_id=Subquery(latest.values("pk")[:1]),
        fu_kind=Subquery(latest.values("kind")[:1]),
        fu_stage=Subquery(latest.values("stage")[:1]),
        fu_closed=Subquery(latest.values("is_closed")[:1], output_field=BooleanField()),
        fu_since=Subquery(latest.values("stage_on")[:1], output_field=DateField()),
        fu_review=Subquery(latest.values("review_on")[:1], output_field=DateField()),
        ref_id=Subquery(furthest.values("pk")[:1]),
        ref_status=Subquery(furthest.values("status")[:1]),
        ref_outcome=Subquery(furthest.values("outcome")[:1]),
        ref_deadline=Subquery(furthest.values("deadline_at")[:1], output_field=DateTimeField()),
    )
    annotated = annotated.annotate(
        phase=Case(
            When(fu_closed=True, then=Value(Phase.CLOSED.value)),
            When(fu_closed=False, then=Value(Phase.FOLLOW_UP.value)),
            When(ref_status__in=ANSWERED, then=Value(Phase.ACCEPTED.value)),
            When(ref_status=ReferralStatus.CLOSED, then=Value(Phase.CLOSED.value)),
            When(ref_status__isnull=False, then=Value(Phase.REFERRED.value)),
            default=Value(Phase.FLAGGED.value),
            output_field=CharField(),
        ),
        stage=Case(
            When(fu_kind__isnull=False, then=Concat("fu_kind", Value(":"), "fu_stage")),
            When(ref_status=ReferralStatus.CLOSED, then=Concat(Value("referral:"), "ref_outcome")),
            When(ref_status__isnull=False, then=Concat(Value("referral:"), "ref_status")),
            default=Value("flagged"),
            output_field=CharField(),
        ),
    )
    return annotated.annotate(
        is_overdue=Case(
            When(fu_closed=False, fu_review__lt=day, then=Value(True)),
            When(fu_closed__isnull=True, ref_status__in=AWAITING, ref_deadline__lt=moment, then=Value(True)),
            When(
                Q(fu_closed__isnull=True, ref_status__isnull=True) & unreferred_overdue_condition(moment),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def _overview_points(actor: Actor, crossing_point_id: uuid.UUID | None) -> QuerySet[CrossingPoint]:
    if not actor.user.has_role(*OVERVIEW_ROLES):
        raise PermissionDenied(_("your role does not follow flagged persons"))
    points = crossing_points_of(user=actor.user)
    if crossing_point_id is not None:
        points = points.filter(pk=crossing_point_id)
        if not points.exists():
            raise PermissionDenied(_("you are not posted at this crossing point"))
    return points


def followup_overview(*, actor: Actor, filters: OverviewFilter) -> Overview:
    """Where every flagged person at the actor's crossing points stands: counts per crossing point,
    phase and stage (SQL aggregates over all of them), and one page of persons matching
    ``filters``, overdue first. The page's persons are audited."""
    if filters.page < 1:
        raise ValidationFailed.on("page", _("pages are numbered from 1"))
    points = _overview_points(actor, filters.crossing_point_id)
    moment, day = now(), today()
    persons = flagged_persons().filter(registered_at__in=points)
    if filters.category:
        persons = persons.filter(category_condition(filters.category))
    positioned: QuerySet[Any] = _positioned(persons, moment, day)
    counts = [
        StageCount(
            crossing_point_id=row["registered_at"], phase=row["phase"], stage=row["stage"], persons=row["n"]
        )
        for row in positioned.values("registered_at", "phase", "stage")
        .annotate(n=Count("pk"))
        .order_by("registered_at", "phase", "stage")
    ]
    selected = positioned
    if filters.phase:
        selected = selected.filter(phase=filters.phase)
    if filters.stage:
        selected = selected.filter(stage=filters.stage)
    if filters.is_overdue is not None:
        selected = selected.filter(is_overdue=filters.is_overdue)
    total = selected.count()
    pages = max(1, -(-total // PAGE_SIZE))
    start = (filters.page - 1) * PAGE_SIZE
    found = list(
        selected.select_related("registered_at").order_by(
            "-is_overdue", "registered_at__name", "created_at", "pk"
        )[start : start + PAGE_SIZE]
    )
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
        rows.append(
            OverviewRow(
                person=p,
                crossing_point=p.registered_at,
                categories=categories.get(p.pk, []),
                phase=p.phase,
                stage=p.stage,
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
