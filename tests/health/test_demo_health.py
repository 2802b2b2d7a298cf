"""The demo's health screenings: counted negatives over three days, six positives each with its
record and referral, the same for the same seed."""

from __future__ import annotations

from typing import Any

import pytest

from hbm.health.enums import LegalBasis
from hbm.health.models import HealthRecord, ScreeningCount, SuspectedCount
from tests.demo.conftest import loaded_demo  # noqa: F401 - a fixture, used by name

pytestmark = pytest.mark.django_db


def test_the_demo_screens_at_the_land_crossing(loaded_demo: dict[str, Any]) -> None:  # noqa: F811
    figures = loaded_demo["health_screenings"]
    assert figures["positive"] == 6
    assert figures["negative"] > 0
    totals = [(c.negative, c.positive) for c in ScreeningCount.objects.all()]
    assert sum(n for n, _ in totals) == figures["negative"]
    assert sum(p for _, p in totals) == 6
    records = list(HealthRecord.objects.select_related("referral").order_by("screened_at"))
    assert len(records) == 6
    assert {r.legal_basis for r in records} == {LegalBasis.CONSENT, LegalBasis.PUBLIC_HEALTH_LAW}
    statuses = sorted(str(r.referral.status) for r in records if r.referral is not None)
    # the Ebola case accepted by the ward, four sent, the fever without consent still pending
    assert statuses == sorted(["accepted", "pending", "sent", "sent", "sent", "sent"])
    diseases = set(SuspectedCount.objects.values_list("disease", flat=True))
    assert diseases == {"ebola_vhf", "tuberculosis", "measles", "cholera", "fever_unexplained"}
