"""API authentication: browser sessions (with CSRF) and per-device bearer tokens."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import formats
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from hbm.accounts.selectors import device_token_revoked, device_token_verified
from hbm.core.errors import DeviceRevoked


class DeviceTokenAuth(HttpBearer):
    """``Authorization: Bearer hbm_…`` issued to one device of one user; revocable."""

    openapi_description = "A device token from POST /api/auth/tokens; revoke it when a device is lost."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        # Each worker trusts a token it verified for HBM_TOKEN_CACHE_SECONDS (decision 0013).
        device_token = device_token_verified(raw=token)
        if device_token is None:
            _refuse_if_revoked(token)
            return None
        request.user = device_token.user
        request.hbm_device = device_token.label  # type: ignore[attr-defined]
        request.hbm_device_token = device_token  # type: ignore[attr-defined]
        return device_token.user


def _refuse_if_revoked(raw: str) -> None:
    revoked = device_token_revoked(raw=raw)
    if revoked is not None and revoked.revoked_at is not None:
        raise DeviceRevoked(
            _(
                "This device was revoked on %(date)s: nothing more is accepted from it. "
                "If it was found, its officer can sign in again to send what it holds."
            )
            % {"date": formats.date_format(revoked.revoked_at, "DATETIME_FORMAT")}
        )


class ActiveSessionAuth(SessionAuth):
    """Browser session; unsafe methods need the CSRF token (Django's own check)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


API_AUTH = [DeviceTokenAuth(), ActiveSessionAuth()]
