"""The demo's follow-ups: persons at every place a flagged person can stand, the same each load."""

from __future__ import annotations

import pytest

from hbm.accounts.models import User
from hbm.core.context import Actor
from hbm.followup.models import FollowUp
from hbm.followup.selectors import OverviewFilter, followup_overview
from tests.demo.conftest import load

pytestmark = pytest.mark.django_db


def test_the_demo_follows_flagged_persons_at_different_stages() -> None:
    summary = load(reset=True)

    stages = sorted(FollowUp.objects.values_list("kind", "stage", "is_closed"))
    assert summary["follow_ups"] == len(stages) == 8
    assert stages == [
        ("asylum", "application_lodged", False),
        ("asylum", "intention_expressed", False),
        ("asylum", "interviewed", False),
        ("asylum", "withdrawn", True),
        ("avrr", "counselled", False),
        ("family_reunification", "requested", False),
        ("family_reunification", "verifying", False),
        ("relocation", "transferred", True),
    ]
    coordinator = User.objects.get(username="coordinator.radu")
    overview = followup_overview(actor=Actor(user=coordinator, device="test"), filters=OverviewFilter())
    assert overview.phase_totals() == {"flagged": 0, "referred": 1, "accepted": 1, "followup": 6, "closed": 2}
