"""Reads of the health app: health records for health officers only, and the daily report.

Need to know (decision 0016): a health record is read by a health officer posted at the crossing
point where it was made, or of the organisation its referral was sent to. Nobody else — not a
coordinator, an auditor or an administrator. A refused read writes an ``access.refused`` entry and
nothing else. The daily report is made of counts only; coordinators get it with small cells hidden.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from hbm.accounts.enums import Role
from hbm.audit.enums import AuditEvent
from hbm.audit.services import audit_record
from hbm.core.context import Actor
from hbm.core.errors import NotFound, PermissionDenied
from hbm.core.time import now
from hbm.crossings.models import CrossingPoint
from hbm.health.models import HealthRecord, ScreeningCount, SuspectedCount
from hbm.protection.enums import ReferralStatus
from hbm.protection.models import Referral
from hbm.protection.referrals import HEALTH_FLAG
from hbm.registration.models import Group, Person

HEALTH_READER_ROLES = (Role.HEALTH_OFFICER,)
REPORT_ROLES = (Role.HEALTH_OFFICER, Role.COORDINATOR)
LIST_LIMIT = 200
# A count from 1 to SMALL_CELL - 1 of positives could point at a person (the one traveller screened
# at a quiet post in an hour): coordinators see it as "fewer than 5" (decision 0016).
SMALL_CELL = 5


def _as_uuid(value: object) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


def _refusal_record(*, actor: Actor, kind: str, record_id: object) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor, event=AuditEvent.ACCESS_REFUSED, detail={"kind": kind, "id": str(record_id)}
        )


def health_records_visible_to(*, actor: Actor) -> QuerySet[HealthRecord]:
    """Every health record the actor may read (none for a role other than health officer): made at
    a crossing point they are posted at, or referred to their organisation once the referral was
    sent (a pending one shares nothing yet). Not audited: callers audit what they show."""
    user = actor.user
    if not user.has_role(*HEALTH_READER_ROLES):
        return HealthRecord.objects.none()
    received = Q(referral__organisation_id=user.organisation_id, referral__isnull=False) & ~Q(
        referral__status=ReferralStatus.PENDING
    )
    return HealthRecord.objects.filter(Q(crossing_point__staff=user) | received).distinct()


def access_health_record(*, actor: Actor, record_id: object) -> HealthRecord:
    """A health record for a health officer who may read it, audited with the person it names;
    otherwise "not found" and only an ``access.refused`` entry."""
    key = _as_uuid(record_id)
    record = (
        None
        if key is None
        else health_records_visible_to(actor=actor)
        .select_related("person", "crossing_point", "recorded_by", "referral__service__organisation")
        .filter(pk=key)
        .first()
    )
    if record is None:
        _refusal_record(actor=actor, kind="health_record", record_id=record_id)
        raise NotFound(_("no such health record"))
    with transaction.atomic():
        audit_record(
            actor=actor,
            event=AuditEvent.HEALTH_RECORD_VIEWED,
            subject=record,
            detail={"person": str(record.person_id)},
        )
    return record


def health_records_list(
    *, actor: Actor, crossing_point_id: uuid.UUID | None = None, day: date | None = None
) -> list[HealthRecord]:
    """The health records the actor may read, newest first, optionally of one crossing point and
    local day; the list and the persons it names are audited. Another role is refused
    (:class:`PermissionDenied`, an ``access.refused`` entry)."""
    if not actor.user.has_role(*HEALTH_READER_ROLES):
        _refusal_record(actor=actor, kind="health_records", record_id="list")
        raise PermissionDenied(_("only health officers read health records"))
    records = health_records_visible_to(actor=actor)
    if crossing_point_id is not None:
        records = records.filter(crossing_point_id=crossing_point_id)
        point = CrossingPoint.objects.filter(pk=crossing_point_id).first()
        if day is not None and point is not None:
            start, end = local_day_bounds(point, day)
            records = records.filter(screened_at__gte=start, screened_at__lt=end)
    rows = list(
        records.select_related("person", "crossing_point", "referral__service").order_by("-screened_at")[
            :LIST_LIMIT
        ]
    )
    with transaction.atomic():
        audit_record(
            actor=actor,
            event=AuditEvent.HEALTH_RECORDS_LISTED,
            detail={
                "records": [str(r.pk) for r in rows],
                "persons": sorted({str(r.person_id) for r in rows}),
            },
        )
    return rows


def screening_points_of(*, actor: Actor) -> list[CrossingPoint]:
    """The crossing points where the actor records health screenings (posted health officer)."""
    if not actor.user.has_role(*HEALTH_READER_ROLES):
        return []
    return list(CrossingPoint.objects.filter(staff=actor.user).order_by("name"))


def group_members_at(*, actor: Actor, crossing_point: CrossingPoint, token: str) -> list[Person]:
    """The members of the wristband group ``token`` pre-registered at the crossing point, for a health
    officer identifying the person screened positive. Audited as a group read."""
    group = Group.objects.filter(token=token.strip().upper(), crossing_point=crossing_point).first()
    if group is None:
        _refusal_record(actor=actor, kind="group", record_id=token)
        return []
    with transaction.atomic():
        audit_record(actor=actor, event=AuditEvent.GROUP_VIEWED, subject=group, detail={"purpose": "health"})
    return list(
        Person.objects.filter(memberships__group=group).order_by("surname_latin", "given_names_latin")
    )


# --- the daily point-of-entry screening report ----------------------------------------------------


def today_at(point: CrossingPoint) -> date:
    """Today in the crossing point's time zone."""
    return now().astimezone(ZoneInfo(point.timezone)).date()


def local_day_bounds(point: CrossingPoint, day: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(point.timezone)
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)


@dataclass(frozen=True, slots=True)
class Cell:
    """A count as shown: ``value`` is ``None`` when it is hidden (1 to ``SMALL_CELL - 1``)."""

    value: int | None

    @property
    def is_hidden(self) -> bool:
        return self.value is None


@dataclass(frozen=True, slots=True)
class HourRow:
    hour: int
    screened: int
    negative: Cell
    positive: Cell


@dataclass(frozen=True, slots=True)
class HealthDayReport:
    """One crossing point's health screenings over one local day, from counts only.

    ``is_exact``: every figure as counted (health officers). Otherwise (coordinators) small cells of
    positives, diseases and referrals are hidden, and negatives by hour with them; on a day with
    fewer than ``SMALL_CELL`` screened, every figure but the screenings is hidden."""

    crossing_point: CrossingPoint
    day: date
    is_exact: bool
    hours: tuple[HourRow, ...]
    screened: int
    negative: Cell
    positive: Cell
    by_disease: tuple[tuple[str, Cell], ...]
    referrals_by_status: tuple[tuple[str, Cell], ...]
    referrals_overdue: Cell
    checklists: tuple[str, ...]

    @property
    def screened_per_hour(self) -> list[int]:
        return [row.screened for row in self.hours]


def report_point_of(*, actor: Actor, crossing_point_id: object) -> CrossingPoint:
    """The crossing point if the actor may read its health report: a health officer posted there,
    or a coordinator."""
    if not actor.user.has_role(*REPORT_ROLES):
        raise PermissionDenied(_("your role does not read the health screening report"))
    key = _as_uuid(crossing_point_id)
    point = None if key is None else CrossingPoint.objects.filter(pk=key).first()
    if point is None:
        raise NotFound(_("no such crossing point"))
    if not actor.user.has_role(Role.COORDINATOR) and not point.staff.filter(pk=actor.user.pk).exists():
        raise PermissionDenied(_("you are not posted at this crossing point"))
    return point


def health_day_report(*, actor: Actor, crossing_point: CrossingPoint, day: date) -> HealthDayReport:
    """The report of ``crossing_point`` (from :func:`report_point_of`) on its local ``day``: a few
    SQL aggregates over the counts and the health referrals; no health record is read."""
    exact = actor.user.has_role(*HEALTH_READER_ROLES)
    counts = ScreeningCount.objects.filter(crossing_point=crossing_point, day=day)
    per_hour = {
        row["hour"]: (row["negative"], row["positive"])
        for row in counts.values("hour").annotate(negative=Sum("negative"), positive=Sum("positive"))
    }
    negative_total = sum(n for n, _p in per_hour.values())
    positive_total = sum(p for _n, p in per_hour.values())
    screened = negative_total + positive_total
    # Fewer than SMALL_CELL screened: even a hidden cell ("fewer than 5 positives" of 1 screened)
    # would point at a person, so coordinators get no split, no disease and no referral at all.
    too_few = not exact and 0 < screened < SMALL_CELL
    positive = Cell(None) if too_few else _cell(positive_total, exact)
    hours = tuple(
        HourRow(
            hour=hour,
            screened=sum(per_hour.get(hour, (0, 0))),
            negative=Cell(per_hour.get(hour, (0, 0))[0]) if exact else Cell(None),
            positive=Cell(per_hour.get(hour, (0, 0))[1]) if exact else Cell(None),
        )
        for hour in range(24)
    )
    diseases = (
        SuspectedCount.objects.filter(crossing_point=crossing_point, day=day)
        .values("disease")
        .annotate(n=Sum("count"))
        .order_by("-n", "disease")
    )
    start, end = local_day_bounds(crossing_point, day)
    referrals = Referral.objects.filter(
        flag=HEALTH_FLAG, crossing_point=crossing_point, created_at__gte=start, created_at__lt=end
    )
    by_status = dict(referrals.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    overdue = referrals.filter(
        status__in=(ReferralStatus.PENDING, ReferralStatus.SENT), deadline_at__lt=now()
    ).count()
    versions = sorted(
        f"{c}/{v}" for c, v in counts.values_list("checklist_id", "checklist_version").distinct()
    )
    return HealthDayReport(
        crossing_point=crossing_point,
        day=day,
        is_exact=exact,
        hours=hours,
        screened=screened,
        negative=Cell(negative_total) if exact or not positive.is_hidden else Cell(None),
        positive=positive,
        by_disease=() if too_few else tuple((row["disease"], _cell(row["n"], exact)) for row in diseases),
        referrals_by_status=()
        if too_few
        else tuple(
            (status, _cell(by_status[status], exact))
            for status in ReferralStatus.values
            if status in by_status
        ),
        referrals_overdue=Cell(None) if too_few else _cell(overdue, exact),
        checklists=tuple(versions),
    )


def _cell(value: int, exact: bool) -> Cell:
    return Cell(value) if exact or value == 0 or value >= SMALL_CELL else Cell(None)
