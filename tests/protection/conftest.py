"""Protection fixtures: a child-protection NGO with its caseworker, and the directory's keeper."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hbm.accounts.models import User
from hbm.core.context import Actor
from tests.api.conftest import openapi_check  # noqa: F401 - a fixture, used by name
from tests.dedup.conftest import register  # noqa: F401 - a fixture, used by name


@pytest.fixture
def child_protection_ngo() -> Any:
    from tests.factories import OrganisationFactory

    return OrganisationFactory(name="Child protection NGO", kind="child_protection")


@pytest.fixture
def caseworker(make_user: Callable[..., User], child_protection_ngo: Any) -> User:
    return make_user("caseworker", posted=False, organisation=child_protection_ngo, username="cw")


@pytest.fixture
def coordinator_actor(coordinator: User) -> Actor:
    return Actor(user=coordinator, device="test")


@pytest.fixture
def screener_actor(screener: User) -> Actor:
    return Actor(user=screener, device="test")


@pytest.fixture
def caseworker_actor(caseworker: User) -> Actor:
    return Actor(user=caseworker, device="test")


@pytest.fixture
def child_desk(coordinator_actor: Actor, child_protection_ngo: Any, crossing_point: Any) -> Any:
    from hbm.protection.enums import ServiceType
    from hbm.protection.services import ServiceData, service_create

    return service_create(
        actor=coordinator_actor,
        data=ServiceData(
            organisation_id=child_protection_ngo.pk,
            name="Child protection desk",
            service_type=ServiceType.CHILD_PROTECTION,
            crossing_point_ids=(crossing_point.pk,),
            languages=("ara",),
        ),
    )
