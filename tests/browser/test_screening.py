"""A screening officer, in a real browser and with the keyboard only, screens a boy who crossed
alone: the questions that apply appear after an answer, the screening is recorded, and the
suggested referral to child protection is confirmed with the guardian's consent. Nothing is loaded
from the internet."""

from __future__ import annotations

from typing import Any

import pytest

from hbm.core.context import Actor
from hbm.crossings.models import CrossingPoint
from hbm.protection.enums import ReferralStatus, ServiceType
from hbm.protection.models import ProtectionFlag, ProtectionScreening, Referral, Service
from hbm.protection.services import ServiceData, service_create
from hbm.registration.enums import Sex
from hbm.registration.models import Person
from hbm.registration.services import IndividualData, person_register
from tests.browser.fixtures import OfflinePage
from tests.browser.test_register_family import sign_in, tab_to, type_into
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _press_until_checked(page: Any, name: str, value: str, key: str = "ArrowRight") -> None:
    """Move within a radio group with the arrow keys until ``value`` is chosen (Space first: a group
    with nothing chosen is entered on its first option, unchosen)."""
    tab_to(page, name)
    page.keyboard.press("Space")
    for _ in range(12):
        if page.evaluate("document.activeElement.value") == value:
            return
        page.keyboard.press(key)
    raise AssertionError(f"{value!r} cannot be chosen in {name!r} with the arrow keys")


def _submit_with(page: Any, action: str) -> None:
    """Tab to the form's button whose value is ``action`` and press Enter."""
    tab_to(page, "action")
    for _ in range(3):
        if page.evaluate("document.activeElement.value") == action:
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"no {action!r} button reachable with the Tab key")


@pytest.fixture
def boy(actor: Actor, crossing_point: CrossingPoint) -> Person:
    data = IndividualData(
        given_names_latin="OMAR", surname_latin="HADDAD", sex=Sex.MALE, nationality="SYR", estimated_age=15
    )
    return person_register(actor=actor, crossing_point_id=crossing_point.pk, data=data)


@pytest.fixture
def child_desk(coordinator: Any, crossing_point: CrossingPoint) -> Service:
    ngo = OrganisationFactory(name="Child protection NGO", kind="child_protection")
    data = ServiceData(
        organisation_id=ngo.pk,
        name="Child protection desk",
        service_type=ServiceType.CHILD_PROTECTION,
        crossing_point_ids=(crossing_point.pk,),
    )
    return service_create(actor=Actor(user=coordinator, device="test"), data=data)


def test_screen_and_refer_with_the_keyboard_only(
    offline_page: OfflinePage, boy: Person, screener: Any, child_desk: Service
) -> None:
    page = offline_page.page
    sign_in(page, "screener")

    page.goto(f"/persons/{boy.pk}/screening")
    assert page.locator('[data-question="age_years"]').count() == 0
    _press_until_checked(page, "age_basis", "estimated")
    _submit_with(page, "update")
    type_into(page, "age_years", "15")
    _press_until_checked(page, "child_accompanied_by", "alone")
    _submit_with(page, "record")

    page.wait_for_selector('[data-testid="suggestion-child_protection"]')
    screening = ProtectionScreening.objects.get()
    assert [f.code for f in ProtectionFlag.objects.filter(screening=screening)] == ["SC-UC"]
    assert Referral.objects.count() == 0
    tab_to(page, "child_protection-service")
    page.keyboard.press("ArrowDown")
    tab_to(page, "child_protection-consent")
    page.keyboard.press("Space")
    _press_until_checked(page, "child_protection-given_by", "guardian")
    for _ in range(10):
        if page.evaluate("document.activeElement.tagName") == "BUTTON":
            break
        page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_selector('[data-testid="suggestion-referred"]')

    referral = Referral.objects.get()
    assert (referral.status, referral.screening_id, referral.service_id) == (
        ReferralStatus.SENT,
        screening.pk,
        child_desk.pk,
    )
