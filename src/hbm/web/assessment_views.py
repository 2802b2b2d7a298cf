"""Assessment pages: a planner fills in the questionnaire (drafts, then complete); planners and
coordinators of the organisation read the scores, the chart and the gap report."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from hbm.assessments.models import Assessment
from hbm.assessments.selectors import access_assessment, assessment_report, assessments_list, report_language
from hbm.assessments.services import (
    ASSESSOR_ROLES,
    assessment_create,
    assessment_update,
    current_questionnaire,
)
from hbm.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hbm.core.http import actor_from_request
from hbm.engines.assessment import Priority
from hbm.registration.countries import country_name
from hbm.web.assessment_chart import pillar_chart
from hbm.web.assessment_forms import PREFIX, AssessmentForm
from hbm.web.pages import officer_page, page, user_of
from hbm.web.service_errors import service_errors_apply

ALIASES = {"crossing_point_id": "crossing_point"}
PRIORITY_LABELS = {
    Priority.HIGH: gettext_lazy("High"),
    Priority.MEDIUM: gettext_lazy("Medium"),
    Priority.LOW: gettext_lazy("Low"),
}


def _assessor_only(request: HttpRequest) -> None:
    # Assessments hold no personal data: a refused role gets 403, with no access.refused entry.
    if not user_of(request).has_role(*ASSESSOR_ROLES):
        raise PermissionDenied(_("only a planner of an organisation records assessments"))


@officer_page
@require_GET
def assessments(request: HttpRequest) -> HttpResponse:
    """The organisation's assessments, the latest change first."""
    rows = assessments_list(actor=actor_from_request(request))
    return page(
        request,
        "web/assessment_list.html",
        {
            "assessments": [(a, country_name(a.country)) for a in rows],
            "may_assess": user_of(request).has_role(*ASSESSOR_ROLES),
        },
    )


@officer_page
@require_GET
def assessment_detail(request: HttpRequest, assessment_id: UUID) -> HttpResponse:
    """Scores per pillar (chart and table) and the gap report, most urgent first."""
    assessment = access_assessment(actor=actor_from_request(request), assessment_id=assessment_id)
    report = assessment_report(assessment)
    language = report.language
    pillars = [
        {"pillar": s.pillar, "label": s.pillar.label.get(language), "score": s.score,
         "answered": s.answered, "applicable": s.applicable}
        for s in report.result.pillars
    ]  # fmt: skip
    gaps = [
        {
            "priority": gap.priority,
            "priority_label": PRIORITY_LABELS[gap.priority],
            "pillar": gap.pillar.label.get(language),
            "question": gap.question.text.get(language),
            "level": report.level_name(gap.level),
            "target": report.level_name(gap.target),
            "recommendation": gap.recommendation.get(language),
        }
        for gap in report.result.gaps
    ]
    questions = {q.id: q.text.get(language) for q in report.questionnaire.questions}
    return page(
        request,
        "web/assessment_detail.html",
        {
            "assessment": assessment,
            "country": country_name(assessment.country),
            "report": report,
            "title": report.questionnaire.title.get(language),
            "overall": report.result.overall,
            "chart": pillar_chart(report.result.chart(language)),
            "pillars": pillars,
            "gaps": gaps,
            "gap_counts": {p: sum(1 for g in gaps if g["priority"] == p) for p in Priority},
            "not_answered": [questions[q] for q in report.result.not_answered],
            "not_applicable": [questions[q] for q in report.result.not_applicable],
            "may_edit": assessment.is_draft and user_of(request).has_role(*ASSESSOR_ROLES),
            "may_review": not assessment.is_draft and user_of(request).has_role(*ASSESSOR_ROLES),
        },
    )


@officer_page
@require_http_methods(["GET", "POST"])
def assessment_new(request: HttpRequest) -> HttpResponse:
    """A new assessment; ``?from=<id>`` starts it from an earlier one's answers (the next review)."""
    _assessor_only(request)
    earlier = None
    if request.method == "GET" and request.GET.get("from"):
        try:
            earlier_id = UUID(request.GET["from"])
        except ValueError:
            raise NotFound(_("no such assessment")) from None
        earlier = access_assessment(actor=actor_from_request(request), assessment_id=earlier_id)
    return _assessment_form(request, None, earlier=earlier)


@officer_page
@require_http_methods(["GET", "POST"])
def assessment_edit(request: HttpRequest, assessment_id: UUID) -> HttpResponse:
    _assessor_only(request)
    assessment = access_assessment(actor=actor_from_request(request), assessment_id=assessment_id)
    if not assessment.is_draft:
        messages.info(request, _("A completed assessment is not changed: start a new one."))
        return redirect("web:assessment_detail", assessment_id=assessment.pk)
    return _assessment_form(request, assessment)


def _assessment_form(
    request: HttpRequest, assessment: Assessment | None, *, earlier: Assessment | None = None
) -> HttpResponse:
    questionnaire, language = current_questionnaire(), report_language()
    status = 200
    if request.method == "POST":
        form = AssessmentForm(request.POST, questionnaire=questionnaire, language=language)
        status = 422
        if form.is_valid():
            saved = _assessment_save(
                request, form, assessment, complete=request.POST.get("action") == "complete"
            )
            if saved is not None:
                messages.success(request, _("Saved: %(title)s.") % {"title": saved.title})
                return redirect("web:assessment_detail", assessment_id=saved.pk)
    elif assessment is not None:
        form = AssessmentForm.of(assessment, questionnaire=questionnaire, language=language)
    elif earlier is not None:
        form = AssessmentForm.of(earlier, questionnaire=questionnaire, language=language, as_new=True)
    else:
        form = AssessmentForm(questionnaire=questionnaire, language=language)
    return page(
        request,
        "web/assessment_form.html",
        {
            "form": form,
            "assessment": assessment,
            "earlier": earlier,
            "title": questionnaire.title.get(language),
        },
        status=status,
    )


def _assessment_save(
    request: HttpRequest, form: AssessmentForm, assessment: Assessment | None, *, complete: bool
) -> Assessment | None:
    actor = actor_from_request(request)
    try:
        if assessment is None:
            return assessment_create(actor=actor, data=form.assessment_data(), complete=complete)
        return assessment_update(
            actor=actor,
            assessment_id=assessment.pk,
            data=form.assessment_data(),
            revision=form.cleaned_data.get("revision") or 0,
            complete=complete,
        )
    except (ValidationFailed, Conflict) as exc:
        fields = {_form_field(path): messages for path, messages in exc.fields.items()}
        service_errors_apply(form, type(exc)(exc.message, fields=fields), aliases=ALIASES)
        return None


def _form_field(path: str) -> str:
    """``answers.<question>`` is the form's ``q_<question>``."""
    if path.startswith("answers."):
        return PREFIX + path.removeprefix("answers.")
    return path
