"""The referral API, end to end: consent, refer, send, accept; the receiving caseworker reads only
the shared fields; a caseworker of another organisation reads nothing; every response as the
committed OpenAPI document declares it."""

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


def test_consent_refer_send_and_accept_through_the_api(
    api: Callable[[User | None], Client],
    screener: User,
    caseworker: User,
    coordinator: User,
    make_user: Callable[..., User],
    register: Callable[..., Person],
    child_desk: Any,
    child_protection_ngo: Any,
    openapi_check: Callable[[Any], None],
) -> None:
    girl = register("LINA", "SALEH", sex=Sex.FEMALE, date_of_birth=None, estimated_age=12)
    officer = api(screener)

    referred = officer.post(
        f"/api/protection/persons/{girl.pk}/referrals",
        {"service_id": str(child_desk.pk), "urgency": "high", "reason": "Alone.", "flag": "SC-UC"},
        content_type="application/json",
    )
    assert referred.status_code == 201
    openapi_check(referred)
    referral_id = referred.json()["id"]
    no_consent = officer.post(f"/api/protection/referrals/{referral_id}/send")
    assert no_consent.status_code == 409

    consent = officer.post(
        f"/api/protection/persons/{girl.pk}/consents",
        {"recipient_id": str(child_protection_ngo.pk), "is_given": True, "given_by": "guardian"},
        content_type="application/json",
    )
    assert consent.status_code == 201
    openapi_check(consent)
    sent = officer.post(f"/api/protection/referrals/{referral_id}/send")
    assert sent.json()["status"] == "sent"

    inbox = api(caseworker).get("/api/protection/referrals")
    openapi_check(inbox)
    assert [r["id"] for r in inbox.json()] == [referral_id]
    assert inbox.json()[0]["person"] == {
        "surname_latin": "SALEH",
        "given_names_latin": "LINA",
        "surname_original": "",
        "given_names_original": "",
        "sex": "F",
        "date_of_birth": girl.date_of_birth.isoformat(),
        "birth_date_accuracy": "estimated",
    }
    accepted = api(caseworker).post(
        f"/api/protection/referrals/{referral_id}/answer", {"to": "accepted"}, content_type="application/json"
    )
    assert accepted.json()["status"] == "accepted"
    openapi_check(accepted)
    illegal = api(caseworker).post(
        f"/api/protection/referrals/{referral_id}/answer", {"to": "pending"}, content_type="application/json"
    )
    assert illegal.status_code == 409

    stranger = make_user("caseworker", posted=False, username="other-ngo-cw")
    assert api(stranger).get(f"/api/protection/referrals/{referral_id}").status_code == 404
    assert api(stranger).get("/api/protection/referrals").json() == []
    overdue = api(coordinator).get("/api/protection/referrals/overdue")
    assert overdue.status_code == 200
    openapi_check(overdue)
    assert api(screener).get("/api/protection/referrals/overdue").status_code == 403
    assert Referral.objects.get().status == "accepted"


def test_the_received_referrals_are_refused_to_another_role_and_the_refusal_audited(
    api: Callable[[User | None], Client],
    screener: User,
    register: Callable[..., Person],
    openapi_check: Callable[[Any], None],
) -> None:
    from hbm.audit.enums import AuditEvent
    from hbm.audit.models import AuditEntry

    register("LINA", "SALEH", sex=Sex.FEMALE, date_of_birth=None, estimated_age=12)
    before = AuditEntry.objects.count()

    response = api(screener).get("/api/protection/referrals")

    assert response.status_code == 403
    openapi_check(response)
    assert "SALEH" not in response.content.decode()
    written = [(e.event, e.actor, e.detail) for e in AuditEntry.objects.filter(seq__gt=before)]
    assert written == [(AuditEvent.ACCESS_REFUSED, screener, {"kind": "referrals", "id": "received"})]
