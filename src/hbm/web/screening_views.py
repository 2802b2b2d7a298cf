"""Screening pages: the first-contact protection screening of one person, built from the
questionnaire's data with its skip logic; then what it raised and the referrals the pathways
suggest, each confirmed (or not) by the officer: nothing is sent without that decision, and
nothing is shared without the person's consent to the receiving organisation."""

from __future__ import annotations

import dataclasses
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hbm.core.errors import Conflict, NotFound, ValidationFailed
from hbm.core.http import actor_from_request
from hbm.core.time import now
from hbm.engines.screening import Questionnaire, asked_questions, specific_needs
from hbm.protection.arrivals import local_day
from hbm.protection.enums import ReferralStatus, ServiceType, Urgency
from hbm.protection.models import ProtectionScreening, Service
from hbm.protection.referrals import REFERRING_ROLES, referral_make
from hbm.protection.screening import (
    SCREENER_ROLES,
    Suggestion,
    access_person_screenings,
    access_screening,
    screening_flags,
    screening_questionnaire,
    screening_record,
    screening_suggestions,
)
from hbm.registration.models import Person
from hbm.web.pages import officer_page, page, user_of
from hbm.web.referral_forms import ReferralForm
from hbm.web.screening_forms import ScreeningForm
from hbm.web.service_errors import service_errors_apply

REFER_ALIASES = {
    "service_id": "service",
    "reason": "reason",
    "approved_by": "approved_by",
    "given_by": "given_by",
}


def _language() -> str:
    return (get_language() or "en").split("-")[0]


@officer_page
@require_http_methods(["GET", "POST"])
def person_screening(request: HttpRequest, person_id: UUID) -> HttpResponse:
    """The person's screenings, and (screening officers) the questionnaire to screen them now. Another
    role, or a person out of reach, is refused by ``access_person_screenings`` (not found, audited)."""
    actor = actor_from_request(request)
    person, screenings = access_person_screenings(actor=actor, person_id=person_id)
    may_screen = actor.user.has_role(*SCREENER_ROLES)
    questionnaire = screening_questionnaire()
    day = local_day(person.registered_at, now())
    status, form = 200, None
    if may_screen and request.method == "POST":
        full = ScreeningForm(request.POST, questionnaire=questionnaire, language=_language())
        full.is_valid()  # what cleaned decides which questions apply; the rest is checked below
        asked = asked_questions(questionnaire, full.answers(), on=day)
        form = ScreeningForm(request.POST, questionnaire=questionnaire, language=_language(), asked=asked)
        shown = set(request.POST.getlist("shown"))
        if request.POST.get("action") == "record" and shown == set(asked):
            if form.is_valid() and (recorded := _record(request, form, person)) is not None:
                messages.success(request, _("Screening recorded."))
                return redirect("web:screening_detail", screening_id=recorded.pk)
            status = 422
        elif request.POST.get("action") == "record":
            messages.info(
                request, _("Other questions apply after your answers: please check them, then record.")
            )
    elif may_screen:
        asked = asked_questions(questionnaire, {}, on=day)
        form = ScreeningForm(questionnaire=questionnaire, language=_language(), asked=asked)
    context = {
        "person": person,
        "screenings": screenings,
        "form": form,
        "questionnaire": _questionnaire_texts(questionnaire),
        "shown": list(form.fields) if form is not None else [],
    }
    return page(request, "web/screening_form.html", context, status=status)


def _record(request: HttpRequest, form: ScreeningForm, person: Person) -> ProtectionScreening | None:
    try:
        return screening_record(
            actor=actor_from_request(request), person_id=person.pk, answers=form.answers()
        )
    except ValidationFailed as exc:
        for path, problems in exc.fields.items():
            name = path.removeprefix("answers.")
            for problem in problems:
                form.add_error(name if name in form.fields else None, problem)
        if not exc.fields:
            form.add_error(None, exc.message)
        return None


def _questionnaire_texts(questionnaire: Questionnaire) -> dict[str, Any]:
    language = _language()
    return {
        "title": questionnaire.title.get(language),
        "introduction": questionnaire.introduction.get(language) if questionnaire.introduction else "",
        "version": questionnaire.version,
    }


# --- what a screening raised, and the suggested referrals --------------------------------------------


@officer_page
@require_GET
def screening_detail(request: HttpRequest, screening_id: UUID) -> HttpResponse:
    screening = access_screening(actor=actor_from_request(request), screening_id=screening_id)
    return page(request, "web/screening_detail.html", _detail_context(request, screening, {}))


@officer_page
@require_POST
def screening_refer(request: HttpRequest, screening_id: UUID) -> HttpResponse:
    """Confirm one suggested referral: consent (if given now) and referral in one step; sent only
    with the person's consent to that organisation, else pending."""
    actor = actor_from_request(request)
    screening = access_screening(actor=actor, screening_id=screening_id)
    suggestions = {s.service_type: s for s in screening_suggestions(screening=screening)}
    suggestion = suggestions.get(request.POST.get("suggestion", ""))
    if suggestion is None:
        raise NotFound(_("no such suggestion"))
    form = _refer_form(suggestion, data=request.POST)
    if form.is_valid():
        data = dataclasses.replace(form.referral_data(), screening_id=screening.pk)
        try:
            referral = referral_make(
                actor=actor, person_id=screening.person_id, data=data, consent=form.consent_data()
            )
        except (ValidationFailed, Conflict) as exc:
            service_errors_apply(form, exc, aliases=REFER_ALIASES)
        else:
            sent = referral.status == ReferralStatus.SENT
            messages.success(
                request,
                _("Referred and sent.") if sent else _("Referred: pending until the person consents."),
            )
            return redirect("web:screening_detail", screening_id=screening.pk)
    context = _detail_context(request, screening, {suggestion.service_type: form})
    return page(request, "web/screening_detail.html", context, status=422)


def _refer_form(suggestion: Suggestion, data: Any = None) -> ReferralForm:
    suggested = suggestion.suggested
    codes = specific_needs()
    language = _language()
    needs = [codes[f].label.get(language) for f in suggested.flags if f in codes]
    reason = _("First-contact screening: %(needs)s.") % {
        "needs": "; ".join(needs) or ", ".join(suggested.concerns)
    }
    initial = {
        "urgency": suggested.urgency.value,
        "flag": suggested.flags[0] if suggested.flags else "",
        "reason": reason,
        "service": suggestion.services[0].pk if len(suggestion.services) == 1 else None,
    }
    ids = [s.pk for s in suggestion.services]
    services = Service.objects.filter(pk__in=ids).select_related("organisation").order_by("name")
    return ReferralForm(data, services=services, initial=initial, prefix=suggestion.service_type)


def _detail_context(
    request: HttpRequest, screening: ProtectionScreening, bound: dict[str, ReferralForm]
) -> dict[str, Any]:
    questionnaire = screening_questionnaire()
    language = _language()
    same = questionnaire.digest == screening.questionnaire_digest
    codes = specific_needs()
    concerns = {c.id: c.label.get(language) for c in questionnaire.concerns} if same else {}
    flags = [
        {
            "code": f.code,
            "label": codes[f.code].label.get(language) if f.code in codes else "",
            "concern": concerns.get(f.concern, f.concern),
            "urgency": Urgency(f.urgency).label,
            "urgency_value": f.urgency,
        }
        for f in screening_flags(screening=screening)
    ]
    may_refer = user_of(request).has_role(*REFERRING_ROLES)
    suggestions = [
        {
            "suggestion": s,
            "type_label": ServiceType(s.service_type).label
            if s.service_type in ServiceType.values
            else s.service_type,
            "urgency": Urgency(s.suggested.urgency.value).label,
            "hours": int(s.suggested.deadline.total_seconds() // 3600),
            "codes": list(s.suggested.flags),
            "concerns": [concerns.get(c, c) for c in s.suggested.concerns],
            "form": bound.get(s.service_type) or _refer_form(s),
        }
        for s in screening_suggestions(screening=screening)
    ]
    return {
        "screening": screening,
        "person": screening.person,
        "flags": flags,
        "answers": _answers_shown(questionnaire, screening, language) if same else [],
        "same_questionnaire": same,
        "age_note": questionnaire.age.doubt_reason.get(language)
        if screening.age_in_doubt and questionnaire.age
        else "",
        "suggestions": suggestions,
        "may_refer": may_refer,
    }


def _answers_shown(questionnaire: Questionnaire, screening: ProtectionScreening, language: str) -> list[Any]:
    shown = []
    for question in questionnaire.questions:
        if question.id not in screening.answers:
            continue
        value = screening.answers[question.id]
        labels = {o.value: o.label.get(language) for o in question.options}
        if isinstance(value, bool):
            text = _("Yes") if value else _("No")
        elif isinstance(value, list):
            text = ", ".join(labels.get(str(v)) or str(v) for v in value)
        else:
            text = labels.get(str(value)) or str(value)
        shown.append((question.text.get(language), text))
    return shown
