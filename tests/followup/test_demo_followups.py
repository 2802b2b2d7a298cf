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
    followed = {c.stage: c.persons for c in overview.counts if c.stage.split(":")[0] != "referral"}
    assert followed.pop("flagged", 0) >= 0  # the screening's own demo may flag more persons
    assert followed == {
        "asylum:application_lodged": 1,
        "asylum:intention_expressed": 1,
        "asylum:interviewed": 1,
        "asylum:withdrawn": 1,
        "avrr:counselled": 1,
        "family_reunification:requested": 1,
        "family_reunification:verifying": 1,
        "relocation:transferred": 1,
    }
    assert overview.phase_totals()["followup"] == 6
