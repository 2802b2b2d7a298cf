"""The referral pages: the screening officer refers from the person's page with the person's
consent; the receiving caseworker sees the referral, only what it shares, and answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from hbm.accounts.models import User
from hbm.protection.models import Referral
from hbm.registration.enums import Sex
from hbm.registration.models import Person

pytestmark = pytest.mark.django_db


def refer_form(service: Any, **changes: Any) -> dict[str, Any]:
    return {
        "service": str(service.pk),
        "urgency": "high",
        "reason": "Crossed alone; asks for his uncle.",
        "flag": "SC-UC",
        "shared_fields": ["names"],
        "consent": "on",
        "given_by": "person",
        **changes,
    }


def test_refer_with_consent_then_the_caseworker_accepts(
    api: Callable[[User | None], Client],
    screener: User,
    caseworker: User,
    register: Callable[..., Person],
    child_desk: Any,
) -> None:
    boy = register("OMAR", "HADDAD", date_of_birth=None, estimated_age=15, nationality="SYR")
    officer = api(screener)
    person_page = officer.get(f"/persons/{boy.pk}/").content.decode()
    assert 'data-testid="refer"' in person_page

    response = officer.post(f"/persons/{boy.pk}/refer", refer_form(child_desk))

    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.status == "sent"
    inbox = api(caseworker).get("/referrals/").content.decode()
    assert f'data-testid="referral-{referral.pk}"' in inbox
    detail = api(caseworker).get(f"/referrals/{referral.pk}/").content.decode()
    assert "HADDAD" in detail
    assert "SYR" not in detail  # nationality was not shared
    answered = api(caseworker).post(f"/referrals/{referral.pk}/answer", {"to": "accepted"})
    assert answered.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "accepted"


def test_without_consent_the_referral_waits_and_the_service_sees_nothing(
    api: Callable[[User | None], Client],
    screener: User,
    caseworker: User,
    register: Callable[..., Person],
    child_desk: Any,
) -> None:
    girl = register("LINA", "SALEH", sex=Sex.FEMALE, date_of_birth=None, estimated_age=12)

    api(screener).post(f"/persons/{girl.pk}/refer", refer_form(child_desk, consent=""))

    referral = Referral.objects.get()
    assert referral.status == "pending"
    assert 'data-testid="no-referrals"' in api(caseworker).get("/referrals/").content.decode()
    assert api(caseworker).get(f"/referrals/{referral.pk}/").status_code == 404


def test_an_illegal_answer_is_shown_and_changes_nothing(
    api: Callable[[User | None], Client],
    screener: User,
    caseworker: User,
    register: Callable[..., Person],
    child_desk: Any,
) -> None:
    boy = register("OMAR", "HADDAD", date_of_birth=None, estimated_age=15)
    api(screener).post(f"/persons/{boy.pk}/refer", refer_form(child_desk))
    referral = Referral.objects.get()

    response = api(caseworker).post(
        f"/referrals/{referral.pk}/answer", {"to": "closed", "outcome": "service_provided"}
    )

    assert response.status_code == 422
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_a_border_officer_cannot_refer(
    api: Callable[[User | None], Client], officer: User, register: Callable[..., Person], child_desk: Any
) -> None:
    boy = register("OMAR", "HADDAD")

    from hbm.audit.models import AuditEntry

    before = AuditEntry.objects.count()
    refused = api(officer).get(f"/persons/{boy.pk}/refer")

    assert refused.status_code == 403
    assert "HADDAD" not in refused.content.decode()
    assert api(officer).post(f"/persons/{boy.pk}/refer", refer_form(child_desk)).status_code == 403
    assert not Referral.objects.exists()
    assert AuditEntry.objects.count() == before  # refused before the person is read: a refused write


@pytest.mark.parametrize("role", ["border_officer", "screening_officer", "coordinator", "planner", "auditor"])
def test_the_inbox_refuses_a_role_that_receives_no_referrals_and_audits_it(
    api: Callable[[User | None], Client],
    screener: User,
    make_user: Callable[..., User],
    register: Callable[..., Person],
    child_desk: Any,
    role: str,
) -> None:
    from hbm.audit.enums import AuditEvent
    from hbm.audit.models import AuditEntry

    boy = register("OMAR", "HADDAD", date_of_birth=None, estimated_age=15)
    api(screener).post(f"/persons/{boy.pk}/refer", refer_form(child_desk))
    asking = make_user(role, username=f"asking-{role}")
    before = AuditEntry.objects.count()

    response = api(asking).get("/referrals/")

    assert response.status_code == 403
    assert 'data-testid="refused"' in response.content.decode()
    assert "HADDAD" not in response.content.decode()
    written = [(e.event, e.actor, e.detail) for e in AuditEntry.objects.filter(seq__gt=before)]
    assert written == [(AuditEvent.ACCESS_REFUSED, asking, {"kind": "referrals", "id": "received"})]
