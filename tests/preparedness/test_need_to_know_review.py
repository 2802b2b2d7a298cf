"""Adversarial need-to-know probe of preparedness: planners see no personal data at all (DESIGN.md
§2). Named persons are registered at the plan's crossing point until its trigger is crossed; every
plan and alert payload, page and export a planner or coordinator reaches must still name nobody."""

from __future__ import annotations

from typing import Any

import pytest

from hbm.accounts.models import User
from hbm.core.context import Actor
from hbm.crossings.models import CrossingPoint
from hbm.preparedness.alerts import triggers_check
from hbm.preparedness.models import ContingencyPlan, PlanAlert
from hbm.registration.enums import NoDocumentReason, Sex
from hbm.registration.services import IndividualData, person_register
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

NAMES = ("Zinaida", "Bondarenko", "UKR-PASS-4471")


@pytest.fixture
def crossed(plan: ContingencyPlan, officer: User, normal_point: CrossingPoint) -> PlanAlert:
    """Eleven named persons registered today (the plan's trigger is ten a day): an alert is raised."""
    for i in range(11):
        person_register(
            actor=Actor(user=officer, device="test"),
            crossing_point_id=normal_point.pk,
            data=IndividualData(
                given_names_latin=f"{NAMES[0]} {chr(65 + i)}",
                surname_latin=NAMES[1],
                sex=Sex.FEMALE,
                nationality="UKR",
                estimated_age=30 + i,
                place_of_birth="Kharkiv",
                languages=("ukr",),
                no_document_reason=NoDocumentReason.LOST,
            ),
        )
    [check] = triggers_check()
    assert check.raised
    return PlanAlert.objects.get()


@pytest.mark.parametrize("who", ["planner", "partner_planner", "coordinator"])
def test_plan_and_alert_payloads_and_pages_name_nobody(
    who: str, request: pytest.FixtureRequest, crossed: PlanAlert, plan: ContingencyPlan
) -> None:
    user: User = request.getfixturevalue(who)
    client = client_for(user)
    responses = [
        client.get("/api/preparedness/plans"),
        client.get(f"/api/preparedness/plans/{plan.pk}"),
        client.get("/api/preparedness/alerts"),
        client.get(f"/api/preparedness/plans/{plan.pk}/pdf"),
        client.get("/plans/"),
        client.get(f"/plans/{plan.pk}/"),
    ]
    for response in responses:
        assert response.status_code == 200, (response.request["PATH_INFO"], response.status_code)
        body = response.content.decode("latin-1")
        for word in NAMES:
            assert word not in body, (response.request["PATH_INFO"], word)
    assert str(crossed.pk) in responses[2].content.decode()


def test_a_planner_finds_no_person_through_the_person_api(
    planner: User, crossed: PlanAlert, normal_point: CrossingPoint
) -> None:
    client = client_for(planner)
    searched = client.get("/api/persons", {"q": NAMES[1]})
    assert searched.status_code in (403, 404)
    assert NAMES[1] not in searched.content.decode()
    page: Any = client.get("/persons/", {"q": NAMES[1]})
    assert NAMES[0] not in page.content.decode()  # the surname asked for is echoed, no person found


def test_a_planner_of_another_organisation_finds_neither_plan_nor_alert(
    stranger_planner: User, crossed: PlanAlert, plan: ContingencyPlan
) -> None:
    client = client_for(stranger_planner)
    assert client.get(f"/api/preparedness/plans/{plan.pk}").status_code == 404
    assert str(crossed.pk) not in client.get("/api/preparedness/alerts").content.decode()
