"""Who may read, edit and decide on plans: the one place the preparedness access rule is written.

A plan holds no personal data, but it is an organisation's work and its triggers move a crossing
point into emergency mode, so:
- a **coordinator** reads every plan and alert, enters readings and decides alerts;
- a **planner** reads the plans of their organisation and the plans that name their organisation
  in a role, and edits the plans of their organisation (and enters readings for them);
- nobody else sees plans. A plan outside one's reach is "not found", whether or not it exists.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from hbm.accounts.enums import Role
from hbm.accounts.models import User
from hbm.preparedness.models import ContingencyPlan

PLAN_EDITOR_ROLES = (Role.PLANNER,)
PLAN_READER_ROLES = (Role.PLANNER, Role.COORDINATOR)
ALERT_DECIDER_ROLES = (Role.COORDINATOR,)


def plans_readable_by(user: User) -> QuerySet[ContingencyPlan]:
    plans = ContingencyPlan.objects.all()
    if user.has_role(Role.COORDINATOR):
        return plans
    if user.has_role(Role.PLANNER) and user.organisation_id is not None:
        own = Q(organisation_id=user.organisation_id)
        partner = Q(roles__organisation_id=user.organisation_id)
        return plans.filter(own | partner).distinct()
    return plans.none()


def plans_editable_by(user: User) -> QuerySet[ContingencyPlan]:
    if user.has_role(*PLAN_EDITOR_ROLES) and user.organisation_id is not None:
        return ContingencyPlan.objects.filter(organisation_id=user.organisation_id)
    return ContingencyPlan.objects.none()


def may_edit(user: User, plan: ContingencyPlan) -> bool:
    return user.has_role(*PLAN_EDITOR_ROLES) and plan.organisation_id == user.organisation_id


def may_enter_readings(user: User, plan: ContingencyPlan) -> bool:
    return user.has_role(Role.COORDINATOR) or may_edit(user, plan)
