"""The parents' names reach the matching engine and the adjudication screen, where a person decides."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hbm.accounts.models import User
from hbm.dedup.models import MatchCandidate
from hbm.dedup.services import dedup_pending_process
from hbm.registration.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair_with_parents(register: Callable[..., Person]) -> tuple[Person, Person]:
    first = register("Mohammed", "Al-Hassan", father_name="Ahmad", mother_name="Fatima Al-Ali")
    second = register("Muhammad", "Alhassan", father_name="Ahmad")
    dedup_pending_process()
    return first, second


def test_the_side_by_side_screen_shows_both_parents_names_and_whether_they_agree(
    pair_with_parents: tuple[Person, Person], coordinator: User, api: Any
) -> None:
    candidate = MatchCandidate.objects.get()
    # The screen shows the pair in its stored order (the lower id first).
    mothers = [
        "Fatima Al-Ali" if p.mother_name else "—" for p in (candidate.person_low, candidate.person_high)
    ]

    content = api(coordinator).get(f"/duplicates/{candidate.pk}/").content.decode().replace("&#x27;", "'")

    assert (
        '<tr class="agree"><th scope="row">Father\'s name</th>'
        '<td dir="auto">Ahmad</td><td dir="auto">Ahmad</td></tr>'
    ) in content
    assert (
        '<tr class="differ"><th scope="row">Mother\'s name</th>'
        f'<td dir="auto">{mothers[0]}</td><td dir="auto">{mothers[1]}</td></tr>'
    ) in content


def test_the_screen_speaks_the_adjudicators_language(
    pair_with_parents: tuple[Person, Person], coordinator: User, api: Any
) -> None:
    candidate = MatchCandidate.objects.get()
    client = api(coordinator)
    client.cookies["django_language"] = "ar"

    content = client.get(f"/duplicates/{candidate.pk}/").content.decode()

    assert '<th scope="row">اسم الأب</th>' in content
    assert '<th scope="row">اسم الأم</th>' in content
