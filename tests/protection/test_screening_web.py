"""The screening pages: the questionnaire as a form with its guidance and skip logic, the flags it
raised, the suggested referrals confirmed (or not) by the officer, in English and Arabic; who may
open the pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from hbm.accounts.models import User
from hbm.core.time import now
from hbm.engines.screening import asked_questions, first_contact_screening
from hbm.protection.arrivals import local_day
from hbm.protection.enums import ReferralStatus
from hbm.protection.models import ProtectionFlag, ProtectionScreening, Referral
from hbm.registration.enums import Sex
from hbm.registration.models import Person

pytestmark = pytest.mark.django_db

ALONE = {"age_basis": "estimated", "age_years": "15", "child_accompanied_by": "alone"}


@pytest.fixture
def boy(register: Callable[..., Person]) -> Person:
    return register("OMAR", "HADDAD", sex=Sex.MALE, date_of_birth=None, estimated_age=15)


def _shown(person: Person, typed: dict[str, Any]) -> list[str]:
    engine = {k: int(v) if k == "age_years" else v for k, v in typed.items()}
    day = local_day(person.registered_at, now())
    return list(asked_questions(first_contact_screening(), engine, on=day))


def _record(client: Client, person: Person, typed: dict[str, Any]) -> Any:
    return client.post(
        f"/persons/{person.pk}/screening", {**typed, "shown": _shown(person, typed), "action": "record"}
    )


def test_the_form_asks_what_applies_with_its_guidance(
    api: Callable[[User | None], Client], screener: User, boy: Person
) -> None:
    client = api(screener)

    first = client.get(f"/persons/{boy.pk}/screening")
    content = first.content.decode()

    assert first.status_code == 200
    assert 'data-question="medical_danger_signs"' in content
    assert "Look before you ask." in content  # the interviewer's guidance, from the data file
    assert 'data-question="age_years"' not in content  # asked once the age's basis is known
    after = client.post(
        f"/persons/{boy.pk}/screening",
        {"age_basis": "estimated", "shown": _shown(boy, {}), "action": "update"},
    )
    assert 'data-question="age_years"' in after.content.decode()
    assert ProtectionScreening.objects.count() == 0


def test_recording_with_questions_not_yet_seen_asks_to_check_them_first(
    api: Callable[[User | None], Client], screener: User, boy: Person
) -> None:
    response = api(screener).post(
        f"/persons/{boy.pk}/screening", {**ALONE, "shown": _shown(boy, {}), "action": "record"}
    )

    assert response.status_code == 200
    assert 'data-question="child_accompanied_by"' in response.content.decode()
    assert ProtectionScreening.objects.count() == 0


def test_a_bad_answer_is_marked_on_its_question_and_nothing_is_recorded(
    api: Callable[[User | None], Client], screener: User, boy: Person
) -> None:
    typed = {"age_basis": "estimated", "age_years": "200"}

    response = _record(api(screener), boy, typed)

    assert response.status_code == 422
    assert 'id="field-age_years"' in response.content.decode()
    assert "field--invalid" in response.content.decode()
    assert ProtectionScreening.objects.count() == 0


def test_record_see_the_suggestion_and_confirm_it_with_consent(
    api: Callable[[User | None], Client], screener: User, boy: Person, child_desk: Any
) -> None:
    client = api(screener)

    recorded = _record(client, boy, ALONE)

    screening = ProtectionScreening.objects.get()
    assert recorded.status_code == 302
    assert recorded["Location"] == f"/screenings/{screening.pk}/"
    assert [f.code for f in ProtectionFlag.objects.all()] == ["SC-UC"]
    detail = client.get(recorded["Location"]).content.decode()
    assert 'data-testid="suggestion-child_protection"' in detail
    assert "Child protection desk" in detail
    assert 'data-testid="treated-as-child"' in detail
    assert Referral.objects.count() == 0  # nothing is sent until the officer confirms

    confirmed = client.post(
        f"/screenings/{screening.pk}/refer",
        {
            "suggestion": "child_protection",
            "child_protection-service": str(child_desk.pk),
            "child_protection-urgency": "high",
            "child_protection-reason": "First-contact screening: unaccompanied child.",
            "child_protection-flag": "SC-UC",
            "child_protection-shared_fields": ["names", "sex"],
            "child_protection-consent": "on",
            "child_protection-given_by": "guardian",
        },
    )

    assert confirmed.status_code == 302
    referral = Referral.objects.get()
    assert (referral.status, referral.screening_id, referral.service_id) == (
        ReferralStatus.SENT,
        screening.pk,
        child_desk.pk,
    )
    assert "suggestion-referred" in client.get(recorded["Location"]).content.decode()


def test_without_consent_the_confirmed_referral_waits_unsent(
    api: Callable[[User | None], Client], screener: User, boy: Person, child_desk: Any
) -> None:
    client = api(screener)
    _record(client, boy, ALONE)
    screening = ProtectionScreening.objects.get()

    client.post(
        f"/screenings/{screening.pk}/refer",
        {
            "suggestion": "child_protection",
            "child_protection-service": str(child_desk.pk),
            "child_protection-urgency": "high",
            "child_protection-reason": "Alone.",
            "child_protection-given_by": "person",
        },
    )
    missing_reason = client.post(
        f"/screenings/{screening.pk}/refer",
        {"suggestion": "child_protection", "child_protection-service": str(child_desk.pk)},
    )

    assert Referral.objects.get().status == ReferralStatus.PENDING
    assert missing_reason.status_code == 422
    assert Referral.objects.count() == 1


def test_the_form_in_arabic_reads_the_questionnaires_arabic(
    api: Callable[[User | None], Client], screener: User, boy: Person
) -> None:
    client = api(screener)
    client.cookies["django_language"] = "ar"

    content = client.get(f"/persons/{boy.pk}/screening").content.decode()

    assert '<html lang="ar" dir="rtl">' in content
    assert "هل تظهر على الشخص الآن أي علامة خطر؟" in content


@pytest.mark.parametrize(
    ("role", "posted", "form_status", "has_form"),
    [
        ("screening_officer", True, 200, True),
        ("coordinator", False, 200, False),
        ("border_officer", True, 404, False),
        ("caseworker", False, 404, False),
        ("health_officer", True, 404, False),
    ],
)
def test_who_opens_the_screening_pages(
    role: str,
    posted: bool,
    form_status: int,
    has_form: bool,
    api: Callable[[User | None], Client],
    make_user: Callable[..., User],
    screener: User,
    boy: Person,
) -> None:
    _record(api(screener), boy, ALONE)
    screening = ProtectionScreening.objects.get()
    client = api(make_user(role, posted=posted, username=f"w-{role}"))

    page = client.get(f"/persons/{boy.pk}/screening")
    detail = client.get(f"/screenings/{screening.pk}/")
    post = client.post(
        f"/persons/{boy.pk}/screening", {**ALONE, "shown": _shown(boy, ALONE), "action": "record"}
    )

    assert page.status_code == detail.status_code == form_status
    assert ('data-testid="screening-form"' in page.content.decode()) is has_form
    assert ProtectionScreening.objects.count() == (2 if has_form else 1)
    assert post.status_code in (302, 200, 404)


@pytest.mark.parametrize("role", ["border_officer", "caseworker", "health_officer", "planner"])
def test_a_refused_read_of_the_screenings_is_audited_once_and_shows_no_one(
    role: str,
    api: Callable[[User | None], Client],
    make_user: Callable[..., User],
    screener: User,
    boy: Person,
) -> None:
    from hbm.audit.enums import AuditEvent
    from hbm.audit.models import AuditEntry

    _record(api(screener), boy, ALONE)
    asking = make_user(role, username=f"r-{role}")
    before = AuditEntry.objects.count()

    response = api(asking).get(f"/persons/{boy.pk}/screening")

    assert response.status_code == 404
    assert 'data-testid="refused"' in response.content.decode()
    assert "HADDAD" not in response.content.decode()
    written = [(e.event, e.actor, e.detail) for e in AuditEntry.objects.filter(seq__gt=before)]
    assert written == [(AuditEvent.ACCESS_REFUSED, asking, {"kind": "screenings", "id": str(boy.pk)})]


def test_the_person_page_leads_to_the_screening(
    api: Callable[[User | None], Client], screener: User, boy: Person
) -> None:
    content = api(screener).get(f"/persons/{boy.pk}/").content.decode()

    assert f'href="/persons/{boy.pk}/screening"' in content


def test_anonymous_goes_to_sign_in(api: Callable[[User | None], Client], boy: Person) -> None:
    response = api(None).get(f"/persons/{boy.pk}/screening")

    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize("page", ["form", "detail"])
def test_every_input_is_labelled_and_ids_are_unique(
    page: str, api: Callable[[User | None], Client], screener: User, boy: Person, child_desk: Any
) -> None:
    from tests.web.markup import elements_of, unlabelled_fields

    client = api(screener)
    _record(client, boy, ALONE)
    screening = ProtectionScreening.objects.get()
    path = f"/persons/{boy.pk}/screening" if page == "form" else f"/screenings/{screening.pk}/"

    elements = elements_of(client.get(path).content.decode())

    ids = [e.get("id") for e in elements if e.get("id")]
    assert unlabelled_fields(elements) == []
    assert len(ids) == len(set(ids))
