"""Writes about people who use HBM: accounts, sign-in, device tokens."""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from hbm.accounts.enums import Role
from hbm.accounts.lockout import locked_out_message
from hbm.accounts.models import DeviceToken, Organisation, User
from hbm.accounts.token_cache import device_token_forget
from hbm.audit.enums import AuditEvent
from hbm.audit.services import audit_record
from hbm.core.context import Actor
from hbm.core.errors import HbmError, NotAuthenticated, NotFound, ValidationFailed
from hbm.core.http import client_address
from hbm.core.time import now

TOKEN_PREFIX = "hbm"  # noqa: S105 - a public prefix, not a secret


class AccountLocked(HbmError):
    status = 429
    code = "locked_out"


def token_hash(raw: str) -> str:
    """Tokens carry 256 bits of randomness, so a fast hash is enough (no need for Argon2)."""
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def user_create(
    *,
    actor: Actor | None,
    username: str,
    password: str,
    role: Role,
    organisation: Organisation | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    check_password: bool = True,
) -> User:
    """Create a user with a validated, Argon2-hashed password."""
    if User.objects.filter(username=username).exists():
        raise ValidationFailed.on("username", _("this username is taken"))
    user = User(
        username=username,
        role=role,
        organisation=organisation,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_staff=role == Role.ADMIN,
    )
    if check_password:
        try:
            validate_password(password, user)
        except DjangoValidationError as exc:
            # Django's validators word their messages in the active language already.
            weak = _("too weak")
            raise ValidationFailed(f"password: {weak}", fields={"password": list(exc.messages)}) from exc
    user.set_password(password)
    user.save()
    audit_record(actor=actor, event=AuditEvent.USER_CREATED, subject=user, detail={"role": role.value})
    return user


def credentials_check(*, request: HttpRequest, username: str, password: str) -> User:
    """The user these credentials name, counted by the lock-out. Raises on failure or lock-out.

    Failed attempts are audited in their own transaction so a refused sign-in still leaves a trace.
    """
    user = authenticate(request, username=username, password=password)
    if getattr(request, "axes_locked_out", False):
        _audit_failed_login(request=request, username=username, reason="locked_out")
        raise AccountLocked(locked_out_message())
    if user is None or not isinstance(user, User):
        _audit_failed_login(request=request, username=username, reason="bad_credentials")
        raise NotAuthenticated(_("wrong username or password"))
    return user


@transaction.atomic
def _audit_failed_login(*, request: HttpRequest, username: str, reason: str) -> None:
    audit_record(
        actor=None,
        actor_label=username[:150],
        event=AuditEvent.LOGIN_FAILED,
        detail={"reason": reason, "address": client_address(request) or ""},
    )


@transaction.atomic
def login_record(*, actor: Actor) -> None:
    audit_record(actor=actor, event=AuditEvent.LOGIN_SUCCEEDED, subject=actor.user)


@transaction.atomic
def logout_record(*, actor: Actor) -> None:
    audit_record(actor=actor, event=AuditEvent.LOGOUT, subject=actor.user)


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: DeviceToken
    raw: str


@transaction.atomic
def device_token_create(*, actor: Actor, name: str) -> IssuedToken:
    """Issue a token for one device of ``actor.user``; the raw value is returned only here."""
    name = name.strip()
    if not name:
        raise ValidationFailed.on("device_name", _("name the device (e.g. 'tablet 3, north lane')"))
    prefix = secrets.token_hex(4)
    raw = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    token = DeviceToken.objects.create(user=actor.user, name=name, prefix=prefix, key_hash=token_hash(raw))
    audit_record(actor=actor, event=AuditEvent.TOKEN_CREATED, subject=token, detail={"name": name})
    return IssuedToken(token=token, raw=raw)


@transaction.atomic
def device_token_revoke(*, actor: Actor, token_id: str) -> DeviceToken:
    """Revoke a token. Its owner, a coordinator or an admin may; anyone else sees 'not found'."""
    token = DeviceToken.objects.select_for_update().filter(pk=token_id).first()
    may_revoke = token is not None and (
        token.user_id == actor.user.pk or actor.user.has_role(Role.COORDINATOR, Role.ADMIN)
    )
    if token is None or not may_revoke:
        raise NotFound(_("no such device token"))
    if token.revoked_at is None:
        token.revoked_at = now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit_record(actor=actor, event=AuditEvent.TOKEN_REVOKED, subject=token)
        # This worker stops trusting it at once (and again at the commit, in case a sibling thread
        # verified it meanwhile); the other workers within HBM_TOKEN_CACHE_SECONDS (decision 0013).
        device_token_forget(key_hash=token.key_hash)
        transaction.on_commit(functools.partial(device_token_forget, key_hash=token.key_hash))
    return token
