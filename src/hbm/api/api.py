"""The one Ninja API at /api/: routers of every app, one error shape, one OpenAPI document."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

import hbm
from hbm.accounts.api import router as accounts_router
from hbm.accounts.auth import API_AUTH
from hbm.assessments.api import router as assessments_router
from hbm.audit.api import router as audit_router
from hbm.core.errors import HbmError
from hbm.crossings.api import router as crossings_router
from hbm.dedup.api import router as dedup_router
from hbm.field.api import router as field_router
from hbm.followup.api import router as followup_router
from hbm.health.api import router as health_router
from hbm.preparedness.api import router as preparedness_router
from hbm.protection.api import router as protection_router
from hbm.protection.screening_api import router as screening_router
from hbm.registration.api import router as registration_router
from hbm.tracing.api import router as tracing_router

api = NinjaAPI(
    title="HBM — Humanitarian Border Management API",
    version=hbm.__version__,
    description=(
        "Registration at border crossing points before, during and after a migration crisis. "
        "Every error has the shape {code, message, fields}; every read of a person is audited."
    ),
    auth=API_AUTH,
    docs_url="/docs",
    urls_namespace="api",
)


def _error(
    request: HttpRequest, status: int, code: str, message: str, fields: dict[str, list[str]]
) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, "fields": fields}, status=status)


@api.exception_handler(HbmError)
def _hbm_error(request: HttpRequest, exc: HbmError) -> HttpResponse:
    return _error(request, exc.status, exc.code, exc.message, exc.fields)


def _field_path(location: tuple[object, ...]) -> str:
    # Ninja prefixes the parameter source ("body", "query", "path") and the argument name.
    parts = [str(p) for p in location]
    if parts and parts[0] in {"body", "query", "path", "form", "file", "header", "cookie"}:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in {"payload", "data", "filters"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        message = str(error.get("msg", "invalid"))
        if error.get("type") == "extra_forbidden":
            message = _("unknown field")
        fields.setdefault(_field_path(tuple(error.get("loc", ()))), []).append(message)
    summary = "; ".join(f"{name}: {', '.join(msgs)}" for name, msgs in fields.items())
    return _error(request, 422, "invalid", summary, fields)


@api.exception_handler(AuthenticationError)
def _not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "not_authenticated", _("sign in or send a valid device token"), {})


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, "error", str(exc), {})


api.add_router("/auth", accounts_router)
api.add_router("/crossing-points", crossings_router)
api.add_router("/", registration_router)
api.add_router("/audit", audit_router)
api.add_router("/field", field_router)
api.add_router("/dedup", dedup_router)
api.add_router("/tracing", tracing_router)
api.add_router("/protection", protection_router)
api.add_router("/protection", screening_router)
api.add_router("/health", health_router)
api.add_router("/followup", followup_router)
api.add_router("/assessments", assessments_router)
api.add_router("/preparedness", preparedness_router)
