"""Referral pages: the screening officer refers a person (with consent); the receiving
organisation's caseworker sees its referrals, only what each shares, and answers."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hbm.core.errors import Conflict, PermissionDenied, ValidationFailed
from hbm.core.http import actor_from_request
from hbm.core.time import now
from hbm.protection.enums import ReferralOutcome, ReferralStatus
from hbm.protection.models import Referral, Service
from hbm.protection.referrals import RECEIVING_ROLES, REFERRING_ROLES, referral_answer, referral_make
from hbm.protection.selectors import access_referral, referral_shared_view, referrals_received
from hbm.registration.selectors import access_person
from hbm.web.followup_views import referral_followups
from hbm.web.pages import officer_page, page, user_of
from hbm.web.referral_forms import ReferralAnswerForm, ReferralForm
from hbm.web.service_errors import service_errors_apply

ALIASES = {"service_id": "service", "reason": "reason", "approved_by": "approved_by", "given_by": "given_by"}


@officer_page
@require_http_methods(["GET", "POST"])
def person_refer(request: HttpRequest, person_id: UUID) -> HttpResponse:
    """Refer a person to a service of the directory serving where they were met."""
    # A write form: another role is refused before any person is read (403, not recorded).
    if not user_of(request).has_role(*REFERRING_ROLES):
        raise PermissionDenied(_("your role does not refer persons"))
    actor = actor_from_request(request)
    person = access_person(actor=actor, person_id=person_id, purpose="refer")
    services = (
        Service.objects.filter(is_active=True)
        .filter(Q(crossing_points=person.registered_at) | Q(crossing_points__isnull=True))
        .select_related("organisation")
        .distinct()
        .order_by("service_type", "name")
    )
    status = 200
    if request.method == "POST":
        form = ReferralForm(request.POST, services=services)
        status = 422
        if form.is_valid():
            try:
                referral = referral_make(
                    actor=actor, person_id=person.pk, data=form.referral_data(), consent=form.consent_data()
                )
            except (ValidationFailed, Conflict) as exc:
                service_errors_apply(form, exc, aliases=ALIASES)
            else:
                sent = referral.status == ReferralStatus.SENT
                messages.success(
                    request,
                    _("Referred and sent.") if sent else _("Referred: pending until the person consents."),
                )
                return redirect("web:person_detail", person_id=person.pk)
    else:
        form = ReferralForm(services=services)
    return page(request, "web/person_refer.html", {"form": form, "person": person}, status=status)


@officer_page
@require_GET
def referrals_inbox(request: HttpRequest) -> HttpResponse:
    """The referrals sent to one's organisation, soonest deadline first. Another role is refused by
    ``referrals_received``, which audits the refusal."""
    rows = referrals_received(actor=actor_from_request(request))
    moment = now()
    return page(
        request,
        "web/referrals.html",
        {"rows": [(r, r.status in ("pending", "sent") and r.deadline_at < moment) for r in rows]},
    )


@officer_page
@require_GET
def referral_detail(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    referral = access_referral(actor=actor_from_request(request), referral_id=referral_id)
    return page(request, "web/referral.html", _context(request, referral, ReferralAnswerForm()))


def _context(request: HttpRequest, referral: Referral, form: ReferralAnswerForm) -> dict[str, Any]:
    return {
        "referral": referral,
        "shared": referral_shared_view(referral=referral),
        "steps": list(referral.steps.select_related("actor").order_by("created_at")),
        "form": form,
        "may_answer": user_of(request).has_role(*RECEIVING_ROLES),
        "followups": referral_followups(request, referral),
    }


@officer_page
@require_POST
def referral_answer_view(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    actor = actor_from_request(request)
    form = ReferralAnswerForm(request.POST)
    if form.is_valid():
        outcome = form.cleaned_data["outcome"]
        try:
            referral_answer(
                actor=actor,
                referral_id=referral_id,
                to=ReferralStatus(form.cleaned_data["to"]),
                outcome=ReferralOutcome(outcome) if outcome else None,
                note=form.cleaned_data["note"],
            )
        except (ValidationFailed, Conflict) as exc:
            service_errors_apply(form, exc)
        else:
            return redirect("web:referral_detail", referral_id=referral_id)
    referral = access_referral(actor=actor, referral_id=referral_id)
    return page(request, "web/referral.html", _context(request, referral, form), status=422)
