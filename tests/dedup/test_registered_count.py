"""How many persons the registrations are: records linked as one person counted once (decisions in
force only), at a crossing point or everywhere, with how many records still wait for a decision —
on the crossing point's dashboard and through the API, for those who may read its figures."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from hbm.accounts.models import User
from hbm.core.context import Actor
from hbm.crossings.models import CrossingPoint
from hbm.dedup.enums import CandidateStatus, Ruling
from hbm.dedup.models import MatchCandidate
from hbm.dedup.selectors import RegisteredCount, registered_count
from hbm.dedup.services import candidate_adjudicate, dedup_pending_process
from hbm.registration.models import Person
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

CHECKED = "birth certificate and the mother's account agree"


@pytest.fixture
def coordinator(make_user: Callable[..., User]) -> Actor:
    return Actor(user=make_user("coordinator", posted=False), device="test")


def _link(actor: Actor, pair: MatchCandidate) -> None:
    candidate_adjudicate(actor=actor, candidate_id=pair.pk, ruling=Ruling.SAME, reason=CHECKED)


def test_records_linked_as_one_person_count_once_and_those_waiting_are_told(
    register: Callable[..., Person], crossing_point: CrossingPoint, coordinator: Actor
) -> None:
    """One man registered three times: the checks link two spellings themselves and leave the
    third record's two pairs to a person; a woman registered once."""
    for given, surname in (("Mohammed", "Al-Hassan"), ("Muhammad", "Alhassan"), ("Mohamed", "Al Hasan")):
        register(given, surname)
    register("Olena", "Kovalenko", nationality="UKR")
    dedup_pending_process()
    waiting = list(MatchCandidate.objects.filter(status=CandidateStatus.OPEN))
    assert (len(waiting), MatchCandidate.objects.filter(status=CandidateStatus.SAME).count()) == (2, 1)

    assert registered_count(crossing_point=crossing_point) == RegisteredCount(records=4, persons=3, waiting=2)
    _link(coordinator, waiting[0])

    # Two links join the three records: one person; the third pair, left open, still waits.
    assert registered_count(crossing_point=crossing_point) == RegisteredCount(records=4, persons=2, waiting=1)


def test_a_person_registered_at_two_crossing_points_is_a_person_of_each_and_one_everywhere(
    split_pair: MatchCandidate,
    crossing_point: CrossingPoint,
    other_crossing_point: CrossingPoint,
    coordinator: Actor,
) -> None:
    _link(coordinator, split_pair)

    assert registered_count(crossing_point=crossing_point) == RegisteredCount(records=1, persons=1, waiting=0)
    assert registered_count(crossing_point=other_crossing_point) == RegisteredCount(1, 1, 0)
    assert registered_count() == RegisteredCount(records=2, persons=1, waiting=0)


def test_a_childs_link_waiting_for_a_second_adjudicator_does_not_count_yet(
    child_pair: MatchCandidate, crossing_point: CrossingPoint, coordinator: Actor
) -> None:
    _link(coordinator, child_pair)

    assert registered_count(crossing_point=crossing_point) == RegisteredCount(records=2, persons=2, waiting=1)


def test_the_dashboard_says_how_many_persons_the_records_are(
    split_pair: MatchCandidate, crossing_point: CrossingPoint, coordinator: Actor
) -> None:
    page = client_for(coordinator.user).get(f"/crossing-points/{crossing_point.pk}/").content.decode()

    assert '<span class="stat__value" data-testid="registered-persons-count">1</span>' in page
    assert '<span class="stat__value" data-testid="registered-records-count">1</span>' in page
    # The pair joins a record made here to one made elsewhere: it cannot change this point's count.
    assert '<span class="stat__value" data-testid="registered-waiting-count">0</span>' in page


@pytest.mark.parametrize(
    ("role", "posted_at", "point", "status"),
    [
        ("border_officer", ("here",), "here", 200),
        ("border_officer", ("there",), "here", 403),
        ("border_officer", ("here",), None, 403),
        ("coordinator", (), None, 200),
        ("coordinator", (), "there", 200),
    ],
)
def test_the_api_gives_the_count_to_those_who_read_the_points_figures(
    split_pair: MatchCandidate,
    crossing_point: CrossingPoint,
    other_crossing_point: CrossingPoint,
    decider: Callable[[str, tuple[str, ...]], User],
    role: str,
    posted_at: tuple[str, ...],
    point: str | None,
    status: int,
) -> None:
    points = {"here": crossing_point, "there": other_crossing_point}
    query = {"crossing_point": str(points[point].pk)} if point else {}

    answer = client_for(decider(role, posted_at)).get("/api/dedup/registered", query)

    assert answer.status_code == status
    if status == 200:
        expected = (
            {"records": 2, "persons": 2, "waiting": 1}
            if point is None
            else {
                "records": 1,
                "persons": 1,
                "waiting": 0,
            }
        )
        assert answer.json() == expected
