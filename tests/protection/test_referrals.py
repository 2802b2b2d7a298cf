"""Referrals: consent before anything is shared, the lifecycle's legal steps only, and the
receiving organisation sees only its referrals and only what each shares."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from unittest import mock

import pytest

from hbm.accounts.models import User
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.core.context import Actor
from hbm.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hbm.protection.enums import ConsentGivenBy, ReferralOutcome, ReferralStatus, SharedField, Urgency
from hbm.protection.models import Consent, Referral, ReferralStep
from hbm.protection.referrals import (
    ConsentData,
    ReferralData,
    consent_record,
    referral_answer,
    referral_create,
    referral_make,
    referral_send,
)
from hbm.protection.selectors import (
    access_referral,
    referral_shared_view,
    referrals_overdue,
    referrals_received,
)
from hbm.registration.enums import Sex
from hbm.registration.models import Person
from hbm.registration.selectors import persons_visible_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def boy(register: Callable[..., Person]) -> Person:
    """A boy of about 15 who crossed alone."""
    return register("OMAR", "HADDAD", sex=Sex.MALE, date_of_birth=None, estimated_age=15)


@pytest.fixture
def referral(screener_actor: Actor, boy: Person, child_desk: Any) -> Referral:
    return referral_create(
        actor=screener_actor,
        person_id=boy.pk,
        data=ReferralData(
            service_id=child_desk.pk,
            urgency=Urgency.HIGH,
            reason="Travelling alone; says his uncle is in Germany.",
            flag="SC-UC",
            shared_fields=(SharedField.NAMES, SharedField.LANGUAGES),
        ),
    )


def consent_yes(actor: Actor, person: Person, organisation: Any, **changes: Any) -> Consent:
    return consent_record(
        actor=actor,
        person_id=person.pk,
        data=ConsentData(recipient_id=organisation.pk, is_given=True, **changes),
    )


def test_a_referral_goes_from_pending_to_closed_with_every_step_on_record(
    screener_actor: Actor, caseworker_actor: Actor, boy: Person, referral: Referral, child_protection_ngo: Any
) -> None:
    # Given the boy's own yes to the child-protection NGO (at 15 he can say it; no guardian is here)
    consent_yes(screener_actor, boy, child_protection_ngo)
    assert abs(referral.deadline_at - referral.created_at - timedelta(hours=24)) < timedelta(seconds=1)

    referral_send(actor=screener_actor, referral_id=referral.pk)
    referral_answer(actor=caseworker_actor, referral_id=referral.pk, to=ReferralStatus.ACCEPTED)
    referral_answer(actor=caseworker_actor, referral_id=referral.pk, to=ReferralStatus.IN_PROGRESS)
    closed = referral_answer(
        actor=caseworker_actor,
        referral_id=referral.pk,
        to=ReferralStatus.CLOSED,
        outcome=ReferralOutcome.SERVICE_PROVIDED,
        note="Placed with a foster family.",
    )

    assert (closed.status, closed.outcome, closed.note) == (
        "closed",
        "service_provided",
        "Placed with a foster family.",
    )
    assert closed.caseworker == caseworker_actor.user
    steps = list(
        ReferralStep.objects.filter(referral=referral)
        .order_by("created_at")
        .values_list("to_status", flat=True)
    )
    assert steps == ["pending", "sent", "accepted", "in_progress", "closed"]
    assert AuditEntry.objects.filter(event=AuditEvent.REFERRAL_MOVED).count() == 4


def test_nothing_is_sent_without_consent_to_that_organisation(
    screener_actor: Actor, boy: Person, referral: Referral, border_agency: Any
) -> None:
    consent_yes(screener_actor, boy, border_agency)  # to another organisation

    with pytest.raises(Conflict):
        referral_send(actor=screener_actor, referral_id=referral.pk)

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING
    assert not AuditEntry.objects.filter(event=AuditEvent.REFERRAL_MOVED).exists()


def test_a_withdrawn_consent_stops_the_sending(
    screener_actor: Actor, boy: Person, referral: Referral, child_protection_ngo: Any
) -> None:
    consent_yes(screener_actor, boy, child_protection_ngo)
    consent_record(
        actor=screener_actor,
        person_id=boy.pk,
        data=ConsentData(recipient_id=child_protection_ngo.pk, is_given=False),
    )

    with pytest.raises(Conflict):
        referral_send(actor=screener_actor, referral_id=referral.pk)


def test_a_best_interests_decision_needs_its_reason_and_another_supervisor(
    screener_actor: Actor, coordinator: User, boy: Person, child_protection_ngo: Any
) -> None:
    base = {"given_by": ConsentGivenBy.BEST_INTERESTS}
    with pytest.raises(ValidationFailed) as no_reason:
        consent_yes(screener_actor, boy, child_protection_ngo, **base, approved_by=coordinator.username)
    with pytest.raises(ValidationFailed) as self_approved:
        consent_yes(
            screener_actor,
            boy,
            child_protection_ngo,
            **base,
            reason="alone",
            approved_by=screener_actor.user.username,
        )
    assert list(no_reason.value.fields) == ["reason"]
    assert list(self_approved.value.fields) == ["approved_by"]

    consent = consent_yes(
        screener_actor,
        boy,
        child_protection_ngo,
        **base,
        reason="No adult with him.",
        approved_by=coordinator.username,
    )

    assert consent.approved_by == coordinator
    assert Consent.objects.count() == 1


def test_an_adult_decides_for_themself(
    screener_actor: Actor, register: Callable[..., Person], child_protection_ngo: Any
) -> None:
    adult = register("SARA", "KHALIL", sex=Sex.FEMALE, date_of_birth=date(1980, 1, 2))

    with pytest.raises(ValidationFailed) as refused:
        consent_yes(screener_actor, adult, child_protection_ngo, given_by=ConsentGivenBy.GUARDIAN)

    assert list(refused.value.fields) == ["given_by"]


def test_an_estimated_age_of_20_is_still_given_the_benefit_of_the_doubt(
    screener_actor: Actor, register: Callable[..., Person], child_protection_ngo: Any
) -> None:
    maybe_child = register("ALI", "NOURI", date_of_birth=None, estimated_age=20)

    consent = consent_yes(screener_actor, maybe_child, child_protection_ngo, given_by=ConsentGivenBy.GUARDIAN)

    assert consent.given_by == ConsentGivenBy.GUARDIAN


@pytest.mark.parametrize(
    ("steps", "illegal"),
    [
        ([], ReferralStatus.IN_PROGRESS),  # nobody accepted yet
        ([ReferralStatus.ACCEPTED], ReferralStatus.CLOSED),  # closing needs in progress first
        ([ReferralStatus.DECLINED], ReferralStatus.ACCEPTED),  # declined is final
    ],
)
def test_an_illegal_step_is_refused_and_leaves_no_trace(
    screener_actor: Actor,
    caseworker_actor: Actor,
    boy: Person,
    referral: Referral,
    child_protection_ngo: Any,
    steps: list[ReferralStatus],
    illegal: ReferralStatus,
) -> None:
    consent_yes(screener_actor, boy, child_protection_ngo)
    referral_send(actor=screener_actor, referral_id=referral.pk)
    for step in steps:
        referral_answer(actor=caseworker_actor, referral_id=referral.pk, to=step, note="full")
    before = (
        ReferralStep.objects.count(),
        AuditEntry.objects.filter(event=AuditEvent.REFERRAL_MOVED).count(),
    )

    with pytest.raises(Conflict):
        referral_answer(
            actor=caseworker_actor,
            referral_id=referral.pk,
            to=illegal,
            outcome=ReferralOutcome.SERVICE_PROVIDED if illegal == ReferralStatus.CLOSED else None,
        )

    after = (ReferralStep.objects.count(), AuditEntry.objects.filter(event=AuditEvent.REFERRAL_MOVED).count())
    assert after == before


def test_declining_needs_a_reason(
    screener_actor: Actor, caseworker_actor: Actor, boy: Person, referral: Referral, child_protection_ngo: Any
) -> None:
    consent_yes(screener_actor, boy, child_protection_ngo)
    referral_send(actor=screener_actor, referral_id=referral.pk)

    with pytest.raises(ValidationFailed) as refused:
        referral_answer(actor=caseworker_actor, referral_id=referral.pk, to=ReferralStatus.DECLINED)

    assert list(refused.value.fields) == ["note"]


def test_the_receiving_caseworker_sees_only_what_the_referral_shares(
    screener_actor: Actor, caseworker_actor: Actor, boy: Person, referral: Referral, child_protection_ngo: Any
) -> None:
    # Before it is sent, the service does not see it
    assert referrals_received(actor=caseworker_actor) == []
    with pytest.raises(NotFound):
        access_referral(actor=caseworker_actor, referral_id=referral.pk)

    consent_yes(screener_actor, boy, child_protection_ngo)
    referral_send(actor=screener_actor, referral_id=referral.pk)

    assert referrals_received(actor=caseworker_actor) == [referral]
    seen = referral_shared_view(referral=access_referral(actor=caseworker_actor, referral_id=referral.pk))
    assert seen == {
        "surname_latin": "HADDAD",
        "given_names_latin": "OMAR",
        "surname_original": "",
        "given_names_original": "",
        "languages": [],
    }
    assert (
        AuditEntry.objects.filter(event=AuditEvent.REFERRAL_VIEWED, subject_id=str(referral.pk)).count() == 1
    )


@pytest.mark.parametrize(
    ("role", "own_organisation", "may_see"),
    [
        ("caseworker", True, True),
        ("health_officer", True, True),
        ("caseworker", False, False),
        ("border_officer", False, False),
        ("health_officer", False, False),
        ("auditor", False, False),
        ("planner", False, False),
        ("reception_manager", False, False),
        ("screening_officer", False, True),  # posted at the crossing point where the boy was met
        ("coordinator", False, True),
    ],
)
def test_who_may_read_a_sent_referral(
    make_user: Callable[..., User],
    screener_actor: Actor,
    boy: Person,
    referral: Referral,
    child_protection_ngo: Any,
    role: str,
    own_organisation: bool,
    may_see: bool,
) -> None:
    consent_yes(screener_actor, boy, child_protection_ngo)
    referral_send(actor=screener_actor, referral_id=referral.pk)
    organisation = child_protection_ngo if own_organisation else None
    user = make_user(
        role,
        username=f"reader-{role}-{own_organisation}",
        **({"organisation": organisation} if organisation else {}),
    )
    reader = Actor(user=user, device="t")
    views_before = AuditEntry.objects.filter(event=AuditEvent.REFERRAL_VIEWED).count()

    if may_see:
        assert access_referral(actor=reader, referral_id=referral.pk) == referral
    else:
        with pytest.raises(NotFound):
            access_referral(actor=reader, referral_id=referral.pk)
        assert AuditEntry.objects.filter(event=AuditEvent.REFERRAL_VIEWED).count() == views_before
        refusal = AuditEntry.objects.filter(event=AuditEvent.ACCESS_REFUSED).latest("seq")
        assert refusal.detail == {"kind": "referral", "id": str(referral.pk)}


def test_only_referring_roles_refer_and_only_receivers_answer(
    make_user: Callable[..., User], caseworker_actor: Actor, boy: Person, child_desk: Any
) -> None:
    officer = Actor(user=make_user("border_officer", username="bo"), device="t")
    data = ReferralData(service_id=child_desk.pk, urgency=Urgency.HIGH, reason="alone")

    with pytest.raises(PermissionDenied):
        referral_create(actor=officer, person_id=boy.pk, data=data)
    with pytest.raises(PermissionDenied):
        referral_create(actor=caseworker_actor, person_id=boy.pk, data=data)
    assert not Referral.objects.exists()


def test_an_unanswered_referral_past_its_deadline_is_overdue(
    screener_actor: Actor, caseworker_actor: Actor, boy: Person, referral: Referral, child_protection_ngo: Any
) -> None:
    Referral.objects.filter(pk=referral.pk).update(deadline_at=referral.created_at - timedelta(minutes=1))
    assert referrals_overdue() == [referral]

    consent_yes(screener_actor, boy, child_protection_ngo)
    referral_send(actor=screener_actor, referral_id=referral.pk)
    referral_answer(actor=caseworker_actor, referral_id=referral.pk, to=ReferralStatus.ACCEPTED)

    assert referrals_overdue() == []


def _written() -> tuple[int, int, int, int]:
    return (
        Consent.objects.count(),
        Referral.objects.count(),
        ReferralStep.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize("with_consent", [True, False])
def test_a_referral_made_in_one_step_finds_no_person_met_elsewhere_and_writes_nothing(
    make_user: Callable[..., User],
    other_crossing_point: Any,
    boy: Person,
    child_desk: Any,
    child_protection_ngo: Any,
    with_consent: bool,
) -> None:
    # Given a screening officer posted only where the boy was not met
    elsewhere = make_user("screening_officer", posted=False, username="elsewhere")
    other_crossing_point.staff.add(elsewhere)
    before = _written()

    with pytest.raises(NotFound):
        referral_make(
            actor=Actor(user=elsewhere, device="t"),
            person_id=boy.pk,
            data=ReferralData(service_id=child_desk.pk, urgency=Urgency.HIGH, reason="Alone."),
            consent=ConsentData(recipient_id=child_protection_ngo.pk, is_given=True)
            if with_consent
            else None,
        )

    assert _written() == before


def test_sending_a_referral_of_a_person_met_elsewhere_is_refused_and_leaves_it_pending(
    make_user: Callable[..., User],
    other_crossing_point: Any,
    screener_actor: Actor,
    boy: Person,
    referral: Referral,
    child_protection_ngo: Any,
) -> None:
    consent_yes(screener_actor, boy, child_protection_ngo)
    elsewhere = make_user("screening_officer", posted=False, username="elsewhere")
    other_crossing_point.staff.add(elsewhere)
    before = _written()

    with pytest.raises(NotFound):
        referral_send(actor=Actor(user=elsewhere, device="t"), referral_id=referral.pk)

    referral.refresh_from_db()
    assert (referral.status, referral.consent_id, _written()) == (ReferralStatus.PENDING, None, before)


def test_a_referral_made_in_one_step_checks_who_may_see_the_person_once(
    screener_actor: Actor, boy: Person, child_desk: Any, child_protection_ngo: Any
) -> None:
    # The consent, the referral and the sending are one need-to-know check, not one each.
    with mock.patch(
        "hbm.protection.referrals.persons_visible_to", wraps=persons_visible_to
    ) as visibility_check:
        referral = referral_make(
            actor=screener_actor,
            person_id=boy.pk,
            data=ReferralData(service_id=child_desk.pk, urgency=Urgency.HIGH, reason="Alone."),
            consent=ConsentData(recipient_id=child_protection_ngo.pk, is_given=True),
        )

    assert referral.status == ReferralStatus.SENT
    assert visibility_check.call_args_list == [mock.call(actor=screener_actor)]
