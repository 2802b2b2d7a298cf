"""Person search in a real browser, with the keyboard only: a name spelt another way finds nobody
by words, and the person once the officer asks for names that sound alike."""

from __future__ import annotations

from typing import Any

import pytest

from hbm.accounts.enums import Role
from hbm.core.context import Actor
from tests.browser.fixtures import OfflinePage
from tests.browser.test_register_family import sign_in, tab_to
from tests.factories import person_named

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_name_spelt_another_way_is_found_by_sound_with_the_keyboard(
    offline_page: OfflinePage, crossing_point: Any, make_user: Any
) -> None:
    officer = make_user(Role.BORDER_OFFICER, username="amina")
    person_named(Actor(user=officer, device="test"), crossing_point, "Haddad", "Mohamed Youssef")
    page = offline_page.page
    sign_in(page, "amina")

    page.goto("/persons/")
    page.wait_for_function("document.activeElement && document.activeElement.name === 'q'", timeout=5000)
    page.keyboard.type("Muhammad Yusuf")
    page.keyboard.press("Enter")
    page.wait_for_selector('[data-testid="search-results"]')
    assert "Persons found: 0" in page.inner_text('[data-testid="search-results"]')
    assert page.locator('[data-testid="search-sounds"]').count() == 1  # offered under the results

    tab_to(page, "sounds")
    page.keyboard.press("Space")
    tab_to(page, "q")
    page.keyboard.press("Enter")
    page.wait_for_selector('[data-testid="sounds-alike"]')

    found = page.inner_text('[data-testid="search-results"] tbody')
    assert "Haddad" in found
    assert "sounds alike" in found
    assert page.is_checked("#id_sounds")  # the page keeps what was asked
