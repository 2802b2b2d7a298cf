"""A "sounds like" person search: a name spelt another way or written in another script is found
(Muhammad finds Mohamed and محمد) when the officer asks for it, every part of the name typed must be
matched, a person out of reach stays out of reach, the keys follow every rename, keys made by other
rules are made again, and the database reads the trigram index for them."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from hbm.accounts.models import User
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.core.context import Actor
from hbm.crossings.models import CrossingPoint
from hbm.field.enums import EditSource
from hbm.field.schemas import PersonChangesIn
from hbm.field.services import person_edit_apply
from hbm.registration.models import Person
from hbm.registration.search_index import (
    persons_with_words,
    search_columns_refresh,
    search_index_ensure,
)
from hbm.registration.selectors import person_words_found, persons_search
from hbm.registration.values import search_sounds_of
from tests.factories import person_named
from tests.migrating import migrated_back_to
from tests.registration.plans import query_plan

pytestmark = pytest.mark.django_db

MUHAMMAD_AR = "\u0645\u062d\u0645\u062f"  # محمد


def _register(actor: Actor, point: CrossingPoint, surname: str, given: str, **more: str) -> Person:
    return person_named(actor, point, surname, given, **more)


def test_a_name_spelt_another_way_is_found_only_by_sound(actor: Actor, crossing_point: CrossingPoint) -> None:
    mohamed = _register(actor, crossing_point, "Haddad", "Mohamed Youssef")

    assert persons_search(actor=actor, query="muhammad yusuf") == []
    assert persons_search(actor=actor, query="muhammad yusuf", sounds_like=True) == [mohamed]
    assert persons_search(actor=actor, query="Yusuf Haddad", sounds_like=True) == [mohamed]
    assert persons_search(actor=actor, query="muhmd") == []  # the keys are not names to search by words


def test_a_name_typed_in_arabic_script_finds_its_latin_spellings(
    actor: Actor, crossing_point: CrossingPoint
) -> None:
    latin_only = _register(actor, crossing_point, "Haddad", "Mohamed")
    written_too = _register(
        actor,
        crossing_point,
        "Karimi",
        "Muhammad",
        given_names_original=MUHAMMAD_AR,
        surname_original="\u06a9\u0631\u06cc\u0645\u06cc",  # کریمی
    )

    found = persons_search(actor=actor, query=MUHAMMAD_AR, sounds_like=True)

    assert sorted(p.pk for p in found) == sorted([latin_only.pk, written_too.pk])


def test_an_article_typed_joined_finds_it_written_apart(actor: Actor, crossing_point: CrossingPoint) -> None:
    hasan = _register(actor, crossing_point, "Al-Ahmad", "Hasan")

    assert persons_search(actor=actor, query="hasan alahmed") == []  # respelt: no word matches
    assert persons_search(actor=actor, query="hasan alahmed", sounds_like=True) == [hasan]


def test_every_name_typed_must_sound_like_one_of_theirs(actor: Actor, crossing_point: CrossingPoint) -> None:
    _register(actor, crossing_point, "Haddad", "Mohamed")
    karimi = _register(actor, crossing_point, "Karimi", "Mohamed")

    assert persons_search(actor=actor, query="Muhammad Karimi", sounds_like=True) == [karimi]
    assert persons_search(actor=actor, query="Muhammad Rahimi", sounds_like=True) == []


def test_a_key_is_a_whole_name(actor: Actor, crossing_point: CrossingPoint) -> None:
    _register(actor, crossing_point, "Haddad", "Muhammadi")  # key MUHMDA: 'Muhammad' (MUHMD) inside

    assert persons_search(actor=actor, query="Mohamed", sounds_like=True) == []


def test_written_matches_and_sound_matches_come_together_and_are_told_apart(
    actor: Actor, crossing_point: CrossingPoint
) -> None:
    written = _register(actor, crossing_point, "Haddad", "Muhammad")
    alike = _register(actor, crossing_point, "Haddad", "Mohamed")

    found = persons_search(actor=actor, query="muhammad", sounds_like=True)

    assert {p.pk for p in found} == {written.pk, alike.pk}
    assert [person_words_found(p, "muhammad") for p in found] == [False, True]  # by name: MOHAMED first


def test_the_api_tells_the_persons_found_only_by_sound(
    actor: Actor, crossing_point: CrossingPoint, officer: User, api: Callable[[User | None], Any]
) -> None:
    written = _register(actor, crossing_point, "Haddad", "Muhammad")
    alike = _register(actor, crossing_point, "Haddad", "Mohamed")

    found = api(officer).get("/api/persons", {"q": "muhammad", "sounds_like": "true"}).json()
    plain = api(officer).get("/api/persons", {"q": "muhammad"}).json()

    assert {p["id"]: p["found_by_sound"] for p in found} == {str(written.pk): False, str(alike.pk): True}
    assert [(p["id"], p["found_by_sound"]) for p in plain] == [(str(written.pk), False)]


def test_written_matches_come_first_when_more_than_the_limit_match(
    actor: Actor, crossing_point: CrossingPoint
) -> None:
    written = [_register(actor, crossing_point, f"Haddad{n}", "Muhammad") for n in range(3)]
    for n in range(3):
        _register(actor, crossing_point, f"Haddad{n}", "Mohamed")

    found = persons_search(actor=actor, query="muhammad", sounds_like=True, limit=3)

    assert {p.pk for p in found} == {p.pk for p in written}


def test_other_criteria_still_apply(actor: Actor, crossing_point: CrossingPoint) -> None:
    _register(actor, crossing_point, "Haddad", "Mohamed", nationality="SYR")
    iraqi = _register(actor, crossing_point, "Haddad", "Mohamed", nationality="IRQ", father_name="Ali")

    assert persons_search(actor=actor, query="muhammad", nationality="IRQ", sounds_like=True) == [iraqi]
    assert persons_search(actor=actor, query="muhammad", parent_name="ali", sounds_like=True) == [iraqi]


def test_a_person_out_of_reach_is_not_found_by_sound(
    actor: Actor, crossing_point: CrossingPoint, outsider: User
) -> None:
    _register(actor, crossing_point, "Haddad", "Mohamed")

    assert persons_search(actor=Actor(user=outsider, device="test"), query="muhammad", sounds_like=True) == []


def test_the_search_by_sound_is_audited_as_such(actor: Actor, crossing_point: CrossingPoint) -> None:
    mohamed = _register(actor, crossing_point, "Haddad", "Mohamed")

    persons_search(actor=actor, query="muhammad", sounds_like=True)

    entry = AuditEntry.objects.filter(event=AuditEvent.PERSONS_SEARCHED).latest("seq")
    assert entry.detail == {"criteria": ["query", "sounds_like"], "hits": [str(mohamed.pk)]}


# --- the keys follow the names -------------------------------------------------------------------


def test_registration_and_a_rename_keep_the_keys(actor: Actor, crossing_point: CrossingPoint) -> None:
    person = _register(actor, crossing_point, "Kovalenko", "Oleksandr", nationality="UKR")
    person.refresh_from_db()
    assert person.search_sounds == search_sounds_of("Oleksandr", "Kovalenko", "", "")

    person_edit_apply(
        actor=actor,
        person_id=person.pk,
        edit_id=uuid.uuid4(),
        base_version=person.version,
        changes=PersonChangesIn(given_names_latin="Petro"),
        source=EditSource.WEB,
    )

    assert persons_search(actor=actor, query="Alexander", sounds_like=True) == []
    assert persons_search(actor=actor, query="Petr Kovalenko", sounds_like=True) == [person]


def _stored_version() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM registration_person_search_version")
        return [row[0] for row in cursor.fetchall()]


def test_keys_made_by_other_rules_are_made_again(actor: Actor, crossing_point: CrossingPoint) -> None:
    mohamed = _register(actor, crossing_point, "Haddad", "Mohamed")
    kept = _register(actor, crossing_point, "Karimi", "Ali")
    with connection.cursor() as cursor:  # as an earlier names engine would have left them
        cursor.execute("UPDATE registration_person_search_version SET version = 'earlier'")
        cursor.execute(
            "UPDATE registration_person SET search_sounds = ' MHMT ' WHERE id = %s", [mohamed.pk.hex]
        )
    assert persons_search(actor=actor, query="muhammad", sounds_like=True) == []
    before = Person.objects.get(pk=mohamed.pk).updated_at

    assert search_index_ensure(connection) is True

    assert persons_search(actor=actor, query="muhammad", sounds_like=True) == [mohamed]
    assert Person.objects.get(pk=mohamed.pk).updated_at == before  # not a change of the person
    assert Person.objects.get(pk=kept.pk).search_sounds == search_sounds_of("Ali", "Karimi", "", "")
    assert len(_stored_version()) == 1
    assert search_columns_refresh(connection) == 0  # recorded: nothing to do until the rules change
    assert search_index_ensure(connection) is False


def test_an_interrupted_remake_is_done_again(actor: Actor, crossing_point: CrossingPoint) -> None:
    mohamed = _register(actor, crossing_point, "Haddad", "Mohamed")
    with connection.cursor() as cursor:  # no version recorded: a remake that never finished
        cursor.execute("DELETE FROM registration_person_search_version")
        cursor.execute("UPDATE registration_person SET search_sounds = '' WHERE id = %s", [mohamed.pk.hex])

    assert search_columns_refresh(connection, batch=1) == 1

    assert persons_search(actor=actor, query="muhammad", sounds_like=True) == [mohamed]


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite's FTS5 index")
def test_an_index_made_by_an_earlier_version_is_rebuilt(actor: Actor, crossing_point: CrossingPoint) -> None:
    mohamed = _register(actor, crossing_point, "Haddad", "Mohamed")
    with connection.cursor() as cursor:  # the update trigger as it was before sound keys
        cursor.execute("DROP TRIGGER registration_person_words_updated")
        cursor.execute(
            "CREATE TRIGGER registration_person_words_updated"
            " AFTER UPDATE OF search_name ON registration_person BEGIN"
            " UPDATE registration_person_words_doc SET names = new.search_words WHERE person_id = new.id;"
            " END"
        )

    assert search_index_ensure(connection) is True

    assert persons_search(actor=actor, query="muhammad", sounds_like=True) == [mohamed]
    assert search_index_ensure(connection) is False


@pytest.mark.parametrize(
    ("keys", "index"),
    [("sounds", "person_search_sounds_trgm"), ("parent_sounds", "person_parents_sounds_trgm")],
)
def test_a_key_is_looked_up_in_the_index(
    actor: Actor, crossing_point: CrossingPoint, keys: str, index: str
) -> None:
    """The names' keys and the parents' keys alike."""
    _register(actor, crossing_point, "Haddad", "Mohamed", father_name="Mohamed Haddad")
    plan = query_plan(persons_with_words(Person.objects.all(), **{keys: ["MUHMD"]}))

    used = index if connection.vendor == "postgresql" else "VIRTUAL TABLE INDEX"
    assert used in plan


@pytest.mark.django_db(transaction=True)
def test_migrating_back_before_the_keys_and_forward_again_makes_them_again(
    actor: Actor, crossing_point: CrossingPoint
) -> None:
    mohamed = _register(actor, crossing_point, "Haddad", "Mohamed")
    # The index's triggers name the column: they must go before it does (SQLite refuses).
    with migrated_back_to("registration", "0008"), connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, "registration_person")
    assert "search_sounds" not in {column.name for column in columns}

    assert Person.objects.get(pk=mohamed.pk).search_sounds == search_sounds_of("Mohamed", "Haddad", "", "")
    assert persons_search(actor=actor, query="muhammad", sounds_like=True) == [mohamed]
