"""A parent's name searched "sounds like": the father recorded as *Mohamed Haddad* is found by
*Muhammad*, the mother written *فاطمة* by *Fatima* — only when the officer asks, after the persons
whose parents' names are written as typed, through the trigram index; the keys follow every change
of rules, and a person out of reach stays out of reach. (The index read: test_search_sounds.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from hbm.accounts.models import User
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.core.context import Actor
from hbm.crossings.models import CrossingPoint
from hbm.registration.models import Person
from hbm.registration.search_index import search_index_ensure
from hbm.registration.selectors import person_words_found, persons_search
from hbm.registration.values import search_sounds_of
from tests.factories import person_named
from tests.migrating import migrated_back_to

pytestmark = pytest.mark.django_db

FATIMA_AR = "\u0641\u0627\u0637\u0645\u0629"  # فاطمة


@pytest.fixture
def karim(actor: Actor, crossing_point: CrossingPoint) -> Person:
    """A boy whose father was recorded in Latin letters, his mother in Arabic script."""
    return person_named(
        actor, crossing_point, "Haddad", "Karim", father_name="Mohamed Haddad", mother_name=FATIMA_AR
    )


def test_a_fathers_name_spelt_another_way_is_found_only_by_sound(actor: Actor, karim: Person) -> None:
    assert persons_search(actor=actor, parent_name="Muhammad") == []
    assert persons_search(actor=actor, parent_name="Muhammad", sounds_like=True) == [karim]
    assert persons_search(actor=actor, parent_name="Muhammad Hadad", sounds_like=True) == [karim]
    assert persons_search(actor=actor, parent_name="Mahmoud", sounds_like=True) == []


def test_a_mothers_name_written_in_arabic_script_is_found_by_its_latin_spelling(
    actor: Actor, karim: Person
) -> None:
    assert persons_search(actor=actor, parent_name="Fatima") == []
    assert persons_search(actor=actor, parent_name="Fatima", sounds_like=True) == [karim]


def test_the_persons_own_names_and_the_parents_may_each_be_found_by_sound(
    actor: Actor, karim: Person
) -> None:
    # by words and by sound, by sound and by words, by sound and by sound
    assert persons_search(actor=actor, query="Karim", parent_name="Muhammad", sounds_like=True) == [karim]
    assert persons_search(actor=actor, query="Kareem", parent_name="Mohamed", sounds_like=True) == [karim]
    assert persons_search(actor=actor, query="Kareem", parent_name="Muhammad", sounds_like=True) == [karim]
    assert persons_search(actor=actor, query="Kareem", parent_name="Muhammad") == []


def test_the_parents_sounds_are_the_parents_not_the_persons_own(actor: Actor, karim: Person) -> None:
    assert persons_search(actor=actor, parent_name="Kareem", sounds_like=True) == []


def test_written_matches_come_first_and_the_others_are_told_apart(
    actor: Actor, crossing_point: CrossingPoint, karim: Person
) -> None:
    written = person_named(actor, crossing_point, "Saleh", "Omar", father_name="Muhammad Saleh")

    found = persons_search(actor=actor, parent_name="Muhammad", sounds_like=True)
    first = persons_search(actor=actor, parent_name="Muhammad", sounds_like=True, limit=1)

    assert {p.pk for p in found} == {written.pk, karim.pk}
    assert {p.pk: person_words_found(p, "", "Muhammad") for p in found} == {written.pk: True, karim.pk: False}
    assert first == [written]


def test_the_api_marks_a_person_found_by_the_sound_of_a_parents_name(
    karim: Person, officer: User, api: Callable[[User | None], Any]
) -> None:
    found = api(officer).get("/api/persons", {"parent_name": "Muhammad", "sounds_like": "true"}).json()
    plain = api(officer).get("/api/persons", {"parent_name": "Mohamed", "sounds_like": "true"}).json()

    assert [(p["id"], p["found_by_sound"]) for p in found] == [(str(karim.pk), True)]
    assert [(p["id"], p["found_by_sound"]) for p in plain] == [(str(karim.pk), False)]


def test_the_web_search_marks_a_person_found_by_the_sound_of_a_parents_name(
    karim: Person, officer: User, api: Callable[[User | None], Any]
) -> None:
    by_words = api(officer).get("/persons/", {"parent_name": "Muhammad"}).content.decode()
    page = api(officer).get("/persons/", {"parent_name": "Muhammad", "sounds": "on"}).content.decode()

    assert str(karim.pk) not in by_words
    assert 'data-testid="search-sounds"' in by_words  # offered again, by sound
    assert str(karim.pk) in page
    assert 'data-testid="sounds-alike"' in page


def test_a_person_out_of_reach_is_not_found_by_a_parents_sound(
    karim: Person, make_user: Callable[..., User]
) -> None:
    elsewhere = Actor(user=make_user("border_officer", posted=False), device="test")

    assert persons_search(actor=elsewhere, parent_name="Muhammad", sounds_like=True) == []


def test_the_search_by_a_parents_sound_is_audited_as_a_search_by_sound(actor: Actor, karim: Person) -> None:
    persons_search(actor=actor, parent_name="Muhammad", sounds_like=True)

    entry = AuditEntry.objects.filter(event=AuditEvent.PERSONS_SEARCHED).latest("seq")
    assert entry.detail["criteria"] == ["parent_name", "sounds_like"]
    assert entry.detail["hits"] == [str(karim.pk)]


def test_keys_of_persons_registered_before_are_made_at_migrate_without_a_new_duplicate_check(
    actor: Actor, karim: Person
) -> None:
    checked = Person.objects.filter(pk=karim.pk).update(dedup_checked_at="2026-11-20T10:00:00Z")
    assert checked == 1
    with connection.cursor() as cursor:  # as the version before the parents' keys left them
        cursor.execute("UPDATE registration_person_search_version SET version = 'earlier'")
        cursor.execute("UPDATE registration_person SET parents_search_sounds = ''")
    assert persons_search(actor=actor, parent_name="Muhammad", sounds_like=True) == []

    assert search_index_ensure(connection) is True

    assert persons_search(actor=actor, parent_name="Muhammad", sounds_like=True) == [karim]
    stored = Person.objects.get(pk=karim.pk)
    assert stored.parents_search_sounds == search_sounds_of("Mohamed Haddad", FATIMA_AR)
    assert stored.dedup_checked_at is not None  # how a name sounds is not how the matcher keys it


@pytest.mark.django_db(transaction=True)
def test_migrating_back_before_the_parents_keys_and_forward_again_makes_them_again(
    actor: Actor, karim: Person
) -> None:
    # The index's triggers name the column: they must go before it does (SQLite refuses).
    with migrated_back_to("registration", "0010"), connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, "registration_person")
    assert "parents_search_sounds" not in {column.name for column in columns}

    assert persons_search(actor=actor, parent_name="Muhammad", sounds_like=True) == [karim]
