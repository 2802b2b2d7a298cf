"""The protection dashboard: figures per crossing point and day, counted in SQL (decision 0015).

For each crossing point and local day of screening:

* **flagged persons**, in all and per UNHCR specific-needs category (a person with flags in two
  categories counts once in each, once in all; flags with no UNHCR code count under ``""``);
* **referred within the deadline**: the flagged persons with a referral, confirmed from their
  screening, that a service accepted before its deadline; the **share** is that over the flagged
  persons;
* **median time from arrival to acceptance**, in minutes, over the flagged persons some service
  took charge of: from their first encounter at the crossing point to the first acceptance of a
  referral confirmed from their screening;
* **overdue**: the referrals counting on that day (a screening's day, or the day a referral was
  made by hand) still pending or sent past their deadline, now.

Referrals from a health screening are health data and are left out. No personal data is read: no
audit entry. Each figure is one aggregate statement that reads one index only (the models say
which); nothing loops over rows in Python. The referral lifecycle keeps each screening's
``first_accepted_at`` and ``accepted_in_time``, so that these figures never scan referrals.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from hbm.accounts.enums import Role
from hbm.accounts.models import User
from hbm.core.errors import PermissionDenied, ValidationFailed
from hbm.core.time import now, today
from hbm.crossings.models import CrossingPoint
from hbm.crossings.selectors import crossing_points_of
from hbm.protection.arrivals import local_day
from hbm.protection.enums import ReferralStatus
from hbm.protection.models import ProtectionFlag, ProtectionScreening, Referral
from hbm.protection.referrals import HEALTH_FLAG

# Coordinators see every crossing point; screening officers the points they are posted at.
DASHBOARD_ROLES = (Role.COORDINATOR, Role.SCREENING_OFFICER)
DEFAULT_DAYS = 14
MAX_DAYS = 92
AWAITING = (ReferralStatus.PENDING, ReferralStatus.SENT)


@dataclass(slots=True)
class DayFigures:
    """The figures of one crossing point on one day."""

    crossing_point_id: uuid.UUID
    day: date
    flagged_persons: int = 0
    by_category: dict[str, int] = field(default_factory=dict)
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
    # Counts only, not a personal data read: a refusal is a 403 with no access.refused entry.
    if not user.has_role(*DASHBOARD_ROLES):
        raise PermissionDenied(_("your role does not see the protection dashboard"))
    points = crossing_points_of(user=user).order_by("name")
    if crossing_point_id is None:
        return list(points)
    chosen = list(points.filter(pk=crossing_point_id))
    if not chosen:
        raise PermissionDenied(_("you are not posted at this crossing point"))
    return chosen


def period_check(
    start: date | None, end: date | None, *, points: Sequence[CrossingPoint] = ()
) -> tuple[date, date]:
    """The period asked for, by default the last :data:`DEFAULT_DAYS` days to today (the latest
    local day among ``points``: days are local to each crossing point). Raises
    :class:`ValidationFailed` on ``start`` for a period backwards or longer than :data:`MAX_DAYS`."""
    end = end or max((local_day(p, now()) for p in points), default=today())
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
    start, end = period_check(start, end, points=points)
    every_point = crossing_point_id is None and user.has_role(Role.COORDINATOR)
    point_ids = None if every_point else [p.pk for p in points]
    table: dict[tuple[uuid.UUID, date], DayFigures] = {}

    def row(point_id: Any, day: Any) -> DayFigures:
        key = (_uuid(point_id), _date(day))
        return table.setdefault(key, DayFigures(crossing_point_id=key[0], day=key[1]))

    sql = _Sql(start, end, point_ids)
    for point_id, day, category, persons in sql.rows(FLAGGED_BY_CATEGORY):
        row(point_id, day).by_category[category] = int(persons)
    for point_id, day, persons, in_time in sql.rows(FLAGGED):
        figures = row(point_id, day)
        figures.flagged_persons, figures.referred_in_time = int(persons), int(in_time)
    for point_id, day, overdue in sql.rows(OVERDUE, now()):
        row(point_id, day).overdue = int(overdue)
    median = MEDIAN_POSTGRESQL if connection.vendor == "postgresql" else MEDIAN_WINDOW
    for point_id, day, seconds in sql.rows(median):
        row(point_id, day).median_minutes_to_acceptance = round(float(seconds) / 60, 1)
    names = {p.pk: p.name for p in points}
    ordered = sorted(table.values(), key=lambda d: (names.get(d.crossing_point_id, ""), d.day))
    return Figures(start=start, end=end, crossing_points=tuple(points), days=tuple(ordered))


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


class _Sql:
    """Runs the dashboard's statements over one period and set of crossing points (``None``: all).

    A statement names its tables ``{flag}``, ``{screening}``, ``{referral}`` and says ``{where}``
    where the period and the points are tested; values are bound, never formatted in."""

    def __init__(self, start: date, end: date, point_ids: list[uuid.UUID] | None) -> None:
        ops = connection.ops
        self.tables = {
            "flag": ops.quote_name(ProtectionFlag._meta.db_table),
            "screening": ops.quote_name(ProtectionScreening._meta.db_table),
            "referral": ops.quote_name(Referral._meta.db_table),
        }
        self.where = "day BETWEEN %s AND %s"
        self.params: list[Any] = [ops.adapt_datefield_value(start), ops.adapt_datefield_value(end)]
        self.nothing = point_ids is not None and not point_ids
        if point_ids:
            self.where += f" AND crossing_point_id IN ({', '.join(['%s'] * len(point_ids))})"
            key = Referral._meta.pk
            assert key is not None
            self.params += [key.get_db_prep_value(p, connection) for p in point_ids]

    def rows(self, statement: str, moment: datetime | None = None) -> list[tuple[Any, ...]]:
        if self.nothing:
            return []
        params: list[Any] = [] if moment is None else [connection.ops.adapt_datetimefield_value(moment)]
        params += [HEALTH_FLAG] if "{health}" in statement else []
        whole = statement.replace("{persons}", _FLAGGED_PERSONS).replace("{awaiting}", _AWAITING)
        sql = whole.format(**self.tables, where=self.where, health="%s")
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *self.params])
            return list(cursor.fetchall())


_AWAITING = ", ".join(f"'{status.value}'" for status in AWAITING)

# Distinct persons are counted by grouping in the index's order, which streams, rather than by
# COUNT(DISTINCT), which sorts. A person screened twice on one day counts once.
FLAGGED_BY_CATEGORY = """
SELECT crossing_point_id, day, category, COUNT(*) FROM (
  SELECT DISTINCT day, crossing_point_id, category, person_id FROM {flag} WHERE {where}
) AS persons GROUP BY day, crossing_point_id, category"""

_FLAGGED_PERSONS = """
SELECT day, crossing_point_id, person_id, MAX(CASE WHEN accepted_in_time THEN 1 ELSE 0 END) AS in_time,
  MIN(first_accepted_at) AS accepted_at, MIN(arrived_at) AS arrived_at
FROM {screening} WHERE urgency > '' AND {where} GROUP BY day, crossing_point_id, person_id"""

FLAGGED = """
SELECT crossing_point_id, day, COUNT(*), SUM(in_time) FROM ({persons}) AS persons
GROUP BY day, crossing_point_id"""

OVERDUE = """
SELECT crossing_point_id, day, COUNT(*) FROM {referral}
WHERE status IN ({awaiting}) AND deadline_at < %s AND flag <> {health} AND {where}
GROUP BY day, crossing_point_id"""

# PostgreSQL has the median; SQLite takes the middle row(s) of each group, numbered by window.
MEDIAN_POSTGRESQL = """
SELECT crossing_point_id, day,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (accepted_at - arrived_at)))
FROM ({persons}) AS persons WHERE accepted_at IS NOT NULL GROUP BY day, crossing_point_id"""

MEDIAN_WINDOW = """
WITH d AS (
  SELECT crossing_point_id AS p, day, (julianday(accepted_at) - julianday(arrived_at)) * 86400.0 AS s
  FROM ({persons}) AS persons WHERE accepted_at IS NOT NULL
), r AS (
  SELECT p, day, s, ROW_NUMBER() OVER (PARTITION BY p, day ORDER BY s) AS rn,
    COUNT(*) OVER (PARTITION BY p, day) AS n FROM d
)
SELECT p, day, AVG(s) FROM r WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY p, day"""
