"""Signing in and out through the pages: counted, audited, and the demo users only in demo mode."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from tests.factories import TEST_PASSWORD
from tests.web.conftest import World, audit_count

pytestmark = pytest.mark.django_db


def _sign_in(client: Client, username: str, password: str, **extra: Any) -> Any:
    return client.post("/login/", {"username": username, "password": password, **extra})


def test_the_sign_in_page_has_a_focused_username_field() -> None:
    response = Client().get("/login/")

    content = response.content.decode()
    assert response.status_code == 200
    assert '<input type="text" name="username" autocomplete="username" autofocus' in content
    assert 'type="password" name="password"' in content
    assert "csrfmiddlewaretoken" in content


def test_a_right_password_signs_in_and_is_audited(world: World) -> None:
    client = Client()

    response = _sign_in(client, "officer", TEST_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/"
    entry = AuditEntry.objects.filter(event=AuditEvent.LOGIN_SUCCEEDED).latest("seq")
    assert (entry.actor_label, entry.device, entry.subject_id) == (
        "officer",
        "browser",
        str(world.users["officer"].pk),
    )
    assert client.get("/").status_code == 200


def test_sign_in_returns_to_the_page_asked_for_but_never_to_another_site(world: World) -> None:
    wanted = f"/crossing-points/{world.point.pk}/"

    inside = _sign_in(Client(), "officer", TEST_PASSWORD, next=wanted)
    outside = _sign_in(Client(), "officer", TEST_PASSWORD, next="https://attacker.example/")

    assert inside["Location"] == wanted
    assert outside["Location"] == "/"


def test_a_wrong_password_is_refused_with_a_message_and_no_session(world: World) -> None:
    client = Client()

    response = _sign_in(client, "officer", "not-the-password")

    assert response.status_code == 401
    assert "Wrong username or password." in response.content.decode()
    assert "_auth_user_id" not in client.session
    failed = AuditEntry.objects.filter(event=AuditEvent.LOGIN_FAILED).latest("seq")
    assert (failed.actor_label, failed.detail["reason"]) == ("officer", "bad_credentials")
    assert not AuditEntry.objects.filter(event=AuditEvent.LOGIN_SUCCEEDED).exists()


def test_the_wrong_password_message_is_translated(world: World) -> None:
    response = _sign_in(Client(HTTP_ACCEPT_LANGUAGE="fr"), "officer", "not-the-password")

    assert "Nom d’utilisateur ou mot de passe incorrect." in response.content.decode()


def test_too_many_failures_lock_the_account_with_the_translated_page(world: World, settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    for _ in range(2):
        _sign_in(client, "officer", "not-the-password")

    response = _sign_in(client, "officer", TEST_PASSWORD)

    assert response.status_code == 429
    assert 'data-testid="locked-out"' in response.content.decode()
    assert "Trop d’échecs de connexion" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not AuditEntry.objects.filter(event=AuditEvent.LOGIN_SUCCEEDED).exists()


def test_demo_users_are_listed_only_in_demo_mode(settings: Any) -> None:
    from hbm.demo.users import DEMO_USERS

    settings.HBM_DEMO_MODE = False
    hidden = Client().get("/login/").content.decode()
    settings.HBM_DEMO_MODE = True
    shown = Client().get("/login/").content.decode()

    first = DEMO_USERS[0]
    assert 'data-testid="demo-users"' not in hidden
    assert first.password not in hidden
    assert 'data-testid="demo-users"' in shown
    assert f'data-testid="demo-user-{first.username}"' in shown
    assert first.password in shown
    assert str(first.role.label) in shown


def test_the_demo_table_tolerates_a_missing_demo_module(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    settings.HBM_DEMO_MODE = True
    monkeypatch.setitem(sys.modules, "hbm.demo.users", None)  # makes the import raise ImportError

    response = Client().get("/login/")

    assert response.status_code == 200
    assert 'data-testid="demo-users"' not in response.content.decode()


def test_signing_out_is_a_post_and_is_audited(world: World) -> None:
    client = world.client("officer")
    before = audit_count()

    refused = client.get("/logout/")
    response = client.post("/logout/")

    assert refused.status_code == 405
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert audit_count() == before + 1
    entry = AuditEntry.objects.latest("seq")
    assert (entry.event, entry.actor_label) == (AuditEvent.LOGOUT, "officer")
    assert client.get("/").status_code == 302


def test_forms_need_the_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["officer"])
    before = audit_count()

    response = client.post("/logout/")

    assert response.status_code == 403
    assert audit_count() == before
