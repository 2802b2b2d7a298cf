"""Device tokens (issue once, revoke) and the auditor's page of the audit trail."""

from __future__ import annotations

import re

import pytest

from hbm.accounts.models import DeviceToken
from hbm.accounts.selectors import device_token_authenticate
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.audit.triggers import append_only_disable, append_only_enable
from tests.web.conftest import World, audit_count

pytestmark = pytest.mark.django_db


def test_a_token_is_issued_and_shown_once(world: World) -> None:
    client = world.client("officer")

    response = client.post("/devices/", {"name": "tablet 3, north lane"})

    content = response.content.decode()
    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    raw = re.search(r'data-testid="raw-token">([^<]+)<', content)
    assert raw is not None
    token = DeviceToken.objects.get(user=world.users["officer"])
    assert device_token_authenticate(raw=raw.group(1)) == token
    assert AuditEntry.objects.filter(event=AuditEvent.TOKEN_CREATED, subject_id=str(token.pk)).count() == 1
    assert raw.group(1) not in client.get("/devices/").content.decode()


def test_a_nameless_device_gets_no_token(world: World) -> None:
    before = (audit_count(), DeviceToken.objects.count())

    response = world.client("officer").post("/devices/", {"name": "   "})

    assert response.status_code == 422
    assert 'id="id_name_error"' in response.content.decode()
    assert (audit_count(), DeviceToken.objects.count()) == before


def _issue(world: World, who: str, name: str) -> DeviceToken:
    world.client(who).post("/devices/", {"name": name})
    return DeviceToken.objects.get(name=name)


def test_the_owner_revokes_a_lost_device(world: World) -> None:
    token = _issue(world, "officer", "lost phone")
    client = world.client("officer")

    response = client.post(f"/devices/{token.pk}/revoke")

    token.refresh_from_db()
    assert response.status_code == 302
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(event=AuditEvent.TOKEN_REVOKED, subject_id=str(token.pk)).count() == 1
    assert (
        "Revoked: the token of “lost phone” is refused from now on."
        in client.get("/devices/").content.decode()
    )


def test_another_officer_cannot_revoke_nor_see_the_token(world: World) -> None:
    token = _issue(world, "officer", "tablet 1")
    before = audit_count()

    listing = world.client("screener").get("/devices/").content.decode()
    response = world.client("screener").post(f"/devices/{token.pk}/revoke")

    token.refresh_from_db()
    assert "tablet 1" not in listing
    assert response.status_code == 404
    assert token.revoked_at is None
    assert audit_count() == before


def test_a_coordinator_sees_and_revokes_every_device(world: World) -> None:
    token = _issue(world, "officer", "tablet 7")

    listing = world.client("coordinator").get("/devices/").content.decode()
    response = world.client("coordinator").post(f"/devices/{token.pk}/revoke")

    assert f'data-testid="revoke-{token.pk}"' in listing
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_auditor_reads_the_trail_and_the_chain_verdict(world: World) -> None:
    response = world.client("auditor").get("/audit/", {"event": AuditEvent.PERSON_REGISTERED.value})

    content = response.content.decode()
    registered = AuditEntry.objects.get(event=AuditEvent.PERSON_REGISTERED)
    assert response.status_code == 200
    assert 'data-testid="chain-verdict" data-intact="true"' in content
    assert f"{AuditEntry.objects.count()} entries verified" in content
    assert f'data-testid="audit-entry-{registered.seq}"' in content
    assert content.count('data-testid="audit-entry-') == 1


def test_the_auditor_sees_a_broken_chain(world: World) -> None:
    from django.db import connection

    append_only_disable(connection)
    try:
        AuditEntry.objects.filter(seq=2).update(actor_label="mallory")
    finally:
        append_only_enable(connection)

    content = world.client("auditor").get("/audit/").content.decode()

    assert 'data-intact="false"' in content
    assert "entry #2 was altered" in content


def test_reading_a_persons_history_is_audited_with_its_reader(world: World) -> None:
    before = audit_count()

    response = world.client("auditor").get("/audit/", {"subject_id": str(world.person.pk)})

    assert response.status_code == 200
    written = [(e.event, e.actor, e.detail) for e in AuditEntry.objects.filter(seq__gt=before)]
    assert written == [(AuditEvent.AUDIT_READ, world.users["auditor"], {"subject_id": str(world.person.pk)})]


@pytest.mark.parametrize("who", ["officer", "coordinator", "admin"])
def test_a_refused_read_of_the_trail_is_audited_once_and_shows_nothing(world: World, who: str) -> None:
    before = audit_count()

    response = world.client(who).get("/audit/", {"subject_id": str(world.person.pk)})

    content = response.content.decode()
    assert response.status_code == 403
    assert 'data-status="403"' in content
    assert 'data-testid="audit-entry-' not in content
    written = [(e.event, e.actor, e.detail) for e in AuditEntry.objects.filter(seq__gt=before)]
    assert written == [
        (AuditEvent.ACCESS_REFUSED, world.users[who], {"kind": "audit_entries", "id": str(world.person.pk)})
    ]
