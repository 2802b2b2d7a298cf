"""What every page shares: sign-in required, refusals as pages, the crossing point being worked at.

A service or selector refuses by raising :class:`PermissionDenied` or :class:`NotFound`; the
:func:`officer_page` decorator turns those into the translated 403 and 404 pages, so that views stay
a few lines that call a selector or a service and render.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeAlias

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from hbm.accounts.enums import REGISTERING_ROLES, Role
from hbm.accounts.models import User
from hbm.assessments.selectors import READER_ROLES as ASSESSMENT_READER_ROLES
from hbm.core.errors import NotFound, PermissionDenied
from hbm.crossings.models import CrossingPoint
from hbm.crossings.selectors import crossing_points_of
from hbm.followup.access import FOLLOWUP_ROLES, OVERVIEW_ROLES
from hbm.protection.referrals import RECEIVING_ROLES
from hbm.registration.selectors import PERSON_READER_ROLES
from hbm.tracing.services import CHECKER_ROLES, TRACER_ROLES
from hbm.web.forms import HbmForm

P = ParamSpec("P")
View: TypeAlias = Callable[Concatenate[HttpRequest, P], HttpResponse]

_CURRENT_POINT_KEY = "hbm_crossing_point"


def user_of(request: HttpRequest) -> User:
    """The signed-in user of a request that passed :func:`officer_page`."""
    user = request.user
    assert isinstance(user, User)
    return user


def refusal_page(request: HttpRequest, *, status: int, title: str, message: str) -> HttpResponse:
    return render(
        request, "web/refused.html", {"status": status, "title": title, "message": message}, status=status
    )


def forbidden_page(request: HttpRequest) -> HttpResponse:
    return refusal_page(
        request,
        status=403,
        title=_("Not allowed"),
        message=_("Your role or your posting does not give access to this page."),
    )


def not_found_page(request: HttpRequest) -> HttpResponse:
    return refusal_page(
        request,
        status=404,
        title=_("Not found"),
        message=_("There is nothing here, or it is not visible to you."),
    )


def officer_page(view: View[P]) -> View[P]:
    """Signed-in users only (others go to the sign-in page); refusals become 403/404 pages."""

    @wraps(view)
    def wrapped(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied:
            return forbidden_page(request)
        except NotFound:
            return not_found_page(request)

    return wrapped


def point_remember(request: HttpRequest, point: CrossingPoint) -> None:
    """The crossing point the officer last worked at is shown in the top bar of every page."""
    request.session[_CURRENT_POINT_KEY] = str(point.pk)


def point_current(request: HttpRequest) -> CrossingPoint | None:
    """The remembered crossing point if the user still works there, else their only one."""
    points = crossing_points_of(user=user_of(request))
    remembered = request.session.get(_CURRENT_POINT_KEY)
    if remembered:
        point = points.filter(pk=remembered).first()
        if point is not None:
            return point
    only = list(points[:2])
    return only[0] if len(only) == 1 else None


def navigation_of(user: User) -> dict[str, bool]:
    """Which top-bar entries this user's role opens."""
    return {
        "may_search": user.has_role(*PERSON_READER_ROLES),
        "may_audit": user.has_role(Role.AUDITOR),
        "may_administer": user.has_role(Role.ADMIN),
        "may_resolve_conflicts": user.has_role(Role.COORDINATOR),
        "may_adjudicate": user.has_role(Role.COORDINATOR, Role.SCREENING_OFFICER),
        "may_use_field_app": user.has_role(*REGISTERING_ROLES),
        "may_trace": user.has_role(*TRACER_ROLES),
        "may_check_tracing": user.has_role(*CHECKER_ROLES),
        "may_receive_referrals": user.has_role(*RECEIVING_ROLES),
        "may_assess": user.has_role(*ASSESSMENT_READER_ROLES),
        "may_plan": user.has_role(Role.PLANNER, Role.COORDINATOR),
        "may_follow_flagged": user.has_role(*OVERVIEW_ROLES),
        "may_follow_up": user.has_role(*FOLLOWUP_ROLES),
    }


def page(
    request: HttpRequest,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    """Render a signed-in page with the top bar's crossing point and navigation."""
    full: dict[str, Any] = dict(context or {})
    user = user_of(request)
    if "current_point" not in full:
        full["current_point"] = point_current(request)
    full.setdefault("nav", navigation_of(user))
    for value in full.values():
        if isinstance(value, HbmForm) and value.is_bound and value.errors:
            value.focus_first_error()
    return render(request, template, full, status=status)
