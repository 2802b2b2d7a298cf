"""What a locked-out sign-in sees: JSON for the API, a page for the browser."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def locked_out_message() -> str:
    """What a locked-out sign-in is told, in the active language (one text for API, pages, service)."""
    return _("Too many failed sign-ins: this account is locked for a while at this address.")


def lockout_response(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """django-axes' answer to a locked-out request (``AXES_LOCKOUT_CALLABLE``)."""
    message = locked_out_message()
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "locked_out", "message": message, "fields": {}}, status=429)
    return render(request, "web/locked_out.html", {"message": message}, status=429)
