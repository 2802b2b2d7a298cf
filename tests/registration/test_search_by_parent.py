"""Finding a person by a parent's name ("whose son are you?"): the father's or the mother's name,
folded as the person's own names are, in Latin letters or the original script; only persons the
reader may see; the search audited with the criterion named, not its value."""

from __future__ import annotations

import importlib
from collections.abc import Callable

import pytest
from django.apps import apps
from django.test import Client

from hbm.accounts.models import User
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.core.context import Actor
from hbm.core.errors import ValidationFailed
from hbm.crossings.models import CrossingPoint
from hbm.registration.models import Person
from hbm.registration.selectors import persons_search
from tests.api.conftest import assert_matches_openapi
from tests.factories import person_named

pytestmark = pytest.mark.django_db

TOO_SHORT = "give at least 2 letters of the father's or the mother's name"


def _register(actor: Actor, point: CrossingPoint, given: str, surname: str, **parents: str) -> Person:
    return person_named(actor, point, surname, given, nationality="AFG", **parents)


@pytest.fixture
def ahmad(actor: Actor, crossing_point: CrossingPoint) -> Person:
    return _register(
        actor, crossing_point, "Ahmad", "Karimi", father_name="Mohammad Karīm", mother_name="فاطِمة رحيمي"
    )


@pytest.fixture
def namesake(actor: Actor, crossing_point: CrossingPoint) -> Person:
    """Another Ahmad, of other parents, whose own surname holds the first Ahmad's father's name."""
    return _register(actor, crossing_point, "Ahmad", "Mohammadi", father_name="Mahmoud", mother_name="Zahra")


def _last_search() -> AuditEntry:
    return AuditEntry.objects.filter(event=AuditEvent.PERSONS_SEARCHED).latest("seq")


@pytest.mark.parametrize("typed", ["karim", "MOHAMMAD KARIM", "  mohammad   karīm ", "Mohammad Kar"])
def test_the_fathers_name_in_latin_letters_finds_the_person_whatever_the_case_and_accents(
    actor: Actor, ahmad: Person, namesake: Person, typed: str
) -> None:
    assert persons_search(actor=actor, parent_name=typed) == [ahmad]


@pytest.mark.parametrize("typed", ["فاطمة", "فاطِمة رحيمي", "رحيمي"])
def test_the_mothers_name_in_the_original_script_finds_the_person_with_or_without_vowel_marks(
    actor: Actor, ahmad: Person, namesake: Person, typed: str
) -> None:
    assert persons_search(actor=actor, parent_name=typed) == [ahmad]


def test_a_cyrillic_name_is_found_in_either_case(actor: Actor, crossing_point: CrossingPoint) -> None:
    olena = _register(actor, crossing_point, "Olena", "Kovalenko", mother_name="Галина Коваленко")

    assert persons_search(actor=actor, parent_name="галина") == [olena]


def test_the_parents_name_is_searched_not_the_persons_own_names(
    actor: Actor, ahmad: Person, namesake: Person
) -> None:
    assert persons_search(actor=actor, parent_name="Mohammad") == [ahmad]
    assert persons_search(actor=actor, parent_name="Ahmad") == []


def test_with_another_criterion_both_must_match(actor: Actor, ahmad: Person, namesake: Person) -> None:
    assert persons_search(actor=actor, parent_name="mahmoud", query="karimi") == []
    assert persons_search(actor=actor, parent_name="mahmoud", query="mohammadi") == [namesake]


def test_a_reader_who_may_not_see_the_person_finds_nobody_and_the_search_is_audited(
    ahmad: Person, outsider: User
) -> None:
    assert persons_search(actor=Actor(user=outsider, device="test"), parent_name="karim") == []
    entry = _last_search()
    assert entry.actor == outsider
    assert entry.detail == {"criteria": ["parent_name"], "hits": []}


def test_the_audit_names_the_criterion_not_the_name_typed(actor: Actor, ahmad: Person) -> None:
    persons_search(actor=actor, parent_name="Mohammad", nationality="afg")

    entry = _last_search()
    assert entry.detail == {"criteria": ["nationality", "parent_name"], "hits": [str(ahmad.pk)]}
    assert "MOHAMMAD" not in str(entry.detail).upper()


@pytest.mark.parametrize("typed", ["k", " K ", "\u0301", "ِ"])
def test_a_single_letter_or_marks_alone_are_refused_naming_the_field_and_nothing_is_audited(
    actor: Actor, ahmad: Person, typed: str
) -> None:
    before = AuditEntry.objects.count()

    with pytest.raises(ValidationFailed) as refused:
        persons_search(actor=actor, parent_name=typed)

    assert refused.value.fields == {"parent_name": [TOO_SHORT]}
    assert AuditEntry.objects.count() == before


def test_spaces_alone_are_no_criterion(actor: Actor, ahmad: Person) -> None:
    persons_search(actor=actor, parent_name="   ", query="karimi")

    assert _last_search().detail["criteria"] == ["query"]


def test_the_api_finds_by_a_parents_name_alone_and_refuses_a_single_letter(
    api: Callable[[User | None], Client], officer: User, ahmad: Person, namesake: Person
) -> None:
    client = api(officer)

    found = client.get("/api/persons", {"parent_name": "ZAHRA"})
    refused = client.get("/api/persons", {"parent_name": "z"})

    assert_matches_openapi(found)
    assert_matches_openapi(refused)
    assert found.status_code == 200
    assert [p["id"] for p in found.json()] == [str(namesake.pk)]
    assert refused.status_code == 422
    assert refused.json()["fields"] == {"parent_name": [TOO_SHORT]}
    assert _last_search().detail == {"criteria": ["parent_name"], "hits": [str(namesake.pk)]}


def test_the_web_search_form_finds_by_a_parents_name(
    api: Callable[[User | None], Client], officer: User, ahmad: Person, namesake: Person
) -> None:
    response = api(officer).get("/persons/", {"parent_name": "mohammad karim"})

    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="parent_name"' in content
    assert f'href="/persons/{ahmad.pk}/"' in content
    assert f'href="/persons/{namesake.pk}/"' not in content
    assert _last_search().detail == {"criteria": ["parent_name"], "hits": [str(ahmad.pk)]}


def test_the_web_search_form_shows_the_refusal_next_to_the_field(
    api: Callable[[User | None], Client], officer: User, ahmad: Person
) -> None:
    before = AuditEntry.objects.count()

    response = api(officer).get("/persons/", {"parent_name": "M"})

    content = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 422
    assert TOO_SHORT in content.split('id="id_parent_name_error"')[1].split("</div>")[0]
    assert 'data-testid="search-results"' not in content
    assert AuditEntry.objects.count() == before


def test_the_migration_folds_the_parents_names_of_persons_registered_before_it(
    ahmad: Person, namesake: Person, actor: Actor, crossing_point: CrossingPoint
) -> None:
    orphan = _register(actor, crossing_point, "Ali", "Noori")
    Person.objects.update(father_search_name="", mother_search_name="")  # as before the migration
    migration = importlib.import_module("hbm.registration.migrations.0006_person_parents_search_names")

    migration.parents_search_names_fill(apps, None)
    migration.parents_search_names_fill(apps, None)

    folded = dict(Person.objects.values_list("pk", "father_search_name"))
    assert folded == {ahmad.pk: "MOHAMMAD KARIM", namesake.pk: "MAHMOUD", orphan.pk: ""}
    assert Person.objects.get(pk=ahmad.pk).mother_search_name == "فاطمة رحيمي"
    assert persons_search(actor=actor, parent_name="karim") == [ahmad]
