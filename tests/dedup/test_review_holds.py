"""Several adjudicators on one queue: a group one of them reviews is held for them, the others are
given another group, and a decision on records someone else is reviewing waits (decision 0025).
Through the real checks: two sets of namesakes make two review groups."""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Callable
from datetime import timedelta
from random import Random

import pytest
from django.db import connection
from django.test import Client

from hbm.accounts.models import User
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.core.context import Actor
from hbm.core.errors import Conflict, NotFound
from hbm.core.time import now
from hbm.dedup.enums import CandidateStatus, Ruling
from hbm.dedup.holds import REVIEW_MINUTES, ReviewHeld, group_release, group_take, review_next
from hbm.dedup.models import MatchCandidate
from hbm.dedup.selectors import review_queue
from hbm.dedup.services import candidate_adjudicate, dedup_pending_process, group_adjudicate
from hbm.engines.matching import review_groups
from hbm.registration.models import Person
from tests.api.conftest import assert_matches_openapi
from tests.conftest import client_for
from tests.dedup.builders import open_pair, unrelated_people

pytestmark = pytest.mark.django_db

AHMADI = [("Mohammad", "Ahmadi"), ("Mohammed", "Ahmadi"), ("Muhammad", "Ahmady")]
HADDAD = [("Yusuf", "Haddad"), ("Youssef", "Haddad"), ("Yousef", "Hadad")]


@pytest.fixture
def two_groups(register: Callable[..., Person]) -> list[list[Person]]:
    """Two sets of three namesakes, each set one review group of three pairs."""
    sets = [
        [
            register(given, surname, nationality=nationality, date_of_birth=None, birth_year=year)
            for given, surname in names
        ]
        for names, nationality, year in ((AHMADI, "AFG", 1990), (HADDAD, "SYR", 1985))
    ]
    dedup_pending_process()
    assert MatchCandidate.objects.filter(status=CandidateStatus.OPEN).count() == 6
    return sets


@pytest.fixture
def adjudicators(make_user: Callable[..., User]) -> tuple[Actor, Actor, Actor]:
    users = [
        make_user(
            "coordinator", username=name, first_name=name.title(), last_name="Adjudicator", posted=False
        )
        for name in ("amina", "boris", "chloe")
    ]
    a, b, c = (Actor(user=user, device="test") for user in users)
    return a, b, c


def _group_ids(taken: object) -> list:
    pair = MatchCandidate.objects.get(pk=taken[0] if isinstance(taken, list) else taken)
    persons = {pair.person_low_id, pair.person_high_id}
    group = MatchCandidate.objects.filter(status=CandidateStatus.OPEN, person_low__in=persons) | (
        MatchCandidate.objects.filter(status=CandidateStatus.OPEN, person_high__in=persons)
    )
    return list(group.values_list("pk", flat=True).distinct())


def _persons_of(ids: list) -> set:
    pairs = MatchCandidate.objects.filter(pk__in=ids)
    return {p for pair in pairs.values_list("person_low_id", "person_high_id") for p in pair}


def _letters(ids: list, answer: str = "A") -> dict:
    return {person: answer for person in _persons_of(ids)}


def test_three_adjudicators_asking_for_the_next_group_are_given_two_groups_and_then_none(
    two_groups: list[list[Person]], adjudicators: tuple[Actor, Actor, Actor]
) -> None:
    a, b, c = adjudicators

    first, second, third = review_next(actor=a), review_next(actor=b), review_next(actor=c)

    assert first is not None
    assert second is not None
    assert third is None
    held_a = MatchCandidate.objects.filter(reviewer=a.user)
    held_b = MatchCandidate.objects.filter(reviewer=b.user)
    assert (held_a.count(), held_b.count()) == (3, 3)
    assert _persons_of(list(held_a.values_list("pk", flat=True))) != _persons_of(
        list(held_b.values_list("pk", flat=True))
    )
    until = held_a.first().review_until  # type: ignore[union-attr]
    assert until is not None
    assert timedelta(minutes=REVIEW_MINUTES - 1) < until - now() <= timedelta(minutes=REVIEW_MINUTES)


def test_the_first_group_in_review_order_goes_to_the_first_who_asks(
    two_groups: list[list[Person]], adjudicators: tuple[Actor, Actor, Actor]
) -> None:
    a, _, _ = adjudicators
    queue_first = review_queue(actor=a).groups[0]

    first = review_next(actor=a)

    assert first == [pair.pk for pair in queue_first.pairs]
    assert set(MatchCandidate.objects.filter(reviewer=a.user).values_list("pk", flat=True)) == {
        pair.pk for pair in queue_first.pairs
    }


def test_a_decision_on_records_another_is_reviewing_is_refused_naming_them_and_nothing_is_written(
    two_groups: list[list[Person]], adjudicators: tuple[Actor, Actor, Actor]
) -> None:
    a, b, _ = adjudicators
    ids = _group_ids(review_next(actor=a))
    decided_before = AuditEntry.objects.filter(event=AuditEvent.DUPLICATE_DECIDED).count()

    with pytest.raises(ReviewHeld, match="Amina Adjudicator is reviewing these records until"):
        group_adjudicate(actor=b, candidate_ids=ids, letters=_letters(ids))
    with pytest.raises(ReviewHeld):
        candidate_adjudicate(actor=b, candidate_id=ids[0], ruling=Ruling.DISTINCT)
    with pytest.raises(ReviewHeld):
        group_take(actor=b, candidate_ids=ids)

    assert MatchCandidate.objects.filter(pk__in=ids, status=CandidateStatus.OPEN).count() == 3
    assert set(MatchCandidate.objects.filter(pk__in=ids).values_list("reviewer", flat=True)) == {a.user.pk}
    assert AuditEntry.objects.filter(event=AuditEvent.DUPLICATE_DECIDED).count() == decided_before


def test_the_holder_decides_and_the_hold_ends_with_the_decision(
    two_groups: list[list[Person]], adjudicators: tuple[Actor, Actor, Actor]
) -> None:
    a, _, _ = adjudicators
    ids = _group_ids(review_next(actor=a))

    decisions = group_adjudicate(actor=a, candidate_ids=ids, letters=_letters(ids))

    assert len(decisions) == 3
    pairs = MatchCandidate.objects.filter(pk__in=ids)
    assert set(pairs.values_list("status", "reviewer", "review_until")) == {
        (CandidateStatus.SAME, None, None)
    }


def test_a_hold_past_its_time_no_longer_stops_anyone(
    two_groups: list[list[Person]], adjudicators: tuple[Actor, Actor, Actor]
) -> None:
    a, b, c = adjudicators
    ids = _group_ids(review_next(actor=a))
    review_next(actor=b)
    MatchCandidate.objects.filter(pk__in=ids).update(review_until=now() - timedelta(seconds=1))

    again = review_next(actor=c)

    assert again is not None
    assert sorted(again, key=str) == sorted(ids, key=str)
    assert candidate_adjudicate(actor=c, candidate_id=again[0], ruling=Ruling.DISTINCT) is not None


def test_letting_go_gives_the_group_to_the_next_who_asks_and_leaves_others_holds_alone(
    two_groups: list[list[Person]], adjudicators: tuple[Actor, Actor, Actor]
) -> None:
    a, b, c = adjudicators
    ids_a = _group_ids(review_next(actor=a))
    ids_b = _group_ids(review_next(actor=b))

    assert group_release(actor=c, candidate_ids=ids_a + ids_b) == 0
    assert group_release(actor=a, candidate_ids=ids_a) == 3

    assert sorted(_group_ids(review_next(actor=c)), key=str) == sorted(ids_a, key=str)


def test_review_next_resumes_ones_own_group_before_a_more_urgent_one_that_came_free(
    two_groups: list[list[Person]], adjudicators: tuple[Actor, Actor, Actor]
) -> None:
    a, b, _ = adjudicators
    first = review_next(actor=a)
    second = review_next(actor=b)
    assert first is not None
    group_release(actor=a, candidate_ids=first)

    assert review_next(actor=b) == second


def test_opening_ones_own_group_again_renews_the_hold(
    two_groups: list[list[Person]], adjudicators: tuple[Actor, Actor, Actor]
) -> None:
    a, _, _ = adjudicators
    ids = _group_ids(review_next(actor=a))
    MatchCandidate.objects.filter(pk__in=ids).update(review_until=now() + timedelta(minutes=1))

    until = group_take(actor=a, candidate_ids=ids)

    assert until - now() > timedelta(minutes=REVIEW_MINUTES - 1)
    assert set(MatchCandidate.objects.filter(pk__in=ids).values_list("review_until", flat=True)) == {until}


def test_a_group_decided_meanwhile_cannot_be_taken(
    two_groups: list[list[Person]], adjudicators: tuple[Actor, Actor, Actor]
) -> None:
    a, b, _ = adjudicators
    ids = _group_ids(review_queue(actor=a).groups[0].first.pk)
    candidate_adjudicate(actor=b, candidate_id=ids[0], ruling=Ruling.DISTINCT)

    with pytest.raises(Conflict, match="decided meanwhile"):
        group_take(actor=a, candidate_ids=ids)


def test_an_adjudicator_posted_elsewhere_cannot_take_records_out_of_reach(
    two_groups: list[list[Person]],
    adjudicators: tuple[Actor, Actor, Actor],
    make_user: Callable[..., User],
    other_crossing_point: object,
) -> None:
    a, _, _ = adjudicators
    elsewhere = make_user("screening_officer", posted=False)
    other_crossing_point.staff.add(elsewhere)  # type: ignore[attr-defined]
    outsider = Actor(user=elsewhere, device="test")
    ids = _group_ids(review_queue(actor=a).groups[0].first.pk)

    with pytest.raises(NotFound):
        group_take(actor=outsider, candidate_ids=ids)

    assert review_next(actor=outsider) is None
    assert not MatchCandidate.objects.filter(reviewer=elsewhere).exists()
    refused = AuditEntry.objects.filter(event=AuditEvent.ACCESS_REFUSED, actor=elsewhere)
    assert [entry.detail["kind"] for entry in refused] == ["duplicate"]


@pytest.mark.django_db(transaction=True)
def test_two_adjudicators_taking_one_group_at_the_same_moment_one_is_refused(
    register: Callable[..., Person], make_user: Callable[..., User]
) -> None:
    if not connection.features.has_select_for_update:
        pytest.skip("SQLite has one writer at a time: the takes cannot overlap there")
    for given, surname in AHMADI:
        register(given, surname, nationality="AFG", date_of_birth=None, birth_year=1990)
    dedup_pending_process()
    ids = list(MatchCandidate.objects.values_list("pk", flat=True))
    actors = [Actor(user=make_user("coordinator", posted=False), device="test") for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def take(actor: Actor) -> None:
        try:
            barrier.wait()
            group_take(actor=actor, candidate_ids=ids)
            outcomes.append("held")
        except ReviewHeld:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(actor,)) for actor in actors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["held", "refused"]
    assert len(set(MatchCandidate.objects.values_list("reviewer", flat=True))) == 1


# --- API --------------------------------------------------------------------------------------


def _api(user: User) -> Client:
    return client_for(user)


def test_the_api_gives_each_adjudicator_the_next_group_and_then_nothing(
    two_groups: list[list[Person]], adjudicators: tuple[Actor, Actor, Actor]
) -> None:
    a, b, c = (_api(actor.user) for actor in adjudicators)

    first, second, third = (client.post("/api/dedup/groups/next") for client in (a, b, c))

    assert (first.status_code, second.status_code, third.status_code) == (200, 200, 204)
    assert_matches_openapi(first)
    body = first.json()
    assert body["held_by"] == "Amina Adjudicator"
    assert body["held_until"]
    assert set(body["persons"]).isdisjoint(second.json()["persons"])
    viewed = AuditEntry.objects.filter(event=AuditEvent.DUPLICATE_VIEWED, actor=adjudicators[0].user)
    assert viewed.count() == 1


def test_the_api_refuses_to_take_a_held_group_with_its_own_code_and_lets_the_holder_release_it(
    two_groups: list[list[Person]], adjudicators: tuple[Actor, Actor, Actor]
) -> None:
    a, b = _api(adjudicators[0].user), _api(adjudicators[1].user)
    ids = [pair["id"] for pair in a.post("/api/dedup/groups/next").json()["pairs"]]

    refused = b.post("/api/dedup/groups/take", {"pairs": ids}, content_type="application/json")
    released = a.post("/api/dedup/groups/release", {"pairs": ids}, content_type="application/json")
    taken = b.post("/api/dedup/groups/take", {"pairs": ids}, content_type="application/json")

    assert refused.status_code == 409
    assert refused.json()["code"] == "review_held"
    assert "Amina Adjudicator" in refused.json()["message"]
    assert (released.status_code, released.json()) == (200, {"released": 3})
    assert taken.status_code == 200
    assert taken.json()["held_until"]
    assert_matches_openapi(taken)


# --- web --------------------------------------------------------------------------------------


def test_the_queue_page_says_who_reviews_a_group_and_review_next_opens_another(
    two_groups: list[list[Person]], adjudicators: tuple[Actor, Actor, Actor]
) -> None:
    a, b, c = (client_for(actor.user) for actor in adjudicators)

    opened = a.post("/duplicates/next/")
    queue = b.get("/duplicates/").content.decode()
    opened_b = b.post("/duplicates/next/")
    resumed_b = b.post("/duplicates/next/")
    nothing_c = c.post("/duplicates/next/")

    assert opened.status_code == 302
    assert "Amina Adjudicator is reviewing these records (until" in queue
    assert opened_b.status_code == 302
    assert opened_b["Location"] != opened["Location"]
    assert resumed_b["Location"] == opened_b["Location"]  # one's own group first: resumed, not skipped
    assert nothing_c["Location"] == "/duplicates/"
    assert "Nothing waits that nobody else reviews" in c.get("/duplicates/").content.decode()


def test_opening_a_group_another_reviews_shows_who_and_refuses_the_decision(
    two_groups: list[list[Person]], adjudicators: tuple[Actor, Actor, Actor]
) -> None:
    a, b = client_for(adjudicators[0].user), client_for(adjudicators[1].user)
    location = a.post("/duplicates/next/")["Location"]

    page = b.get(location).content.decode()

    assert "Amina Adjudicator is reviewing these records until" in page
    assert 'data-testid="held-elsewhere"' in page


def test_leaving_a_group_on_its_page_frees_it_for_the_next_adjudicator(
    two_groups: list[list[Person]], adjudicators: tuple[Actor, Actor, Actor]
) -> None:
    a = client_for(adjudicators[0].user)
    location = a.post("/duplicates/next/")["Location"]
    page = a.get(location).content.decode()
    assert 'data-testid="held-by-me"' in page
    released = re.findall(r'name="release" value="([0-9a-f-]+)"', page)

    left = a.post("/duplicates/leave/", {"release": released})

    assert left.status_code == 302
    assert len(released) == 3
    assert not MatchCandidate.objects.filter(reviewer=adjudicators[0].user).exists()


def test_the_pair_api_says_how_many_records_its_group_joins_and_who_reviews_it(
    two_groups: list[list[Person]], adjudicators: tuple[Actor, Actor, Actor]
) -> None:
    taken = review_next(actor=adjudicators[0])
    assert taken is not None
    other = MatchCandidate.objects.exclude(pk__in=taken).first()
    assert other is not None
    reader = _api(adjudicators[1].user)

    held = reader.get(f"/api/dedup/candidates/{taken[0]}")
    free = reader.get(f"/api/dedup/candidates/{other.pk}")

    assert_matches_openapi(held)
    assert (held.json()["group_records"], held.json()["held_by"]) == (3, "Amina Adjudicator")
    assert held.json()["held_until"]
    assert (free.json()["group_records"], free.json()["held_by"], free.json()["held_until"]) == (
        3,
        None,
        None,
    )


def test_a_team_asking_in_turn_is_handed_the_queues_groups_in_the_queues_order(
    register: Callable[..., Person], make_user: Callable[..., User]
) -> None:
    # given: a bunch of eleven records every two of which are a pair (more than one screen), a
    # bunch of three and two pairs alone, strengths mixed
    rng = Random(11)
    for size, prefix in ((11, "B"), (3, "T"), (2, "P"), (2, "Q")):
        for a, b in itertools.combinations(unrelated_people(register, size, prefix), 2):
            open_pair(a, b, rng.uniform(0.5, 0.99))
    team = [Actor(user=make_user("coordinator", posted=False), device="test") for _ in range(40)]
    queue = review_queue(actor=team[0])

    handed = [review_next(actor=member) for member in team[: queue.open_groups + 1]]

    assert handed[-1] is None
    assert handed[:-1] == [[pair.pk for pair in group.pairs] for group in queue.groups]


def test_review_next_reads_the_groups_of_the_first_pairs_not_the_whole_queue(
    register: Callable[..., Person], adjudicators: tuple[Actor, Actor, Actor], monkeypatch: pytest.MonkeyPatch
) -> None:
    three = unrelated_people(register, 3, "T")
    for a, b in itertools.combinations(three, 2):
        open_pair(a, b, 0.99)
    others = unrelated_people(register, 40, "O")
    for a, b in zip(others[::2], others[1::2], strict=True):
        open_pair(a, b, 0.6)  # twenty more pairs waiting, behind the three
    grouped: list[int] = []
    monkeypatch.setattr(
        "hbm.dedup.selectors.review_groups", lambda pairs: grouped.append(len(pairs)) or review_groups(pairs)
    )

    first = review_next(actor=adjudicators[0])
    second = review_next(actor=adjudicators[1])

    assert first is not None
    assert len(first) == 3
    assert second is not None
    assert len(second) == 1
    assert grouped == [3, 1]  # a's group, then for b (who is not shown a's held pairs) a lone pair


def test_opening_one_pair_holds_its_whole_group_and_leaving_lets_all_of_it_go(
    two_groups: list[list[Person]], adjudicators: tuple[Actor, Actor, Actor]
) -> None:
    a, b = client_for(adjudicators[0].user), adjudicators[1]
    pair = MatchCandidate.objects.filter(person_low__in=[p.pk for p in two_groups[0]]).first()
    assert pair is not None

    page = a.get(f"/duplicates/{pair.pk}/").content.decode()

    group = _group_ids(pair.pk)
    assert set(
        MatchCandidate.objects.filter(reviewer=adjudicators[0].user).values_list("pk", flat=True)
    ) == set(group)
    taken = review_next(actor=b)
    assert taken is not None
    assert not set(taken) & set(group)  # the colleague is handed the other group
    released = re.findall(r'name="release" value="([0-9a-f-]+)"', page)
    assert len(released) == 3
    a.post("/duplicates/leave/", {"release": released})
    assert not MatchCandidate.objects.filter(reviewer=adjudicators[0].user).exists()
