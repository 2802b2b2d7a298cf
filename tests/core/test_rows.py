"""row_insert writes exactly the row save(force_insert=True) writes, on both databases."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from hbm.accounts.models import User
from hbm.core.rows import row_insert, rows_insert
from hbm.crossings.models import CrossingPoint
from hbm.registration.enums import AgeBand, BirthDateAccuracy, Direction, Sex, Tier, Transport
from hbm.registration.models import CountCell, Encounter, Person

pytestmark = pytest.mark.django_db

_STAMPS = {"id", "created_at", "updated_at"}


def _person(point: CrossingPoint, officer: User) -> Person:
    return Person(
        id=uuid.uuid4(),
        given_names_original="Олена",
        surname_original="Коваленко",
        given_names_latin="Olena",
        surname_latin="Kovalenko",
        search_name="KOVALENKO OLENA",
        sex=Sex.FEMALE,
        date_of_birth=date(1990, 3, 14),
        birth_date_accuracy=BirthDateAccuracy.EXACT,
        nationality="UKR",
        languages=["ukr", "rus"],
        specific_needs=["pregnant", "unaccompanied_child"],
        registered_at=point,
        registered_by=officer,
    )


def _stored(model: type[Person] | type[Encounter], pk: object) -> dict[str, object]:
    row = model.objects.get(pk=pk)
    return {
        f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields if f.attname not in _STAMPS
    }


def test_a_person_row_is_the_row_save_writes(crossing_point: CrossingPoint, officer: User) -> None:
    saved, inserted = _person(crossing_point, officer), _person(crossing_point, officer)
    saved.save(force_insert=True)

    row_insert(inserted)

    assert _stored(Person, inserted.pk) == _stored(Person, saved.pk)
    stored = Person.objects.get(pk=inserted.pk)
    assert stored.created_at == inserted.created_at  # auto_now_add set on the instance, as save does
    assert stored.updated_at == inserted.updated_at
    assert stored.specific_needs == ["pregnant", "unaccompanied_child"]
    assert not inserted._state.adding


def test_encrypted_fields_are_stored_as_ciphertext(crossing_point: CrossingPoint, officer: User) -> None:
    person = _person(crossing_point, officer)

    row_insert(person)

    key = Person._meta.pk.get_db_prep_value(person.pk, connection)  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        cursor.execute("SELECT specific_needs FROM registration_person WHERE id = %s", [key])
        (stored,) = cursor.fetchone()
    assert b"pregnant" not in bytes(stored)


def test_an_encounter_row_is_the_row_save_writes(crossing_point: CrossingPoint, officer: User) -> None:
    person = _person(crossing_point, officer)
    row_insert(person)
    fields = {
        "crossing_point": crossing_point,
        "occurred_at": datetime(2026, 11, 24, 8, 30, 15, 123456, tzinfo=UTC),
        "direction": Direction.ENTRY,
        "tier": Tier.INDIVIDUAL,
        "transport": Transport.LAND,
        "mode": crossing_point.mode,
        "officer": officer,
        "device": "token:abcd tablet",
        "person": person,
    }
    saved, inserted = Encounter(**fields), Encounter(**fields)
    saved.save(force_insert=True)

    row_insert(inserted)

    assert _stored(Encounter, inserted.pk) == _stored(Encounter, saved.pk)


def test_an_auto_incremented_key_is_read_back(crossing_point: CrossingPoint, officer: User) -> None:
    count = Encounter(
        crossing_point=crossing_point,
        occurred_at=datetime(2026, 11, 24, 8, 0, tzinfo=UTC),
        tier=Tier.COUNT,
        mode=crossing_point.mode,
        officer=officer,
    )
    row_insert(count)
    first, second = (
        CountCell(encounter=count, sex=Sex.FEMALE, age_band=b, count=3) for b in list(AgeBand)[:2]
    )

    row_insert(first)
    row_insert(second)

    assert first.pk is not None
    assert second.pk is not None
    assert CountCell.objects.get(pk=second.pk).age_band == second.age_band
    assert {c.pk for c in CountCell.objects.filter(encounter=count)} == {first.pk, second.pk}


def test_a_taken_key_raises_integrity_error_as_save_does(
    crossing_point: CrossingPoint, officer: User
) -> None:
    person = _person(crossing_point, officer)
    row_insert(person)
    again = _person(crossing_point, officer)
    again.id = person.id

    with pytest.raises(IntegrityError), transaction.atomic():
        row_insert(again)

    assert Person.objects.filter(pk=person.pk).count() == 1


def _encounter_of(person: Person, point: CrossingPoint, officer: User) -> Encounter:
    return Encounter(
        crossing_point=point,
        occurred_at=datetime(2026, 11, 24, 9, 0, tzinfo=UTC),
        tier=Tier.INDIVIDUAL,
        mode=point.mode,
        officer=officer,
        device="token:abcd tablet",
        person=person,
    )


def test_several_rows_go_as_one_statement_on_postgresql(crossing_point: CrossingPoint, officer: User) -> None:
    person = _person(crossing_point, officer)
    encounter = _encounter_of(person, crossing_point, officer)
    cell_encounter = Encounter(
        crossing_point=crossing_point,
        occurred_at=datetime(2026, 11, 24, 9, 5, tzinfo=UTC),
        tier=Tier.COUNT,
        mode=crossing_point.mode,
        officer=officer,
    )
    key = Person._meta.pk.get_db_prep_value(person.pk, connection)  # type: ignore[union-attr]
    renamed = ("UPDATE registration_person SET place_of_birth = %s WHERE id = %s", ["Kherson", key])

    with CaptureQueriesContext(connection) as queries:
        rows_insert(person, encounter, cell_encounter, along=[renamed])

    assert len(queries.captured_queries) == (1 if connection.vendor == "postgresql" else 4)
    assert Encounter.objects.get(pk=encounter.pk).person_id == person.pk
    assert Encounter.objects.filter(pk=cell_encounter.pk).exists()
    # The writes before the last row see the snapshot the statement started from: on PostgreSQL the
    # UPDATE runs beside the INSERT of the same person and finds no row; elsewhere it runs first.
    assert Person.objects.get(pk=person.pk).place_of_birth == ""


def test_a_taken_key_in_any_row_refuses_the_whole_statement(
    crossing_point: CrossingPoint, officer: User
) -> None:
    taken = _person(crossing_point, officer)
    row_insert(taken)
    person = _person(crossing_point, officer)
    encounter = _encounter_of(person, crossing_point, officer)
    clash = _person(crossing_point, officer)
    clash.id = taken.id

    with pytest.raises(IntegrityError), transaction.atomic():
        rows_insert(person, encounter, clash)

    assert not Person.objects.filter(pk=person.pk).exists()
    assert not Encounter.objects.filter(pk=encounter.pk).exists()


def test_only_the_last_row_may_leave_its_key_to_the_database(
    crossing_point: CrossingPoint, officer: User
) -> None:
    count = _encounter_of(_person(crossing_point, officer), crossing_point, officer)
    cell = CountCell(encounter=count, sex=Sex.FEMALE, age_band=next(iter(AgeBand)), count=1)

    with pytest.raises(ValueError, match="only the last row"):
        rows_insert(cell, count)
