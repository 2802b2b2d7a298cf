"""A border officer, in a real browser with no mouse, signs in, pre-registers a family, registers
its members and finds them again. Nothing is loaded from the internet (see conftest)."""

from __future__ import annotations

from typing import Any

import pytest

from hbm.accounts.enums import Role
from hbm.audit.selectors import audit_chain_verify
from hbm.registration.models import GroupMembership, Person
from tests.browser.fixtures import OfflinePage
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_TABS = 60


def tab_to(page: Any, name: str) -> None:
    """Press Tab until the field named ``name`` has the focus: proves it is reachable by keyboard."""
    for _ in range(MAX_TABS):
        if focused_name(page) == name:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"field {name!r} cannot be reached with the Tab key")


def type_into(page: Any, name: str, text: str) -> None:
    tab_to(page, name)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def focused_name(page: Any) -> str | None:
    name: str | None = page.evaluate("document.activeElement && document.activeElement.name")
    return name


def sign_in(page: Any, username: str) -> None:
    page.goto("/login/")
    page.wait_for_function("document.activeElement && document.activeElement.name === 'username'")
    page.keyboard.type(username)
    tab_to(page, "password")
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login/" not in url)
    page.wait_for_selector('[data-testid="sign-out"]')


def register_member(
    page: Any,
    *,
    surname: str,
    given: str,
    surname_original: str,
    given_original: str,
    sex_key: str,
    age: str,
    relationship: str,
) -> None:
    """Fill the person form with the keyboard only and save it with Enter."""
    page.wait_for_selector("#person-form")
    # Autofocus lands once the page has loaded, a moment after the form appears: wait for it (and
    # fail if it never comes).
    page.wait_for_function(
        "document.activeElement && document.activeElement.name === 'surname_latin'", timeout=5000
    )
    type_into(page, "surname_latin", surname)
    type_into(page, "given_names_latin", given)
    type_into(page, "surname_original", surname_original)
    type_into(page, "given_names_original", given_original)
    tab_to(page, "sex")
    page.keyboard.press(sex_key)  # Space chooses the focused radio (F); an arrow moves on and chooses
    type_into(page, "estimated_age", age)
    tab_to(page, "relationship")
    page.keyboard.type(relationship)  # a select chooses by typing the start of an option
    type_into(page, "estimated_age", age)  # back on a text field: Enter submits the form
    page.keyboard.press("Enter")
    page.wait_for_selector('[data-testid="last-saved"]')


def test_register_a_family_and_find_it_again(
    offline_page: OfflinePage, crossing_point: Any, make_user: Any
) -> None:
    make_user(Role.BORDER_OFFICER, username="amina")
    page = offline_page.page
    sign_in(page, "amina")

    page.goto(f"/crossing-points/{crossing_point.pk}/")
    assert page.get_attribute('[data-testid="mode-badge"]', "data-mode") == "emergency"
    page.click("#link-register-group")
    type_into(page, "size", "2")
    type_into(page, "head_name", "Olena Kovalenko")
    type_into(page, "nationality", "UKR")
    page.keyboard.press("Enter")
    token = page.inner_text('[data-testid="token"]').strip()
    assert page.locator('[data-testid="token-card"] svg').count() == 1  # the QR code, drawn by the server

    page.click('[data-testid="register-member"]')
    assert page.input_value("#id_group_token").replace("-", "") == token.replace("-", "")
    register_member(
        page,
        surname="Kovalenko",
        given="Olena",
        surname_original="Коваленко",
        given_original="Олена",
        sex_key="Space",
        age="34",
        relationship="Head",
    )
    register_member(
        page,
        surname="Kovalenko",
        given="Taras",
        surname_original="Коваленко",
        given_original="Тарас",
        sex_key="ArrowRight",
        age="8",
        relationship="Child",
    )

    page.goto("/persons/?q=kovalenko")
    results = page.locator('[data-testid="search-results"] tbody tr')
    assert results.count() == 2
    page.locator('[data-testid="search-results"] a', has_text="Taras").first.click()
    assert "Коваленко" in page.inner_text('[data-testid="person-original-name"]')
    assert page.inner_text('[data-testid="person-age"]').strip().startswith("8")

    taras = Person.objects.get(given_names_latin="Taras")
    olena = Person.objects.get(given_names_latin="Olena")
    assert (olena.sex, taras.sex) == ("F", "M")
    assert GroupMembership.objects.get(person=olena).relationship == "head"
    assert GroupMembership.objects.get(person=taras).relationship == "child"
    assert audit_chain_verify().is_intact


def test_arabic_pages_are_right_to_left(
    offline_page: OfflinePage, crossing_point: Any, make_user: Any
) -> None:
    make_user(Role.BORDER_OFFICER, username="amina")
    page = offline_page.page
    sign_in(page, "amina")

    page.click("#language-ar")
    page.wait_for_selector('html[dir="rtl"]')

    page.goto(f"/crossing-points/{crossing_point.pk}/register/person")
    assert page.get_attribute("html", "lang") == "ar"
    box = page.locator("#id_surname_latin").bounding_box()
    assert box is not None
    assert box["x"] > 1280 / 2 - box["width"]  # the first field starts on the right
