"""The protection dashboard's figures, counted in SQL per crossing point and day: flagged persons by
category, share referred within the deadline, median time from arrival to acceptance, overdue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from hbm.accounts.models import User
from hbm.core.context import Actor
from hbm.core.errors import PermissionDenied, ValidationFailed
from hbm.core.time import now
from hbm.protection.dashboard import period_check, protection_figures
from hbm.protection.enums import ConsentGivenBy, ReferralStatus, Urgency
from hbm.protection.models import ProtectionFlag, ProtectionScreening, Referral
from hbm.protection.referrals import ConsentData, ReferralData, referral_answer, referral_make
from hbm.protection.screening import screening_record
from hbm.registration.enums import Sex
from hbm.registration.models import Person

pytestmark = pytest.mark.django_db

ALONE_AT_15 = {"age_basis": "estimated", "age_years": 15, "child_accompanied_by": "alone"}
OLDER_ALONE = {
    "age_basis": "stated",
    "age_years": 70,
    "older_needs_daily_help": True,
    "older_has_helper": False,
}


@pytest.fixture
def scene(
    screener_actor: Actor,
    caseworker_actor: Actor,
    register: Callable[..., Person],
    child_desk: Any,
    child_protection_ngo: Any,
) -> dict[str, Any]:
    """Three persons screened today: two children alone (one referral accepted 90 minutes after
    arrival, one still pending past its deadline) and an older person (flagged, not referred)."""
    boys = [
        register(name, "HADDAD", sex=Sex.MALE, date_of_birth=None, estimated_age=15)
        for name in ("OMAR", "ALI")
    ]
    grandfather = register("YUSUF", "HADDAD", sex=Sex.MALE)
    screenings = [screening_record(actor=screener_actor, person_id=b.pk, answers=ALONE_AT_15) for b in boys]
    screening_record(actor=screener_actor, person_id=grandfather.pk, answers=OLDER_ALONE)
    referrals = []
    for boy, screening in zip(boys, screenings, strict=True):
        referrals.append(
            referral_make(
                actor=screener_actor,
                person_id=boy.pk,
                data=ReferralData(
                    service_id=child_desk.pk,
                    urgency=Urgency.HIGH,
                    reason="Alone.",
                    flag="SC-UC",
                    screening_id=screening.pk,
                ),
                consent=ConsentData(
                    recipient_id=child_protection_ngo.pk, is_given=True, given_by=ConsentGivenBy.GUARDIAN
                ),
            )
        )
    referral_answer(actor=caseworker_actor, referral_id=referrals[0].pk, to=ReferralStatus.ACCEPTED)
    accepted = ProtectionScreening.objects.get(pk=screenings[0].pk)
    assert (accepted.accepted_in_time, accepted.first_accepted_at) == (
        True,
        Referral.objects.get(pk=referrals[0].pk).answered_at,
    )
    _arrived(accepted, minutes_before_acceptance=90)
    Referral.objects.filter(pk=referrals[1].pk).update(deadline_at=now() - timedelta(minutes=1))
    return {"day": screenings[0].day, "point": boys[0].registered_at_id}


def _arrived(screening: ProtectionScreening, *, minutes_before_acceptance: int) -> None:
    assert screening.first_accepted_at is not None
    arrived = screening.first_accepted_at - timedelta(minutes=minutes_before_acceptance)
    ProtectionScreening.objects.filter(pk=screening.pk).update(arrived_at=arrived)


def test_the_figures_of_a_day(coordinator: User, scene: dict[str, Any]) -> None:
    figures = protection_figures(user=coordinator)

    assert len(figures.days) == 1
    day = figures.days[0]
    assert (day.crossing_point_id, day.day) == (scene["point"], scene["day"])
    assert (day.flagged_persons, day.by_category) == (3, {"SC": 2, "ER": 1})
    assert (day.referred_in_time, day.overdue) == (1, 1)
    assert day.share_referred_in_time == pytest.approx(1 / 3)
    assert day.median_minutes_to_acceptance == pytest.approx(90.0, abs=0.1)
    assert figures.totals_by_category() == {"SC": 2, "ER": 1}


def test_the_median_is_the_middle_of_an_even_count(
    coordinator: User, scene: dict[str, Any], caseworker_actor: Actor
) -> None:
    pending = Referral.objects.get(status=ReferralStatus.SENT)
    referral_answer(actor=caseworker_actor, referral_id=pending.pk, to=ReferralStatus.ACCEPTED)
    late = ProtectionScreening.objects.get(pk=pending.screening_id)
    _arrived(late, minutes_before_acceptance=30)

    day = protection_figures(user=coordinator).days[0]

    assert day.median_minutes_to_acceptance == pytest.approx(60.0, abs=0.1)
    # accepted after its (moved) deadline: taken charge of, not within the deadline
    assert (late.accepted_in_time, day.referred_in_time, day.overdue) == (False, 1, 0)


def test_a_day_outside_the_period_and_another_point_are_not_counted(
    coordinator: User, scene: dict[str, Any], other_crossing_point: Any
) -> None:
    ProtectionFlag.objects.update(day=scene["day"] - timedelta(days=30))
    ProtectionScreening.objects.update(day=scene["day"] - timedelta(days=30))
    Referral.objects.update(crossing_point=other_crossing_point)

    figures = protection_figures(user=coordinator, crossing_point_id=scene["point"])

    assert figures.days == ()


def test_a_screening_officer_sees_the_points_they_are_posted_at_only(
    screener: User, scene: dict[str, Any], other_crossing_point: Any
) -> None:
    assert protection_figures(user=screener).days[0].flagged_persons == 3
    with pytest.raises(PermissionDenied):
        protection_figures(user=screener, crossing_point_id=other_crossing_point.pk)


@pytest.mark.parametrize("role", ["border_officer", "caseworker", "health_officer", "auditor", "planner"])
def test_other_roles_see_no_dashboard(role: str, make_user: Callable[..., User]) -> None:
    with pytest.raises(PermissionDenied):
        protection_figures(user=make_user(role, username=f"d-{role}"))


def test_a_period_backwards_or_too_long_is_refused() -> None:
    with pytest.raises(ValidationFailed) as backwards:
        period_check(date(2026, 11, 2), date(2026, 11, 1))
    with pytest.raises(ValidationFailed) as too_long:
        period_check(date(2026, 1, 1), date(2026, 11, 1))
    assert set(backwards.value.fields) == set(too_long.value.fields) == {"start"}
    assert period_check(None, date(2026, 11, 14)) == (date(2026, 11, 1), date(2026, 11, 14))


def test_health_referrals_are_left_out(coordinator: User, scene: dict[str, Any]) -> None:
    Referral.objects.filter(status=ReferralStatus.SENT).update(flag="poe-health")

    day = protection_figures(user=coordinator).days[0]

    assert (day.overdue, day.referred_in_time) == (0, 1)
    assert ProtectionScreening.objects.count() == 3
