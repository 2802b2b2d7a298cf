"""A duplicate check reads its candidates in a fixed number of queries, however many there are:
their records, relatives and faces together, and the pairs they no longer make removed at once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hbm.dedup.models import BlockingKey, MatchCandidate
from hbm.dedup.services import dedup_pending_process, person_dedup_check
from hbm.registration.enums import Sex
from hbm.registration.models import Person

pytestmark = pytest.mark.django_db

BORN = date(1990, 3, 14)
# Women of other names and nationalities born the same year as YUSUF HADDAD: they share his
# surname-and-year blocking key, and every one of them scores as another person.
OTHERS = ("Layla", "Rania", "Mariam", "Noor", "Huda", "Salma", "Dina", "Hala")


def _queries_of_check(person: Person) -> int:
    with CaptureQueriesContext(connection) as queries:
        person_dedup_check(person_id=person.pk)
    return len(queries.captured_queries)


def _candidates_of(person: Person) -> int:
    keys = BlockingKey.objects.filter(person=person).values_list("key", flat=True)
    return BlockingKey.objects.filter(key__in=keys).exclude(person=person).values("person").distinct().count()


def test_a_check_makes_as_many_queries_for_eight_candidates_as_for_two(
    register: Callable[..., Person],
) -> None:
    def another(given: str) -> Person:
        return register(
            given, "Haddad", sex=Sex.FEMALE, nationality="LBN", date_of_birth=BORN.replace(month=9)
        )

    for given in OTHERS[:2]:
        another(given)
    yusuf = register("Yusuf", "Haddad", date_of_birth=BORN)
    dedup_pending_process()
    few = _queries_of_check(yusuf)
    assert _candidates_of(yusuf) == 2

    for given in OTHERS[2:]:
        another(given)
    dedup_pending_process()
    many = _queries_of_check(yusuf)

    assert _candidates_of(yusuf) == 8
    assert not MatchCandidate.objects.exists()  # every one scored another person
    assert many == few
