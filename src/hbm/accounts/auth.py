"""API authentication: browser sessions (with CSRF) and per-device bearer tokens."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from hbm.accounts.selectors import device_token_authenticate


class DeviceTokenAuth(HttpBearer):
    """``Authorization: Bearer hbm_…`` issued to one device of one user; revocable."""

    openapi_description = "A device token from POST /api/auth/tokens; revoke it when a device is lost."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        device_token = device_token_authenticate(raw=token)
        if device_token is None:
            return None
        request.user = device_token.user
        request.hbm_device = device_token.label  # type: ignore[attr-defined]
        return device_token.user


class ActiveSessionAuth(SessionAuth):
    """Browser session; unsafe methods need the CSRF token (Django's own check)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


API_AUTH = [DeviceTokenAuth(), ActiveSessionAuth()]
