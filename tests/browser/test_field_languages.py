"""The field app speaks the officer's language: Arabic right to left, French, English, also offline
(every catalogue is kept by the service worker)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from hbm.accounts.enums import Role
from tests.browser.field_helpers import (
    FieldContext,
    go_offline,
    open_app,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The fixtures of the field app (pytest finds fixtures by name in the test module).


def choose_language(page: Any, code: str, direction: str) -> None:
    page.click(f'[data-testid="language-{code}"]')
    page.wait_for_selector(f'html[lang="{code}"][dir="{direction}"]')


def test_arabic_is_right_to_left_and_french_works_too(
    field_context: FieldContext, crossing_point: Any, make_user: Any
) -> None:
    make_user(Role.BORDER_OFFICER, username="amina")
    page = field_context.new_page()
    open_app(page)
    choose_language(page, "ar", "rtl")
    # The page is redrawn in the new language just after <html> changes: wait for the text.
    expect(page.locator("h1")).to_have_text("تسجيل الدخول إلى التطبيق الميداني")

    sign_in(page, "amina")
    assert page.get_attribute("html", "dir") == "rtl"
    expect(page.locator('[data-testid="tile-person"] .tile__title')).to_have_text("تسجيل شخص")
    box = page.locator('[data-testid="tile-count"]').bounding_box()
    assert box is not None
    assert box["x"] > 1280 / 2  # the first tile is on the right

    go_offline(field_context, page)
    choose_language(page, "fr", "ltr")
    expect(page.locator('[data-testid="tile-person"] .tile__title')).to_have_text("Enregistrer une personne")
    expect(page.locator('[data-testid="connection"]')).to_have_text("Hors ligne")
    page.click('[data-testid="tile-person"]')
    assert page.inner_text('label[for="f-nationality"]').startswith("Nationalité déclarée")
    assert page.inner_text('label[for="f-sex-0"]').strip() == "Femme"  # from the reference data in French
