"""Health fixtures: a health authority with its isolation ward and clinic, a health officer posted at
the crossing point, a registered traveller, and answers that screen negative or positive."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hbm.accounts.models import User
from hbm.core.context import Actor
from hbm.crossings.models import CrossingPoint
from hbm.registration.models import Person
from tests.api.conftest import openapi_check  # noqa: F401 - a fixture, used by name
from tests.dedup.conftest import register  # noqa: F401 - a fixture, used by name

NEGATIVE = {"temperature_c": 36.8, "fever_reported": False}
# Fever with contact with an Ebola patient: isolate, life-threatening.
EBOLA = {"temperature_c": 38.6, "vhf_contact_21_days": True}
# A cough of three weeks: tuberculosis, a medical referral (medium).
TUBERCULOSIS = {"temperature_c": 37.0, "symptoms": ["cough"], "cough_two_weeks": True}


@pytest.fixture
def health_authority() -> Any:
    from tests.factories import OrganisationFactory

    return OrganisationFactory(name="Ministry of Health", kind="health_authority")


@pytest.fixture
def health_officer(make_user: Callable[..., User], health_authority: Any) -> User:
    return make_user("health_officer", organisation=health_authority, username="nurse")


@pytest.fixture
def health_actor(health_officer: User) -> Actor:
    return Actor(user=health_officer, device="test")


@pytest.fixture
def coordinator_actor(coordinator: User) -> Actor:
    return Actor(user=coordinator, device="test")


def _service(actor: Actor, organisation: Any, point: CrossingPoint, name: str, kind: str) -> Any:
    from hbm.protection.enums import ServiceType
    from hbm.protection.services import ServiceData, service_create

    return service_create(
        actor=actor,
        data=ServiceData(
            organisation_id=organisation.pk,
            name=name,
            service_type=ServiceType(kind),
            crossing_point_ids=(point.pk,),
        ),
    )


@pytest.fixture
def isolation_ward(coordinator_actor: Actor, health_authority: Any, crossing_point: CrossingPoint) -> Any:
    return _service(coordinator_actor, health_authority, crossing_point, "Isolation ward", "isolation")


@pytest.fixture
def clinic(coordinator_actor: Actor, health_authority: Any, crossing_point: CrossingPoint) -> Any:
    return _service(coordinator_actor, health_authority, crossing_point, "Border clinic", "medical")


@pytest.fixture
def traveller(request: pytest.FixtureRequest) -> Person:
    person: Person = request.getfixturevalue("register")("Amal", "Haddad")
    return person


@pytest.fixture
def screen(health_actor: Actor, crossing_point: CrossingPoint) -> Callable[..., Any]:
    """Screen with the health officer at the crossing point."""
    from hbm.health.services import PositiveReferral, health_screen

    def run(answers: dict[str, Any], person: Person | None = None, service: Any = None, **kw: Any) -> Any:
        referral = PositiveReferral(service_id=service.pk, **kw) if service is not None else None
        return health_screen(
            actor=health_actor,
            crossing_point_id=crossing_point.pk,
            answers=answers,
            person_id=person.pk if person is not None else None,
            referral=referral,
        )

    return run
