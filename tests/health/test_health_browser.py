"""A health officer, in a real browser with no mouse: screens a traveller positive, identifies the
person, refers them to the isolation ward, and reads the daily report. Nothing from the internet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hbm.health.models import HealthRecord
from hbm.registration.models import Person
from tests.browser.fixtures import OfflinePage
from tests.browser.test_register_family import focused_name, sign_in, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_for_focus(page: Any, name: str) -> None:
    """The browser moves the focus to an ``autofocus`` field when it next renders, a moment after
    the page's elements exist: wait for it (a few seconds at most) rather than race it."""
    page.wait_for_function(
        f"document.activeElement && document.activeElement.name === {name!r}", timeout=5000
    )
    assert focused_name(page) == name


def test_a_positive_screening_by_keyboard_alone(
    offline_page: OfflinePage,
    health_officer: Any,
    traveller: Person,
    isolation_ward: Any,
    crossing_point: Any,
    tmp_path: Path,
) -> None:
    page = offline_page.page
    sign_in(page, health_officer.username)
    page.goto("/health/screen")
    wait_for_focus(page, "temperature")
    page.keyboard.type("38.6")
    tab_to(page, "q_vhf_contact_21_days")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")  # from "not asked" to "no", then "yes"
    assert page.evaluate("document.activeElement.value") == "yes"
    page.keyboard.press("Enter")
    page.wait_for_selector('[data-testid="health-positive-form"]')
    assert "Ebola" in page.inner_text('[data-testid="suspected"]')
    wait_for_focus(page, "token")
    page.keyboard.type(str(traveller.pk))
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/health/records/" in url)
    record = HealthRecord.objects.get()
    assert record.person_id == traveller.pk
    assert "Isolation ward" in page.inner_text('[data-testid="health-record-referral"]')

    page.goto(f"/health/report/{crossing_point.pk}/")
    assert page.inner_text('[data-testid="positive-total"]') == "1"
    page.screenshot(path=str(tmp_path / "report-en.png"), full_page=True)
    page.set_extra_http_headers({"Accept-Language": "ar"})
    page.goto("/health/screen")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert "الفحص الصحي عند نقطة الدخول" in page.inner_text("main")  # the checklist's own title
    page.screenshot(path=str(tmp_path / "screen-ar.png"), full_page=True)
