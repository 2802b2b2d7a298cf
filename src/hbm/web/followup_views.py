"""Follow-up pages: open a follow-up from the person's or the referral's page, record its steps, a
caseworker's cases, and the coordinator's overview of where every flagged person stands."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hbm.core.errors import Conflict, PermissionDenied, ValidationFailed
from hbm.core.http import actor_from_request
from hbm.core.time import today
from hbm.crossings.selectors import crossing_points_of
from hbm.engines.followup import LIFECYCLES, Kind, lifecycle
from hbm.engines.screening import specific_needs
from hbm.followup.access import FOLLOWUP_ROLES, OVERVIEW_ROLES, TAKEN
from hbm.followup.enums import FollowUpKind, FollowUpStage, Phase
from hbm.followup.models import FollowUp
from hbm.followup.selectors import (
    Overview,
    access_followup,
    followup_overview,
    followup_steps,
    followups_held,
    followups_of_person,
)
from hbm.followup.services import followup_open, followup_step
from hbm.protection.enums import ReferralOutcome, ReferralStatus
from hbm.protection.models import Referral
from hbm.protection.selectors import access_referral, referral_shared_view
from hbm.registration.selectors import access_person
from hbm.web.followup_charts import stage_bar_chart
from hbm.web.followup_forms import FollowUpForm, OverviewFilterForm, StepForm
from hbm.web.pages import officer_page, page, user_of
from hbm.web.service_errors import service_errors_apply

KIND_SHORT = {
    FollowUpKind.ASYLUM: gettext_lazy("asylum"),
    FollowUpKind.FAMILY_REUNIFICATION: gettext_lazy("reunification"),
    FollowUpKind.AVRR: gettext_lazy("voluntary return"),
    FollowUpKind.RELOCATION: gettext_lazy("relocation"),
}
PHASE_ORDER = [str(p) for p in Phase]
ALIASES = {"tracing_reference": "tracing_request", "referral_id": "start", "kind": "start", "stage": "start"}


def stage_label(code: str) -> str:
    """A stage as the overview codes it (``flagged``, ``referral:sent``, ``asylum:interviewed``), in words."""
    if code == "flagged":
        return str(Phase.FLAGGED.label)
    head, _sep, tail = code.partition(":")
    if head == "referral" and tail in ReferralStatus.values:
        return _("referral: %(status)s") % {"status": ReferralStatus(tail).label}
    if head == "referral" and tail in ReferralOutcome.values:
        return _("referral closed: %(outcome)s") % {"outcome": ReferralOutcome(tail).label}
    if head in FollowUpKind.values and tail in FollowUpStage.values:
        return f"{KIND_SHORT[FollowUpKind(head)]}: {FollowUpStage(tail).label}"
    return code


def _stage_order(code: str) -> tuple[int, int, str]:
    """Follow-up stages by kind, then in their lifecycle's order; the rest first, by name."""
    head, _sep, tail = code.partition(":")
    if head not in FollowUpKind.values:
        return -1, 0, code
    kind = Kind(head)
    stages = [str(s) for s in LIFECYCLES[kind].stages]
    return list(LIFECYCLES).index(kind), stages.index(tail) if tail in stages else len(stages), tail


def _all_stages() -> list[tuple[str, str]]:
    codes = ["flagged"]
    codes += [f"referral:{s}" for s in (ReferralStatus.PENDING, ReferralStatus.SENT, ReferralStatus.DECLINED)]
    codes += ["referral:accepted", "referral:in_progress"]
    codes += [f"referral:{o}" for o in ReferralOutcome.values]
    codes += [f"{cycle.kind}:{stage}" for cycle in LIFECYCLES.values() for stage in cycle.stages]
    return [(code, stage_label(code)) for code in codes]


def _categories() -> list[tuple[str, str]]:
    language = get_language() or "en"
    return [
        (code, f"{code} · {need.label.get(language)}")
        for code, need in specific_needs().items()
        if need.is_category
    ]


def _stage_choices(stages: tuple[Any, ...]) -> list[tuple[str, str]]:
    return [(str(s), str(FollowUpStage(s).label)) for s in stages]


# --- opening a follow-up -------------------------------------------------------------------------


def _entry_choices() -> list[tuple[str, str]]:
    """Every kind and stage a follow-up may start at, as ``kind:stage``."""
    return [
        (f"{cycle.kind}:{stage}", f"{FollowUpKind(cycle.kind).label}: {FollowUpStage(stage).label}")
        for cycle in LIFECYCLES.values()
        for stage in cycle.stages
        if stage in cycle.entry
    ]


@officer_page
@require_http_methods(["GET", "POST"])
def followup_new(
    request: HttpRequest, person_id: UUID | None = None, referral_id: UUID | None = None
) -> HttpResponse:
    """Open a follow-up: from the person's page (screening officers, coordinators) or from a
    referral the caseworker's organisation took."""
    # A write form: another role is refused before any person is read (403, not recorded).
    if not user_of(request).has_role(*FOLLOWUP_ROLES):
        raise PermissionDenied(_("your role does not record follow-ups"))
    actor = actor_from_request(request)
    referral = access_referral(actor=actor, referral_id=referral_id) if referral_id else None
    person = (
        referral.person if referral else access_person(actor=actor, person_id=person_id, purpose="follow-up")
    )
    status = 200
    form = FollowUpForm(request.POST or None, starts=_entry_choices(), initial={"happened_on": today()})
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                follow_up = followup_open(
                    actor=actor,
                    person_id=person.pk,
                    data=form.followup_data(referral.pk if referral else None),
                )
            except (ValidationFailed, Conflict) as exc:
                service_errors_apply(form, exc, aliases=ALIASES)
            else:
                messages.success(request, _("Follow-up opened."))
                return redirect("web:followup_detail", followup_id=follow_up.pk)
    context = {"form": form, "person": person, "referral": referral, "may_see_person": referral is None}
    return page(request, "web/followup_new.html", context, status=status)


# --- one follow-up -------------------------------------------------------------------------------


def _detail_context(request: HttpRequest, follow_up: FollowUp, form: StepForm) -> dict[str, Any]:
    return {
        "follow_up": follow_up,
        "steps": followup_steps(follow_up=follow_up),
        "form": form,
        "is_overdue": follow_up.review_on is not None and follow_up.review_on < today(),
        "kind_label": FollowUpKind(follow_up.kind).label,
        "may_see_person": user_of(request).has_role(*OVERVIEW_ROLES),
    }


def _step_form(follow_up: FollowUp, data: Any = None) -> StepForm:
    next_stages = lifecycle(follow_up.kind).next_stages(follow_up.stage)
    return StepForm(data, next_stages=_stage_choices(next_stages), initial={"happened_on": today()})


@officer_page
@require_GET
def followup_detail(request: HttpRequest, followup_id: UUID) -> HttpResponse:
    follow_up = access_followup(actor=actor_from_request(request), followup_id=followup_id)
    return page(
        request, "web/followup_detail.html", _detail_context(request, follow_up, _step_form(follow_up))
    )


@officer_page
@require_POST
def followup_step_view(request: HttpRequest, followup_id: UUID) -> HttpResponse:
    actor = actor_from_request(request)
    follow_up = access_followup(actor=actor, followup_id=followup_id)
    form = _step_form(follow_up, request.POST)
    if form.is_valid():
        try:
            followup_step(actor=actor, followup_id=followup_id, data=form.step_data())
        except (ValidationFailed, Conflict) as exc:
            service_errors_apply(form, exc)
        else:
            messages.success(request, _("Step recorded."))
            return redirect("web:followup_detail", followup_id=followup_id)
    return page(request, "web/followup_detail.html", _detail_context(request, follow_up, form), status=422)


# --- lists ---------------------------------------------------------------------------------------


@officer_page
@require_GET
def followup_cases(request: HttpRequest) -> HttpResponse:
    """The follow-ups one's organisation holds: open ones, the longest waiting first. Another role
    is refused by ``followups_held``, which audits the refusal."""
    closed = request.GET.get("closed") == "1"
    found = followups_held(actor=actor_from_request(request), is_closed=closed)
    sees_persons = user_of(request).has_role(*OVERVIEW_ROLES)
    day = today()
    rows = [(f, _name_for(f, sees_persons), f.review_on is not None and f.review_on < day) for f in found]
    return page(request, "web/followup_cases.html", {"rows": rows, "closed": closed})


def _name_for(follow_up: FollowUp, sees_persons: bool) -> str:
    """The person's name as the viewer may know it: from the registration for those who may see
    persons, else only as the referral shares it (nothing if it does not share names)."""
    if sees_persons:
        return f"{follow_up.person.surname_latin}, {follow_up.person.given_names_latin}"
    if follow_up.referral is None:
        return ""
    shared = referral_shared_view(referral=follow_up.referral)
    return f"{shared['surname_latin']}, {shared['given_names_latin']}" if "surname_latin" in shared else ""


@officer_page
@require_GET
def followup_overview_view(request: HttpRequest) -> HttpResponse:
    """Where every flagged person stands: counts per stage as a chart, per crossing point as a
    table, and the filtered list, a page at a time. Another role is refused by
    ``followup_overview``, which audits the refusal."""
    user = user_of(request)
    points = [(str(p.pk), p.name) for p in crossing_points_of(user=user)]
    form = OverviewFilterForm(
        request.GET or None, points=points, categories=_categories(), stages=_all_stages()
    )
    found = followup_overview(actor=actor_from_request(request), filters=form.overview_filter())
    return page(request, "web/followup_overview.html", _overview_context(request, form, found))


def _overview_context(request: HttpRequest, form: OverviewFilterForm, found: Overview) -> dict[str, Any]:
    per_stage: dict[tuple[str, str], int] = {}
    for count in found.counts:
        per_stage[(count.phase, count.stage)] = per_stage.get((count.phase, count.stage), 0) + count.persons
    ordered = sorted(
        per_stage.items(), key=lambda item: (PHASE_ORDER.index(item[0][0]), _stage_order(item[0][1]))
    )
    chart = stage_bar_chart([(stage, stage_label(stage), phase, n) for (phase, stage), n in ordered])
    names = {p.pk: p.name for p in found.crossing_points}
    table: dict[uuid.UUID, dict[str, int]] = {}
    for count in found.counts:
        table.setdefault(count.crossing_point_id, dict.fromkeys(PHASE_ORDER, 0))[count.phase] += count.persons
    query = request.GET.copy()
    query.pop("page", None)
    base = urlencode([(k, v) for k, v in query.items() if v])
    return {
        "form": form,
        "chart": chart,
        "phases": [(p, Phase(p).label) for p in PHASE_ORDER],
        "per_point": sorted(
            ((names.get(pk, "—"), counts) for pk, counts in table.items()), key=lambda r: r[0]
        ),
        "phase_totals": found.phase_totals(),
        "rows": [(row, stage_label(row.stage)) for row in found.rows],
        "total": found.total,
        "page": found.page,
        "pages": found.pages,
        "query": base,
    }


def person_followups(request: HttpRequest, person_id: UUID) -> list[FollowUp] | None:
    """The person page's follow-up section, for those who may see it (``None``: not shown)."""
    user = user_of(request)
    if not user.has_role(*OVERVIEW_ROLES):
        return None
    return followups_of_person(actor=actor_from_request(request), person_id=person_id)


def referral_followups(request: HttpRequest, referral: Referral) -> list[FollowUp] | None:
    """The referral page's follow-up section: the person's follow-ups the viewer may see, once the
    service took the referral (``None``: not shown)."""
    if referral.status not in TAKEN or not user_of(request).has_role(*FOLLOWUP_ROLES):
        return None
    return followups_of_person(actor=actor_from_request(request), person_id=referral.person_id)
