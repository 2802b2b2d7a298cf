"""Reads about crossing points, and the access rule for working at one."""

from __future__ import annotations

from functools import cache
from typing import Any
from uuid import UUID

from django.db import connection
from django.db.models import Field, Model, QuerySet
from django.utils.translation import gettext as _

from hbm.accounts.enums import REGISTERING_ROLES, Role
from hbm.accounts.models import User
from hbm.core.errors import NotFound, PermissionDenied
from hbm.crossings.models import CrossingPoint, ModeDecision


def crossing_points_list() -> QuerySet[CrossingPoint]:
    """Crossing points are reference data: every signed-in user may list them."""
    return CrossingPoint.objects.select_related("operator").order_by("name")


def crossing_point_get(*, crossing_point_id: UUID | str) -> CrossingPoint:
    point = CrossingPoint.objects.select_related("operator").filter(pk=crossing_point_id).first()
    if point is None:
        raise NotFound(_("no such crossing point"))
    return point


def sees_every_crossing_point(*, user: User) -> bool:
    """A coordinator sees every crossing point's people; others see where they are posted."""
    return user.has_role(Role.COORDINATOR)


def crossing_points_of(*, user: User) -> QuerySet[CrossingPoint]:
    """The crossing points whose people this user may see: all for a coordinator, else postings."""
    if sees_every_crossing_point(user=user):
        return CrossingPoint.objects.all()
    if user.has_role(*REGISTERING_ROLES):
        return user.crossing_points.all()
    return CrossingPoint.objects.none()


def access_crossing_point_for_registration(*, user: User, crossing_point_id: UUID | str) -> CrossingPoint:
    """The crossing point if ``user`` may register people there: a registering role, posted there.

    One prepared statement on the path every registration takes (the ORM would compile the same
    join on every request: a fifth of a registration's server CPU); the reason for a refusal is
    looked up only then.
    """
    if not user.has_role(*REGISTERING_ROLES):
        crossing_point_get(crossing_point_id=crossing_point_id)
        raise PermissionDenied(_("your role does not register people"))
    point = _posted_point(user=user, crossing_point_id=crossing_point_id)
    if point is None:
        crossing_point_get(crossing_point_id=crossing_point_id)
        raise PermissionDenied(_("you are not posted at this crossing point"))
    return point


def _posted_point(*, user: User, crossing_point_id: UUID | str) -> CrossingPoint | None:
    """The crossing point ``crossing_point_id`` if ``user`` is on its staff, in one query."""
    point_pk, user_pk = _primary_key(CrossingPoint), _primary_key(User)
    point_id = point_pk.to_python(crossing_point_id)  # a malformed id fails as the ORM's filter would
    params = [
        point_pk.get_db_prep_value(point_id, connection),
        user_pk.get_db_prep_value(user.pk, connection),
    ]
    return next(iter(CrossingPoint.objects.raw(_posted_point_sql(), params)), None)


def _primary_key(model: type[Model]) -> Field[Any, Any]:
    field = model._meta.pk
    if field is None:  # pragma: no cover - every concrete model has one
        raise TypeError(f"{model.__name__} has no primary key")
    return field


@cache
def _posted_point_sql() -> str:
    staff = CrossingPoint.staff.field
    quote = connection.ops.quote_name
    point = quote(CrossingPoint._meta.db_table)
    point_id = f"{point}.{quote(str(_primary_key(CrossingPoint).column))}"
    return (
        f"SELECT {point}.* FROM {point} "  # noqa: S608 - names from the models, values bound
        f"JOIN {quote(staff.m2m_db_table())} AS staff ON staff.{quote(staff.m2m_column_name())} = {point_id} "
        f"WHERE {point_id} = %s AND staff.{quote(staff.m2m_reverse_name())} = %s"
    )


def access_crossing_point_for_figures(*, user: User, crossing_point_id: UUID | str) -> CrossingPoint:
    """Aggregate figures of a crossing point: its staff and coordinators."""
    point = crossing_point_get(crossing_point_id=crossing_point_id)
    if not crossing_points_of(user=user).filter(pk=point.pk).exists():
        raise PermissionDenied(_("you are not posted at this crossing point"))
    return point


def mode_decisions_of(*, crossing_point: CrossingPoint) -> QuerySet[ModeDecision]:
    return crossing_point.mode_decisions.select_related("decided_by").order_by("-decided_at")
