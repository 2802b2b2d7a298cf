"""Preparedness fixtures: planners of two organisations, a crossing point in normal mode, a plan
with a small scenario and an arrivals trigger, and a way to count arrivals at the point."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hbm.accounts.models import User
from hbm.core.context import Actor
from hbm.crossings.models import CrossingPoint
from hbm.preparedness.computing import ScenarioData, StageData
from hbm.preparedness.enums import PlanStatus, ScenarioKind, TriggerMetric
from hbm.preparedness.models import ContingencyPlan
from hbm.preparedness.services import PlanData, RoleData, TriggerData, plan_create, scenario_save
from tests.api.conftest import openapi_check  # noqa: F401 - a fixture, used by name


@pytest.fixture
def normal_point(crossing_point: CrossingPoint) -> CrossingPoint:
    CrossingPoint.objects.filter(pk=crossing_point.pk).update(mode="normal")
    crossing_point.refresh_from_db()
    return crossing_point


@pytest.fixture
def planning_unit() -> Any:
    from tests.factories import OrganisationFactory

    return OrganisationFactory(name="Border Police planning unit")


@pytest.fixture
def partner() -> Any:
    from tests.factories import OrganisationFactory

    return OrganisationFactory(name="Health NGO", kind="ngo")


@pytest.fixture
def planner(make_user: Callable[..., User], planning_unit: Any) -> User:
    return make_user("planner", posted=False, organisation=planning_unit, username="planner")


@pytest.fixture
def partner_planner(make_user: Callable[..., User], partner: Any) -> User:
    return make_user("planner", posted=False, organisation=partner, username="partner-planner")


@pytest.fixture
def stranger_planner(make_user: Callable[..., User]) -> User:
    from tests.factories import OrganisationFactory

    return make_user(
        "planner", posted=False, organisation=OrganisationFactory(name="Elsewhere"), username="stranger"
    )


@pytest.fixture
def planner_actor(planner: User) -> Actor:
    return Actor(user=planner, device="test")


@pytest.fixture
def coordinator_actor(coordinator: User) -> Actor:
    return Actor(user=coordinator, device="test")


def small_scenario(**changes: Any) -> ScenarioData:
    """Three days, two stages, three shifts: computes in well under a second."""
    values: dict[str, Any] = {
        "arrivals_per_day": (400.0, 800.0, 600.0),
        "stages": (
            StageData(kind="triage", servers=(1, 1, 1)),
            StageData(kind="individual_registration", servers=(3, 3, 1)),
        ),
        "waiting_area_capacity": 100,
        "average_stay_days": 1.5,
    }
    values.update(changes)
    return ScenarioData(**values)


@pytest.fixture
def plan(planner_actor: Actor, normal_point: CrossingPoint, partner: Any) -> ContingencyPlan:
    made = plan_create(
        actor=planner_actor,
        data=PlanData(
            crossing_point_id=normal_point.pk,
            title="Palanca surge plan",
            summary="Mass arrival from the north.",
            status=PlanStatus.ACTIVE,
            target_p90_wait_minutes=30.0,
            roles=(RoleData(organisation_id=partner.pk, responsibilities="Health screening and first aid."),),
            triggers=(TriggerData(metric=TriggerMetric.ARRIVALS_PER_DAY, threshold=10),),
        ),
    )
    scenario_save(actor=planner_actor, plan_id=made.pk, kind=ScenarioKind.MOST_LIKELY, data=small_scenario())
    made.refresh_from_db()
    return made


@pytest.fixture
def count_arrivals(officer: User, normal_point: CrossingPoint) -> Callable[[int], None]:
    """Record a count of ``n`` adult men arriving now at the crossing point."""
    from hbm.registration.enums import AgeBand, Sex
    from hbm.registration.services import CountData, EncounterData, count_record

    def count(n: int) -> None:
        count_record(
            actor=Actor(user=officer, device="test"),
            crossing_point_id=normal_point.pk,
            cells=[CountData(sex=Sex.MALE, age_band=AgeBand.AGE_18_59, count=n)],
            data=EncounterData(),
        )

    return count
