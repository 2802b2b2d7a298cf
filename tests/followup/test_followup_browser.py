"""In a real browser (Debian's Chromium, nothing from the internet): the caseworker opens a follow-up
from the referral their organisation accepted and records the next step; the coordinator sees the
person on the overview, in Arabic, right to left, with the chart."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hbm.accounts.models import User
from hbm.core.time import today
from hbm.followup.models import FollowUp
from hbm.protection.models import Referral
from tests.browser.fixtures import OfflinePage
from tests.browser.test_register_family import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_follow_up_from_the_referral_to_the_overview(
    offline_page: OfflinePage,
    accepted_referral: Referral,
    caseworker: User,
    coordinator: User,
) -> None:
    page = offline_page.page
    sign_in(page, caseworker.username)
    page.goto(f"/referrals/{accepted_referral.pk}/")
    page.click('[data-testid="followup-new"]')
    page.select_option("#id_start", "asylum:intention_expressed")
    page.fill("#id_happened_on", (today() - timedelta(days=2)).strftime("%d/%m/%Y"))
    page.click('[data-testid="followup-save"]')
    page.wait_for_selector('[data-testid="step-form"]')
    page.select_option("#id_to", "application_lodged")
    page.fill("#id_happened_on", today().isoformat())
    page.fill("#id_note", "Lodged with the asylum service today.")
    page.click('[data-testid="step-save"]')
    page.wait_for_selector('[data-testid="followup-steps"] li:nth-child(2)')

    assert "application lodged" in page.inner_text('[data-testid="followup-stage"]')
    assert FollowUp.objects.get().stage == "application_lodged"

    page.click('[data-testid="sign-out"]')
    sign_in(page, coordinator.username)
    page.click('[data-testid="language-ar"]')
    page.goto("/followup/")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.locator('[data-testid="followup-stage-chart"] svg rect').count() == 1
    row = page.inner_text('[data-testid="overview-row"]')
    assert "HADDAD" in row
    assert "اللجوء" in row  # asylum, in Arabic
