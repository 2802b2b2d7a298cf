"""When a person arrived at a crossing point, and which local day a moment falls on there: the two
denormalised columns the protection dashboard groups and measures by (decision 0015)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from hbm.crossings.models import CrossingPoint
from hbm.registration.models import Encounter, Person


def local_day(point: CrossingPoint, moment: datetime) -> date:
    """The calendar day of ``moment`` (aware) in the crossing point's time zone."""
    return moment.astimezone(ZoneInfo(point.timezone)).date()


def arrival_of(person: Person, point: CrossingPoint) -> datetime:
    """The person's first encounter at the crossing point; their registration time if none."""
    first = (
        Encounter.objects.filter(person=person, crossing_point=point)
        .order_by("occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )
    return first or person.created_at
