"""The demo's health screenings at the land crossing: every day, through the health officer's
service, a seeded number of travellers screened each hour from 06:00 to 21:00 — almost all negative,
only counted — and six positives, each with its health record and referral (isolation under the
public-health law; medical referrals with consent, one still waiting for it).

Deterministic: a ``random.Random(seed)`` draws the hourly numbers, and the persons screened
positive are taken from the end of the registration order (the follow-ups take the first ones).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from hbm.accounts.enums import Role
from hbm.accounts.models import Organisation, User
from hbm.core.context import Actor
from hbm.crossings.models import CrossingPoint
from hbm.engines.screening import HealthAction
from hbm.health.services import PositiveReferral, health_screen, health_screening_preview
from hbm.protection.enums import ReferralStatus, ServiceType
from hbm.protection.models import Service
from hbm.protection.referrals import referral_answer
from hbm.protection.services import ServiceData, service_create
from hbm.registration.models import Person

FIRST_HOUR, LAST_HOUR = 6, 21
NEGATIVE = {"temperature_c": 36.7, "fever_reported": False}


@dataclass(frozen=True, slots=True)
class _Positive:
    """A positive screening on day ``day`` (0, 1, 2) at ``hour``, referred to the ward or the clinic."""

    day: int
    hour: int
    answers: dict[str, Any]
    consent: bool = True
    accepted: bool = False


POSITIVES: tuple[_Positive, ...] = (
    # Fever and contact with an Ebola patient: isolate now (life-threatening); the ward accepts.
    _Positive(0, 10, {"temperature_c": 38.9, "vhf_contact_21_days": True}, accepted=True),
    # Three weeks of cough: tuberculosis, a medical referral with consent.
    _Positive(0, 15, {"temperature_c": 37.2, "symptoms": ["cough", "night_sweats"], "cough_two_weeks": True}),
    # Fever and a flat red rash: measles, isolated.
    _Positive(1, 9, {"temperature_c": 38.4, "symptoms": ["flat_red_rash"]}),
    # Watery diarrhoea from a cholera area, severely dehydrated: isolated, life-threatening.
    _Positive(
        1,
        13,
        {
            "temperature_c": 37.1,
            "symptoms": ["watery_diarrhoea", "severe_dehydration"],
            "cholera_area_5_days": True,
        },
    ),
    # Fever alone: secondary assessment; the person has not agreed yet, the referral waits.
    _Positive(2, 8, {"temperature_c": 38.2, "fever_reported": True}, consent=False),
    # Coughing blood: tuberculosis, high urgency.
    _Positive(2, 11, {"temperature_c": 37.4, "symptoms": ["cough", "coughing_blood"]}),
)


def _service(
    coordinator: Actor, organisation: Organisation, point: CrossingPoint, name: str, kind: str
) -> Service:
    existing = Service.objects.filter(organisation=organisation, name=name).first()
    if existing is not None:
        return existing
    data = ServiceData(
        organisation_id=organisation.pk,
        name=name,
        service_type=ServiceType(kind),
        crossing_point_ids=(point.pk,),
        opening_hours={day: "00:00-24:00" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
    )
    return service_create(actor=coordinator, data=data)


def demo_health_screenings_create(
    *,
    users: dict[str, User],
    point: CrossingPoint,
    days: tuple[date, ...],
    now: datetime,
    seed: int,
    scale: float,
) -> dict[str, int]:
    """Screen travellers at ``point`` over ``days`` up to ``now``; returns the negatives and positives."""
    nurse = Actor(user=next(u for u in users.values() if u.role == Role.HEALTH_OFFICER), device="browser")
    coordinator = Actor(user=next(u for u in users.values() if u.role == Role.COORDINATOR), device="browser")
    ministry = nurse.user.organisation
    assert ministry is not None
    ward = _service(coordinator, ministry, point, "Isolation ward, Palanca", "isolation")
    clinic = _service(coordinator, ministry, point, "Border health post, Palanca", "medical")
    zone, rng = ZoneInfo(point.timezone), random.Random(seed)
    negatives = 0
    for day in days:
        for hour in range(FIRST_HOUR, LAST_HOUR + 1):
            count = round(rng.randint(2, 14) * scale)
            for minute in sorted(rng.sample(range(60), min(count, 60))):
                moment = datetime.combine(day, time(hour, minute), tzinfo=zone)
                if moment > now:
                    break
                health_screen(actor=nurse, crossing_point_id=point.pk, answers=NEGATIVE, at=moment)
                negatives += 1
    registered = sorted(
        Person.objects.filter(registered_at=point), key=lambda p: (p.created_at, p.search_name)
    )
    adults = [p for p in reversed(registered) if (days[-1] - p.date_of_birth).days > 18 * 366]
    positives = 0
    for person, case in zip(adults, POSITIVES, strict=False):
        moment = datetime.combine(days[case.day], time(case.hour, 20), tzinfo=zone)
        if moment > now:
            continue
        preview = health_screening_preview(actor=nurse, crossing_point_id=point.pk, answers=case.answers)
        isolate = preview.action is HealthAction.ISOLATE
        result = health_screen(
            actor=nurse,
            crossing_point_id=point.pk,
            answers=case.answers,
            person_id=person.pk,
            referral=PositiveReferral(
                service_id=(ward if isolate else clinic).pk, consent_given=case.consent
            ),
            at=moment,
        )
        positives += 1
        if case.accepted and result.referral is not None:
            referral_answer(actor=nurse, referral_id=result.referral.pk, to=ReferralStatus.ACCEPTED)
    return {"negative": negatives, "positive": positives}
