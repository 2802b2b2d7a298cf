"""Reads of the preparedness app, each behind the rule of :mod:`hbm.preparedness.access`."""

from __future__ import annotations

import uuid

from django.db.models import Case, QuerySet, Value, When
from django.utils.translation import gettext as _

from hbm.accounts.models import User
from hbm.core.errors import NotFound, PermissionDenied
from hbm.preparedness.access import PLAN_READER_ROLES, may_edit, plans_readable_by
from hbm.preparedness.enums import AlertStatus, ScenarioKind
from hbm.preparedness.models import ContingencyPlan, PlanAlert, PlanScenario, ScenarioResult


def _as_uuid(value: object) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


def plans_list(*, user: User) -> QuerySet[ContingencyPlan]:
    """The plans this user may read; a role that reads none is refused (403), not shown an empty list."""
    if not user.has_role(*PLAN_READER_ROLES):
        raise PermissionDenied(_("your role does not read contingency plans"))
    return (
        plans_readable_by(user)
        .select_related("crossing_point", "organisation")
        .order_by("crossing_point__name", "title")
    )


def access_plan(*, user: User, plan_id: object) -> ContingencyPlan:
    """A plan this user may read; "not found" when it is missing or out of reach."""
    if not user.has_role(*PLAN_READER_ROLES):
        raise PermissionDenied(_("your role does not read contingency plans"))
    key = _as_uuid(plan_id)
    plan = (
        None
        if key is None
        else plans_readable_by(user).select_related("crossing_point", "organisation").filter(pk=key).first()
    )
    if plan is None:
        raise NotFound(_("no such plan"))
    return plan


def access_plan_for_editing(*, user: User, plan_id: object) -> ContingencyPlan:
    """A plan this user may change: a planner of the plan's organisation. A partner who may read
    it is refused (403); anyone else finds nothing (404)."""
    plan = access_plan(user=user, plan_id=plan_id)
    if not may_edit(user, plan):
        raise PermissionDenied(_("only a planner of the plan's organisation changes it"))
    return plan


def plan_scenarios(*, plan: ContingencyPlan) -> dict[str, PlanScenario]:
    """The plan's scenarios by kind, in the order best, most likely, worst."""
    found = {s.kind: s for s in plan.scenarios.all()}
    return {kind.value: found[kind.value] for kind in ScenarioKind if kind.value in found}


def plan_scenario(*, plan: ContingencyPlan, kind: str) -> PlanScenario:
    scenario = plan.scenarios.filter(kind=kind).first() if kind in ScenarioKind.values else None
    if scenario is None:
        raise NotFound(_("this plan has no such scenario"))
    return scenario


def scenario_latest_result(*, scenario: PlanScenario) -> ScenarioResult | None:
    return scenario.results.order_by("-created_at").first()


def alerts_list(*, user: User, status: AlertStatus | None = None) -> QuerySet[PlanAlert]:
    """Alerts of the plans this user may read, open ones first, newest first."""
    if not user.has_role(*PLAN_READER_ROLES):
        raise PermissionDenied(_("your role does not read plan alerts"))
    alerts = PlanAlert.objects.filter(plan__in=plans_readable_by(user)).select_related(
        "plan", "crossing_point", "decided_by", "mode_decision"
    )
    if status:
        alerts = alerts.filter(status=status)
    is_open = Case(When(status=AlertStatus.OPEN, then=Value(0)), default=Value(1))
    return alerts.order_by(is_open, "-created_at")


def access_alert(*, user: User, alert_id: object) -> PlanAlert:
    if not user.has_role(*PLAN_READER_ROLES):
        raise PermissionDenied(_("your role does not read plan alerts"))
    key = _as_uuid(alert_id)
    alert = (
        None
        if key is None
        else PlanAlert.objects.filter(pk=key, plan__in=plans_readable_by(user))
        .select_related("plan", "crossing_point")
        .first()
    )
    if alert is None:
        raise NotFound(_("no such alert"))
    return alert
