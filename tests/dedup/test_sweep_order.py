"""A sweep (``hbm dedup sweep``) re-checks everyone in the background without delaying the check of
a new arrival, nor of a person whose details changed: those are taken first, the swept after."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from hbm.core.context import Actor
from hbm.dedup.services import dedup_pending_claim, dedup_pending_process, population_recheck
from hbm.registration.enums import DocumentKind
from hbm.registration.models import Person
from hbm.registration.services import DocumentData, person_document_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def checked(register: Callable[..., Person]) -> list[Person]:
    """Three persons registered and checked, oldest first."""
    persons = [register(given, "Haddad") for given in ("Yusuf", "Omar", "Karim")]
    dedup_pending_process()
    return persons


def _claimed_in_turn(count: int) -> list[Person]:
    """The persons the worker would take next, one claim at a time."""
    return [Person.objects.get(pk=pk) for _ in range(count) for pk in dedup_pending_claim(limit=1)]


def test_a_new_arrival_is_checked_before_the_persons_a_sweep_marked(
    checked: list[Person], register: Callable[..., Person]
) -> None:
    assert population_recheck() == 3
    arrival = register("Ali", "Karimi")

    assert _claimed_in_turn(4) == [arrival, *checked]


def test_a_swept_person_whose_details_change_is_checked_ahead_of_the_sweep(
    checked: list[Person], actor: Actor
) -> None:
    population_recheck()
    changed = checked[2]
    person_document_add(
        actor=actor,
        person=changed,
        doc=DocumentData(kind=DocumentKind.PASSPORT, document_number="N1234567", issuing_state="SYR"),
    )

    assert _claimed_in_turn(3) == [changed, checked[0], checked[1]]


def test_a_person_waiting_for_a_first_check_keeps_their_place(
    checked: list[Person], register: Callable[..., Person]
) -> None:
    waiting = register("Ali", "Karimi")

    assert population_recheck() == 3  # the three checked; the one waiting is not swept

    assert not Person.objects.get(pk=waiting.pk).dedup_swept
    assert _claimed_in_turn(1) == [waiting]


def test_a_check_clears_the_sweeps_mark(checked: list[Person]) -> None:
    population_recheck()

    assert len(dedup_pending_process()) == 3

    assert not Person.objects.filter(dedup_swept=True).exists()
    assert not Person.objects.filter(dedup_checked_at__isnull=True).exists()
