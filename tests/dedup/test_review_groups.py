"""Review groups: the records that open pairs join, reviewed together and decided with one answer —
a letter per record. Through the real checks: four registrations of MOHAMMAD AHMADI born in 1990
make six open pairs, one group."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from random import Random
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hbm.accounts.models import User
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.core.context import Actor
from hbm.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hbm.crossings.models import CrossingPoint
from hbm.dedup.enums import CandidateStatus, Ruling
from hbm.dedup.models import Adjudication, MatchCandidate
from hbm.dedup.selectors import (
    CONNECTED_LIMIT,
    access_review_group,
    person_same_as,
    review_group_size,
    review_queue,
)
from hbm.dedup.services import candidate_adjudicate, dedup_pending_process, group_adjudicate
from hbm.engines.matching import review_groups
from hbm.registration.enums import Sex
from hbm.registration.models import Person
from hbm.registration.services import IndividualData, person_register
from tests.api.conftest import assert_matches_openapi
from tests.dedup.builders import open_pair, unrelated_people

pytestmark = pytest.mark.django_db

SPELLINGS = [("Mohammad", "Ahmadi"), ("Mohammed", "Ahmadi"), ("Muhammad", "Ahmady"), ("Mohamad", "Ahmadi")]


@pytest.fixture
def namesakes(register: Callable[..., Person]) -> list[Person]:
    """Four Afghan registrations with one name spelled four ways, born in 1990 (year only), Kabul."""
    persons = [
        register(
            given, surname, nationality="AFG", date_of_birth=None, birth_year=1990, place_of_birth="Kabul"
        )
        for given, surname in SPELLINGS
    ]
    dedup_pending_process()
    assert MatchCandidate.objects.filter(status=CandidateStatus.OPEN).count() == 6
    return persons


@pytest.fixture
def coordinator(make_user: Callable[..., User]) -> Actor:
    return Actor(user=make_user("coordinator", username="adjudicator", posted=False), device="test")


def _shown_ids(coordinator: Actor) -> list:
    queue = review_queue(actor=coordinator)
    return [pair.pk for pair in queue.groups[0].pairs]


def _letters(persons: list[Person], answer: str) -> dict:
    return {person.pk: letter for person, letter in zip(persons, answer, strict=True)}


def test_the_queue_gathers_the_six_pairs_of_four_namesakes_into_one_group(
    namesakes: list[Person], coordinator: Actor
) -> None:
    queue = review_queue(actor=coordinator)
    assert (queue.open_pairs, queue.open_groups, len(queue.groups)) == (6, 1, 1)
    group = queue.groups[0]
    assert {p.pk for p in group.persons} == {p.pk for p in namesakes}
    assert len(group.pairs) == 6
    assert group.probability > 0.5
    entry = AuditEntry.objects.filter(event=AuditEvent.DUPLICATES_LISTED).get()
    assert entry.detail["groups"] == 1
    assert sorted(entry.detail["persons"]) == sorted(str(p.pk) for p in namesakes)


def test_opening_a_group_from_any_of_its_pairs_shows_the_same_group_and_audits_the_read(
    namesakes: list[Person], coordinator: Actor
) -> None:
    pair = MatchCandidate.objects.order_by("created_at").last()
    assert pair is not None
    group = access_review_group(actor=coordinator, candidate_id=pair.pk)
    assert group is not None
    assert len(group.pairs) == 6
    entry = AuditEntry.objects.filter(event=AuditEvent.DUPLICATE_VIEWED).get()
    assert len(entry.detail["group"]) == 6
    assert len(entry.detail["persons"]) == 4


def test_one_answer_decides_every_pair_and_links_the_records_given_one_letter(
    namesakes: list[Person], coordinator: Actor
) -> None:
    decisions = group_adjudicate(
        actor=coordinator,
        candidate_ids=_shown_ids(coordinator),
        letters=_letters(namesakes, "AABC"),
        reason="same tazkira number on both",
    )
    assert len(decisions) == 6
    assert sorted(d.ruling for d in decisions) == [Ruling.DISTINCT] * 5 + [Ruling.SAME]
    assert person_same_as(person=namesakes[0]) == [namesakes[1].pk]
    assert person_same_as(person=namesakes[2]) == []
    assert not MatchCandidate.objects.filter(status=CandidateStatus.OPEN).exists()
    assert AuditEntry.objects.filter(event=AuditEvent.DUPLICATE_DECIDED).count() == 6
    assert {d.reason for d in decisions} == {"same tazkira number on both"}


def test_records_given_one_letter_that_no_pair_joins_get_a_pair_decided_same(
    namesakes: list[Person], coordinator: Actor
) -> None:
    x, y, z, w = namesakes
    # the checks found x and y each like z and w, not like each other (below the adjudication bar)
    MatchCandidate.objects.filter(person_low__in=(x.pk, y.pk), person_high__in=(x.pk, y.pk)).delete()
    ids = _shown_ids(coordinator)
    assert len(ids) == 5
    decisions = group_adjudicate(
        actor=coordinator, candidate_ids=ids, letters={x.pk: "A", y.pk: "A", z.pk: "B", w.pk: "C"}
    )
    assert [d.ruling for d in decisions] == [Ruling.DISTINCT] * 5 + [Ruling.SAME]
    assert person_same_as(person=x) == [y.pk]
    recorded = decisions[-1].candidate
    assert {recorded.person_low_id, recorded.person_high_id} == {x.pk, y.pk}
    assert recorded.contributions
    assert recorded.status == CandidateStatus.SAME


def test_a_record_without_a_letter_is_named_and_nothing_is_decided(
    namesakes: list[Person], coordinator: Actor
) -> None:
    letters = _letters(namesakes, "AAB-")
    del letters[namesakes[3].pk]
    with pytest.raises(ValidationFailed) as refused:
        group_adjudicate(actor=coordinator, candidate_ids=_shown_ids(coordinator), letters=letters)
    assert "letters" in refused.value.fields
    assert not Adjudication.objects.exists()
    assert MatchCandidate.objects.filter(status=CandidateStatus.OPEN).count() == 6


def test_a_letter_outside_a_to_h_is_refused(namesakes: list[Person], coordinator: Actor) -> None:
    with pytest.raises(ValidationFailed):
        group_adjudicate(
            actor=coordinator, candidate_ids=_shown_ids(coordinator), letters=_letters(namesakes, "ABZZ")
        )
    assert not Adjudication.objects.exists()


def test_a_pair_decided_since_the_group_was_shown_refuses_the_whole_answer(
    namesakes: list[Person], coordinator: Actor
) -> None:
    ids = _shown_ids(coordinator)
    candidate_adjudicate(actor=coordinator, candidate_id=ids[-1], ruling=Ruling.DISTINCT)
    with pytest.raises(Conflict):
        group_adjudicate(actor=coordinator, candidate_ids=ids, letters=_letters(namesakes, "ABCD"))
    assert Adjudication.objects.count() == 1


def test_letters_may_not_undo_a_link_in_force(namesakes: list[Person], coordinator: Actor) -> None:
    ids = _shown_ids(coordinator)
    first = MatchCandidate.objects.get(pk=ids[0])
    candidate_adjudicate(actor=coordinator, candidate_id=first.pk, ruling=Ruling.SAME)
    rest = [pk for pk in ids if pk != first.pk]
    letters = {person.pk: "ABCD"[i] for i, person in enumerate(namesakes)}
    with pytest.raises(Conflict, match="linked as one person"):
        group_adjudicate(actor=coordinator, candidate_ids=rest, letters=letters)
    assert Adjudication.objects.count() == 1


def test_a_decider_posted_elsewhere_is_answered_not_found_and_the_attempt_audited(
    namesakes: list[Person], make_user: Callable[..., User], other_crossing_point: CrossingPoint
) -> None:
    stranger = make_user("screening_officer", username="elsewhere", posted=False)
    other_crossing_point.staff.add(stranger)
    ids = list(MatchCandidate.objects.values_list("pk", flat=True))
    actor = Actor(user=stranger, device="test")
    with pytest.raises(NotFound):
        group_adjudicate(actor=actor, candidate_ids=ids, letters=_letters(namesakes, "AAAA"))
    assert not Adjudication.objects.exists()
    assert AuditEntry.objects.filter(event=AuditEvent.ACCESS_REFUSED).count() == 1
    assert review_queue(actor=actor).open_pairs == 0


def test_a_role_that_does_not_adjudicate_cannot_read_the_groups(
    namesakes: list[Person], make_user: Callable[..., User]
) -> None:
    officer = Actor(user=make_user("border_officer", username="officer-groups"), device="test")
    with pytest.raises(PermissionDenied):
        review_queue(actor=officer)
    assert AuditEntry.objects.filter(event=AuditEvent.ACCESS_REFUSED).count() == 1


# --- the API ------------------------------------------------------------------------------------


def test_the_api_lists_groups_and_decides_one_with_letters(
    namesakes: list[Person], make_user: Callable[..., User], api: Any
) -> None:
    client = api(make_user("coordinator", username="api-adjudicator", posted=False))
    listed = client.get("/api/dedup/groups")
    assert_matches_openapi(listed)
    body = listed.json()
    assert (body["open_pairs"], body["open_groups"]) == (6, 1)
    group = body["groups"][0]
    letters = {person: ("a" if i < 2 else "B") for i, person in enumerate(group["persons"])}
    answer = {"pairs": [pair["id"] for pair in group["pairs"]], "letters": letters, "reason": "one family"}

    decided = client.post("/api/dedup/groups/decide", answer, content_type="application/json")
    retried = client.post("/api/dedup/groups/decide", answer, content_type="application/json")

    assert_matches_openapi(decided)
    assert sorted(d["ruling"] for d in decided.json()) == ["distinct"] * 4 + ["same"] * 2
    assert retried.status_code == 409
    assert Adjudication.objects.count() == 6


def test_the_api_names_the_letters_field_when_a_record_has_none(
    namesakes: list[Person], make_user: Callable[..., User], api: Any
) -> None:
    client = api(make_user("coordinator", username="api-adjudicator", posted=False))
    group = client.get("/api/dedup/groups").json()["groups"][0]
    answer = {"pairs": [pair["id"] for pair in group["pairs"]], "letters": {group["persons"][0]: "A"}}

    refused = client.post("/api/dedup/groups/decide", answer, content_type="application/json")

    assert refused.status_code == 422
    assert "letters" in refused.json()["fields"]
    assert not Adjudication.objects.exists()


# --- the pages ----------------------------------------------------------------------------------


def _group_page_answer(group_page: str, letters: str) -> dict[str, Any]:
    """What the group page's form sends: its hidden pairs, and a letter for each record in order."""
    pairs = re.findall(r'name="pair" value="([0-9a-f-]+)"', group_page)
    records = re.findall(r'<select id="letter-([0-9a-f-]+)"', group_page)
    return {"pair": pairs, **{f"letter-{pk}": letter for pk, letter in zip(records, letters, strict=True)}}


def test_the_queue_page_lists_the_group_and_the_group_page_decides_it(
    namesakes: list[Person], make_user: Callable[..., User], api: Any
) -> None:
    client = api(make_user("coordinator", username="page-adjudicator", posted=False))
    queue = client.get("/duplicates/").content.decode()
    link = re.search(r'href="(/duplicates/[0-9a-f-]+/group/)"', queue)
    assert link is not None
    assert "6 pairs waiting, in 1 group." in queue
    group_page = client.get(link.group(1)).content.decode()
    assert group_page.count('<select id="letter-') == 4
    assert group_page.count('name="pair"') == 6

    answer = {**_group_page_answer(group_page, "ABAC"), "reason": "checked their documents"}
    decided = client.post(link.group(1), answer)

    assert decided.status_code == 302
    assert decided.headers["Location"] == "/duplicates/"
    assert Adjudication.objects.filter(ruling=Ruling.SAME).count() == 1
    assert Adjudication.objects.filter(ruling=Ruling.DISTINCT).count() == 5
    assert "Decided 6 pairs: 1 linked as one person" in client.get("/duplicates/").content.decode()


def test_a_record_left_without_a_letter_is_named_and_the_letters_given_are_kept(
    namesakes: list[Person], make_user: Callable[..., User], api: Any
) -> None:
    client = api(make_user("coordinator", username="page-adjudicator", posted=False))
    path = f"/duplicates/{MatchCandidate.objects.first().pk}/group/"  # type: ignore[union-attr]
    answer = _group_page_answer(client.get(path).content.decode(), "AB-C")
    third = next(name for name, value in answer.items() if value == "-")
    answer[third] = ""

    refused = client.post(path, answer)

    page = refused.content.decode()
    assert refused.status_code == 422
    assert "letters: give every record a person letter (record 3 has none)" in page
    assert page.count('<option value="A" selected>') == 1
    assert not Adjudication.objects.exists()


def test_the_group_of_a_pair_decided_meanwhile_opens_the_pair(
    namesakes: list[Person], coordinator: Actor, api: Any
) -> None:
    pair = MatchCandidate.objects.first()
    assert pair is not None
    candidate_adjudicate(actor=coordinator, candidate_id=pair.pk, ruling=Ruling.DISTINCT)

    response = api(coordinator.user).get(f"/duplicates/{pair.pk}/group/")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/duplicates/{pair.pk}/"


def test_the_group_page_of_a_decider_posted_elsewhere_is_not_found(
    namesakes: list[Person], make_user: Callable[..., User], other_crossing_point: CrossingPoint, api: Any
) -> None:
    stranger = make_user("screening_officer", username="elsewhere", posted=False)
    other_crossing_point.staff.add(stranger)
    pair = MatchCandidate.objects.first()
    assert pair is not None

    response = api(stranger).get(f"/duplicates/{pair.pk}/group/")

    assert response.status_code == 404
    assert "Ahmadi" not in response.content.decode()
    assert AuditEntry.objects.filter(event=AuditEvent.ACCESS_REFUSED).count() == 1


# --- the pair screen names the group its pair belongs to ----------------------------------------


def _group_notice(page: str) -> str | None:
    notice = re.search(r'<p class="notice" data-testid="in-group">(.*?)</p>', page, re.S)
    return notice.group(1) if notice else None


def test_the_pair_screen_says_its_pair_is_in_a_group_of_four_and_links_to_it(
    namesakes: list[Person], coordinator: Actor, api: Any
) -> None:
    pair = MatchCandidate.objects.order_by("created_at").last()
    assert pair is not None

    notice = _group_notice(api(coordinator.user).get(f"/duplicates/{pair.pk}/").content.decode())

    assert notice is not None
    assert "This pair belongs to a review group of 4 records, joined by other waiting pairs." in notice
    assert f'href="/duplicates/{pair.pk}/group/"' in notice


def test_a_pair_reviewed_alone_says_nothing_of_a_group(
    register: Callable[..., Person], coordinator: Actor, api: Any
) -> None:
    for given, surname in SPELLINGS[:2]:
        register(
            given, surname, nationality="AFG", date_of_birth=None, birth_year=1990, place_of_birth="Kabul"
        )
    dedup_pending_process()
    pair = MatchCandidate.objects.get()

    page = api(coordinator.user).get(f"/duplicates/{pair.pk}/").content.decode()

    assert _group_notice(page) is None
    assert "/group/" not in page


def test_a_decided_pair_says_nothing_of_the_group_its_records_wait_in(
    namesakes: list[Person], coordinator: Actor, api: Any
) -> None:
    decided = MatchCandidate.objects.order_by("created_at").first()
    assert decided is not None
    candidate_adjudicate(actor=coordinator, candidate_id=decided.pk, ruling=Ruling.DISTINCT)
    waiting = MatchCandidate.objects.filter(status=CandidateStatus.OPEN).first()
    assert waiting is not None
    client = api(coordinator.user)

    assert _group_notice(client.get(f"/duplicates/{decided.pk}/").content.decode()) is None
    assert "group of 4 records" in (
        _group_notice(client.get(f"/duplicates/{waiting.pk}/").content.decode()) or ""
    )


@pytest.fixture
def namesakes_at_two_points(
    register: Callable[..., Person], make_user: Callable[..., User], other_crossing_point: CrossingPoint
) -> Callable[[int, int], list[Person]]:
    """Namesakes as above: the first ``here`` registered here, the next ``there`` at the other
    crossing point by an officer posted there; every two of them a pair."""
    officer_there = make_user("border_officer", username="officer-there", posted=False)
    other_crossing_point.staff.add(officer_there)

    def make(here: int, there: int) -> list[Person]:
        details: dict[str, Any] = {
            "nationality": "AFG",
            "date_of_birth": None,
            "birth_year": 1990,
            "place_of_birth": "Kabul",
        }
        persons = [register(given, surname, **details) for given, surname in SPELLINGS[:here]]
        for given, surname in SPELLINGS[here : here + there]:
            data = IndividualData(given_names_latin=given, surname_latin=surname, sex=Sex.MALE, **details)
            persons.append(
                person_register(
                    actor=Actor(user=officer_there, device="test"),
                    crossing_point_id=other_crossing_point.pk,
                    data=data,
                )
            )
        dedup_pending_process()
        assert (
            MatchCandidate.objects.filter(status=CandidateStatus.OPEN).count()
            == len(persons) * (len(persons) - 1) // 2
        )
        return persons

    return make


@pytest.mark.parametrize(
    ("here", "there", "role", "posted_at", "records"),
    [
        (2, 1, "coordinator", (), 3),  # three records, every one seen
        (2, 1, "screening_officer", ("here",), None),  # the third is out of reach: the pair is alone
        (3, 1, "screening_officer", ("here",), 3),  # four records, one out of reach: three counted
        (3, 1, "screening_officer", ("here", "there"), 4),
    ],
)
def test_the_group_named_on_the_pair_screen_counts_only_the_records_the_reader_may_see(
    namesakes_at_two_points: Callable[[int, int], list[Person]],
    make_user: Callable[..., User],
    crossing_point: CrossingPoint,
    other_crossing_point: CrossingPoint,
    api: Any,
    here: int,
    there: int,
    role: str,
    posted_at: tuple[str, ...],
    records: int | None,
) -> None:
    persons = namesakes_at_two_points(here, there)
    reader = make_user(role, username="reader", posted=False)
    for name in posted_at:
        {"here": crossing_point, "there": other_crossing_point}[name].staff.add(reader)
    first, second = persons[:2]  # both registered here
    pair = MatchCandidate.objects.get(person_low__in=(first, second), person_high__in=(first, second))

    page = api(reader).get(f"/duplicates/{pair.pk}/").content.decode()
    group_page = api(reader).get(f"/duplicates/{pair.pk}/group/").content.decode()

    notice = _group_notice(page)
    if records is None:
        assert notice is None
        assert str(persons[-1].pk) not in page
    else:
        assert notice is not None
        assert f"review group of {records} records" in notice
    assert group_page.count('<select id="letter-') == (records or 2)  # as the group screen shows it


@pytest.mark.parametrize("connected_limit", [CONNECTED_LIMIT, 3], ids=["walked", "past-the-walk"])
def test_a_pair_opened_on_its_own_is_grouped_as_the_queue_groups_it(
    register: Callable[..., Person],
    coordinator: Actor,
    monkeypatch: pytest.MonkeyPatch,
    connected_limit: int,
) -> None:
    # given: eleven records every two of which are a pair (more than one screen: the queue splits
    # them), a bunch of three, and a pair alone; strengths drawn so that review order is mixed
    monkeypatch.setattr("hbm.dedup.selectors.CONNECTED_LIMIT", connected_limit)
    rng = Random(7)
    bunch, three, two = (
        unrelated_people(register, 11, "B"),
        unrelated_people(register, 3, "T"),
        unrelated_people(register, 2, "P"),
    )
    for people in (bunch, three, two):
        for a, b in itertools.combinations(people, 2):
            open_pair(a, b, rng.uniform(0.5, 0.99))
    queue = review_queue(actor=coordinator)
    assert queue.open_groups > 3  # the bunch of eleven is more than one group
    grouped = {pair.pk: group for group in queue.groups for pair in group.pairs}

    # when / then: each pair, opened on its own, finds the group the queue put it in
    for pair in MatchCandidate.objects.all():
        group = access_review_group(actor=coordinator, candidate_id=pair.pk)
        assert group is not None
        assert [p.pk for p in group.pairs] == [p.pk for p in grouped[pair.pk].pairs]
        assert review_group_size(actor=coordinator, candidate=pair) == len(grouped[pair.pk].persons)


def test_naming_the_group_on_the_pair_screen_reads_only_the_pairs_around_the_pair(
    register: Callable[..., Person], coordinator: Actor, api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    three = unrelated_people(register, 3, "T")
    for a, b in itertools.combinations(three, 2):
        open_pair(a, b, 0.8)
    pair = MatchCandidate.objects.first()
    assert pair is not None
    client = api(coordinator.user)
    client.get(f"/duplicates/{pair.pk}/")  # the session's first reads, once
    with CaptureQueriesContext(connection) as alone:
        client.get(f"/duplicates/{pair.pk}/")
    others = unrelated_people(register, 40, "O")
    for a, b in zip(others[::2], others[1::2], strict=True):
        open_pair(a, b, 0.9)  # twenty more pairs waiting, none near this one
    grouped: list[int] = []
    monkeypatch.setattr(
        "hbm.dedup.selectors.review_groups", lambda pairs: grouped.append(len(pairs)) or review_groups(pairs)
    )

    with CaptureQueriesContext(connection) as among_others:
        page = client.get(f"/duplicates/{pair.pk}/").content.decode()

    assert "review group of 3 records" in (_group_notice(page) or "")
    assert grouped == [3]  # the three pairs around it, not the twenty-three waiting
    assert len(among_others.captured_queries) == len(alone.captured_queries)
