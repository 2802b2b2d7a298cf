"""Family tracing pages: the caseworker's requests, and the screening officer's matches to check
with the person found (decision 0010). Thin: find with ``access_*``, call a service, render."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hbm.core.errors import Conflict, PermissionDenied, ValidationFailed
from hbm.core.http import actor_from_request
from hbm.dedup.labels import contribution_labelled
from hbm.registration.countries import nationality_options
from hbm.tracing.enums import MatchStatus, RequestOutcome, RequestStatus
from hbm.tracing.models import TracingMatch, TracingRequest
from hbm.tracing.selectors import (
    access_tracing_match,
    access_tracing_request,
    disclosed_matches,
    request_consents,
    tracing_match_queue,
    tracing_photo_of_match,
    tracing_requests_of,
)
from hbm.tracing.services import (
    TRACER_ROLES,
    tracing_match_consent,
    tracing_match_dismiss,
    tracing_match_reopen,
    tracing_request_close,
    tracing_request_create,
)
from hbm.web.pages import officer_page, page, user_of
from hbm.web.service_errors import service_errors_apply
from hbm.web.tracing_forms import TracingCloseForm, TracingConsentForm, TracingDismissForm, TracingRequestForm

ALIASES = {"enquirer_person_id": "", "id": ""}


def _tracer_only(request: HttpRequest) -> None:
    # The filing form shows no personal data: a refused write, answered 403 and not audited.
    if not user_of(request).has_role(*TRACER_ROLES):
        raise PermissionDenied(_("your role does not file tracing requests"))


@officer_page
@require_GET
def tracing_requests(request: HttpRequest) -> HttpResponse:
    """The caseworker's own tracing requests, open or closed. Another role is refused by
    ``tracing_requests_of``, which audits the refusal."""
    status = RequestStatus.CLOSED if request.GET.get("status") == "closed" else RequestStatus.OPEN
    rows = tracing_requests_of(actor=actor_from_request(request), status=status)
    return page(
        request,
        "web/tracing_requests.html",
        {"requests": rows, "status": status, "statuses": RequestStatus.choices},
    )


@officer_page
@require_http_methods(["GET", "POST"])
def tracing_request_new(request: HttpRequest) -> HttpResponse:
    """File a tracing request with the enquirer; their consent first."""
    _tracer_only(request)
    status = 200
    if request.method == "POST":
        form = TracingRequestForm(request.POST, request.FILES)
        status = 422
        if form.is_valid() and (filed := _request_file(request, form)) is not None:
            messages.success(
                request, _("Filed: %(reference)s. The search has started.") % {"reference": filed.reference}
            )
            return redirect("web:tracing_request", request_id=filed.pk)
    else:
        form = TracingRequestForm()
    return page(
        request,
        "web/tracing_request_new.html",
        {"form": form, "nationality_options": nationality_options()},
        status=status,
    )


def _request_file(request: HttpRequest, form: TracingRequestForm) -> TracingRequest | None:
    upload = form.cleaned_data.get("photo")
    try:
        return tracing_request_create(
            actor=actor_from_request(request), data=form.request_data(upload.read() if upload else None)
        )
    except (ValidationFailed, Conflict) as exc:
        service_errors_apply(form, exc, aliases=ALIASES)
        return None


@officer_page
@require_GET
def tracing_request(request: HttpRequest, request_id: UUID) -> HttpResponse:
    """One request: what the enquirer told, and the persons found who agreed to be disclosed."""
    tracing = access_tracing_request(actor=actor_from_request(request), request_id=request_id)
    return page(request, "web/tracing_request.html", _request_context(tracing, TracingCloseForm()))


def _request_context(tracing: TracingRequest, close_form: TracingCloseForm) -> dict[str, Any]:
    return {
        "tracing": tracing,
        "found": disclosed_matches(request=tracing),
        "consents": request_consents(request=tracing),
        "close_form": close_form,
    }


@officer_page
@require_POST
def tracing_request_close_view(request: HttpRequest, request_id: UUID) -> HttpResponse:
    actor = actor_from_request(request)
    form = TracingCloseForm(request.POST)
    if form.is_valid():
        try:
            tracing_request_close(
                actor=actor,
                request_id=request_id,
                outcome=RequestOutcome(form.cleaned_data["outcome"]),
                note=form.cleaned_data.get("note") or "",
            )
        except (Conflict, ValidationFailed) as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The tracing request is closed."))
            return redirect("web:tracing_request", request_id=request_id)
    tracing = access_tracing_request(actor=actor, request_id=request_id)
    return page(request, "web/tracing_request.html", _request_context(tracing, form), status=422)


@officer_page
@require_GET
def tracing_matches(request: HttpRequest) -> HttpResponse:
    """Matches to check with the person found (screening officers posted where they were met).
    Another role is refused by ``tracing_match_queue``, which audits the refusal."""
    status = (
        MatchStatus(request.GET["status"])
        if request.GET.get("status") in (MatchStatus.PROPOSED, MatchStatus.DISMISSED)
        else MatchStatus.PROPOSED
    )
    rows = tracing_match_queue(actor=actor_from_request(request), status=status)
    tabs = [(s.value, s.label) for s in (MatchStatus.PROPOSED, MatchStatus.DISMISSED)]
    return page(request, "web/tracing_matches.html", {"matches": rows, "status": status, "statuses": tabs})


@officer_page
@require_GET
def tracing_match(request: HttpRequest, match_id: UUID) -> HttpResponse:
    match = access_tracing_match(actor=actor_from_request(request), match_id=match_id)
    return page(request, "web/tracing_match.html", _match_context(match, TracingConsentForm()))


def _match_context(match: TracingMatch, consent_form: TracingConsentForm) -> dict[str, Any]:
    return {
        "match": match,
        "tracing": match.request,
        "person": match.person,
        "contributions": [
            contribution_labelled(c) for c in sorted(match.contributions, key=lambda c: -abs(c["weight"]))
        ],
        "consent_form": consent_form,
        "dismiss_form": TracingDismissForm(),
    }


@officer_page
@require_POST
def tracing_match_consent_view(request: HttpRequest, match_id: UUID) -> HttpResponse:
    actor = actor_from_request(request)
    form = TracingConsentForm(request.POST)
    if form.is_valid():
        try:
            match = tracing_match_consent(actor=actor, match_id=match_id, data=form.consent_data())
        except ValidationFailed as exc:
            service_errors_apply(form, exc)
        except Conflict as exc:
            messages.error(request, exc.message)
            return redirect("web:tracing_match", match_id=match_id)
        else:
            messages.success(
                request,
                _("Recorded: the caseworker can now see who and where.")
                if match.status == MatchStatus.DISCLOSED
                else _("Recorded: the enquirer's side learns nothing."),
            )
            return redirect("web:tracing_matches")
    match = access_tracing_match(actor=actor, match_id=match_id)
    return page(request, "web/tracing_match.html", _match_context(match, form), status=422)


@officer_page
@require_POST
def tracing_match_dismiss_view(request: HttpRequest, match_id: UUID) -> HttpResponse:
    form = TracingDismissForm(request.POST)
    note = form.cleaned_data.get("note", "") if form.is_valid() else ""
    try:
        tracing_match_dismiss(actor=actor_from_request(request), match_id=match_id, note=note)
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect("web:tracing_match", match_id=match_id)
    messages.success(request, _("Dismissed: this person is not proposed for this request again."))
    return redirect("web:tracing_matches")


@officer_page
@require_POST
def tracing_match_reopen_view(request: HttpRequest, match_id: UUID) -> HttpResponse:
    try:
        tracing_match_reopen(actor=actor_from_request(request), match_id=match_id)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Reopened: the match waits to be checked again."))
    return redirect("web:tracing_match", match_id=match_id)


@officer_page
@require_GET
def tracing_match_photo(request: HttpRequest, match_id: UUID) -> HttpResponse:
    """The sought person's photo, for comparing faces; never cached, each view audited."""
    data = tracing_photo_of_match(actor=actor_from_request(request), match_id=match_id)
    response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = "no-store"
    return response
