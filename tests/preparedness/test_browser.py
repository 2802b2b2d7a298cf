"""A planner, in a real browser with nothing from the internet: computes the plan's scenario, reads
its charts (in Arabic too, right to left), and a coordinator decides the alert a trigger raised."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest

from hbm.accounts.models import User
from hbm.crossings.models import ModeDecision
from hbm.preparedness.models import ContingencyPlan, PlanAlert
from tests.browser.fixtures import OfflinePage
from tests.browser.test_register_family import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = os.environ.get("HBM_SCREENSHOTS", "")


def _shot(page: Any, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


def test_a_planner_computes_and_reads_the_charts(
    offline_page: OfflinePage,
    plan: ContingencyPlan,
    planner: User,
) -> None:
    page = offline_page.page
    sign_in(page, planner.username)
    page.click('[data-testid="nav-plans"]')
    page.click(f'[data-testid="plan-{plan.pk}"] a')
    _shot(page, "plan-detail")
    page.click('[data-testid="compute-most_likely"]')
    page.wait_for_selector('[data-testid="chart-wait-by-day"] svg')
    for key in ("wait-by-day", "queues", "staffing", "throughput"):
        box = page.locator(f'[data-testid="chart-{key}"] svg').bounding_box()
        assert box is not None
        assert (box["width"] > 300, box["height"] > 100) == (True, True)
    page.click('[data-testid="chart-staffing"] summary')
    assert page.locator('[data-testid="chart-staffing-table"] tbody tr').count() == 6
    _shot(page, "plan-results-en")
    page.click('[data-testid="language-ar"]')
    page.wait_for_selector('html[dir="rtl"]')
    assert page.locator('[data-testid="chart-wait-by-day"] h3').inner_text() == "مدة الانتظار على مدى الأيام"
    _shot(page, "plan-results-ar")


def test_a_coordinator_decides_an_alert_in_the_browser(
    offline_page: OfflinePage,
    plan: ContingencyPlan,
    coordinator: User,
    count_arrivals: Callable[[int], None],
) -> None:
    count_arrivals(15)
    page = offline_page.page
    sign_in(page, coordinator.username)
    page.click('[data-testid="nav-plan-alerts"]')
    alert = PlanAlert.objects.get()
    form = page.locator(f'[data-testid="decide-{alert.pk}"]')
    form.locator('input[value="switch"]').check()
    form.locator("textarea").fill("Fifteen arrivals already, the trigger is ten.")
    _shot(page, "plan-alerts")
    form.locator("button").click()
    page.wait_for_selector('[data-testid="messages"]')
    assert ModeDecision.objects.get().to_mode == "emergency"
    assert PlanAlert.objects.get().status == "switched"
