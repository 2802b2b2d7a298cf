"""The protection dashboard: figures per crossing point and day, counted in SQL (decision 0015).

For each crossing point and local day:

* **flagged persons**, in all and per UNHCR specific-needs category (a person with flags in two
  categories counts once in each, once in all; flags with no UNHCR code count under ``""``);
* **referred within the deadline**: the flagged persons of that day with a referral, confirmed from
  their screening, that a service accepted before its deadline; the **share** is that over the
  flagged persons;
* **median time from arrival to acceptance**, in minutes, over the referrals of that day a service
  accepted: from the person's first encounter at the crossing point to the acceptance;
* **overdue**: the referrals of that day still pending or sent past their deadline, now.

A referral counts on its ``day`` (its screening's day; a referral made by hand, the day it was
made). Referrals from a health screening are health data and are left out. No personal data is
read: no audit entry. Every figure is one aggregate query over indexed columns; nothing loops over
rows in Python.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from hbm.accounts.enums import Role
from hbm.accounts.models import User
from hbm.core.errors import PermissionDenied, ValidationFailed
from hbm.core.time import now, today
from hbm.crossings.models import CrossingPoint
from hbm.crossings.selectors import crossing_points_of
from hbm.protection.enums import ReferralStatus
from hbm.protection.models import ProtectionFlag, Referral
from hbm.protection.referrals import HEALTH_FLAG

# Coordinators see every crossing point; screening officers the points they are posted at.
DASHBOARD_ROLES = (Role.COORDINATOR, Role.SCREENING_OFFICER)
DEFAULT_DAYS = 14
MAX_DAYS = 92
ACCEPTED = (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS, ReferralStatus.CLOSED)
AWAITING = (ReferralStatus.PENDING, ReferralStatus.SENT)


@dataclass(slots=True)
class DayFigures:
    """The figures of one crossing point on one day."""

    crossing_point_id: uuid.UUID
    day: date
    flagged_persons: int = 0
    by_category: dict[str, int] = field(default_factory=dict)
    referrals: int = 0
    accepted: int = 0
    referred_in_time: int = 0
    overdue: int = 0
    median_minutes_to_acceptance: float | None = None

    @property
    def share_referred_in_time(self) -> float | None:
        """``referred_in_time / flagged_persons`` (0 to 1), ``None`` when nobody was flagged."""
        return self.referred_in_time / self.flagged_persons if self.flagged_persons else None


@dataclass(frozen=True, slots=True)
class Figures:
    start: date
    end: date
    crossing_points: tuple[CrossingPoint, ...]
    days: tuple[DayFigures, ...]  # by crossing point name, then day; only days with something

    def totals_by_category(self) -> dict[str, int]:
        """Flagged persons per category over the whole period (a person flagged on two days counts
        on each)."""
        totals: dict[str, int] = {}
        for day in self.days:
            for category, persons in day.by_category.items():
                totals[category] = totals.get(category, 0) + persons
        return dict(sorted(totals.items(), key=lambda item: (-item[1], item[0])))


def dashboard_points(*, user: User, crossing_point_id: uuid.UUID | None = None) -> list[CrossingPoint]:
    """The crossing points whose figures ``user`` may see (one if asked for). Raises
    :class:`PermissionDenied` for another role or a point the user is not posted at."""
    if not user.has_role(*DASHBOARD_ROLES):
        raise PermissionDenied(_("your role does not see the protection dashboard"))
    points = crossing_points_of(user=user).order_by("name")
    if crossing_point_id is None:
        return list(points)
    chosen = list(points.filter(pk=crossing_point_id))
    if not chosen:
        raise PermissionDenied(_("you are not posted at this crossing point"))
    return chosen


def period_check(start: date | None, end: date | None) -> tuple[date, date]:
    """The period asked for, by default the last :data:`DEFAULT_DAYS` days to today. Raises
    :class:`ValidationFailed` on ``start`` for a period backwards or longer than :data:`MAX_DAYS`."""
    end = end or today()
    start = start or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise ValidationFailed.on("start", _("the period starts after it ends"))
    if (end - start).days + 1 > MAX_DAYS:
        raise ValidationFailed.on("start", _("at most %(days)s days at a time") % {"days": MAX_DAYS})
    return start, end


def protection_figures(
    *,
    user: User,
    crossing_point_id: uuid.UUID | None = None,
    start: date | None = None,
    end: date | None = None,
) -> Figures:
    """The dashboard's figures for the points ``user`` may see (see the module docstring)."""
    points = dashboard_points(user=user, crossing_point_id=crossing_point_id)
    start, end = period_check(start, end)
    every_point = crossing_point_id is None and user.has_role(Role.COORDINATOR)
    point_ids = None if every_point else [p.pk for p in points]
    table: dict[tuple[uuid.UUID, date], DayFigures] = {}

    def row(point_id: Any, day: Any) -> DayFigures:
        key = (_uuid(point_id), _date(day))
        return table.setdefault(key, DayFigures(crossing_point_id=key[0], day=key[1]))

    flags = ProtectionFlag.objects.filter(day__range=(start, end))
    referrals = Referral.objects.filter(day__range=(start, end)).exclude(flag=HEALTH_FLAG)
    if point_ids is not None:
        flags = flags.filter(crossing_point_id__in=point_ids)
        referrals = referrals.filter(crossing_point_id__in=point_ids)
    for found in flags.values("crossing_point_id", "day").annotate(n=Count("person_id", distinct=True)):
        row(found["crossing_point_id"], found["day"]).flagged_persons = found["n"]
    per_category = flags.values("crossing_point_id", "day", "category").annotate(
        n=Count("person_id", distinct=True)
    )
    for cell in per_category:
        row(cell["crossing_point_id"], cell["day"]).by_category[cell["category"]] = cell["n"]
    accepted = Q(status__in=ACCEPTED)
    counted = referrals.values("crossing_point_id", "day").annotate(
        referrals=Count("id"),
        accepted=Count("id", filter=accepted),
        overdue=Count("id", filter=Q(status__in=AWAITING, deadline_at__lt=now())),
        in_time=Count(
            "person_id",
            distinct=True,
            filter=accepted & Q(screening__isnull=False, answered_at__lte=F("deadline_at")),
        ),
    )
    for group in counted:
        figures = row(group["crossing_point_id"], group["day"])
        figures.referrals, figures.accepted = group["referrals"], group["accepted"]
        figures.overdue, figures.referred_in_time = group["overdue"], group["in_time"]
    for point_id, day, seconds in _medians_to_acceptance(start, end, point_ids):
        row(point_id, day).median_minutes_to_acceptance = round(float(seconds) / 60, 1)
    names = {p.pk: p.name for p in points}
    ordered = sorted(table.values(), key=lambda d: (names.get(d.crossing_point_id, ""), d.day))
    return Figures(start=start, end=end, crossing_points=tuple(points), days=tuple(ordered))


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _medians_to_acceptance(
    start: date, end: date, point_ids: list[uuid.UUID] | None
) -> list[tuple[Any, Any, float]]:
    """(crossing point, day, median seconds from arrival to acceptance) of accepted referrals.
    PostgreSQL has ``percentile_cont``; SQLite takes the middle row(s) of each group by window."""
    quote = connection.ops.quote_name
    table = quote(Referral._meta.db_table)
    params: list[Any] = [start, end, HEALTH_FLAG, *[s.value for s in ACCEPTED]]
    where = (
        "day BETWEEN %s AND %s AND flag <> %s AND status IN (%s, %s, %s)"
        " AND answered_at IS NOT NULL AND arrived_at IS NOT NULL"
    )
    if point_ids is not None:
        if not point_ids:
            return []
        where += f" AND crossing_point_id IN ({', '.join(['%s'] * len(point_ids))})"
        params += [p if connection.vendor == "postgresql" else p.hex for p in point_ids]
    if connection.vendor == "postgresql":
        sql = (
            "SELECT crossing_point_id, day, percentile_cont(0.5) WITHIN GROUP"  # noqa: S608 - names quoted
            f" (ORDER BY EXTRACT(EPOCH FROM (answered_at - arrived_at))) FROM {table} WHERE {where}"
            " GROUP BY crossing_point_id, day"
        )
    else:
        sql = (
            "WITH d AS (SELECT crossing_point_id AS p, day,"  # noqa: S608 - names quoted
            f" (julianday(answered_at) - julianday(arrived_at)) * 86400.0 AS s FROM {table} WHERE {where}),"
            " r AS (SELECT p, day, s, ROW_NUMBER() OVER (PARTITION BY p, day ORDER BY s) AS rn,"
            " COUNT(*) OVER (PARTITION BY p, day) AS n FROM d)"
            " SELECT p, day, AVG(s) FROM r WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY p, day"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(p, d, float(s)) for p, d, s in cursor.fetchall()]
