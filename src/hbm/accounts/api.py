"""Sign-in for devices (tokens), token revocation, who am I."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from hbm.accounts.enums import Role
from hbm.accounts.models import DeviceToken, User
from hbm.accounts.schemas import MeOut, TokenCreatedOut, TokenCreateIn, TokenOut
from hbm.accounts.selectors import device_tokens_all, device_tokens_of
from hbm.accounts.services import credentials_check, device_token_create, device_token_revoke, login_record
from hbm.core.context import Actor
from hbm.core.http import actor_from_request, client_address
from hbm.core.schemas import ErrorOut

router = Router(tags=["auth"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def _token_out(token: DeviceToken) -> dict[str, object]:
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "username": token.user.get_username(),
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
    }


@router.post("/tokens", auth=None, response={201: TokenCreatedOut, **ERRORS})
def token_create(request: HttpRequest, payload: TokenCreateIn) -> Status[dict[str, object]]:
    """Exchange a username and password for a token for one device (counted by the lock-out)."""
    user = credentials_check(request=request, username=payload.username, password=payload.password)
    actor = Actor(user=user, device=f"device:{payload.device_name}", address=client_address(request))
    issued = device_token_create(actor=actor, name=payload.device_name)
    login_record(actor=actor)
    return Status(201, {**_token_out(issued.token), "token": issued.raw})


@router.get("/tokens", response={200: list[TokenOut], **ERRORS})
def token_list(request: HttpRequest) -> list[dict[str, object]]:
    """Your devices' tokens; a coordinator or administrator sees every device."""
    user: User = request.user  # type: ignore[assignment]
    tokens = (
        device_tokens_all() if user.has_role(Role.COORDINATOR, Role.ADMIN) else device_tokens_of(user=user)
    )
    return [_token_out(t) for t in tokens.select_related("user")]


@router.post("/tokens/{token_id}/revoke", response={200: TokenOut, **ERRORS})
def token_revoke(request: HttpRequest, token_id: str) -> dict[str, object]:
    """Revoke a device's token (lost or stolen device): its next request is refused."""
    return _token_out(device_token_revoke(actor=actor_from_request(request), token_id=token_id))


@router.get("/me", response={200: MeOut, **ERRORS})
def me(request: HttpRequest) -> dict[str, object]:
    user: User = request.user  # type: ignore[assignment]
    return {
        "username": user.get_username(),
        "first_name": user.first_name,
        "last_name": user.last_name,
        "role": user.role,
        "organisation": user.organisation,
        "crossing_points": list(user.crossing_points.values_list("pk", flat=True)),
    }
