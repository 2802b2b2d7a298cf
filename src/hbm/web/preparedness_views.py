"""The planner's pages: contingency plans, scenarios, results with charts, the PDF; and the
alerts page where a coordinator decides. Views call the preparedness services and selectors."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hbm.core.errors import Conflict, HbmError, NotFound, PermissionDenied, ValidationFailed
from hbm.core.http import actor_from_request
from hbm.preparedness.access import (
    ALERT_DECIDER_ROLES,
    PLAN_EDITOR_ROLES,
    may_edit,
    may_enter_readings,
    plans_readable_by,
)
from hbm.preparedness.alerts import alert_decide, triggers_check
from hbm.preparedness.enums import (
    ENTERED_METRICS,
    METRIC_UNITS,
    UNIT_LABELS,
    AlertDecision,
    AlertStatus,
    ScenarioKind,
    TriggerMetric,
)
from hbm.preparedness.models import ContingencyPlan
from hbm.preparedness.pdf import plan_pdf
from hbm.preparedness.report import scenario_report, scenarios_compared
from hbm.preparedness.rosters import ClusterUnavailable, RosterData, rosters_chart, rosters_compare
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
    plan_create,
    plan_update,
    reading_enter,
    scenario_compute,
    scenario_data_of,
    scenario_save,
)
from hbm.web.pages import officer_page, page, user_of
from hbm.web.preparedness_forms import (
    AlertDecisionForm,
    PlanForm,
    ReadingForm,
    RoleFormSet,
    RostersForm,
    ScenarioForm,
    plan_errors_apply,
    roles_of,
    scenario_errors_apply,
)


def _kind(kind: str) -> ScenarioKind:
    if kind not in ScenarioKind.values:
        raise NotFound(_("no such scenario"))
    return ScenarioKind(kind)


@officer_page
@require_GET
def plans(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    return page(
        request,
        "web/preparedness_plans.html",
        {"plans": plans_list(user=user), "may_create": user.has_role(*PLAN_EDITOR_ROLES)},
    )


@officer_page
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest) -> HttpResponse:
    if not user_of(request).has_role(*PLAN_EDITOR_ROLES):
        raise PermissionDenied(_("only a planner writes contingency plans"))
    return _plan_form(request, None)


@officer_page
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    return _plan_form(request, access_plan_for_editing(user=user_of(request), plan_id=plan_id))


def _plan_form(request: HttpRequest, plan: ContingencyPlan | None) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form, roles = PlanForm(request.POST), RoleFormSet(request.POST, prefix="roles")
        status = 422
        if form.is_valid() and roles.is_valid():
            saved = _plan_save(request, form, roles, plan)
            if saved is not None:
                messages.success(request, _("Saved: %(title)s.") % {"title": saved.title})
                return redirect("web:plan", plan_id=saved.pk)
    else:
        form = PlanForm.of(plan) if plan else PlanForm()
        initial = (
            [
                {"organisation": r.organisation_id, "responsibilities": r.responsibilities}
                for r in plan.roles.all()
            ]
            if plan
            else []
        )
        roles = RoleFormSet(initial=initial, prefix="roles")
    return page(
        request,
        "web/preparedness_plan_form.html",
        {"form": form, "roles": roles, "plan": plan},
        status=status,
    )


def _plan_save(
    request: HttpRequest, form: PlanForm, roles: Any, plan: ContingencyPlan | None
) -> ContingencyPlan | None:
    role_data, role_forms = roles_of(roles)
    if any(f.errors for f in roles.forms):
        return None
    data = form.plan_data(role_data)
    actor = actor_from_request(request)
    try:
        if plan is None:
            return plan_create(actor=actor, data=data)
        return plan_update(actor=actor, plan_id=plan.pk, data=data)
    except (ValidationFailed, Conflict) as exc:
        plan_errors_apply(exc, form, role_forms, data)
        return None


def _trigger_rows(plan: ContingencyPlan) -> list[dict[str, Any]]:
    return [
        {
            "metric": TriggerMetric(t.metric).label,
            "threshold": t.threshold,
            "unit": UNIT_LABELS[METRIC_UNITS[TriggerMetric(t.metric)]],
            "entered": t.metric in ENTERED_METRICS,
        }
        for t in plan.triggers.order_by("metric")
    ]


@officer_page
@require_GET
def plan_detail(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    user = user_of(request)
    plan = access_plan(user=user, plan_id=plan_id)
    scenarios = plan_scenarios(plan=plan)
    latest = {kind: (s, scenario_latest_result(scenario=s)) for kind, s in scenarios.items()}
    compared_head, compared_rows = scenarios_compared(latest)
    rows = [
        (
            kind,
            scenarios.get(kind.value),
            scenario_latest_result(scenario=scenarios[kind.value]) if kind.value in scenarios else None,
        )
        for kind in ScenarioKind
    ]
    return page(
        request,
        "web/preparedness_plan.html",
        {
            "plan": plan,
            "roles": plan.roles.select_related("organisation"),
            "triggers": _trigger_rows(plan),
            "scenarios": rows,
            "readings": plan.readings.select_related("entered_by").order_by("-observed_at")[:10],
            "may_edit": may_edit(user, plan),
            "reading_form": ReadingForm() if may_enter_readings(user, plan) else None,
            "alerts": plan.alerts.order_by("-created_at")[:10],
            "compared_head": compared_head,
            "compared_rows": compared_rows,
        },
    )


@officer_page
@require_http_methods(["GET", "POST"])
def scenario_edit(request: HttpRequest, plan_id: UUID, kind: str) -> HttpResponse:
    plan = access_plan_for_editing(user=user_of(request), plan_id=plan_id)
    chosen = _kind(kind)
    existing = plan_scenarios(plan=plan).get(chosen.value)
    status = 200
    if request.method == "POST":
        form = ScenarioForm(request.POST)
        status = 422
        if form.is_valid():
            try:
                scenario_save(
                    actor=actor_from_request(request), plan_id=plan.pk, kind=chosen, data=form.scenario_data()
                )
            except ValidationFailed as exc:
                scenario_errors_apply(exc, form, form.route())
            else:
                messages.success(request, _("Scenario saved. Compute it to see its figures."))
                return redirect("web:plan", plan_id=plan.pk)
    else:
        form = ScenarioForm(initial=ScenarioForm.initial_of(existing))
    return page(
        request,
        "web/preparedness_scenario_form.html",
        {"form": form, "plan": plan, "kind": chosen},
        status=status,
    )


@officer_page
@require_POST
def scenario_compute_view(request: HttpRequest, plan_id: UUID, kind: str) -> HttpResponse:
    plan = access_plan_for_editing(user=user_of(request), plan_id=plan_id)
    scenario = plan_scenario(plan=plan, kind=_kind(kind).value)
    try:
        scenario_compute(actor=actor_from_request(request), scenario=scenario)
    except ValidationFailed as exc:
        messages.error(request, exc.message)
        return redirect("web:plan", plan_id=plan.pk)
    return redirect("web:plan_results", plan_id=plan.pk, kind=scenario.kind)


@officer_page
@require_GET
def scenario_results(request: HttpRequest, plan_id: UUID, kind: str) -> HttpResponse:
    plan = access_plan(user=user_of(request), plan_id=plan_id)
    scenario = plan_scenario(plan=plan, kind=_kind(kind).value)
    result = scenario_latest_result(scenario=scenario)
    if result is None:
        raise NotFound(_("this scenario has not been computed yet"))
    return page(
        request,
        "web/preparedness_results.html",
        {
            "plan": plan,
            "kind": ScenarioKind(scenario.kind),
            "report": scenario_report(scenario, result),
            "result": result,
            "stale": result.plan_version != plan.version,
        },
    )


@officer_page
@require_http_methods(["GET", "POST"])
def scenario_rosters(request: HttpRequest, plan_id: UUID, kind: str) -> HttpResponse:
    """Compare up to three rosters on the scenario (on Dask); every reader of the plan may."""
    plan = access_plan(user=user_of(request), plan_id=plan_id)
    scenario = plan_scenario(plan=plan, kind=_kind(kind).value)
    stages = scenario_data_of(scenario).stages
    comparison = None
    status = 200
    if request.method == "POST":
        form = RostersForm(request.POST, stages=stages)
        status = 422
        if form.is_valid():
            named = form.rosters()
            try:
                comparison = rosters_compare(
                    user=user_of(request),
                    plan_id=plan.pk,
                    kind=scenario.kind,
                    rosters=[RosterData(name=name, servers=servers) for _slot, name, servers in named],
                    replications=form.cleaned_data["replications"],
                )
                status = 200
            except ValidationFailed as exc:
                form.refusal_apply(exc, [slot for slot, _name, _servers in named])
            except ClusterUnavailable as exc:
                form.add_error(None, exc.message)
                status = 503
    else:
        form = RostersForm(initial=RostersForm.initial_of(stages, _("As planned")), stages=stages)
    return page(
        request,
        "web/preparedness_rosters.html",
        {
            "plan": plan,
            "kind": ScenarioKind(scenario.kind),
            "form": form,
            "comparison": comparison,
            "chart": rosters_chart(comparison) if comparison else None,
        },
        status=status,
    )


@officer_page
@require_GET
def plan_pdf_view(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    plan = access_plan(user=user_of(request), plan_id=plan_id)
    results = {kind: (s, scenario_latest_result(scenario=s)) for kind, s in plan_scenarios(plan=plan).items()}
    response = HttpResponse(
        plan_pdf(plan, results, language=get_language() or "en"), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="plan-{plan.crossing_point.code}-{plan.version}.pdf"'
    return response


@officer_page
@require_POST
def reading_new(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    actor = actor_from_request(request)
    plan = access_plan(user=actor.user, plan_id=plan_id)
    form = ReadingForm(request.POST)
    if form.is_valid():
        try:
            reading_enter(
                actor=actor,
                plan=plan,
                metric=TriggerMetric(form.cleaned_data["metric"]),
                value=form.cleaned_data["value"],
            )
        except ValidationFailed as exc:
            messages.error(request, exc.message)
        else:
            crossed = [
                c for c in triggers_check(plans=[plan], checked_by=actor.user.get_username()) if c.raised
            ]
            messages.success(request, _("Reading saved."))
            if crossed:
                messages.warning(
                    request, _("A trigger is crossed: an alert was raised for the coordinators.")
                )
    else:
        messages.error(request, _("Give a figure and a number."))
    return redirect("web:plan", plan_id=plan.pk)


STATE_LABELS = {
    "crossed": _("crossed"),
    "below": _("below the threshold"),
    "no_figure": _("no recent figure: enter one"),
    "emergency": _("already in emergency mode"),
}


@officer_page
@require_GET
def alerts(request: HttpRequest) -> HttpResponse:
    """The triggers of the plans the reader may see, checked now (raising the day's alert once),
    and the alerts: open ones first, each with the coordinator's decision form."""
    user = user_of(request)
    listed = alerts_list(user=user)
    checks = triggers_check(plans=plans_readable_by(user), checked_by=user.get_username())
    return page(
        request,
        "web/preparedness_alerts.html",
        {
            "checks": [
                {
                    "check": c,
                    "metric": c.metric.label,
                    "unit": UNIT_LABELS[c.unit],
                    "state": STATE_LABELS[c.state],
                }
                for c in checks
            ],
            "alerts": [(a, TriggerMetric(a.metric).label, UNIT_LABELS[a.unit]) for a in listed],
            "may_decide": user.has_role(*ALERT_DECIDER_ROLES),
            "decision_form": AlertDecisionForm(),
            "open_status": AlertStatus.OPEN,
        },
    )


@officer_page
@require_POST
def alert_decide_view(request: HttpRequest, alert_id: UUID) -> HttpResponse:
    actor = actor_from_request(request)
    alert = access_alert(user=actor.user, alert_id=alert_id)
    form = AlertDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision and give its reason (at least 10 characters)."))
        return redirect("web:plan_alerts")
    try:
        decided = alert_decide(
            actor=actor,
            alert_id=alert.pk,
            decision=AlertDecision(form.cleaned_data["decision"]),
            reason=form.cleaned_data["reason"],
        )
    except (ValidationFailed, Conflict) as exc:
        messages.error(request, _refusal_text(exc))
        return redirect("web:plan_alerts")
    messages.success(request, str(AlertStatus(decided.status).label))
    return redirect("web:plan_alerts")


def _refusal_text(error: HbmError) -> str:
    details = [m for messages_ in error.fields.values() for m in messages_]
    return f"{error.message}" if not details else f"{error.message} ({'; '.join(details)})"
