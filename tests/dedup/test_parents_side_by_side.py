"""The parents' names reach the matching engine and the adjudication screen, where a person decides."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hbm.accounts.models import User
from hbm.dedup.models import MatchCandidate
from hbm.dedup.services import dedup_pending_process
from hbm.registration.models import Person
from hbm.web.duplicate_views import _compared

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
        '<td dir="auto">Fatima Al-Ali</td>' if p.mother_name else '<td class="not-recorded">not recorded</td>'
        for p in (candidate.person_low, candidate.person_high)
    ]

    content = api(coordinator).get(f"/duplicates/{candidate.pk}/").content.decode().replace("&#x27;", "'")

    assert (
        '<tr class="agree"><th scope="row">Father\'s name</th>'
        '<td dir="auto">Ahmad</td><td dir="auto">Ahmad</td></tr>'
    ) in content
    # given on one record and missing on the other: not a difference, and not an agreement either
    assert f'<tr class="partial"><th scope="row">Mother\'s name</th>{mothers[0]}{mothers[1]}</tr>' in content


def test_two_recorded_values_that_disagree_differ_and_a_value_missing_on_both_is_not_recorded(
    register: Callable[..., Person], coordinator: User, api: Any
) -> None:
    register("Mohammed", "Al-Hassan")
    register("Muhammad", "Alhassan")
    dedup_pending_process()
    candidate = MatchCandidate.objects.get()
    given = [p.given_names_latin for p in (candidate.person_low, candidate.person_high)]

    content = api(coordinator).get(f"/duplicates/{candidate.pk}/").content.decode().replace("&#x27;", "'")

    assert (
        '<tr class="differ"><th scope="row">Given names (Latin letters)</th>'
        f'<td dir="auto">{given[0]}</td><td dir="auto">{given[1]}</td></tr>'
    ) in content
    assert (
        '<tr class="agree"><th scope="row">Father\'s name</th>'
        '<td class="not-recorded">not recorded</td><td class="not-recorded">not recorded</td></tr>'
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


@pytest.mark.parametrize(
    ("values", "comparison"),
    [
        (["Ahmad", "Ahmad", "Ahmad"], "agree"),
        ([None, None], "agree"),  # nothing to compare: no shading either way
        (["Ahmad", None, "Ahmad"], "partial"),
        (["Ahmad", "Tareq", None], "differ"),  # two recorded values disagree, whatever the third
        (["Ahmad", "Tareq"], "differ"),
    ],
)
def test_a_row_differs_only_when_two_recorded_values_disagree(
    values: list[str | None], comparison: str
) -> None:
    assert _compared(values) == comparison
