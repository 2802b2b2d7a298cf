"""Sign-in, device tokens, lock-out, password hashing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import Client

from hbm.accounts.enums import Role
from hbm.accounts.models import DeviceToken, User
from hbm.accounts.services import user_create
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.core.errors import ValidationFailed
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def _token_request(client: Client, username: str, password: str, device: str = "tablet 1") -> Any:
    return client.post(
        "/api/auth/tokens",
        {"username": username, "password": password, "device_name": device},
        content_type="application/json",
    )


def test_passwords_are_hashed_with_argon2(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]

    user = user_create(
        actor=None,
        username="amina",
        password="a-long-passphrase-42",
        role=Role.BORDER_OFFICER,
        organisation=None,
    )

    assert identify_hasher(user.password).algorithm == "argon2"
    assert user.check_password("a-long-passphrase-42")


def test_weak_password_is_refused_and_nothing_is_written() -> None:
    with pytest.raises(ValidationFailed) as caught:
        user_create(
            actor=None, username="weak", password="12345678", role=Role.BORDER_OFFICER, organisation=None
        )

    assert "password" in caught.value.fields
    assert not User.objects.filter(username="weak").exists()
    assert not AuditEntry.objects.filter(event=AuditEvent.USER_CREATED).exists()


def test_a_device_token_authenticates_api_calls(officer: User) -> None:
    response = _token_request(Client(), "officer", TEST_PASSWORD)

    assert response.status_code == 201
    raw = response.json()["token"]
    me = Client().get("/api/auth/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert me.status_code == 200
    assert me.json()["username"] == "officer"
    token = DeviceToken.objects.get(user=officer)
    assert token.key_hash != raw
    assert raw not in token.key_hash
    assert AuditEntry.objects.filter(event=AuditEvent.TOKEN_CREATED, subject_id=str(token.pk)).count() == 1


def test_a_revoked_token_is_refused_at_once(officer: User) -> None:
    raw = _token_request(Client(), "officer", TEST_PASSWORD).json()["token"]
    token = DeviceToken.objects.get(user=officer)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    revoked = Client().post(f"/api/auth/tokens/{token.pk}/revoke", **bearer)

    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    refused = Client().get("/api/auth/me", **bearer)
    assert refused.status_code == 401
    # A revoked device is told so (and what to do), unlike a token that never existed.
    assert refused.json()["code"] == "device_revoked"
    assert refused.json()["message"].startswith("This device was revoked on ")
    unknown = Client().get("/api/auth/me", HTTP_AUTHORIZATION=f"Bearer {raw[:-4]}xxxx")
    assert unknown.json() == {
        "code": "not_authenticated",
        "message": "sign in or send a valid device token",
        "fields": {},
    }


@pytest.mark.parametrize(
    ("who", "expected"),
    [("owner", 200), ("coordinator", 200), ("other_officer", 404), ("admin", 200)],
)
def test_who_may_revoke_a_device_token(
    who: str, expected: int, officer: User, make_user: Callable[..., User]
) -> None:
    raw = _token_request(Client(), "officer", TEST_PASSWORD).json()["token"]
    token = DeviceToken.objects.get(user=officer)
    revoker = {
        "owner": officer,
        "coordinator": make_user(Role.COORDINATOR, posted=False),
        "other_officer": make_user(Role.BORDER_OFFICER),
        "admin": make_user(Role.ADMIN, posted=False),
    }[who]
    client = Client()
    client.force_login(revoker)

    response = client.post(f"/api/auth/tokens/{token.pk}/revoke")

    assert response.status_code == expected
    token.refresh_from_db()
    assert (token.revoked_at is not None) == (expected == 200)
    assert (Client().get("/api/auth/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200) == (
        expected != 200
    )


def test_wrong_password_is_refused_and_audited(officer: User) -> None:
    response = _token_request(Client(), "officer", "not-the-password")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert not DeviceToken.objects.exists()
    failed = AuditEntry.objects.get(event=AuditEvent.LOGIN_FAILED)
    assert failed.actor_label == "officer"
    assert failed.detail["reason"] == "bad_credentials"


def test_lock_out_after_repeated_failures(officer: User, settings: Any) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert _token_request(client, "officer", "wrong-guess").status_code in {401, 429}

    locked = _token_request(client, "officer", TEST_PASSWORD)

    assert locked.status_code == 429
    assert locked.json()["code"] == "locked_out"
    assert not DeviceToken.objects.exists()


def test_a_deactivated_users_token_stops_working(officer: User) -> None:
    raw = _token_request(Client(), "officer", TEST_PASSWORD).json()["token"]
    officer.is_active = False
    officer.save()

    assert Client().get("/api/auth/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_session_api_writes_need_the_csrf_token(
    officer: User, coordinator: User, crossing_point: Any
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)

    response = client.post(
        f"/api/crossing-points/{crossing_point.pk}/mode",
        {"to_mode": "recovery", "reason": "the surge is over since Monday"},
        content_type="application/json",
    )

    assert response.status_code in {401, 403}
    crossing_point.refresh_from_db()
    assert crossing_point.mode == "emergency"
