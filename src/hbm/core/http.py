"""Small helpers for turning a request into an :class:`Actor`."""

from __future__ import annotations

from django.http import HttpRequest

from hbm.core.context import Actor


def client_address(request: HttpRequest) -> str | None:
    """The peer address. Behind a proxy, the proxy must set REMOTE_ADDR (not X-Forwarded-For)."""
    value = request.META.get("REMOTE_ADDR")
    return str(value) if value else None


def actor_from_request(request: HttpRequest) -> Actor:
    """The acting user and device of an authenticated request."""
    device = getattr(request, "hbm_device", None) or "browser"
    return Actor(user=request.user, device=device, address=client_address(request))  # type: ignore[arg-type]
