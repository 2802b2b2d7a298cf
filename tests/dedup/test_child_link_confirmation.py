"""A child's records are linked on two judgements (decision 0031): the adjudicator who links them,
and a second one who confirms — or, where the checks linked them alone, one adjudicator who
confirms. Until then the link is not in force: the records are two persons. Who may not confirm
is refused and nothing is written."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest
from django.db import connection
from django.test import override_settings

from hbm.accounts.models import User
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.cli import main
from hbm.core.context import Actor
from hbm.core.errors import Conflict, NotFound, PermissionDenied
from hbm.dedup.enums import CandidateStatus, Ruling, Verdict
from hbm.dedup.models import Adjudication, MatchCandidate
from hbm.dedup.selectors import links_to_confirm, person_same_as
from hbm.dedup.services import (
    adjudication_undo,
    candidate_adjudicate,
    candidate_confirm,
    dedup_pending_process,
    group_adjudicate,
)
from hbm.registration.models import Person
from tests.conftest import client_for
from tests.dedup.conftest import registered_twice
from tests.migrating import migrated_back_to

pytestmark = pytest.mark.django_db

CHECKED = "birth certificate and the mother's account agree"


@pytest.fixture
def first(decider: Callable[[str, tuple[str, ...]], User]) -> Actor:
    return Actor(user=decider("screening_officer", ("here",)), device="test")


@pytest.fixture
def second(decider: Callable[[str, tuple[str, ...]], User]) -> Actor:
    return Actor(user=decider("coordinator", ()), device="test")


@pytest.fixture
def linked(child_pair: MatchCandidate, first: Actor) -> Adjudication:
    """The girl's two records linked by a screening officer, waiting for a second adjudicator."""
    return candidate_adjudicate(actor=first, candidate_id=child_pair.pk, ruling=Ruling.SAME, reason=CHECKED)


def _confirmed_entries() -> int:
    return AuditEntry.objects.filter(event=AuditEvent.DUPLICATE_CONFIRMED).count()


def test_a_link_of_a_childs_records_waits_for_a_second_adjudicator_and_is_not_in_force(
    child_pair: MatchCandidate, linked: Adjudication
) -> None:
    child_pair.refresh_from_db()

    assert child_pair.status == CandidateStatus.CONFIRM
    assert person_same_as(person=child_pair.person_low) == []
    assert linked.confirmed_by is None
    decided = AuditEntry.objects.get(event=AuditEvent.DUPLICATE_DECIDED)
    assert decided.detail["to_confirm"] is True


def test_the_adjudicator_who_linked_them_cannot_confirm_and_nothing_is_written(
    child_pair: MatchCandidate, linked: Adjudication, first: Actor
) -> None:
    with pytest.raises(PermissionDenied):
        candidate_confirm(actor=first, candidate_id=child_pair.pk)

    child_pair.refresh_from_db()
    linked.refresh_from_db()
    assert child_pair.status == CandidateStatus.CONFIRM
    assert (linked.confirmed_by, linked.confirmed_at) == (None, None)
    assert _confirmed_entries() == 0
    assert links_to_confirm(actor=first).count() == 0


def test_a_second_adjudicator_confirms_and_the_records_are_one_person(
    child_pair: MatchCandidate, linked: Adjudication, second: Actor
) -> None:
    assert list(links_to_confirm(actor=second)) == [child_pair]

    confirmed = candidate_confirm(actor=second, candidate_id=child_pair.pk)

    assert confirmed.pk == linked.pk
    assert confirmed.confirmed_by == second.user
    assert confirmed.confirmed_at is not None
    child_pair.refresh_from_db()
    assert child_pair.status == CandidateStatus.SAME
    assert person_same_as(person=child_pair.person_low) == [child_pair.person_high_id]
    entry = AuditEntry.objects.get(event=AuditEvent.DUPLICATE_CONFIRMED)
    assert (entry.actor_id, entry.detail) == (second.user.pk, {"adjudication": str(linked.pk)})
    assert links_to_confirm(actor=second).count() == 0


def test_a_retried_confirmation_gets_the_first_answer_and_writes_nothing(
    child_pair: MatchCandidate, linked: Adjudication, second: Actor
) -> None:
    first_answer = candidate_confirm(actor=second, candidate_id=child_pair.pk)

    again = candidate_confirm(actor=second, candidate_id=child_pair.pk)

    assert (again.pk, again.confirmed_at) == (first_answer.pk, first_answer.confirmed_at)
    assert _confirmed_entries() == 1


def test_a_pair_that_waits_for_no_confirmation_is_a_conflict(
    child_pair: MatchCandidate, second: Actor
) -> None:
    with pytest.raises(Conflict):
        candidate_confirm(actor=second, candidate_id=child_pair.pk)
    assert _confirmed_entries() == 0


@pytest.mark.parametrize(
    ("role", "posted_at"),
    [
        ("border_officer", ("here",)),
        ("health_officer", ("here",)),
        ("screening_officer", ("there",)),  # may not see the girl's records
        ("admin", ()),
    ],
)
def test_who_may_not_decide_the_pair_may_not_confirm_it(
    child_pair: MatchCandidate,
    linked: Adjudication,
    decider: Callable[[str, tuple[str, ...]], User],
    role: str,
    posted_at: tuple[str, ...],
) -> None:
    outsider = Actor(user=decider(role, posted_at), device="test")
    refused_before = AuditEntry.objects.filter(event=AuditEvent.ACCESS_REFUSED).count()

    with pytest.raises(NotFound):
        candidate_confirm(actor=outsider, candidate_id=child_pair.pk)

    child_pair.refresh_from_db()
    assert child_pair.status == CandidateStatus.CONFIRM
    assert _confirmed_entries() == 0
    assert AuditEntry.objects.filter(event=AuditEvent.ACCESS_REFUSED).count() == refused_before + 1


def test_the_second_adjudicator_refuses_the_link_by_undoing_it(
    child_pair: MatchCandidate, linked: Adjudication, second: Actor
) -> None:
    adjudication_undo(actor=second, adjudication_id=linked.pk)

    child_pair.refresh_from_db()
    assert child_pair.status == CandidateStatus.OPEN
    with pytest.raises(Conflict):
        candidate_confirm(actor=second, candidate_id=child_pair.pk)


def test_a_link_of_adults_is_in_force_at_once(split_pair: MatchCandidate, second: Actor) -> None:
    assert not split_pair.involves_child

    candidate_adjudicate(actor=second, candidate_id=split_pair.pk, ruling=Ruling.SAME)

    split_pair.refresh_from_db()
    assert split_pair.status == CandidateStatus.SAME


def test_a_deployment_that_switches_confirmation_off_links_a_child_on_one_judgement(
    child_pair: MatchCandidate, first: Actor
) -> None:
    with override_settings(HBM_CHILD_LINK_CONFIRMATION=False):
        candidate_adjudicate(actor=first, candidate_id=child_pair.pk, ruling=Ruling.SAME, reason=CHECKED)

    child_pair.refresh_from_db()
    assert child_pair.status == CandidateStatus.SAME


def test_the_checks_own_link_of_a_child_waits_for_one_adjudicator(
    register: Callable[..., Person], first: Actor
) -> None:
    pair = registered_twice(register, "Sofiia", date(2020, 8, 16))
    assert (pair.verdict, pair.status) == (Verdict.SAME, CandidateStatus.CONFIRM)
    assert person_same_as(person=pair.person_low) == []

    candidate_confirm(actor=first, candidate_id=pair.pk)

    pair.refresh_from_db()
    assert pair.status == CandidateStatus.SAME


def test_a_group_answer_linking_a_child_leaves_the_link_to_confirm(
    child_pair: MatchCandidate, first: Actor
) -> None:
    letters = {child_pair.person_low_id: "A", child_pair.person_high_id: "A"}

    [decision] = group_adjudicate(actor=first, candidate_ids=[child_pair.pk], letters=letters, reason=CHECKED)

    assert decision.ruling == Ruling.SAME
    child_pair.refresh_from_db()
    assert child_pair.status == CandidateStatus.CONFIRM


def test_a_group_answer_may_not_part_records_whose_link_waits_for_confirmation(
    register: Callable[..., Person], first: Actor
) -> None:
    """The girl registered three times: two records linked, waiting; the third's pairs open."""
    for given in ("Sofiia", "Sofia", "Sofiya"):
        register(given, "Pavlenko", nationality="UKR", date_of_birth=date(2020, 8, 16))
    dedup_pending_process()
    pairs = list(MatchCandidate.objects.order_by("created_at"))
    assert len(pairs) == 3
    waiting = pairs[0]
    candidate_adjudicate(actor=first, candidate_id=waiting.pk, ruling=Ruling.SAME, reason=CHECKED)
    others = [p for p in pairs if p.pk != waiting.pk]
    [third] = {p for pair in others for p in (pair.person_low_id, pair.person_high_id)} - {
        waiting.person_low_id,
        waiting.person_high_id,
    }
    letters = {waiting.person_low_id: "A", waiting.person_high_id: "B", third: "A"}

    with pytest.raises(Conflict) as refused:
        group_adjudicate(actor=first, candidate_ids=[p.pk for p in others], letters=letters, reason=CHECKED)

    assert "waiting for a second adjudicator" in refused.value.message
    assert Adjudication.objects.count() == 1
    # The group screen proposes the waiting records one letter, and says why.
    page = client_for(first.user).get(f"/duplicates/{others[0].pk}/group/").content.decode()
    assert page.count('data-testid="waiting-') == 2
    assert page.count('<option value="A" selected>') == 2


def test_the_api_confirms_for_a_second_adjudicator_only(
    child_pair: MatchCandidate, linked: Adjudication, first: Actor, second: Actor
) -> None:
    url = f"/api/dedup/candidates/{child_pair.pk}/confirm"

    refused = client_for(first.user).post(url)
    queue_first = client_for(first.user).get("/api/dedup/groups").json()
    queue_second = client_for(second.user).get("/api/dedup/groups").json()
    listed = client_for(second.user).get("/api/dedup/candidates?status=confirm").json()
    confirmed = client_for(second.user).post(url)

    assert refused.status_code == 403
    assert (queue_first["to_confirm"], queue_second["to_confirm"]) == (0, 1)
    assert [pair["id"] for pair in listed] == [str(child_pair.pk)]
    assert confirmed.status_code == 200
    body = confirmed.json()
    assert (body["id"], body["confirmed_by"]) == (str(linked.pk), second.user.username)


def test_the_pair_page_asks_a_second_adjudicator_to_confirm_and_tells_the_first_to_wait(
    child_pair: MatchCandidate, linked: Adjudication, first: Actor, second: Actor
) -> None:
    page_first = client_for(first.user).get(f"/duplicates/{child_pair.pk}/").content.decode()
    page_second = client_for(second.user).get(f"/duplicates/{child_pair.pk}/").content.decode()
    queue_second = client_for(second.user).get("/duplicates/").content.decode()
    homes = [client_for(actor.user).get("/").content.decode() for actor in (first, second)]
    posted = client_for(second.user).post(f"/duplicates/{child_pair.pk}/confirm", follow=True)

    assert 'data-testid="linked-by-me"' in page_first
    assert 'data-testid="confirm"' not in page_first
    assert 'data-testid="confirm"' in page_second
    assert CHECKED.replace("'", "&#x27;") in page_second
    assert 'data-testid="links-to-confirm"' in queue_second
    assert ['data-testid="links-to-confirm"' in home for home in homes] == [False, True]
    assert "the records are linked as one person" in posted.content.decode()
    assert f'data-testid="confirmed-{linked.pk}"' in posted.content.decode()
    child_pair.refresh_from_db()
    assert child_pair.status == CandidateStatus.SAME


def test_deciding_a_childs_link_on_the_page_says_it_waits(child_pair: MatchCandidate, first: Actor) -> None:
    posted = client_for(first.user).post(
        f"/duplicates/{child_pair.pk}/decide", {"ruling": "same", "reason": CHECKED}, follow=True
    )

    assert "the link takes effect once a second adjudicator confirms it" in posted.content.decode()


def test_the_command_line_counts_the_links_waiting(
    child_pair: MatchCandidate, linked: Adjudication, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["dedup", "status"]) == 0

    assert json.loads(capsys.readouterr().out)["links_to_confirm"] == 1


@pytest.mark.django_db(transaction=True)
def test_migrating_back_puts_the_links_waiting_back_in_the_queue(
    child_pair: MatchCandidate, linked: Adjudication
) -> None:
    with migrated_back_to("dedup", "0005"), connection.cursor() as cursor:
        cursor.execute("SELECT status FROM dedup_matchcandidate")
        assert cursor.fetchall() == [("open",)]  # the code of before knows no 'confirm'
