"""Family tracing fixtures: persons registered through the real services, a tracing caseworker of
another organisation, and a request filed through the real service."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from hbm.accounts.models import User
from hbm.core.context import Actor
from hbm.registration.enums import Sex
from hbm.tracing.enums import SoughtRelationship
from hbm.tracing.models import TracingRequest
from hbm.tracing.services import SoughtData, TracingRequestData, tracing_request_create
from tests.api.conftest import openapi_check  # noqa: F401 - a fixture, used by name
from tests.dedup.conftest import register  # noqa: F401 - a fixture, used by name


@pytest.fixture
def tracing_organisation() -> Any:
    from tests.factories import OrganisationFactory

    return OrganisationFactory(name="Red Cross tracing service", kind="ngo")


@pytest.fixture
def tracer(make_user: Callable[..., User], tracing_organisation: Any) -> User:
    """The tracing caseworker: not posted at any crossing point, of a partner organisation."""
    return make_user("caseworker", posted=False, organisation=tracing_organisation, username="tracer")


@pytest.fixture
def tracer_actor(tracer: User) -> Actor:
    return Actor(user=tracer, device="test")


@pytest.fixture
def screener_actor(screener: User) -> Actor:
    return Actor(user=screener, device="test")


def request_data(**changes: Any) -> TracingRequestData:
    """A mother looking for her daughter, about 8, lost at the border in the crowd."""
    sought = {
        "given_names_latin": "Amina",
        "surname_latin": "Hassan",
        "sex": Sex.FEMALE,
        "estimated_age": 8,
        "nationality": "SYR",
        **changes.pop("sought", {}),
    }
    values: dict[str, Any] = {
        "sought": SoughtData(**sought),
        "relationship": SoughtRelationship.CHILD,
        "enquirer_name": "Fatima Hassan",
        "enquirer_contact": "+373 600 00 000 via the Red Cross desk",
        "enquirer_consent": True,
        "separated_at_place": "Palanca crossing, queue at the bus station",
        "separated_on": date(2026, 11, 20),
        "circumstances": "lost in the crowd when the buses left",
        **changes,
    }
    return TracingRequestData(**values)


@pytest.fixture
def file_request(tracer_actor: Actor) -> Callable[..., TracingRequest]:
    def file(**changes: Any) -> TracingRequest:
        return tracing_request_create(actor=tracer_actor, data=request_data(**changes))

    return file
