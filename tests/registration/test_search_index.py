"""Person search by words, through a trigram index: a name is found however its parts were ordered,
spaced, hyphenated or given an apostrophe; the index follows every registration, rename and
deletion in the writer's transaction; a missing or incomplete index is rebuilt, never trusted; and
the database really reads the index (SQLite's FTS5 trigram table, PostgreSQL's pg_trgm GIN index)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from hbm.accounts.models import User
from hbm.core.context import Actor
from hbm.core.errors import ValidationFailed
from hbm.crossings.models import CrossingPoint
from hbm.field.enums import EditSource
from hbm.field.schemas import PersonChangesIn
from hbm.field.services import person_edit_apply
from hbm.registration.enums import Sex
from hbm.registration.models import Person
from hbm.registration.search_index import search_index_ensure
from hbm.registration.selectors import SEARCH_LIMIT, persons_search
from hbm.registration.values import search_compact, search_fold, search_words
from tests.factories import namesakes_bulk_create, person_named
from tests.registration.plans import query_plan

pytestmark = pytest.mark.django_db


def _register(actor: Actor, point: CrossingPoint, surname: str, given: str, **more: str) -> Person:
    return person_named(actor, point, surname, given, sex=Sex.FEMALE, **more)


def _index_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM registration_person_words_doc")
        (rows,) = cursor.fetchone()
    return int(rows)


sqlite_only = pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite's FTS5 index")
postgres_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's pg_trgm")


# --- words --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("Abdul-Rahman  ali", ["ABDULRAHMAN", "ALI"]),
        ("Mar\u2019iana O'Neill", ["MARIANA", "ONEILL"]),  # typographic apostrophe
        ("\u041c\u0430\u0440\u02bc\u044f\u043d\u0430", ["\u041c\u0410\u0420\u042f\u041d\u0410"]),  # Марʼяна
        (" - ' ", []),
        ("", []),
    ],
)
def test_a_search_is_folded_words_without_joiners(typed: str, words: list[str]) -> None:
    assert search_words(typed) == words


def test_the_database_drops_the_joiners_as_python_does(actor: Actor, crossing_point: CrossingPoint) -> None:
    person = _register(
        actor, crossing_point, "Al-Assad", "Mar\u2019iana Abdul Rahman", father_name="Abd al-Karim"
    )
    person.refresh_from_db()

    latin = search_compact(search_fold("Al-Assad Mar\u2019iana Abdul Rahman"))
    assert person.search_words == f"{latin} "  # no name in the original script: an empty second part
    assert person.parents_search_words == f"{search_compact(search_fold('Abd al-Karim'))} "


# --- what a search finds -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["olena kovalenko", "Kovalenko Olena", "kovalen", "lena kov", "KOVALENKO-OLENA", "ol kova"],
)
def test_a_name_is_found_by_its_words_in_any_order(
    actor: Actor, crossing_point: CrossingPoint, typed: str
) -> None:
    olena = _register(actor, crossing_point, "Kovalenko", "Olena", nationality="UKR")
    _register(actor, crossing_point, "Kovalchuk", "Iryna", nationality="UKR")
    _register(actor, crossing_point, "Shevchenko", "Olena", nationality="UKR")

    assert persons_search(actor=actor, query=typed) == [olena]


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        (("Abdul Rahman", "Ahmad"), "abdulrahman ahmad"),
        (("Abdulrahman", "Ahmad"), "Abdul Rahman"),
        (("Al-Assad", "Fatima"), "alassad"),
        (("Alassad", "Fatima"), "Al-Assad fatima"),
        (("O'Neill", "Mary"), "oneill"),
        (("Hrytsenko", "Mar\u2019iana"), "mariana"),
    ],
)
def test_spaces_hyphens_and_apostrophes_within_a_name_do_not_matter(
    actor: Actor, crossing_point: CrossingPoint, stored: tuple[str, str], typed: str
) -> None:
    person = _register(actor, crossing_point, *stored)
    _register(actor, crossing_point, "Rahimi", "Abdul")

    assert persons_search(actor=actor, query=typed) == [person]


def test_every_word_must_be_found(actor: Actor, crossing_point: CrossingPoint) -> None:
    _register(actor, crossing_point, "Haddad", "Yusuf")

    assert persons_search(actor=actor, query="haddad yusuf") != []
    assert persons_search(actor=actor, query="haddad yasmin") == []
    assert persons_search(actor=actor, query="haddad yu") != []  # a short word is read off the rows
    assert persons_search(actor=actor, query="haddad ya") == []


def test_a_search_of_short_words_only_reads_the_rows(actor: Actor, crossing_point: CrossingPoint) -> None:
    li = _register(actor, crossing_point, "Li", "Na")
    _register(actor, crossing_point, "Haddad", "Yusuf")

    assert persons_search(actor=actor, query="na li") == [li]
    assert persons_search(actor=actor, query="LI") == [li]


def test_the_parents_words_are_found_in_either_parent(actor: Actor, crossing_point: CrossingPoint) -> None:
    child = _register(actor, crossing_point, "Haddad", "Lina", father_name="Abdul Karim", mother_name="Huda")
    _register(actor, crossing_point, "Haddad", "Omar", father_name="Karim", mother_name="Salma")

    assert persons_search(actor=actor, parent_name="abdulkarim") == [child]
    assert persons_search(actor=actor, parent_name="Abd-ul Karim") == [child]
    assert persons_search(actor=actor, parent_name="huda") == [child]
    assert len(persons_search(actor=actor, parent_name="karim")) == 2
    with pytest.raises(ValidationFailed) as refused:
        persons_search(actor=actor, parent_name=" - k ")
    assert list(refused.value.fields) == ["parent_name"]


def test_a_person_out_of_reach_is_not_found_through_the_index(
    actor: Actor, crossing_point: CrossingPoint, outsider: User
) -> None:
    _register(actor, crossing_point, "Kovalenko", "Olena")

    assert persons_search(actor=Actor(user=outsider, device="test"), query="kovalenko olena") == []


# --- the index follows the writes ----------------------------------------------------------------


def test_a_rename_moves_the_person_in_the_index(actor: Actor, crossing_point: CrossingPoint) -> None:
    person = _register(actor, crossing_point, "Kovalenko", "Olena", nationality="UKR")

    person_edit_apply(
        actor=actor,
        person_id=person.pk,
        edit_id=uuid.uuid4(),
        base_version=person.version,
        changes=PersonChangesIn(surname_latin="Shevchenko", father_name="Petro"),
        source=EditSource.WEB,
    )

    assert persons_search(actor=actor, query="kovalenko") == []
    assert persons_search(actor=actor, query="olena shevchenko") == [person]
    assert persons_search(actor=actor, parent_name="petro") == [person]


def test_a_deleted_person_leaves_the_index(actor: Actor, crossing_point: CrossingPoint) -> None:
    kept = _register(actor, crossing_point, "Haddad", "Lina")
    gone = _register(actor, crossing_point, "Haddad", "Omar")
    rows = _index_rows() if connection.vendor == "sqlite" else None

    gone.encounters.all().delete()  # an encounter protects its person: as the demo data are erased
    Person.objects.filter(pk=gone.pk).delete()

    assert persons_search(actor=actor, query="haddad") == [kept]
    if rows is not None:
        assert _index_rows() == rows - 1


def test_persons_stored_in_bulk_are_indexed(actor: Actor, crossing_point: CrossingPoint) -> None:
    namesakes_bulk_create(_register(actor, crossing_point, "Haddad", "Lina"), 3, "Bulk")

    found = persons_search(actor=actor, query="person1 bulk")

    assert [p.given_names_latin for p in found] == ["Person1"]


def test_at_most_the_limit_comes_back_ordered_by_name(actor: Actor, crossing_point: CrossingPoint) -> None:
    namesakes_bulk_create(_register(actor, crossing_point, "Haddad", "Lina"), 12, "Ahmadi")

    found = persons_search(actor=actor, query="ahmadi", limit=5)
    every = persons_search(actor=actor, query="ahmadi")

    assert len(found) == 5
    assert [p.search_name for p in found] == sorted(p.search_name for p in found)
    assert len(every) == 12
    assert [p.search_name for p in every] == sorted(p.search_name for p in every)


# --- an index that cannot be trusted is rebuilt --------------------------------------------------


def test_an_index_in_place_is_left_alone(actor: Actor, crossing_point: CrossingPoint) -> None:
    _register(actor, crossing_point, "Haddad", "Lina")

    assert search_index_ensure(connection) is False


@sqlite_only
def test_a_lost_trigger_gets_the_index_rebuilt(actor: Actor, crossing_point: CrossingPoint) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER registration_person_words_inserted")
    unseen = _register(actor, crossing_point, "Haddad", "Lina")  # written while the trigger is gone
    assert persons_search(actor=actor, query="lina") == []

    assert search_index_ensure(connection) is True

    assert persons_search(actor=actor, query="lina") == [unseen]
    assert search_index_ensure(connection) is False


@sqlite_only
def test_an_index_missing_rows_is_rebuilt(actor: Actor, crossing_point: CrossingPoint) -> None:
    lina = _register(actor, crossing_point, "Haddad", "Lina")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM registration_person_words_doc")
    assert persons_search(actor=actor, query="lina") == []

    assert search_index_ensure(connection) is True

    assert persons_search(actor=actor, query="lina") == [lina]


@postgres_only
def test_a_dropped_index_is_made_again() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX person_search_words_trgm")

    assert search_index_ensure(connection) is True

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'person_search_words_trgm'")
        (definition,) = cursor.fetchone()
    assert "gin_trgm_ops" in definition


# --- the database reads the index ----------------------------------------------------------------


def _plan(actor: Actor, query: str) -> str:
    from hbm.registration.search_index import persons_with_words

    return query_plan(persons_with_words(Person.objects.all(), names=search_words(query)))


def test_a_word_of_three_letters_or_more_is_looked_up_in_the_index(
    actor: Actor, crossing_point: CrossingPoint
) -> None:
    _register(actor, crossing_point, "Kovalenko", "Olena")

    plan = _plan(actor, "koval")

    if connection.vendor == "sqlite":
        assert "VIRTUAL TABLE INDEX" in plan
        assert "registration_person_words" in plan
    else:
        assert "person_search_words_trgm" in plan


def test_the_api_says_when_more_match_than_it_returns(
    actor: Actor, crossing_point: CrossingPoint, officer: User, api: Callable[[User | None], Any]
) -> None:
    for n in range(SEARCH_LIMIT + 1):
        _register(actor, crossing_point, "Haddad", f"Yusuf{n:02d}")
    _register(actor, crossing_point, "Karimi", "Ali")

    many = api(officer).get("/api/persons", {"q": "haddad"})
    one = api(officer).get("/api/persons", {"q": "karimi"})

    assert (len(many.json()), many["HBM-More-Matches"]) == (SEARCH_LIMIT, "true")
    assert (len(one.json()), one["HBM-More-Matches"]) == (1, "false")
