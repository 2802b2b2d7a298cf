"""Adversarial need-to-know probes of follow-ups: a referral from a health screening (flag
``poe-health``) is health data, which only health officers see (DESIGN.md §2). It must show nowhere
in the follow-up overview, nor open a follow-up, nor make its person a caseworker's case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hbm.accounts.models import User
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.core.context import Actor
from hbm.core.errors import NotFound, ValidationFailed
from hbm.core.time import today
from hbm.followup.enums import FollowUpKind, FollowUpStage
from hbm.followup.models import FollowUp
from hbm.followup.selectors import OverviewFilter, followup_overview, followups_of_person
from hbm.followup.services import FollowUpData, followup_open
from hbm.protection.enums import ConsentGivenBy, ReferralStatus, SharedField, Urgency
from hbm.protection.models import Referral
from hbm.protection.referrals import ConsentData, ReferralData, referral_answer, referral_make
from hbm.registration.models import Person
from tests.conftest import client_for
from tests.health.conftest import (  # noqa: F401 - fixtures, used by name
    EBOLA,
    coordinator_actor,
    health_actor,
    health_authority,
    health_officer,
    isolation_ward,
    screen,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def health_referral(
    screen: Callable[..., Any],  # noqa: F811 - the fixture, by name
    boy: Person,
    isolation_ward: Any,  # noqa: F811 - the fixture, by name
    health_authority: Any,  # noqa: F811 - the fixture, by name
    make_user: Callable[..., User],
) -> Referral:
    """The boy screened positive for Ebola, referred with consent to the isolation ward, which took him."""
    record = screen(
        EBOLA, person=boy, service=isolation_ward, consent_given=True, given_by=ConsentGivenBy.PERSON
    )
    ward = Actor(
        user=make_user("health_officer", posted=False, organisation=health_authority, username="ward")
    )
    referral = referral_answer(actor=ward, referral_id=record.referral.pk, to=ReferralStatus.ACCEPTED)
    assert referral.status == ReferralStatus.ACCEPTED
    return referral


@pytest.mark.parametrize("role", ["coordinator", "screening_officer"])
def test_a_person_referred_only_for_health_is_not_in_the_overview(
    role: str, make_user: Callable[..., User], health_referral: Referral, boy: Person
) -> None:
    user = make_user(role, username=f"u-{role}")
    seen = followup_overview(actor=Actor(user=user), filters=OverviewFilter())

    assert seen.total == 0
    assert seen.counts == []
    body = client_for(user).get("/api/followup/overview").content.decode()
    assert str(boy.pk) not in body


def test_a_health_referral_neither_places_nor_categorises_a_flagged_person(
    coordinator: User, health_referral: Referral, boy: Person, flag: Callable[..., Any]
) -> None:
    flag(boy)  # a child alone: SC-UC, not referred by protection
    seen = followup_overview(actor=Actor(user=coordinator), filters=OverviewFilter())

    [row] = seen.rows
    assert row.person == boy
    assert row.categories == ["SC"]
    assert (row.phase, row.stage, row.referral_id) == ("flagged", "flagged", None)
    assert [(c.phase, c.stage) for c in seen.counts] == [("flagged", "flagged")]
    assert followup_overview(actor=Actor(user=coordinator), filters=OverviewFilter(category="PO")).total == 0


@pytest.mark.parametrize("role", ["coordinator", "screening_officer"])
def test_a_follow_up_cannot_continue_a_health_referral(
    role: str, make_user: Callable[..., User], health_referral: Referral, boy: Person
) -> None:
    user = make_user(role, username=f"u-{role}")
    with pytest.raises(ValidationFailed) as refused:
        followup_open(
            actor=Actor(user=user),
            person_id=boy.pk,
            data=FollowUpData(
                kind=FollowUpKind.ASYLUM,
                stage=FollowUpStage.INTENTION_EXPRESSED,
                happened_on=today(),
                referral_id=health_referral.pk,
            ),
        )
    assert "referral_id" in refused.value.fields
    assert not FollowUp.objects.filter(person=boy).exists()


def test_a_caseworker_of_the_health_authority_does_not_find_the_health_referred_person(
    make_user: Callable[..., User],
    health_referral: Referral,
    boy: Person,
    health_authority: Any,  # noqa: F811
) -> None:
    caseworker = make_user("caseworker", posted=False, organisation=health_authority, username="hcw")
    seq = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0

    with pytest.raises(NotFound):
        followups_of_person(actor=Actor(user=caseworker), person_id=boy.pk)
    assert [e.event for e in AuditEntry.objects.filter(seq__gt=seq)] == [AuditEvent.ACCESS_REFUSED]
    assert client_for(caseworker).get(f"/api/followup/persons/{boy.pk}/followups").status_code == 404


# --- a caseworker sees the person only as the referral shares them --------------------------------


@pytest.fixture
def sex_only_case(
    boy: Person, screener: User, asylum_desk: Any, caseworker: User, flag: Callable[..., Any]
) -> FollowUp:
    """The boy, screened (a child alone), referred sharing his sex only; the asylum desk took him and
    opened a follow-up from the referral."""
    flag(boy)
    referral = referral_make(
        actor=Actor(user=screener),
        person_id=boy.pk,
        data=ReferralData(
            service_id=asylum_desk.pk,
            urgency=Urgency.HIGH,
            reason="Wishes to apply for asylum.",
            flag="SC-UC",
            shared_fields=(SharedField.SEX,),
        ),
        consent=ConsentData(recipient_id=asylum_desk.organisation_id, is_given=True),
    )
    cw = Actor(user=caseworker)
    referral_answer(actor=cw, referral_id=referral.pk, to=ReferralStatus.ACCEPTED)
    return followup_open(
        actor=cw,
        person_id=boy.pk,
        data=FollowUpData(
            kind=FollowUpKind.ASYLUM,
            stage=FollowUpStage.INTENTION_EXPRESSED,
            happened_on=today(),
            referral_id=referral.pk,
        ),
    )


def test_the_caseworkers_follow_up_pages_and_api_show_no_field_the_referral_does_not_share(
    caseworker: User, sex_only_case: FollowUp, boy: Person
) -> None:
    client = client_for(caseworker)
    responses = [
        client.get(f"/api/followup/followups/{sex_only_case.pk}"),
        client.get("/api/followup/followups"),
        client.get(f"/api/followup/persons/{boy.pk}/followups"),
        client.get(f"/followup/{sex_only_case.pk}/"),
        client.get("/followup/cases/"),
        client.get(f"/referrals/{sex_only_case.referral_id}/"),
    ]
    for response in responses:
        assert response.status_code == 200, (response.request["PATH_INFO"], response.status_code)
        body = response.content.decode()
        for word in ("OMAR", "HADDAD", "Omar", "Haddad"):
            assert word not in body, (response.request["PATH_INFO"], word)
    assert str(sex_only_case.pk) in responses[1].content.decode()


def test_the_caseworker_reads_no_screening_of_the_person_and_only_the_refusal_is_audited(
    caseworker: User, sex_only_case: FollowUp, boy: Person
) -> None:
    client = client_for(caseworker)
    for path in (
        f"/api/protection/persons/{boy.pk}/screenings",
        f"/api/protection/persons/{boy.pk}/suggested-referrals",
        f"/api/persons/{boy.pk}",
    ):
        seq = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        response = client.get(path)
        assert response.status_code in (403, 404), path
        assert "HADDAD" not in response.content.decode()
        assert [e.event for e in AuditEntry.objects.filter(seq__gt=seq)] == [AuditEvent.ACCESS_REFUSED], path
