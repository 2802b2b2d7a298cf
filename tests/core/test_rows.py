"""row_insert writes exactly the row save(force_insert=True) writes, on both databases."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from django.db import IntegrityError, connection, transaction

from hbm.accounts.models import User
from hbm.core.rows import row_insert
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
