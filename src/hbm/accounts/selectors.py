"""Reads about users and tokens."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from hbm.accounts import token_cache
from hbm.accounts.enums import Role
from hbm.accounts.models import DeviceToken, User
from hbm.accounts.services import TOKEN_PREFIX, token_hash
from hbm.core.errors import ValidationFailed
from hbm.core.time import now

# Touching last_used_at on every request would make every read a write.
_LAST_USED_RESOLUTION = timedelta(minutes=1)


def device_token_authenticate(*, raw: str) -> DeviceToken | None:
    """The active token for this raw value, with its active user; ``None`` otherwise."""
    if not raw.startswith(f"{TOKEN_PREFIX}_"):
        return None
    token = (
        DeviceToken.objects.select_related("user")
        .filter(key_hash=token_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    moment = now()
    if token.last_used_at is None or moment - token.last_used_at > _LAST_USED_RESOLUTION:
        DeviceToken.objects.filter(pk=token.pk).update(last_used_at=moment)
        token.last_used_at = moment
    return token


def device_token_verified(*, raw: str) -> DeviceToken | None:
    """:func:`device_token_authenticate`, answered from this worker's table when it verified the
    same token less than ``HBM_TOKEN_CACHE_SECONDS`` ago."""
    if not raw.startswith(f"{TOKEN_PREFIX}_"):
        return None
    key_hash = token_hash(raw)
    cached = token_cache.VERIFIED_TOKENS.get(key_hash)
    if cached is not None:
        return cached
    looked_up_at = token_cache.VERIFIED_TOKENS.now()
    token = device_token_authenticate(raw=raw)
    if token is not None:
        token_cache.VERIFIED_TOKENS.put(
            key_hash, token, looked_up_at=looked_up_at, seconds=settings.HBM_TOKEN_CACHE_SECONDS
        )
    return token


def device_token_revoked(*, raw: str) -> DeviceToken | None:
    """The revoked token for this raw value, if it is one: its device gets a reason, not a bare 401."""
    if not raw.startswith(f"{TOKEN_PREFIX}_"):
        return None
    return DeviceToken.objects.filter(key_hash=token_hash(raw), revoked_at__isnull=False).first()


def device_tokens_of(*, user: User) -> QuerySet[DeviceToken]:
    return DeviceToken.objects.filter(user=user).order_by("-created_at")


def device_tokens_all() -> QuerySet[DeviceToken]:
    return DeviceToken.objects.select_related("user").order_by("-created_at")


def approving_supervisor(*, username: str, roles: tuple[Role, ...], actor: User) -> User:
    """The active user named ``username`` who approved a best-interests decision: one of ``roles``
    and not ``actor``, who records it (four eyes). Raises :class:`ValidationFailed` on
    ``approved_by``."""
    approver = User.objects.filter(username=username.strip(), is_active=True).first()
    if approver is None or not approver.has_role(*roles):
        raise ValidationFailed.on("approved_by", _("give the username of the supervisor who approved it"))
    if approver.pk == actor.pk:
        raise ValidationFailed.on("approved_by", _("a supervisor other than you approves it"))
    return approver
