"""Follow-up fixtures: a boy flagged at the border and referred to the asylum service, which took
the case; its caseworker; a caseworker of another organisation; flags raised by a screening."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from hbm.accounts.models import User
from hbm.core.context import Actor
from hbm.protection.enums import ReferralStatus, ServiceType, SharedField, Urgency
from hbm.protection.models import ProtectionFlag, ProtectionScreening, Referral
from hbm.protection.referrals import ConsentData, ReferralData, referral_answer, referral_make
from hbm.protection.screening import screening_record
from hbm.protection.services import ServiceData, service_create
from hbm.registration.enums import Sex
from hbm.registration.models import Person
from tests.api.conftest import openapi_check  # noqa: F401 - a fixture, used by name
from tests.dedup.conftest import register  # noqa: F401 - a fixture, used by name


@pytest.fixture
def asylum_service_organisation() -> Any:
    from tests.factories import OrganisationFactory

    return OrganisationFactory(name="National asylum service", kind="asylum_service")


@pytest.fixture
def other_organisation() -> Any:
    from tests.factories import OrganisationFactory

    return OrganisationFactory(name="Shelter NGO", kind="ngo")


@pytest.fixture
def caseworker(make_user: Callable[..., User], asylum_service_organisation: Any) -> User:
    return make_user("caseworker", posted=False, organisation=asylum_service_organisation, username="cw")


@pytest.fixture
def stranger(make_user: Callable[..., User], other_organisation: Any) -> User:
    """A caseworker of another organisation, to which the boy was never referred."""
    return make_user("caseworker", posted=False, organisation=other_organisation, username="cw2")


@pytest.fixture
def actor_of() -> Callable[[User], Actor]:
    return lambda user: Actor(user=user, device="test")


@pytest.fixture
def asylum_desk(coordinator: User, asylum_service_organisation: Any, crossing_point: Any) -> Any:
    return service_create(
        actor=Actor(user=coordinator, device="test"),
        data=ServiceData(
            organisation_id=asylum_service_organisation.pk,
            name="Asylum registration desk",
            service_type=ServiceType.ASYLUM,
            crossing_point_ids=(crossing_point.pk,),
        ),
    )


@pytest.fixture
def boy(register: Callable[..., Person]) -> Person:  # noqa: F811 - the fixture, by name
    return register("OMAR", "HADDAD", sex=Sex.MALE, date_of_birth=None, estimated_age=16)


@pytest.fixture
def refer(screener: User, asylum_desk: Any) -> Callable[..., Referral]:
    """Refer a person to the asylum desk with their consent (sent at once)."""

    def make(person: Person, *, flag: str = "SC-UC") -> Referral:
        return referral_make(
            actor=Actor(user=screener, device="test"),
            person_id=person.pk,
            data=ReferralData(
                service_id=asylum_desk.pk,
                urgency=Urgency.HIGH,
                reason="Wishes to apply for asylum.",
                flag=flag,
                shared_fields=(SharedField.NAMES,),
            ),
            consent=ConsentData(recipient_id=asylum_desk.organisation_id, is_given=True),
        )

    return make


@pytest.fixture
def accepted_referral(boy: Person, refer: Callable[..., Referral], caseworker: User) -> Referral:
    referral = refer(boy)
    return referral_answer(
        actor=Actor(user=caseworker, device="test"), referral_id=referral.pk, to=ReferralStatus.ACCEPTED
    )


ALONE_AT_15 = {"age_basis": "estimated", "age_years": 15, "child_accompanied_by": "alone"}  # SC-UC
OLDER_ALONE = {  # ER
    "age_basis": "stated",
    "age_years": 70,
    "older_needs_daily_help": True,
    "older_has_helper": False,
}
TRAFFICKED_WOMAN = {  # LP-AN, LP-RR and a pregnancy (no UNHCR code)
    "age_basis": "document",
    "birth_date": "1990-01-01",
    "sex": "female",
    "pregnant": True,
    "wishes_asylum": True,
    "trafficking_indicators": ["documents_held_by_other", "movement_controlled", "debt"],
}


@pytest.fixture
def flag(screener: User) -> Callable[..., ProtectionScreening]:
    """Screen the person with the shipped questionnaire (the flags it raises are the screening's),
    as if ``hours_ago`` before now: the service stamps the present, so the times are moved back."""

    def make(
        person: Person, *, answers: dict[str, Any] = ALONE_AT_15, hours_ago: float = 1
    ) -> ProtectionScreening:
        screening = screening_record(
            actor=Actor(user=screener, device="test"), person_id=person.pk, answers=answers
        )
        earlier: datetime = screening.screened_at - timedelta(hours=hours_ago)
        ProtectionScreening.objects.filter(pk=screening.pk).update(screened_at=earlier)
        ProtectionFlag.objects.filter(screening=screening).update(raised_at=earlier)
        return screening

    return make
