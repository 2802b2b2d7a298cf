"""Writes of the preparedness app: plans with roles and triggers, scenarios, computed results and
entered readings. Each is one transaction with its audit entry; a refusal names the field and
leaves nothing written."""

from __future__ import annotations

import math
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from hbm.accounts.models import Organisation
from hbm.audit.enums import AuditEvent
from hbm.audit.services import audit_record
from hbm.core.context import Actor
from hbm.core.errors import PermissionDenied, ValidationFailed
from hbm.core.time import now
from hbm.crossings.models import CrossingPoint
from hbm.preparedness.access import PLAN_EDITOR_ROLES, may_edit, may_enter_readings
from hbm.preparedness.computing import (
    MAX_PERSON_REPLICATIONS_IN_REQUEST,
    REPLICATIONS,
    ScenarioData,
    engine_version,
    person_replications,
    planning_figures,
    scenario_check,
    scenario_figures,
)
from hbm.preparedness.enums import ENTERED_METRICS, PlanStatus, ScenarioKind, TriggerMetric
from hbm.preparedness.models import (
    ContingencyPlan,
    PlanReading,
    PlanRole,
    PlanScenario,
    PlanTrigger,
    ScenarioResult,
)

MAX_ROLES = 30
MAX_TITLE = 200
MAX_TARGET_MINUTES = 1440.0
# A threshold beyond these is a typing mistake, not a plan: a million arrivals a day at one
# crossing point, a week of waiting, ten times a reception site's capacity.
THRESHOLD_LIMITS = {
    TriggerMetric.ARRIVALS_PER_DAY: 1_000_000.0,
    TriggerMetric.WAITING_TIME: 10_080.0,
    TriggerMetric.RECEPTION_OCCUPANCY: 1_000.0,
}
READING_CLOCK_SKEW = timedelta(minutes=5)
DEFAULT_SEED = 1


@dataclass(frozen=True, slots=True)
class RoleData:
    organisation_id: uuid.UUID
    responsibilities: str


@dataclass(frozen=True, slots=True)
class TriggerData:
    metric: TriggerMetric
    threshold: float


@dataclass(frozen=True, slots=True)
class PlanData:
    """A plan as entered: what it is for, the organisations' roles and the triggers."""

    crossing_point_id: uuid.UUID
    title: str
    summary: str = ""
    status: PlanStatus = PlanStatus.DRAFT
    target_p90_wait_minutes: float = 30.0
    figures_overlay: str = ""
    roles: tuple[RoleData, ...] = ()
    triggers: tuple[TriggerData, ...] = ()


def _editor_check(actor: Actor) -> Organisation:
    user = actor.user
    if not user.has_role(*PLAN_EDITOR_ROLES):
        raise PermissionDenied(_("only a planner writes contingency plans"))
    if user.organisation is None:
        raise PermissionDenied(_("a planner writes plans for an organisation: you have none"))
    return user.organisation


def _plan_check(data: PlanData) -> tuple[CrossingPoint, list[Organisation]]:
    if not data.title.strip():
        raise ValidationFailed.on("title", _("give the plan a title"))
    if len(data.title.strip()) > MAX_TITLE:
        raise ValidationFailed.on("title", _("at most %(count)s characters") % {"count": MAX_TITLE})
    point = CrossingPoint.objects.filter(pk=data.crossing_point_id).first()
    if point is None:
        raise ValidationFailed.on("crossing_point_id", _("no such crossing point"))
    if data.status not in PlanStatus.values:
        raise ValidationFailed.on("status", _("not a known status"))
    target = data.target_p90_wait_minutes
    if isinstance(target, bool) or not math.isfinite(target) or not 0 < target <= MAX_TARGET_MINUTES:
        raise ValidationFailed.on(
            "target_p90_wait_minutes", _("a wait of more than 0 and at most 1440 minutes (a day)")
        )
    planning_figures(data.figures_overlay)
    return point, _roles_check(data.roles)


def _roles_check(roles: tuple[RoleData, ...]) -> list[Organisation]:
    if len(roles) > MAX_ROLES:
        raise ValidationFailed.on("roles", _("at most %(count)s roles") % {"count": MAX_ROLES})
    found = {o.pk: o for o in Organisation.objects.filter(pk__in=[r.organisation_id for r in roles])}
    organisations = []
    for index, role in enumerate(roles):
        organisation = found.get(role.organisation_id)
        if organisation is None:
            raise ValidationFailed.on(f"roles.{index}.organisation_id", _("no such organisation"))
        if organisation in organisations:
            raise ValidationFailed.on(
                f"roles.{index}.organisation_id", _("this organisation already has a role in the plan")
            )
        if not role.responsibilities.strip():
            raise ValidationFailed.on(f"roles.{index}.responsibilities", _("say what this organisation does"))
        organisations.append(organisation)
    return organisations


def _triggers_check(triggers: tuple[TriggerData, ...]) -> None:
    seen: set[str] = set()
    for index, trigger in enumerate(triggers):
        if trigger.metric not in TriggerMetric.values:
            raise ValidationFailed.on(f"triggers.{index}.metric", _("not a known metric"))
        metric = TriggerMetric(trigger.metric)
        if metric in seen:
            raise ValidationFailed.on(f"triggers.{index}.metric", _("one trigger per metric"))
        seen.add(metric)
        value, limit = trigger.threshold, THRESHOLD_LIMITS[metric]
        if isinstance(value, bool) or not math.isfinite(value) or not 0 < value <= limit:
            raise ValidationFailed.on(
                f"triggers.{index}.threshold",
                _("a threshold above 0 and at most %(limit)s") % {"limit": f"{limit:g}"},
            )


def _parts_write(plan: ContingencyPlan, data: PlanData, organisations: list[Organisation]) -> None:
    plan.roles.all().delete()
    PlanRole.objects.bulk_create(
        PlanRole(
            plan=plan, organisation=organisation, responsibilities=role.responsibilities.strip(), position=i
        )
        for i, (role, organisation) in enumerate(zip(data.roles, organisations, strict=True))
    )
    plan.triggers.all().delete()
    PlanTrigger.objects.bulk_create(
        PlanTrigger(plan=plan, metric=t.metric, threshold=float(t.threshold)) for t in data.triggers
    )


def _detail(plan: ContingencyPlan, data: PlanData, **extra: Any) -> dict[str, Any]:
    return {
        "crossing_point": str(plan.crossing_point_id),
        "status": str(data.status),
        "version": plan.version,
        "roles": [str(r.organisation_id) for r in data.roles],
        "triggers": {str(t.metric): t.threshold for t in data.triggers},
        **extra,
    }


def plan_create(*, actor: Actor, data: PlanData) -> ContingencyPlan:
    """A new plan of the actor's organisation. Raises :class:`ValidationFailed` naming the field,
    :class:`PermissionDenied` for a role that does not plan."""
    organisation = _editor_check(actor)
    point, organisations = _plan_check(data)
    _triggers_check(data.triggers)
    with transaction.atomic():
        plan = ContingencyPlan.objects.create(
            crossing_point=point,
            organisation=organisation,
            title=data.title.strip(),
            summary=data.summary.strip(),
            status=data.status,
            target_p90_wait_minutes=float(data.target_p90_wait_minutes),
            figures_overlay=data.figures_overlay,
            created_by=actor.user,
            updated_by=actor.user,
        )
        _parts_write(plan, data, organisations)
        audit_record(actor=actor, event=AuditEvent.PLAN_CREATED, subject=plan, detail=_detail(plan, data))
    return plan


def _locked_for_editing(actor: Actor, plan_id: uuid.UUID) -> ContingencyPlan:
    organisation = _editor_check(actor)
    plan = ContingencyPlan.objects.select_for_update().filter(pk=plan_id, organisation=organisation).first()
    if plan is None:
        raise PermissionDenied(_("only a planner of the plan's organisation changes it"))
    return plan


def _version_bump(plan: ContingencyPlan, actor: Actor) -> None:
    plan.version += 1
    plan.updated_by = actor.user
    plan.save(update_fields=["version", "updated_by", "updated_at"])


def plan_update(*, actor: Actor, plan_id: uuid.UUID, data: PlanData) -> ContingencyPlan:
    """Replace a plan's text, status, target, roles and triggers (its scenarios stay)."""
    point, organisations = _plan_check(data)
    _triggers_check(data.triggers)
    with transaction.atomic():
        plan = _locked_for_editing(actor, plan_id)
        plan.crossing_point = point
        plan.title, plan.summary = data.title.strip(), data.summary.strip()
        plan.status = data.status
        plan.target_p90_wait_minutes = float(data.target_p90_wait_minutes)
        plan.figures_overlay = data.figures_overlay
        plan.save()
        _parts_write(plan, data, organisations)
        _version_bump(plan, actor)
        audit_record(
            actor=actor,
            event=AuditEvent.PLAN_UPDATED,
            subject=plan,
            detail=_detail(plan, data, changed="plan"),
        )
    return plan


def scenario_save(
    *, actor: Actor, plan_id: uuid.UUID, kind: ScenarioKind, data: ScenarioData
) -> PlanScenario:
    """Create or replace the plan's scenario of ``kind``. An impossible scenario (negative rates, a
    used stage with no officer, …) is refused naming the field; a scenario beyond capacity is
    accepted: its result says how large the backlog grows."""
    if kind not in ScenarioKind.values:
        raise ValidationFailed.on("kind", _("best, most_likely or worst"))
    scenario_check(data)
    stored = data.as_json()
    fields = {name: stored[name] for name in stored}
    with transaction.atomic():
        plan = _locked_for_editing(actor, plan_id)
        scenario, _created = PlanScenario.objects.update_or_create(plan=plan, kind=kind, defaults=fields)
        _version_bump(plan, actor)
        audit_record(
            actor=actor,
            event=AuditEvent.PLAN_UPDATED,
            subject=plan,
            detail={"changed": f"scenario:{kind}", "version": plan.version},
        )
    return scenario


def scenario_data_of(scenario: PlanScenario) -> ScenarioData:
    return ScenarioData.from_json(
        {
            "arrivals_per_day": scenario.arrivals_per_day,
            "stages": scenario.stages,
            "hourly_pattern": scenario.hourly_pattern,
            "group_sizes": scenario.group_sizes,
            "specific_needs_share": scenario.specific_needs_share,
            "demographics": scenario.demographics,
            "shift_hours": scenario.shift_hours,
            "shift_start_hour": scenario.shift_start_hour,
            "waiting_area_capacity": scenario.waiting_area_capacity,
            "average_stay_days": scenario.average_stay_days,
            "initial_phase_days": scenario.initial_phase_days,
        }
    )


def scenario_compute(
    *,
    actor: Actor | None,
    scenario: PlanScenario,
    seed: int = DEFAULT_SEED,
    bounded: bool = True,
) -> ScenarioResult:
    """Simulate, staff and size a scenario and store the figures with what reproduces them.

    ``bounded`` (every web and API request): a scenario larger than
    ``MAX_PERSON_REPLICATIONS_IN_REQUEST`` is refused with the command that computes it
    (``hbm plans compute``), so no request runs for long. ``actor`` is ``None`` on the command line.
    The computation runs outside any transaction; the result and its audit entry are one write."""
    plan = scenario.plan
    if actor is not None and not may_edit(actor.user, plan):
        raise PermissionDenied(_("only a planner of the plan's organisation computes its results"))
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
        raise ValidationFailed.on("seed", _("a whole number from 0"))
    data = scenario_data_of(scenario)
    size = person_replications(data)
    if bounded and size > MAX_PERSON_REPLICATIONS_IN_REQUEST:
        raise ValidationFailed.on(
            "arrivals_per_day",
            _(
                "%(persons)s persons × %(replications)s replications is too large to compute while you "
                "wait (at most %(limit)s); run: hbm plans compute %(plan)s --scenario %(kind)s"
            )
            % {
                "persons": f"{size / REPLICATIONS:,.0f}",
                "replications": REPLICATIONS,
                "limit": f"{MAX_PERSON_REPLICATIONS_IN_REQUEST:,}",
                "plan": plan.pk,
                "kind": scenario.kind,
            },
        )
    started = time.perf_counter()
    figures = scenario_figures(
        data, target_p90_wait=plan.target_p90_wait_minutes, overlay=plan.figures_overlay, seed=seed
    )
    seconds = time.perf_counter() - started
    with transaction.atomic():
        result = ScenarioResult.objects.create(
            scenario=scenario,
            computed_by=actor.user if actor else None,
            engine_version=engine_version(),
            seed=seed,
            replications=REPLICATIONS,
            plan_version=plan.version,
            inputs={
                **data.as_json(),
                "target_p90_wait_minutes": plan.target_p90_wait_minutes,
                "figures_overlay": plan.figures_overlay,
            },
            figures=figures,
            seconds=round(seconds, 3),
        )
        audit_record(
            actor=actor,
            event=AuditEvent.PLAN_UPDATED,
            subject=plan,
            detail={"changed": f"result:{scenario.kind}", "result": str(result.pk), "seed": seed},
        )
    return result


def reading_enter(
    *,
    actor: Actor,
    plan: ContingencyPlan,
    metric: TriggerMetric,
    value: float,
    observed_at: datetime | None = None,
) -> PlanReading:
    """A figure HBM does not measure, entered by a coordinator or the plan's planner: the waiting
    time (minutes) or the reception occupancy (% of capacity) at the plan's crossing point."""
    if not may_enter_readings(actor.user, plan):
        raise PermissionDenied(_("only a coordinator or the plan's planners enter readings"))
    if metric not in ENTERED_METRICS:
        raise ValidationFailed.on(
            "metric", _("HBM counts arrivals from registrations: only waiting time and occupancy are entered")
        )
    limit = THRESHOLD_LIMITS[TriggerMetric(metric)]
    if isinstance(value, bool) or not math.isfinite(value) or not 0 <= value <= limit:
        raise ValidationFailed.on("value", _("a figure from 0 to %(limit)s") % {"limit": f"{limit:g}"})
    moment = now()
    observed = observed_at or moment
    if observed > moment + READING_CLOCK_SKEW:
        raise ValidationFailed.on("observed_at", _("a reading cannot be from the future"))
    with transaction.atomic():
        reading = PlanReading.objects.create(
            plan=plan, metric=metric, value=float(value), observed_at=observed, entered_by=actor.user
        )
        audit_record(
            actor=actor,
            event=AuditEvent.PLAN_UPDATED,
            subject=plan,
            detail={"changed": f"reading:{metric}", "reading": str(reading.pk)},
        )
    return reading
