"""A planner, in a real browser, fills in part of the questionnaire, saves the draft and reads the
chart and the gap report, then reads them again in Arabic, right to left; nothing from the internet."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hbm.accounts.models import User
from hbm.assessments.models import Assessment
from tests.browser.fixtures import OfflinePage
from tests.browser.test_register_family import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_planner_drafts_an_assessment_and_reads_it_in_arabic(
    offline_page: OfflinePage,
    make_user: Callable[..., User],
    tmp_path: Any,
) -> None:
    make_user("planner", username="planner", posted=False)
    page = offline_page.page
    sign_in(page, "planner")

    page.click('[data-testid="nav-assessments"]')
    page.click('[data-testid="assessment-new"]')
    page.fill("#id_title", "Eastern border, first look")
    page.select_option("#id_country", "MDA")
    page.check("#id_q_sop_emergency_mode_1")  # level 0, absent
    page.check("#id_q_emergency_legal_basis_3")  # level 2, partial
    page.check("#id_q_sea_coverage_5")  # does not apply
    page.click('[data-testid="assessment-save"]')

    page.wait_for_selector('[data-testid="assessment-chart"] svg')
    assessment = Assessment.objects.get()
    assert (assessment.answers, assessment.not_applicable) == (
        {"sop_emergency_mode": 0, "emergency_legal_basis": 2},
        ["sea_coverage"],
    )
    assert page.inner_text('[data-testid="overall-score"]') == "33"
    first_gap = page.inner_text('[data-testid="gap-1"]')
    assert "SOP" in first_gap
    bars = page.locator('[data-testid="assessment-chart"] rect.chart__bar')
    assert bars.count() == 2
    assert bars.first.bounding_box()["width"] > 0  # type: ignore[index]

    page.click('[data-testid="language-ar"]')
    page.wait_for_selector('html[dir="rtl"]')
    assert "السياسات والإطار القانوني" in page.inner_text('[data-testid="assessment-scores"]')
    assert page.locator('[data-testid="assessment-chart"] svg').is_visible()
    page.screenshot(path=str(tmp_path / "assessment-ar.png"), full_page=True)
