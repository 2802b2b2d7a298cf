"""A person's page says where they stand with the duplicate check: waiting, checked (when), being
re-checked by a sweep, and how many possible duplicates of theirs wait for a decision. Who they are
is shown only to those who decide them, and only pairs whose two records they may both see."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from hbm.accounts.models import User
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.dedup.models import MatchCandidate
from hbm.dedup.services import dedup_pending_process, population_recheck
from hbm.registration.models import Person

pytestmark = pytest.mark.django_db


def _page(client: Client, person_id: object) -> str:
    response = client.get(f"/persons/{person_id}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_says_whether_the_person_was_checked(
    register: Callable[..., Person], officer: User, api: Callable[[User | None], Client]
) -> None:
    person = register("Yusuf", "Haddad")
    client = api(officer)

    assert "Waiting for its duplicate check" in _page(client, person.pk)

    dedup_pending_process()
    assert "Checked for duplicates on" in _page(client, person.pk)

    population_recheck()
    assert "Being checked again" in _page(client, person.pk)


def test_a_border_officer_learns_that_a_duplicate_waits_not_who(
    split_pair: MatchCandidate,
    decider: Callable[[str, tuple[str, ...]], User],
    api: Callable[[User | None], Client],
) -> None:
    officer = decider("border_officer", ("here", "there"))
    page = _page(api(officer), split_pair.person_low_id)

    assert "1 possible duplicate of this record waits for a decision" in page
    assert 'data-testid="duplicate-pairs"' not in page
    body = api(officer).get(f"/api/dedup/persons/{split_pair.person_low_id}").json()
    assert (body["waiting"], body["pairs"]) == (1, [])


def test_who_decides_is_shown_the_pair_on_either_record(
    split_pair: MatchCandidate,
    decider: Callable[[str, tuple[str, ...]], User],
    api: Callable[[User | None], Client],
) -> None:
    screener = decider("screening_officer", ("here", "there"))
    low, high = split_pair.person_low, split_pair.person_high

    for shown, other in ((low, high), (high, low)):
        page = _page(api(screener), shown.pk)
        assert f"/duplicates/{split_pair.pk}/" in page
        assert f"{other.surname_latin}, {other.given_names_latin}" in page
    body = api(screener).get(f"/api/dedup/persons/{low.pk}").json()
    assert [pair["id"] for pair in body["pairs"]] == [str(split_pair.pk)]
    assert body["checked_at"] is not None
    assert body["being_rechecked"] is False


def test_a_decider_who_sees_one_record_only_is_given_the_count_not_the_pair(
    split_pair: MatchCandidate,
    decider: Callable[[str, tuple[str, ...]], User],
    api: Callable[[User | None], Client],
) -> None:
    screener = decider("screening_officer", ("here",))
    here = (
        split_pair.person_low
        if split_pair.person_low.registered_at.staff.filter(pk=screener.pk).exists()
        else split_pair.person_high
    )

    page = _page(api(screener), here.pk)

    assert "1 possible duplicate of this record waits for a decision" in page
    assert f"/duplicates/{split_pair.pk}/" not in page
    assert api(screener).get(f"/api/dedup/persons/{here.pk}").json()["pairs"] == []


def test_a_person_out_of_reach_is_refused_and_the_refusal_audited(
    split_pair: MatchCandidate,
    decider: Callable[[str, tuple[str, ...]], User],
    api: Callable[[User | None], Client],
) -> None:
    nowhere = decider("screening_officer", ())

    refused = api(nowhere).get(f"/api/dedup/persons/{split_pair.person_low_id}")

    assert refused.status_code in (403, 404)
    assert AuditEntry.objects.filter(actor=nowhere, event=AuditEvent.ACCESS_REFUSED).exists()
    assert not AuditEntry.objects.filter(actor=nowhere, event=AuditEvent.PERSON_VIEWED).exists()


def test_the_status_is_translated(
    register: Callable[..., Person], officer: User, api: Callable[[User | None], Client]
) -> None:
    person = register("Yusuf", "Haddad")
    client = api(officer)
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})

    page = _page(client, person.pk)

    assert "Contrôle des doublons" in page
    assert "En attente de son contrôle des doublons" in page
