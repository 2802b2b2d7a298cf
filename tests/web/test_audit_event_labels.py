"""The auditor reads audit events by their labels, in the chosen language; the API gives both."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import translation

from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from tests.web.conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_reset() -> Iterator[None]:
    yield
    translation.activate("en")


def test_the_auditor_reads_each_event_by_its_label_in_french(world: World) -> None:
    client = world.client("auditor")
    assert client.post("/i18n/setlang/", {"language": "fr", "next": "/"}).status_code == 302

    content = client.get("/audit/", {"event": AuditEvent.PERSON_REGISTERED.value}).content.decode()

    assert "Personne enregistrée" in content
    assert AuditEvent.PERSON_REGISTERED.value in content
    assert '<optgroup label="Enregistrement">' in content


def test_the_api_gives_the_label_beside_the_code(world: World) -> None:
    auditor = Client()
    auditor.force_login(world.users["auditor"])

    entries = auditor.get("/api/audit/entries", {"event": AuditEvent.PERSON_REGISTERED.value}).json()["items"]

    stored = AuditEntry.objects.filter(event=AuditEvent.PERSON_REGISTERED).count()
    assert len(entries) == stored >= 1
    assert {(e["event"], e["event_label"]) for e in entries} == {
        (AuditEvent.PERSON_REGISTERED.value, "Person registered")
    }
