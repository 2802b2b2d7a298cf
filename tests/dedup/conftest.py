"""De-duplication fixtures: registering people through the real services, then running the checker."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from hbm.accounts.models import User
from hbm.core.context import Actor
from hbm.crossings.models import CrossingPoint
from hbm.dedup.enums import CandidateStatus
from hbm.dedup.models import MatchCandidate
from hbm.dedup.services import dedup_pending_process
from hbm.registration.enums import Sex
from hbm.registration.models import Person
from hbm.registration.services import IndividualData, person_register


@pytest.fixture
def register(actor: Actor, crossing_point: CrossingPoint) -> Callable[..., Person]:
    """Register one person at the crossing point (emergency mode) with the given details."""

    def make(given: str, surname: str, **details: Any) -> Person:
        data = IndividualData(
            given_names_latin=given,
            surname_latin=surname,
            sex=details.pop("sex", Sex.MALE),
            nationality=details.pop("nationality", "SYR"),
            date_of_birth=details.pop("date_of_birth", date(1990, 3, 14)),
            **details,
        )
        return person_register(actor=actor, crossing_point_id=crossing_point.pk, data=data)

    return make


@pytest.fixture
def split_pair(
    register: Callable[..., Person],
    make_user: Callable[..., User],
    other_crossing_point: CrossingPoint,
) -> MatchCandidate:
    """One likely pair whose records were made at two crossing points: Palanca and Otaci."""
    register("Mohammed", "Al-Hassan")
    there = make_user("border_officer", username="officer-there", posted=False)
    other_crossing_point.staff.add(there)
    data = IndividualData(
        given_names_latin="Muhammad",
        surname_latin="Alhassan",
        sex=Sex.MALE,
        nationality="SYR",
        date_of_birth=date(1990, 3, 14),
    )
    person_register(
        actor=Actor(user=there, device="test"), crossing_point_id=other_crossing_point.pk, data=data
    )
    dedup_pending_process()
    return MatchCandidate.objects.get()


@pytest.fixture
def decider(
    make_user: Callable[..., User], crossing_point: CrossingPoint, other_crossing_point: CrossingPoint
) -> Callable[[str, tuple[str, ...]], User]:
    points = {"here": crossing_point, "there": other_crossing_point}

    def make(role: str, posted_at: tuple[str, ...]) -> User:
        user = make_user(role, username=f"{role}-{'-'.join(posted_at) or 'nowhere'}", posted=False)
        for name in posted_at:
            points[name].staff.add(user)
        return user

    return make


@pytest.fixture
def child_pair(register: Callable[..., Person]) -> MatchCandidate:
    """A girl of six registered twice, the second time with her name spelt another way."""
    register("Sofiia", "Pavlenko", nationality="UKR", date_of_birth=date(2020, 8, 16), place_of_birth="Odesa")
    register("Sofia", "Pavlenko", nationality="UKR", date_of_birth=date(2020, 8, 16))
    dedup_pending_process()
    pair = MatchCandidate.objects.get()
    assert pair.involves_child
    assert pair.status == CandidateStatus.OPEN
    return pair


def registered_twice(register: Callable[..., Person], given: str, born: date) -> MatchCandidate:
    """A Ukrainian Pavlenko registered twice with every detail the same (birth date, place, both
    parents), then checked: evidence above the *same person* threshold, the checks' own pair."""
    for _ in range(2):
        register(
            given,
            "Pavlenko",
            nationality="UKR",
            date_of_birth=born,
            place_of_birth="Odesa",
            father_name="Mykola Pavlenko",
            mother_name="Olena Pavlenko",
        )
    dedup_pending_process()
    return MatchCandidate.objects.get()
