"""Adversarial need-to-know probes of protection: a consent the person gave at the health desk (to
the health authority, for a medical referral) is health data's, not a licence for protection
referrals. It must neither send a protection referral to that organisation unasked (sharing
protection data the person never agreed to share there) nor tell the screening officer, by a
referral that goes out at once, that the person was referred for health."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hbm.accounts.models import User
from hbm.core.context import Actor
from hbm.protection.enums import ReferralStatus, ServiceType, SharedField, Urgency
from hbm.protection.models import Referral
from hbm.protection.referrals import ConsentData, ReferralData, referral_make
from hbm.protection.services import ServiceData, service_create
from hbm.registration.models import Person
from tests.dedup.conftest import register  # noqa: F401 - a fixture, used by name
from tests.health.conftest import (  # noqa: F401 - fixtures, used by name
    TUBERCULOSIS,
    clinic,
    health_actor,
    health_authority,
    health_officer,
    screen,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def counselling(coordinator_actor: Actor, health_authority: Any, crossing_point: Any) -> Any:  # noqa: F811
    """A mental-health service of the same health authority: a protection pathway's destination."""
    return service_create(
        actor=coordinator_actor,
        data=ServiceData(
            organisation_id=health_authority.pk,
            name="Psychosocial support",
            service_type=ServiceType.MENTAL_HEALTH,
            crossing_point_ids=(crossing_point.pk,),
        ),
    )


@pytest.fixture
def woman(register: Callable[..., Person]) -> Person:  # noqa: F811
    return register("Mariam", "Yousef")


def _refer(screener: User, person: Person, service: Any, consent: ConsentData | None = None) -> Referral:
    return referral_make(
        actor=Actor(user=screener),
        person_id=person.pk,
        data=ReferralData(
            service_id=service.pk,
            urgency=Urgency.MEDIUM,
            reason="Signs of distress after the journey.",
            shared_fields=(SharedField.NAMES, SharedField.SPECIFIC_NEEDS),
        ),
        consent=consent,
    )


def test_a_consent_given_for_a_health_referral_does_not_send_a_protection_referral(
    screen: Callable[..., Any],  # noqa: F811
    clinic: Any,  # noqa: F811
    counselling: Any,
    woman: Person,
    screener: User,
) -> None:
    health = screen(TUBERCULOSIS, person=woman, service=clinic, consent_given=True)
    assert health.referral.status == ReferralStatus.SENT  # she consented to the clinic

    referral = _refer(screener, woman, counselling)

    assert referral.status == ReferralStatus.PENDING
    assert referral.consent_id is None


def test_a_consent_given_to_the_screening_officer_still_sends_it(
    screen: Callable[..., Any],  # noqa: F811
    clinic: Any,  # noqa: F811
    counselling: Any,
    woman: Person,
    screener: User,
) -> None:
    screen(TUBERCULOSIS, person=woman, service=clinic, consent_given=True)
    agreed = ConsentData(recipient_id=counselling.organisation_id, is_given=True)

    referral = _refer(screener, woman, counselling, consent=agreed)

    assert referral.status == ReferralStatus.SENT
    assert referral.consent_id is not None
