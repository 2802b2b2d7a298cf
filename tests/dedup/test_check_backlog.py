"""Whether the duplicate checks keep up is visible: persons waiting for their check, since when the
longest has waited (a warning past ten minutes: is the checker running?), and what a sweep has left
— on the duplicates page, through the API and on the command line; counts only, and only for those
who decide duplicates."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client

from hbm.accounts.models import User
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.cli import main
from hbm.core.context import Actor
from hbm.core.errors import PermissionDenied
from hbm.core.time import now
from hbm.dedup.selectors import check_backlog
from hbm.dedup.services import dedup_pending_process, population_recheck
from hbm.registration.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(coordinator: User) -> Actor:
    return Actor(user=coordinator, device="test")


def _waited(person: Person, minutes: int) -> None:
    """As if ``person`` had been registered ``minutes`` ago and never checked."""
    Person.objects.filter(pk=person.pk).update(updated_at=now() - timedelta(minutes=minutes))


def test_the_backlog_counts_the_persons_waiting_and_the_sweeps_rest(
    register: Callable[..., Person], reader: Actor
) -> None:
    first = register("Yusuf", "Haddad")
    register("Omar", "Haddad")

    backlog = check_backlog(actor=reader)
    assert (backlog.waiting, backlog.swept) == (2, 0)
    assert backlog.oldest_since == Person.objects.get(pk=first.pk).updated_at
    assert not backlog.behind

    dedup_pending_process()
    population_recheck()
    register("Ali", "Karimi")

    backlog = check_backlog(actor=reader)
    assert (backlog.waiting, backlog.swept) == (1, 2)


def test_a_registration_waiting_more_than_ten_minutes_means_the_checks_are_behind(
    register: Callable[..., Person], reader: Actor
) -> None:
    _waited(register("Yusuf", "Haddad"), minutes=9)
    assert not check_backlog(actor=reader).behind

    _waited(register("Omar", "Haddad"), minutes=11)

    assert check_backlog(actor=reader).behind


def test_the_duplicates_page_says_how_far_the_checks_are_behind(
    register: Callable[..., Person], coordinator: User
) -> None:
    client = Client()
    client.force_login(coordinator)
    register("Yusuf", "Haddad")
    dedup_pending_process()

    assert "Every registration and change has been checked" in client.get("/duplicates/").content.decode()

    population_recheck()
    _waited(register("Omar", "Haddad"), minutes=12)
    page = client.get("/duplicates/").content.decode()

    assert "1 registration or change waits for its duplicate check, for 12" in page
    assert "The checks are falling behind" in page
    assert "1 person still to go" in page


def test_the_api_gives_the_backlog_to_those_who_decide_duplicates_only(
    register: Callable[..., Person], coordinator: User, officer: User, api: Callable[[User | None], Client]
) -> None:
    register("Yusuf", "Haddad")

    body = api(coordinator).get("/api/dedup/checks").json()
    refused = api(officer).get("/api/dedup/checks")

    assert (body["waiting"], body["behind"], body["swept"]) == (1, False, 0)
    assert body["oldest_since"] is not None
    assert refused.status_code == 403
    assert AuditEntry.objects.filter(actor=officer, event=AuditEvent.ACCESS_REFUSED).exists()
    with pytest.raises(PermissionDenied):
        check_backlog(actor=Actor(user=officer, device="test"))


def test_the_command_line_prints_the_backlog(
    register: Callable[..., Person], capsys: pytest.CaptureFixture[str]
) -> None:
    register("Yusuf", "Haddad")

    assert main(["dedup", "status"]) == 0

    printed = json.loads(capsys.readouterr().out)
    assert (printed["waiting"], printed["behind"], printed["swept"]) == (1, False, 0)


@pytest.mark.parametrize(
    ("language", "said"),
    [("fr", "attend son contrôle des doublons"), ("ar", "ينتظر التحقق من التكرار")],
)
def test_the_backlog_line_is_translated(
    register: Callable[..., Person],
    coordinator: User,
    api: Callable[[User | None], Client],
    language: str,
    said: str,
) -> None:
    client = api(coordinator)
    client.post("/i18n/setlang/", {"language": language, "next": "/duplicates/"})
    register("Yusuf", "Haddad")

    page = client.get("/duplicates/").content.decode()

    assert said in page
    assert "duplicate check" not in page


def test_the_home_page_warns_those_who_decide_duplicates_when_the_checks_fall_behind(
    register: Callable[..., Person], coordinator: User, officer: User, api: Callable[[User | None], Client]
) -> None:
    waiting = register("Yusuf", "Haddad")
    assert 'data-testid="home-checks-behind"' not in api(coordinator).get("/").content.decode()

    _waited(waiting, minutes=15)
    home = api(coordinator).get("/").content.decode()
    officers_home = api(officer).get("/").content.decode()

    assert 'data-testid="home-checks-behind"' in home
    assert "The checks are falling behind" in home
    assert "The checks are falling behind" not in officers_home  # a border officer does not decide them
    assert not AuditEntry.objects.filter(actor=officer, event=AuditEvent.ACCESS_REFUSED).exists()
