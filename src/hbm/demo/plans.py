"""The demo's contingency plan for Palanca: three scenarios (best, most likely, worst) computed with
a fixed seed, the organisations' roles, and triggers. Written by the UN agency's planner, so the
demo shows a plan with its figures, charts and PDF the moment it is loaded. Palanca is already in
emergency mode in the demo, so its triggers read "already in emergency mode" on the alerts page."""

from __future__ import annotations

from hbm.accounts.enums import Role
from hbm.accounts.models import Organisation, User
from hbm.core.context import Actor
from hbm.crossings.models import CrossingPoint
from hbm.demo.users import (
    BORDER_POLICE,
    CHILD_PROTECTION_NGO,
    DEMO_USERS,
    HEALTH_MINISTRY,
    LOCAL_GOVERNMENT,
    UN_AGENCY,
)
from hbm.preparedness.computing import ScenarioData, StageData
from hbm.preparedness.enums import PlanStatus, ScenarioKind, TriggerMetric
from hbm.preparedness.selectors import plan_scenarios
from hbm.preparedness.services import (
    PlanData,
    RoleData,
    TriggerData,
    plan_create,
    scenario_compute,
    scenario_save,
)

DEMO_SEED = 2026
ROLES = (
    (BORDER_POLICE, "Opens the emergency lanes; counts, pre-registers and registers arrivals; runs triage."),
    (HEALTH_MINISTRY, "Health screening at the crossing point; a medical post in the reception site."),
    (CHILD_PROTECTION_NGO, "Protection screening of unaccompanied and separated children; safe space."),
    (LOCAL_GOVERNMENT, "Reception site at the district sports hall: beds, water, food, sanitation."),
    (UN_AGENCY, "Plan owner; registration kits and biometrics; coordination with partners."),
)


def _stages(
    triage: int, registration: tuple[int, int, int], biometrics: tuple[int, int, int]
) -> tuple[StageData, ...]:
    return (
        StageData("triage", (triage, triage, 1)),
        StageData("group_pre_registration", (2, 2, 1)),
        StageData("individual_registration", registration),
        StageData("biometrics", biometrics),
        StageData("protection_screening", (3, 3, 1)),
    )


SCENARIOS = {
    ScenarioKind.BEST: ScenarioData(
        arrivals_per_day=(800, 1200, 1500, 1200, 900, 700, 600),
        stages=_stages(2, (6, 6, 2), (4, 4, 1)),
        waiting_area_capacity=400,
        average_stay_days=1.5,
    ),
    ScenarioKind.MOST_LIKELY: ScenarioData(
        arrivals_per_day=(1200, 2000, 3000, 3500, 3000, 2500, 2000, 1500, 1200, 1000),
        stages=_stages(2, (10, 9, 3), (6, 6, 2)),
        waiting_area_capacity=400,
        average_stay_days=2.0,
        initial_phase_days=7,
    ),
    ScenarioKind.WORST: ScenarioData(
        arrivals_per_day=(2000, 3500, 5000, 6000, 6000, 5000, 4000, 3500, 3000, 2500),
        stages=_stages(3, (12, 10, 3), (8, 7, 2)),
        waiting_area_capacity=400,
        specific_needs_share=0.08,
        average_stay_days=3.0,
        initial_phase_days=7,
    ),
}


def demo_plans_create(*, users: dict[str, User], point: CrossingPoint) -> int:
    """Write, fill and compute the demo plan as its planner would; returns how many plans."""
    planner = next(users[u.username] for u in DEMO_USERS if u.role == Role.PLANNER)
    actor = Actor(user=planner, device="demo")
    organisations = {o.name: o for o in Organisation.objects.filter(name__in=[name for name, _ in ROLES])}
    plan = plan_create(
        actor=actor,
        data=PlanData(
            crossing_point_id=point.pk,
            title="Palanca: mass arrival from Ukraine",
            summary=(
                "A surge of people fleeing the war in Ukraine through the Palanca road crossing, "
                "planned with the border police, the health ministry, child protection and the district."
            ),
            status=PlanStatus.ACTIVE,
            target_p90_wait_minutes=30.0,
            roles=tuple(RoleData(organisations[name].pk, text) for name, text in ROLES),
            triggers=(
                TriggerData(TriggerMetric.ARRIVALS_PER_DAY, 2000),
                TriggerData(TriggerMetric.WAITING_TIME, 120),
                TriggerData(TriggerMetric.RECEPTION_OCCUPANCY, 85),
            ),
        ),
    )
    for kind, data in SCENARIOS.items():
        scenario_save(actor=actor, plan_id=plan.pk, kind=kind, data=data)
    plan.refresh_from_db()
    for scenario in plan_scenarios(plan=plan).values():
        scenario_compute(actor=actor, scenario=scenario, seed=DEMO_SEED)
    return 1
