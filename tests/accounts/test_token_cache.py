"""Decision 0013: a worker trusts a device token it verified for HBM_TOKEN_CACHE_SECONDS, never longer.

"Another worker" is simulated by changing the database behind this process's back (a queryset
update, as a revocation committed by another gunicorn worker looks from here); the cache's clock
is moved by hand.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hbm.accounts import selectors, token_cache
from hbm.accounts.enums import Role
from hbm.accounts.models import DeviceToken, User
from hbm.accounts.services import device_token_create
from hbm.accounts.token_cache import VerifiedTokens
from hbm.core.context import Actor
from hbm.core.time import now

pytestmark = pytest.mark.django_db

BOUND_S = 5.0


class _Clock:
    def __init__(self) -> None:
        self.seconds = 1_000.0

    def __call__(self) -> float:
        return self.seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch, settings: Any) -> _Clock:
    """A fresh table on a hand-moved clock, with the production bound."""
    settings.HBM_TOKEN_CACHE_SECONDS = BOUND_S
    moved = _Clock()
    monkeypatch.setattr(token_cache, "VERIFIED_TOKENS", VerifiedTokens(clock=moved))
    return moved


def _bearer(officer: User) -> tuple[DeviceToken, dict[str, str]]:
    issued = device_token_create(actor=Actor(user=officer), name="tablet 7")
    return issued.token, {"HTTP_AUTHORIZATION": f"Bearer {issued.raw}"}


def _me(bearer: dict[str, str]) -> Any:
    return Client().get("/api/auth/me", **bearer)


def test_a_token_revoked_elsewhere_stops_working_within_the_bound(officer: User, clock: _Clock) -> None:
    token, bearer = _bearer(officer)
    assert _me(bearer).status_code == 200  # verified and remembered at t = 0

    DeviceToken.objects.filter(pk=token.pk).update(revoked_at=now())  # another worker revokes it

    clock.seconds += BOUND_S - 0.001
    assert _me(bearer).status_code == 200  # the stated window: still trusted here, never longer
    clock.seconds += 0.001
    refused = _me(bearer)
    assert refused.status_code == 401
    assert refused.json()["code"] == "device_revoked"


def test_the_bound_runs_from_the_lookup_not_from_the_last_use(officer: User, clock: _Clock) -> None:
    token, bearer = _bearer(officer)
    assert _me(bearer).status_code == 200
    DeviceToken.objects.filter(pk=token.pk).update(revoked_at=now())

    for _ in range(4):  # a busy device does not keep its entry alive
        clock.seconds += BOUND_S / 4 - 0.01
        assert _me(bearer).status_code == 200
    clock.seconds += 0.04

    assert _me(bearer).status_code == 401


def test_a_user_deactivated_elsewhere_is_refused_within_the_bound(officer: User, clock: _Clock) -> None:
    _, bearer = _bearer(officer)
    assert _me(bearer).status_code == 200

    User.objects.filter(pk=officer.pk).update(is_active=False)
    clock.seconds += BOUND_S

    assert _me(bearer).status_code == 401


def test_a_role_changed_elsewhere_applies_within_the_bound(officer: User, clock: _Clock) -> None:
    _, bearer = _bearer(officer)
    assert _me(bearer).json()["role"] == Role.BORDER_OFFICER

    User.objects.filter(pk=officer.pk).update(role=Role.HEALTH_OFFICER)
    clock.seconds += BOUND_S

    assert _me(bearer).json()["role"] == Role.HEALTH_OFFICER


def test_the_worker_that_revokes_a_token_refuses_it_at_once(officer: User, clock: _Clock) -> None:
    token, bearer = _bearer(officer)
    assert _me(bearer).status_code == 200

    revoked = Client().post(f"/api/auth/tokens/{token.pk}/revoke", **bearer)

    assert revoked.status_code == 200
    assert _me(bearer).json()["code"] == "device_revoked"  # same clock reading: no window here


def test_zero_seconds_looks_the_token_up_every_time(officer: User, clock: _Clock, settings: Any) -> None:
    settings.HBM_TOKEN_CACHE_SECONDS = 0
    token, bearer = _bearer(officer)
    assert _me(bearer).status_code == 200

    DeviceToken.objects.filter(pk=token.pk).update(revoked_at=now())

    assert _me(bearer).status_code == 401


def test_what_a_request_sets_on_its_user_does_not_reach_the_next(officer: User, clock: _Clock) -> None:
    raw = device_token_create(actor=Actor(user=officer), name="tablet 8").raw
    first = selectors.device_token_verified(raw=raw)
    assert first is not None
    first.user.first_name = "changed by a request"

    second = selectors.device_token_verified(raw=raw)

    assert second is not None
    assert second.user.first_name == officer.first_name
    assert second.user is not first.user
