"""Adversarial need-to-know probes of health data (DESIGN.md §2: health officers see health data,
nobody else does; coordinators see the daily report's counts, small cells hidden). Each test is a
path a non-health role could take to a health screening's referral (flag ``poe-health``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from hbm.accounts.models import User
from hbm.core.context import Actor
from hbm.core.time import now
from hbm.health.models import HealthRecord
from hbm.health.selectors import health_day_report, today_at
from hbm.protection.models import Referral
from hbm.protection.selectors import referrals_overdue
from hbm.registration.models import Person
from tests.conftest import client_for
from tests.health.conftest import EBOLA, NEGATIVE, TUBERCULOSIS

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue_record(screen: Callable[..., Any], traveller: Person, isolation_ward: Any) -> HealthRecord:
    """A positive screening referred to the isolation ward, nobody has taken it by its deadline."""
    record: HealthRecord = screen(EBOLA, person=traveller, service=isolation_ward).record
    Referral.objects.filter(pk=record.referral.pk).update(deadline_at=now() - timedelta(minutes=5))
    return record


def test_the_coordinators_overdue_referrals_leave_out_a_health_referral(
    coordinator: User, overdue_record: HealthRecord
) -> None:
    assert referrals_overdue() == []
    response = client_for(coordinator).get("/api/protection/referrals/overdue")
    assert response.status_code == 200
    assert response.json() == []
    for word in ("poe-health", "Isolation ward", str(overdue_record.referral.pk)):
        assert word not in response.content.decode()


def test_the_coordinators_report_keeps_the_single_overdue_referral_hidden(
    coordinator: User, overdue_record: HealthRecord, crossing_point: Any
) -> None:
    """The report the coordinator does get: the one overdue health referral is a small cell."""
    report = health_day_report(
        actor=Actor(user=coordinator), crossing_point=crossing_point, day=today_at(crossing_point)
    )
    assert report.referrals_overdue.is_hidden
    assert report.positive.is_hidden
    body = client_for(coordinator).get(f"/api/health/crossing-points/{crossing_point.pk}/report").json()
    assert body["referrals_overdue"] is None
    assert body["positive"] is None


@pytest.mark.parametrize("role", ["screening_officer", "coordinator", "caseworker", "planner", "auditor"])
def test_no_other_role_reads_the_health_records_through_the_api(
    role: str, make_user: Callable[..., User], overdue_record: HealthRecord, health_authority: Any
) -> None:
    user = make_user(role, username=f"u-{role}", organisation=health_authority)
    client = client_for(user)
    assert client.get(f"/api/health/records/{overdue_record.pk}").status_code == 404
    listed = client.get("/api/health/records")
    assert listed.status_code in (403, 404)
    assert str(overdue_record.pk) not in listed.content.decode()


# --- small cells: a quiet day must not tell the coordinator who screened positive ------------------


@pytest.mark.parametrize("answers", [NEGATIVE, TUBERCULOSIS], ids=["negative", "positive"])
def test_a_day_with_one_screening_reads_the_same_to_the_coordinator_whatever_its_outcome(
    answers: dict[str, Any],
    coordinator: User,
    screen: Callable[..., Any],
    traveller: Person,
    clinic: Any,
    crossing_point: Any,
) -> None:
    """One traveller screened today at a quiet post: "fewer than 5 positives" out of one screened
    would say that traveller is ill. The coordinator's report must read the same either way."""
    screen(answers, person=traveller, service=clinic)

    body = client_for(coordinator).get(f"/api/health/crossing-points/{crossing_point.pk}/report").json()

    assert body["screened"] == 1
    assert (body["negative"], body["positive"], body["referrals_overdue"]) == (None, None, None)
    assert (body["by_disease"], body["referrals_by_status"]) == ([], [])
    assert all((h["negative"], h["positive"]) == (None, None) for h in body["hours"])
    page = client_for(coordinator).get(f"/health/report/{crossing_point.pk}/").content.decode()
    assert "tuberculosis" not in page.lower()


def test_a_busy_day_still_shows_the_coordinator_its_counts(
    coordinator: User, screen: Callable[..., Any], crossing_point: Any
) -> None:
    for _ in range(6):
        screen(NEGATIVE)
    body = client_for(coordinator).get(f"/api/health/crossing-points/{crossing_point.pk}/report").json()
    assert (body["screened"], body["negative"], body["positive"]) == (6, 6, 0)
