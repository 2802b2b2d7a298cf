"""Preparedness API: contingency plans, their scenarios and results, the PDF, readings and alerts.

Planners write their organisation's plans; coordinators read every plan and decide alerts. Reading
the alerts checks the triggers of the plans the reader may see first (decision 0018), so the list
is current; the check is idempotent and raises at most one alert per plan, metric and day.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router, Status

from hbm.core.errors import NotFound
from hbm.core.http import actor_from_request
from hbm.core.schemas import ErrorOut
from hbm.preparedness.access import may_edit, plans_readable_by
from hbm.preparedness.alerts import TriggerCheck, alert_decide, triggers_check
from hbm.preparedness.computing import ScenarioData, StageData
from hbm.preparedness.enums import ENTERED_METRICS, METRIC_UNITS, AlertDecision, ScenarioKind, TriggerMetric
from hbm.preparedness.models import ContingencyPlan, PlanAlert, PlanReading, PlanScenario, ScenarioResult
from hbm.preparedness.pdf import plan_pdf
from hbm.preparedness.rosters import RosterComparison, RosterData, estimate_figures, rosters_compare
from hbm.preparedness.schemas import (
    AlertOut,
    AlertsOut,
    ComputeIn,
    DecisionIn,
    PlanIn,
    PlanOut,
    PlanSummaryOut,
    ReadingIn,
    ReadingOut,
    ResultOut,
    RostersIn,
    RostersOut,
    ScenarioIn,
    ScenarioOut,
)
from hbm.preparedness.selectors import (
    access_alert,
    access_plan,
    access_plan_for_editing,
    alerts_list,
    plan_scenario,
    plan_scenarios,
    plans_list,
    scenario_latest_result,
)
from hbm.preparedness.services import (
    PlanData,
    RoleData,
    TriggerData,
    plan_create,
    plan_update,
    reading_enter,
    scenario_compute,
    scenario_save,
)

router = Router(tags=["preparedness"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
CLUSTER_ERRORS = {**ERRORS, 503: ErrorOut}
PDF_RESPONSE = {
    "responses": {
        200: {
            "description": "the plan as a PDF, in the language of the request (Accept-Language)",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


def plan_summary_out(plan: ContingencyPlan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "title": plan.title,
        "status": plan.status,
        "crossing_point_id": plan.crossing_point_id,
        "crossing_point_name": plan.crossing_point.name,
        "organisation_name": plan.organisation.name,
        "version": plan.version,
        "updated_at": plan.updated_at,
    }


def scenario_out(scenario: PlanScenario) -> dict[str, Any]:
    latest = scenario_latest_result(scenario=scenario)
    return {
        "kind": scenario.kind,
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
        "latest_result_id": latest.pk if latest else None,
        "updated_at": scenario.updated_at,
    }


def plan_out(plan: ContingencyPlan, request: HttpRequest) -> dict[str, Any]:
    return {
        **plan_summary_out(plan),
        "summary": plan.summary,
        "target_p90_wait_minutes": plan.target_p90_wait_minutes,
        "figures_overlay": plan.figures_overlay,
        "may_edit": may_edit(actor_from_request(request).user, plan),
        "roles": [
            {
                "organisation_id": r.organisation_id,
                "organisation_name": r.organisation.name,
                "responsibilities": r.responsibilities,
            }
            for r in plan.roles.select_related("organisation")
        ],
        "triggers": [
            {
                "metric": t.metric,
                "threshold": t.threshold,
                "unit": METRIC_UNITS[TriggerMetric(t.metric)],
                "evaluated_from": "reading" if t.metric in ENTERED_METRICS else "registrations",
            }
            for t in plan.triggers.order_by("metric")
        ],
        "scenarios": [scenario_out(s) for s in plan_scenarios(plan=plan).values()],
    }


def result_out(result: ScenarioResult) -> dict[str, Any]:
    return {
        "id": result.pk,
        "kind": result.scenario.kind,
        "computed_at": result.created_at,
        "engine_version": result.engine_version,
        "seed": result.seed,
        "replications": result.replications,
        "plan_version": result.plan_version,
        "seconds": result.seconds,
        "inputs": result.inputs,
        "figures": result.figures,
    }


def alert_out(alert: PlanAlert) -> dict[str, Any]:
    return {
        "id": alert.pk,
        "plan_id": alert.plan_id,
        "plan_title": alert.plan.title,
        "crossing_point_id": alert.crossing_point_id,
        "crossing_point_name": alert.crossing_point.name,
        "crossing_point_mode": alert.crossing_point.mode,
        "metric": alert.metric,
        "threshold": alert.threshold,
        "value": alert.value,
        "unit": alert.unit,
        "day": alert.day,
        "source": alert.source,
        "status": alert.status,
        "raised_at": alert.created_at,
        "decided_by": alert.decided_by.get_username() if alert.decided_by else None,
        "decided_at": alert.decided_at,
        "reason": alert.reason,
        "mode_decision_id": alert.mode_decision_id,
    }


def check_out(check: TriggerCheck) -> dict[str, Any]:
    return {
        "plan_id": check.plan.pk,
        "metric": check.metric,
        "threshold": check.threshold,
        "unit": check.unit,
        "value": check.value,
        "source": check.source,
        "observed_at": check.observed_at,
        "state": check.state,
        "alert_id": check.alert.pk if check.alert else None,
    }


def plan_data(payload: PlanIn) -> PlanData:
    return PlanData(
        crossing_point_id=payload.crossing_point_id,
        title=payload.title,
        summary=payload.summary,
        status=payload.status,
        target_p90_wait_minutes=payload.target_p90_wait_minutes,
        figures_overlay=payload.figures_overlay,
        roles=tuple(RoleData(r.organisation_id, r.responsibilities) for r in payload.roles),
        triggers=tuple(TriggerData(t.metric, t.threshold) for t in payload.triggers),
    )


def scenario_data(payload: ScenarioIn) -> ScenarioData:
    return ScenarioData(
        arrivals_per_day=tuple(payload.arrivals_per_day),
        stages=tuple(StageData(s.kind, tuple(s.servers), s.mean_minutes) for s in payload.stages),
        hourly_pattern=tuple(payload.hourly_pattern),
        group_sizes=tuple(payload.group_sizes),
        specific_needs_share=payload.specific_needs_share,
        demographics=payload.demographics.model_dump(),
        shift_hours=payload.shift_hours,
        shift_start_hour=payload.shift_start_hour,
        waiting_area_capacity=payload.waiting_area_capacity,
        average_stay_days=payload.average_stay_days,
        initial_phase_days=payload.initial_phase_days,
    )


@router.get("/plans", response={200: list[PlanSummaryOut], **ERRORS})
def plan_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The plans of the reader's organisation and those naming it in a role (all for a coordinator)."""
    return [plan_summary_out(p) for p in plans_list(user=actor_from_request(request).user)]


@router.post("/plans", response={201: PlanOut, **ERRORS})
def plan_new(request: HttpRequest, payload: PlanIn) -> Status[dict[str, Any]]:
    plan = plan_create(actor=actor_from_request(request), data=plan_data(payload))
    return Status(201, plan_out(plan, request))


@router.get("/plans/{plan_id}", response={200: PlanOut, **ERRORS})
def plan_detail(request: HttpRequest, plan_id: UUID) -> dict[str, Any]:
    return plan_out(access_plan(user=actor_from_request(request).user, plan_id=plan_id), request)


@router.put("/plans/{plan_id}", response={200: PlanOut, **ERRORS})
def plan_change(request: HttpRequest, plan_id: UUID, payload: PlanIn) -> dict[str, Any]:
    """Replace the plan's text, status, target, roles and triggers; its scenarios stay."""
    actor = actor_from_request(request)
    access_plan_for_editing(user=actor.user, plan_id=plan_id)
    return plan_out(plan_update(actor=actor, plan_id=plan_id, data=plan_data(payload)), request)


@router.put("/plans/{plan_id}/scenarios/{kind}", response={200: ScenarioOut, **ERRORS})
def scenario_change(
    request: HttpRequest, plan_id: UUID, kind: ScenarioKind, payload: ScenarioIn
) -> dict[str, Any]:
    """Create or replace a scenario. An impossible one is refused naming the field; a surge beyond
    capacity is accepted, and its result reports the backlog."""
    actor = actor_from_request(request)
    plan = access_plan_for_editing(user=actor.user, plan_id=plan_id)
    return scenario_out(scenario_save(actor=actor, plan_id=plan.pk, kind=kind, data=scenario_data(payload)))


@router.post("/plans/{plan_id}/scenarios/{kind}/results", response={201: ResultOut, **ERRORS})
def scenario_result_new(
    request: HttpRequest, plan_id: UUID, kind: ScenarioKind, payload: ComputeIn
) -> Status[dict[str, Any]]:
    """Compute the scenario now (replications, staffing, requirements) and store the figures. A
    scenario too large to compute while the request waits is refused with the command to run."""
    actor = actor_from_request(request)
    plan = access_plan_for_editing(user=actor.user, plan_id=plan_id)
    scenario = plan_scenario(plan=plan, kind=kind)
    return Status(201, result_out(scenario_compute(actor=actor, scenario=scenario, seed=payload.seed)))


@router.get("/plans/{plan_id}/scenarios/{kind}/results/latest", response={200: ResultOut, **ERRORS})
def scenario_result_latest(request: HttpRequest, plan_id: UUID, kind: ScenarioKind) -> dict[str, Any]:
    plan = access_plan(user=actor_from_request(request).user, plan_id=plan_id)
    result = scenario_latest_result(scenario=plan_scenario(plan=plan, kind=kind))
    if result is None:
        raise NotFound(_("this scenario has not been computed yet"))
    return result_out(result)


@router.post("/plans/{plan_id}/scenarios/{kind}/rosters", response={200: RostersOut, **CLUSTER_ERRORS})
def scenario_rosters(
    request: HttpRequest, plan_id: UUID, kind: ScenarioKind, payload: RostersIn
) -> dict[str, Any]:
    """Compare staffing rosters on this scenario: every roster meets the same simulated people,
    replicated, on Dask (``HBM_DASK_SCHEDULER``, or a local cluster). Nothing is stored; the seed
    reproduces the figures. Readers of the plan may ask; a request is bounded in size."""
    comparison = rosters_compare(
        user=actor_from_request(request).user,
        plan_id=plan_id,
        kind=kind,
        rosters=[RosterData(name=r.name, servers=r.servers) for r in payload.rosters],
        replications=payload.replications,
        seed=payload.seed,
    )
    return rosters_out(comparison)


def rosters_out(comparison: RosterComparison) -> dict[str, Any]:
    result = comparison.result
    return {
        "plan_id": comparison.plan.pk,
        "kind": comparison.scenario.kind,
        "seed": result.seed,
        "replications": result.replications,
        "confidence": result.confidence,
        "scheduler": result.scheduler,
        "workers": result.workers,
        "seconds": round(result.seconds, 3),
        "rows": [
            {
                "roster": row.staffing,
                "mean_wait_minutes": estimate_figures(row.mean_wait),
                "p90_wait_minutes": estimate_figures(row.p90_wait),
                "backlog_persons": estimate_figures(row.backlog),
                "throughput_per_day": estimate_figures(row.throughput_per_day),
                "overloaded_replications": row.overloaded,
            }
            for row in result.rows
        ],
    }


@router.get("/plans/{plan_id}/pdf", response={200: None, **ERRORS}, openapi_extra=PDF_RESPONSE)
def plan_export(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    """The plan with its latest results and charts as a PDF in the request's language."""
    plan = access_plan(user=actor_from_request(request).user, plan_id=plan_id)
    response = HttpResponse(plan_pdf_bytes(plan), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="plan-{plan.crossing_point.code}-{plan.version}.pdf"'
    )
    return response


def plan_pdf_bytes(plan: ContingencyPlan) -> bytes:
    results = {kind: (s, scenario_latest_result(scenario=s)) for kind, s in plan_scenarios(plan=plan).items()}
    return plan_pdf(plan, results, language=get_language() or "en")


@router.post("/plans/{plan_id}/readings", response={201: ReadingOut, **ERRORS})
def reading_new(request: HttpRequest, plan_id: UUID, payload: ReadingIn) -> Status[dict[str, Any]]:
    """A waiting time (minutes) or reception occupancy (percent) observed at the crossing point;
    the plan's triggers are checked at once."""
    actor = actor_from_request(request)
    plan = access_plan(user=actor.user, plan_id=plan_id)
    reading: PlanReading = reading_enter(
        actor=actor, plan=plan, metric=payload.metric, value=payload.value, observed_at=payload.observed_at
    )
    triggers_check(plans=[plan], checked_by=actor.user.get_username())
    return Status(
        201,
        {
            "id": reading.pk,
            "metric": reading.metric,
            "value": reading.value,
            "observed_at": reading.observed_at,
            "entered_by": actor.user.get_username(),
        },
    )


@router.get("/alerts", response={200: AlertsOut, **ERRORS})
def alert_list(request: HttpRequest) -> dict[str, Any]:
    """Checks the triggers of the active plans the reader may see (raising the day's alert where
    one is crossed, once), then lists their alerts, open ones first."""
    user = actor_from_request(request).user
    alerts = alerts_list(user=user)
    checks = triggers_check(plans=plans_readable_by(user), checked_by=user.get_username())
    return {"checks": [check_out(c) for c in checks], "alerts": [alert_out(a) for a in alerts]}


@router.post("/alerts/{alert_id}/decide", response={200: AlertOut, **ERRORS})
def alert_decision(request: HttpRequest, alert_id: UUID, payload: DecisionIn) -> dict[str, Any]:
    """Switch the crossing point to emergency mode (recorded as its mode decision) or dismiss."""
    actor = actor_from_request(request)
    access_alert(user=actor.user, alert_id=alert_id)
    alert = alert_decide(
        actor=actor, alert_id=alert_id, decision=AlertDecision(payload.decision), reason=payload.reason
    )
    return alert_out(
        PlanAlert.objects.select_related("plan", "crossing_point", "decided_by").get(pk=alert.pk)
    )
