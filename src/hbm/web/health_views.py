"""Health pages: the health officer's screening form, health records, and the daily point-of-entry
screening report (health officers posted there, and coordinators with small cells hidden)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hbm.accounts.enums import Role
from hbm.core.errors import NotFound, PermissionDenied, ValidationFailed
from hbm.core.http import actor_from_request
from hbm.crossings.models import CrossingPoint
from hbm.engines.screening import HealthScreening
from hbm.health.display import disease_name, report_as_dict, suspected_rows
from hbm.health.enums import HealthAction
from hbm.health.selectors import (
    REPORT_ROLES,
    SMALL_CELL,
    HealthDayReport,
    access_health_record,
    group_members_at,
    health_day_report,
    health_records_list,
    report_point_of,
    screening_points_of,
    today_at,
)
from hbm.health.services import (
    SCREENING_ROLES,
    PositiveReferral,
    health_checklist,
    health_referral_consent,
    health_screen,
    health_screening_preview,
    health_services_for,
)
from hbm.protection.enums import ConsentGivenBy
from hbm.registration.models import Person
from hbm.web.charts import BarChart, hourly_bar_chart
from hbm.web.health_forms import HealthPositiveForm, HealthScreeningForm, checklist_question
from hbm.web.pages import officer_page, page, user_of
from hbm.web.service_errors import service_errors_apply

ALIASES = {"service_id": "service", "person_id": "token", "given_by": "given_by", "consent": "consent_given"}


def _language() -> str:
    return (get_language() or "en")[:2]


def _screener_check(request: HttpRequest) -> None:
    # The screening form: another role is refused before any person is read (403, not recorded).
    if not user_of(request).has_role(*SCREENING_ROLES):
        raise PermissionDenied(_("only health officers record health screenings"))


# --- the screening -------------------------------------------------------------------------------


@officer_page
@require_http_methods(["GET", "POST"])
def health_screen_view(request: HttpRequest) -> HttpResponse:
    """Screen one traveller; a negative is counted at once, a positive asks who and where to refer."""
    _screener_check(request)
    actor = actor_from_request(request)
    points = screening_points_of(actor=actor)
    checklist, language = health_checklist(), _language()
    if request.method == "POST" and request.POST.get("step") == "refer":
        return _positive_step(request, points)
    if request.method != "POST":
        form = HealthScreeningForm(checklist=checklist, language=language, points=points)
        return page(request, "web/health_screen.html", {"form": form, "title": checklist.title.get(language)})
    form = HealthScreeningForm(request.POST, checklist=checklist, language=language, points=points)
    if form.is_valid():
        point: CrossingPoint = form.cleaned_data["crossing_point"]
        answers = form.answers()
        try:
            screening = health_screening_preview(actor=actor, crossing_point_id=point.pk, answers=answers)
            if not screening.suspected:
                health_screen(actor=actor, crossing_point_id=point.pk, answers=answers)
                messages.success(request, _("Negative: counted. Nothing about the person is kept."))
                return redirect("web:health_screen")
        except ValidationFailed as exc:
            _answer_errors_apply(form, exc)
        else:
            positive = HealthPositiveForm(
                initial={"answers_json": json.dumps(answers), "crossing_point": point.pk},
                services=health_services_for(crossing_point=point, action=_action_of(screening)),
            )
            return page(request, "web/health_positive.html", _positive_context(screening, positive, point))
    return page(
        request, "web/health_screen.html", {"form": form, "title": checklist.title.get(language)}, status=422
    )


def _answer_errors_apply(form: HealthScreeningForm, exc: ValidationFailed) -> None:
    for path, errors in exc.fields.items():
        question = path.removeprefix("answers.")
        target = "temperature" if question == health_checklist().temperature else f"q_{question}"
        for error in errors:
            form.add_error(target if target in form.fields else None, error)


def _action_of(screening: HealthScreening) -> HealthAction:
    return HealthAction(str(screening.action))


def _positive_context(
    screening: HealthScreening, form: HealthPositiveForm, point: CrossingPoint
) -> dict[str, Any]:
    language = _language()
    return {
        "form": form,
        "point": point,
        "action": _action_of(screening),
        "is_isolation": _action_of(screening) == HealthAction.ISOLATE,
        "urgency": screening.urgency,
        "temperature_c": screening.temperature_c,
        "suspected": [
            {"name": c.name.get(language), "advice": c.advice.get(language), "urgency": str(c.urgency)}
            for c in screening.suspected
        ],
    }


def _positive_step(request: HttpRequest, points: list[CrossingPoint]) -> HttpResponse:
    actor = actor_from_request(request)
    point = next((p for p in points if str(p.pk) == request.POST.get("crossing_point")), None)
    if point is None:
        raise NotFound(_("no such crossing point"))
    try:
        answers = json.loads(request.POST.get("answers_json", ""))
        screening = health_screening_preview(actor=actor, crossing_point_id=point.pk, answers=answers)
    except (ValueError, ValidationFailed):
        messages.error(request, _("Screen again: the answers were lost."))
        return redirect("web:health_screen")
    services = health_services_for(crossing_point=point, action=_action_of(screening))
    token = request.POST.get("token", "").strip()
    members = _members_for(actor, point, token) if token and not _is_uuid(token) else []
    form = HealthPositiveForm(request.POST, services=services, members=members)
    if form.is_valid():
        person_id = form.cleaned_data["person"] or (token if _is_uuid(token) else "")
        if not person_id and len(members) == 1:
            person_id = str(members[0].pk)
        if not person_id:
            form.add_error(
                "token" if not members else "person",
                _("No such group at this crossing point.") if not members else _("Choose the person."),
            )
        else:
            try:
                result = health_screen(
                    actor=actor,
                    crossing_point_id=point.pk,
                    answers=form.cleaned_data["answers_json"],
                    person_id=person_id,
                    referral=PositiveReferral(
                        service_id=form.cleaned_data["service"].pk,
                        consent_given=form.cleaned_data["consent_given"],
                        given_by=ConsentGivenBy(form.cleaned_data["given_by"]),
                    ),
                )
            except ValidationFailed as exc:
                service_errors_apply(form, exc, aliases=ALIASES)
            else:
                if result.record is None:  # the answers screen negative now: counted only
                    messages.success(request, _("Negative: counted. Nothing about the person is kept."))
                    return redirect("web:health_screen")
                messages.success(request, _("Health record saved and the person referred."))
                return redirect("web:health_record", record_id=result.record.pk)
    return page(request, "web/health_positive.html", _positive_context(screening, form, point), status=422)


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _members_for(actor: Any, point: CrossingPoint, token: str) -> list[Person]:
    return group_members_at(actor=actor, crossing_point=point, token=token.replace("-", "").replace(" ", ""))


# --- health records -------------------------------------------------------------------------------


@officer_page
@require_GET
def health_records_view(request: HttpRequest) -> HttpResponse:
    """The health records the health officer may read, newest first. Another role is refused by
    ``health_records_list``, which audits the refusal."""
    rows = health_records_list(actor=actor_from_request(request))
    language = _language()
    return page(
        request,
        "web/health_records.html",
        {"rows": [(r, ", ".join(row["name"] for row in suspected_rows(r, language))) for r in rows]},
    )


@officer_page
@require_GET
def health_record_view(request: HttpRequest, record_id: UUID) -> HttpResponse:
    record = access_health_record(actor=actor_from_request(request), record_id=record_id)
    return page(request, "web/health_record.html", _record_context(record))


def _record_context(record: Any) -> dict[str, Any]:
    language, checklist = _language(), health_checklist()
    answers = []
    for key, value in record.answers.items():
        try:
            question = checklist_question(checklist, key)
        except KeyError:
            answers.append((key, value))
            continue
        labels = {o.value: o.label.get(language) for o in question.options}
        if isinstance(value, bool):
            shown = _("Yes") if value else _("No")
        elif isinstance(value, list):
            shown = "; ".join(labels.get(str(v), str(v)) for v in value)
        else:
            shown = labels.get(value, value) if isinstance(value, str) else value
        answers.append((question.text.get(language), shown))
    return {
        "record": record,
        "suspected": suspected_rows(record, language),
        "answers": answers,
        "may_send": record.referral is not None and record.referral.status == "pending",
        "same_checklist": record.checklist_digest == checklist.digest,
    }


@officer_page
@require_POST
def health_record_consent_view(request: HttpRequest, record_id: UUID) -> HttpResponse:
    actor = actor_from_request(request)
    record = access_health_record(actor=actor, record_id=record_id)
    given_by = request.POST.get("given_by", ConsentGivenBy.PERSON)
    try:
        health_referral_consent(
            actor=actor,
            record=record,
            given_by=ConsentGivenBy(given_by) if given_by in ConsentGivenBy.values else ConsentGivenBy.PERSON,
        )
    except ValidationFailed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Consent recorded and the referral sent."))
    return redirect("web:health_record", record_id=record_id)


# --- the daily report -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PositiveBar:
    """The positive part of an hour's bar, drawn over it from the axis up."""

    hour: int
    value: int
    x: float
    y: float
    width: float
    height: float


def positive_bars(chart: BarChart, report: HealthDayReport) -> list[PositiveBar]:
    """The positives of each hour on the same scale as ``chart`` (screenings per hour)."""
    top = chart.ticks[-1].value if chart.ticks else 1
    scale = (chart.plot_bottom - chart.plot_top) / max(top, 1)
    bars = []
    for bar, row in zip(chart.bars, report.hours, strict=True):
        value = row.positive.value or 0
        if value:
            height = round(value * scale, 1)
            bars.append(
                PositiveBar(bar.hour, value, bar.x, round(chart.plot_bottom - height, 1), bar.width, height)
            )
    return bars


@officer_page
@require_GET
def health_report_index(request: HttpRequest) -> HttpResponse:
    """The crossing points whose report the user may read: straight to it when there is one."""
    user = user_of(request)
    # Counts with small cells hidden, not a personal data read: a refusal is a 403, not audited.
    if not user.has_role(*REPORT_ROLES):
        raise PermissionDenied(_("your role does not read the health screening report"))
    points = (
        list(CrossingPoint.objects.order_by("name"))
        if user.has_role(Role.COORDINATOR)
        else screening_points_of(actor=actor_from_request(request))
    )
    if len(points) == 1:
        return redirect("web:health_report", point_id=points[0].pk)
    return page(request, "web/health_report_index.html", {"points": points})


@officer_page
@require_GET
def health_report_view(request: HttpRequest, point_id: UUID) -> HttpResponse:
    actor = actor_from_request(request)
    point = report_point_of(actor=actor, crossing_point_id=point_id)
    today = today_at(point)
    try:
        day = date.fromisoformat(request.GET.get("day", "")) if request.GET.get("day") else today
    except ValueError:
        day = today
    report = health_day_report(actor=actor, crossing_point=point, day=day)
    chart = hourly_bar_chart(report.screened_per_hour)
    figures = report_as_dict(report, _language())
    return page(
        request,
        "web/health_report.html",
        {
            "point": point,
            "day": day,
            "days": [today - timedelta(days=n) for n in range(6, -1, -1)],
            "report": report,
            "figures": figures,
            "chart": chart,
            "positive_bars": positive_bars(chart, report) if report.is_exact else [],
            "small_cell": SMALL_CELL,
            "disease_name": disease_name,
        },
    )
