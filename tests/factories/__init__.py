"""Factories for tests: real rows in the real database, built through the models."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import factory
from factory.django import DjangoModelFactory

from hbm.accounts.enums import OrganisationKind, Role
from hbm.accounts.models import Organisation, User
from hbm.crossings.enums import CrossingKind, CrossingMode
from hbm.crossings.models import CrossingPoint

TEST_PASSWORD = "correct-horse-battery-7"


class OrganisationFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.BORDER_AGENCY
    country = "MDA"


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.BORDER_OFFICER
    organisation = factory.SubFactory(OrganisationFactory)
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: Any) -> None:
        self.set_password(extracted or TEST_PASSWORD)
        if create:
            self.save()


class CrossingPointFactory(DjangoModelFactory[CrossingPoint]):
    class Meta:
        model = CrossingPoint
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"BCP{n}")
    name = factory.Sequence(lambda n: f"Crossing {n}")
    kind = CrossingKind.LAND
    latitude = Decimal("46.41000")
    longitude = Decimal("30.08000")
    neighbouring_country = "UKR"
    normal_daily_capacity = 2000
    mode = CrossingMode.EMERGENCY
    operator = factory.SubFactory(OrganisationFactory)

    @factory.post_generation
    def staff(self, create: bool, extracted: list[User] | None, **kwargs: Any) -> None:
        if create and extracted:
            self.staff.add(*extracted)


def namesakes_bulk_create(like: Any, count: int, surname: str) -> None:
    """``count`` persons named ``surname`` (given names Person0, Person1, …), otherwise as ``like``,
    stored in bulk as a data load would store them (no service: the database's own triggers and
    generated columns must do what search needs)."""
    from hbm.registration.models import Person

    Person.objects.bulk_create(
        Person(
            surname_latin=surname,
            given_names_latin=f"Person{n}",
            search_name=f"{surname.upper()} PERSON{n}",
            sex=like.sex,
            date_of_birth=like.date_of_birth,
            birth_date_accuracy=like.birth_date_accuracy,
            nationality=like.nationality,
            registered_at=like.registered_at,
            registered_by=like.registered_by,
        )
        for n in range(count)
    )


def person_named(actor: Any, point: Any, surname: str, given: str, **more: Any) -> Any:
    """A person registered at ``point`` through the registration service, with these Latin names,
    aged about 30; ``more`` sets any other field of the registration (``sex`` defaults to male,
    ``nationality`` to Syria)."""
    from hbm.registration.enums import Sex
    from hbm.registration.services import IndividualData, person_register

    data = {"sex": Sex.MALE, "nationality": "SYR", "estimated_age": 30, **more}
    return person_register(
        actor=actor,
        crossing_point_id=point.pk,
        data=IndividualData(given_names_latin=given, surname_latin=surname, **data),
    )
