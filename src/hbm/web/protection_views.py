"""Protection pages: the services directory (read by every role, kept by coordinators)."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hbm.core.errors import Conflict, HbmError, PermissionDenied, ValidationFailed
from hbm.core.http import actor_from_request
from hbm.crossings.models import CrossingPoint
from hbm.protection.enums import ServiceType
from hbm.protection.models import Service
from hbm.protection.selectors import service_get, services_list
from hbm.protection.services import DIRECTORY_ROLES, service_create, service_update
from hbm.registration.countries import language_name
from hbm.web.pages import officer_page, page, user_of
from hbm.web.protection_forms import DAY_LABELS, ServiceForm
from hbm.web.service_errors import service_errors_apply

ALIASES = {"organisation_id": "organisation", "crossing_point_ids": "crossing_points"}


def _keeper_only(request: HttpRequest) -> None:
    # The directory holds no personal data: another role gets 403, with no access.refused entry.
    if not user_of(request).has_role(*DIRECTORY_ROLES):
        raise PermissionDenied(_("your role does not keep the services directory"))


@officer_page
@require_GET
def services(request: HttpRequest) -> HttpResponse:
    """The directory, filtered by type, crossing point and language."""
    service_type = request.GET.get("type", "")
    point = CrossingPoint.objects.filter(code=request.GET.get("point", "")).first()
    language = request.GET.get("language", "").strip().lower()
    rows = services_list(
        service_type=ServiceType(service_type) if service_type in ServiceType.values else None,
        crossing_point_id=point.pk if point else None,
        language=language,
    )
    return page(
        request,
        "web/services.html",
        {
            "services": [(s, [language_name(code) for code in s.languages], _hours_shown(s)) for s in rows],
            "types": ServiceType.choices,
            "points": CrossingPoint.objects.order_by("name"),
            "chosen": {"type": service_type, "point": point.code if point else "", "language": language},
            "may_keep": user_of(request).has_role(*DIRECTORY_ROLES),
        },
    )


def _hours_shown(service: Service) -> list[tuple[str, str]]:
    return [(str(DAY_LABELS[day]), hours) for day, hours in service.opening_hours.items() if hours]


@officer_page
@require_http_methods(["GET", "POST"])
def service_new(request: HttpRequest) -> HttpResponse:
    _keeper_only(request)
    return _service_form(request, None)


@officer_page
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, service_id: UUID) -> HttpResponse:
    _keeper_only(request)
    return _service_form(request, service_get(service_id=service_id))


def _service_form(request: HttpRequest, service: Service | None) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = ServiceForm(request.POST)
        status = 422
        if form.is_valid() and _service_save(request, form, service):
            messages.success(request, _("Saved: %(name)s.") % {"name": form.cleaned_data["name"]})
            return redirect("web:services")
    else:
        form = ServiceForm.of(service) if service else ServiceForm()
    return page(request, "web/service_form.html", {"form": form, "service": service}, status=status)


def _service_save(request: HttpRequest, form: ServiceForm, service: Service | None) -> bool:
    actor = actor_from_request(request)
    try:
        if service is None:
            service_create(actor=actor, data=form.service_data())
        else:
            service_update(actor=actor, service_id=service.pk, data=form.service_data())
    except (ValidationFailed, Conflict) as exc:
        service_errors_apply(form, _hours_on_their_day(exc), aliases=ALIASES)
        return False
    return True


def _hours_on_their_day(error: HbmError) -> HbmError:
    """``opening_hours.mon`` is the form's ``hours_mon`` field."""
    if not any(path.startswith("opening_hours.") for path in error.fields):
        return error
    fields = {
        path.replace("opening_hours.", "hours_", 1): messages for path, messages in error.fields.items()
    }
    return ValidationFailed(error.message, fields=fields)
