"""Fixtures of the assessment tests: planners of two organisations, and full answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hbm.accounts.models import User
from hbm.core.context import Actor
from hbm.engines.assessment import default_questionnaire
from tests.api.conftest import openapi_check  # noqa: F401 - a fixture, used by name


@pytest.fixture
def planner(make_user: Callable[..., User]) -> User:
    return make_user("planner", username="planner", posted=False)


@pytest.fixture
def planner_actor(planner: User) -> Actor:
    return Actor(user=planner, device="test")


@pytest.fixture
def other_planner(make_user: Callable[..., User]) -> User:
    from tests.factories import OrganisationFactory

    return make_user(
        "planner",
        username="other-planner",
        posted=False,
        organisation=OrganisationFactory(name="Other agency"),
    )


def all_answered(level: int = 2, **changes: int | None) -> dict[str, int | None]:
    """Every question of the shipped questionnaire at ``level``, with ``changes``."""
    answers: dict[str, int | None] = {q.id: level for q in default_questionnaire().questions}
    answers.update(changes)
    return answers


@pytest.fixture
def full_answers() -> Callable[..., dict[str, int | None]]:
    return all_answered


def payload(**changes: Any) -> dict[str, Any]:
    """An API body: a country-wide draft with three answers."""
    body: dict[str, Any] = {
        "title": "Moldova, eastern border, 2026",
        "country": "MDA",
        "answers": {"emergency_legal_basis": 1, "sop_emergency_mode": 0, "land_coverage": 3},
        "not_applicable": ["sea_coverage"],
    }
    body.update(changes)
    return body
