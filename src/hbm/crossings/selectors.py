"""Reads about crossing points, and the access rule for working at one."""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet
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


def crossing_points_of(*, user: User) -> QuerySet[CrossingPoint]:
    """The crossing points whose people this user may see: all for a coordinator, else postings."""
    if user.has_role(Role.COORDINATOR):
        return CrossingPoint.objects.all()
    if user.has_role(*REGISTERING_ROLES):
        return user.crossing_points.all()
    return CrossingPoint.objects.none()


def access_crossing_point_for_registration(*, user: User, crossing_point_id: UUID | str) -> CrossingPoint:
    """The crossing point if ``user`` may register people there: a registering role, posted there.

    One query on the path every registration takes; the reason for a refusal is looked up only then.
    """
    if not user.has_role(*REGISTERING_ROLES):
        crossing_point_get(crossing_point_id=crossing_point_id)
        raise PermissionDenied(_("your role does not register people"))
    point = CrossingPoint.objects.filter(pk=crossing_point_id, staff=user).first()
    if point is None:
        crossing_point_get(crossing_point_id=crossing_point_id)
        raise PermissionDenied(_("you are not posted at this crossing point"))
    return point


def access_crossing_point_for_figures(*, user: User, crossing_point_id: UUID | str) -> CrossingPoint:
    """Aggregate figures of a crossing point: its staff and coordinators."""
    point = crossing_point_get(crossing_point_id=crossing_point_id)
    if not crossing_points_of(user=user).filter(pk=point.pk).exists():
        raise PermissionDenied(_("you are not posted at this crossing point"))
    return point


def mode_decisions_of(*, crossing_point: CrossingPoint) -> QuerySet[ModeDecision]:
    return crossing_point.mode_decisions.select_related("decided_by").order_by("-decided_at")
