"""Follow-up fixtures: a boy flagged at the border and referred to the asylum service, which took
the case; its caseworker; a caseworker of another organisation; flags raised by a screening."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from hbm.accounts.models import User
from hbm.core.context import Actor
from hbm.core.time import now
from hbm.protection.enums import ReferralStatus, ServiceType, SharedField, Urgency
from hbm.protection.models import ProtectionFlag, ProtectionScreening, Referral
from hbm.protection.referrals import ConsentData, ReferralData, referral_answer, referral_make
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


@pytest.fixture
def flag(screener: User) -> Callable[..., ProtectionFlag]:
    """A flag raised by a protection screening of the person (``hours_ago`` before now)."""

    def make(
        person: Person, *, code: str = "SC-UC", urgency: str = "high", hours_ago: float = 1
    ) -> ProtectionFlag:
        raised: datetime = now() - timedelta(hours=hours_ago)
        screening = ProtectionScreening.objects.create(
            person=person,
            crossing_point=person.registered_at,
            questionnaire_id="first_contact_protection",
            questionnaire_version=1,
            questionnaire_digest="0" * 64,
            urgency=urgency,
            screened_by=screener,
            screened_at=raised,
            day=raised.date(),
        )
        return ProtectionFlag.objects.create(
            person=person,
            screening=screening,
            crossing_point=person.registered_at,
            code=code,
            category=code[:2],
            concern="unaccompanied_child",
            urgency=urgency,
            raised_at=raised,
            day=raised.date(),
        )

    return make
