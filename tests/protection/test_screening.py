"""Protection screening: answers checked by the engine, flags stored with the questionnaire that
raised them, quick flags kept consistent, suggestions from the pathways confirmed through consent and
referral; who may screen and who may read a screening, a refused read leaving only its audit entry."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from hbm.accounts.models import User
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.core.context import Actor
from hbm.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hbm.engines.screening import first_contact_screening
from hbm.protection.enums import ConsentGivenBy, ReferralStatus, Urgency
from hbm.protection.models import ProtectionFlag, ProtectionScreening, Referral
from hbm.protection.referrals import ConsentData, ReferralData, referral_make
from hbm.protection.screening import (
    access_person_screenings,
    access_screening,
    screening_flags,
    screening_record,
    screening_suggestions,
)
from hbm.registration.enums import Sex, SpecificNeed
from hbm.registration.models import Person

pytestmark = pytest.mark.django_db

ALONE_AT_15 = {"age_basis": "estimated", "age_years": 15, "child_accompanied_by": "alone"}
ADULT_WOMAN = {
    "age_basis": "document",
    "birth_date": "1990-01-01",
    "sex": "female",
    "pregnant": True,
    "wishes_asylum": True,
    "trafficking_indicators": ["documents_held_by_other", "movement_controlled", "debt"],
}


@pytest.fixture
def boy(register: Callable[..., Person]) -> Person:
    return register("OMAR", "HADDAD", sex=Sex.MALE, date_of_birth=None, estimated_age=15)


@pytest.fixture
def woman(register: Callable[..., Person]) -> Person:
    return register("LEILA", "NASSER", sex=Sex.FEMALE)


def _events(event: AuditEvent) -> int:
    return AuditEntry.objects.filter(event=event).count()


def test_a_child_alone_is_flagged_with_the_questionnaire_that_raised_it(
    screener_actor: Actor, boy: Person
) -> None:
    screening = screening_record(actor=screener_actor, person_id=boy.pk, answers=ALONE_AT_15)

    questionnaire = first_contact_screening()
    stored = ProtectionScreening.objects.get(pk=screening.pk)
    assert (stored.questionnaire_id, stored.questionnaire_version, stored.questionnaire_digest) == (
        "first-contact-protection",
        1,
        questionnaire.digest,
    )
    assert stored.answers == ALONE_AT_15
    assert (stored.treated_as_child, stored.age_in_doubt, stored.urgency) == (True, True, "high")
    assert [(f.code, f.category, f.concern, f.urgency) for f in ProtectionFlag.objects.all()] == [
        ("SC-UC", "SC", "uasc", "high")
    ]
    flag = ProtectionFlag.objects.get()
    assert (flag.person_id, flag.crossing_point_id, flag.day) == (boy.pk, boy.registered_at_id, stored.day)
    audit = AuditEntry.objects.get(event=AuditEvent.SCREENING_RECORDED)
    assert audit.subject_id == str(screening.pk)
    assert audit.detail == {
        "person": str(boy.pk),
        "questionnaire": "first-contact-protection",
        "version": 1,
        "flags": 1,
        "quick_flags_added": 1,
    }


def test_the_answers_are_encrypted_at_rest(screener_actor: Actor, boy: Person) -> None:
    screening = screening_record(actor=screener_actor, person_id=boy.pk, answers=ALONE_AT_15)

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT answers FROM {ProtectionScreening._meta.db_table} WHERE id = %s",  # noqa: S608
            [screening.pk.hex if connection.vendor == "sqlite" else screening.pk],
        )
        (raw,) = cursor.fetchone()
    assert b"alone" not in bytes(raw)
    assert b"child_accompanied_by" not in bytes(raw)


def test_screening_adds_quick_flags_and_never_removes_one(
    screener_actor: Actor, register: Callable[..., Person]
) -> None:
    person = register("SARA", "ALI", sex=Sex.FEMALE, specific_needs=(SpecificNeed.DISABILITY,))
    version = Person.objects.get(pk=person.pk).version

    screening_record(actor=screener_actor, person_id=person.pk, answers=ADULT_WOMAN)
    screening_record(
        actor=screener_actor, person_id=person.pk, answers={"age_basis": "stated", "age_years": 36}
    )

    updated = Person.objects.get(pk=person.pk)
    # The pregnancy is copied to registration; the trafficking indicators she disclosed are not:
    # border officers read registration (need to know).
    assert updated.specific_needs == ["disability", "pregnant_or_lactating"]
    assert set(ProtectionFlag.objects.filter(person=person).values_list("concern", flat=True)) >= {
        "trafficking",
        "pregnancy",
    }
    assert updated.version == version + 1  # the second screening added nothing


def test_bad_answers_are_refused_per_question_and_nothing_is_written(
    screener_actor: Actor, boy: Person
) -> None:
    before = _events(AuditEvent.SCREENING_RECORDED)

    with pytest.raises(ValidationFailed) as refused:
        screening_record(
            actor=screener_actor,
            person_id=boy.pk,
            answers={"age_basis": "sometimes", "pregnant": "perhaps", "nonsense": 1},
        )
    with pytest.raises(ValidationFailed) as bad_date:
        screening_record(
            actor=screener_actor,
            person_id=boy.pk,
            answers={"age_basis": "document", "birth_date": "31/12/09"},
        )

    assert set(refused.value.fields) >= {"answers.age_basis", "answers.nonsense"}
    assert bad_date.value.fields == {"answers.birth_date": ["write the date as YYYY-MM-DD"]}
    assert (ProtectionScreening.objects.count(), ProtectionFlag.objects.count()) == (0, 0)
    assert _events(AuditEvent.SCREENING_RECORDED) == before
    assert Person.objects.get(pk=boy.pk).specific_needs is None


@pytest.mark.parametrize("role", ["border_officer", "coordinator", "health_officer", "caseworker", "auditor"])
def test_only_screening_officers_screen(role: str, make_user: Callable[..., User], boy: Person) -> None:
    actor = Actor(user=make_user(role, username=f"u-{role}"), device="test")

    with pytest.raises(PermissionDenied):
        screening_record(actor=actor, person_id=boy.pk, answers=ALONE_AT_15)

    assert ProtectionScreening.objects.count() == 0
    assert _events(AuditEvent.SCREENING_RECORDED) == 0


def test_a_screener_posted_elsewhere_does_not_find_the_person(
    make_user: Callable[..., User], other_crossing_point: Any, boy: Person
) -> None:
    elsewhere = make_user("screening_officer", posted=False, username="elsewhere")
    other_crossing_point.staff.add(elsewhere)

    with pytest.raises(NotFound):
        screening_record(actor=Actor(user=elsewhere, device="t"), person_id=boy.pk, answers=ALONE_AT_15)
    assert ProtectionScreening.objects.count() == 0


def test_a_device_retry_with_the_same_id_returns_the_first_screening(
    screener_actor: Actor, boy: Person, woman: Person
) -> None:
    key = uuid.uuid4()

    first = screening_record(actor=screener_actor, person_id=boy.pk, answers=ALONE_AT_15, screening_id=key)
    again = screening_record(actor=screener_actor, person_id=boy.pk, answers=ALONE_AT_15, screening_id=key)

    assert (first.pk, again.pk) == (key, key)
    assert (ProtectionScreening.objects.count(), ProtectionFlag.objects.count()) == (1, 1)
    with pytest.raises(Conflict):
        screening_record(actor=screener_actor, person_id=woman.pk, answers=ADULT_WOMAN, screening_id=key)


# --- who reads a screening ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["screening_officer", "coordinator"])
def test_screeners_and_coordinators_read_a_screening_and_the_read_is_audited(
    role: str, make_user: Callable[..., User], screener_actor: Actor, boy: Person
) -> None:
    screening = screening_record(actor=screener_actor, person_id=boy.pk, answers=ALONE_AT_15)
    reader = Actor(user=make_user(role, username=f"r-{role}", posted=role != "coordinator"), device="t")

    found = access_screening(actor=reader, screening_id=screening.pk)
    person, listed = access_person_screenings(actor=reader, person_id=boy.pk)

    assert found.pk == screening.pk
    assert (person.pk, [s.pk for s in listed]) == (boy.pk, [screening.pk])
    assert [(f.code, f.urgency) for f in screening_flags(screening=found)] == [("SC-UC", "high")]
    viewed = AuditEntry.objects.filter(event=AuditEvent.SCREENING_VIEWED, actor=reader.user)
    assert viewed.count() == 2


@pytest.mark.parametrize(
    ("role", "posted"),
    [
        ("border_officer", True),
        ("health_officer", True),
        ("caseworker", False),
        ("reception_manager", False),
        ("auditor", False),
        ("screening_officer", False),
    ],
)
def test_others_are_refused_and_leave_only_an_access_refused_entry(
    role: str, posted: bool, make_user: Callable[..., User], screener_actor: Actor, boy: Person
) -> None:
    screening = screening_record(actor=screener_actor, person_id=boy.pk, answers=ALONE_AT_15)
    reader = Actor(user=make_user(role, username=f"r-{role}", posted=posted), device="t")
    seq = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first()

    with pytest.raises(NotFound):
        access_screening(actor=reader, screening_id=screening.pk)
    with pytest.raises(NotFound):
        access_person_screenings(actor=reader, person_id=boy.pk)

    written = list(AuditEntry.objects.filter(seq__gt=seq).values_list("event", "detail"))
    assert written == [
        (AuditEvent.ACCESS_REFUSED.value, {"kind": "screening", "id": str(screening.pk)}),
        (AuditEvent.ACCESS_REFUSED.value, {"kind": "screenings", "id": str(boy.pk)}),
    ]


# --- suggested referrals, confirmed by the officer ------------------------------------------------------


def test_suggestions_name_the_services_serving_the_point_and_nothing_is_sent_until_confirmed(
    screener_actor: Actor, boy: Person, child_desk: Any, child_protection_ngo: Any
) -> None:
    screening = screening_record(actor=screener_actor, person_id=boy.pk, answers=ALONE_AT_15)

    suggestions = screening_suggestions(screening=screening)

    assert [(s.service_type, s.suggested.urgency.value, s.suggested.flags) for s in suggestions] == [
        ("child_protection", "high", ("SC-UC",))
    ]
    assert [svc.pk for svc in suggestions[0].services] == [child_desk.pk]
    assert Referral.objects.count() == 0

    referral = referral_make(
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

    assert (referral.status, referral.screening_id, referral.day) == (
        ReferralStatus.SENT,
        screening.pk,
        screening.day,
    )
    assert referral.arrived_at is not None
    assert [r.pk for r in screening_suggestions(screening=screening)[0].referrals] == [referral.pk]


def test_a_referral_cannot_name_another_persons_screening(
    screener_actor: Actor, boy: Person, woman: Person, child_desk: Any
) -> None:
    screening = screening_record(actor=screener_actor, person_id=boy.pk, answers=ALONE_AT_15)

    with pytest.raises(ValidationFailed) as refused:
        referral_make(
            actor=screener_actor,
            person_id=woman.pk,
            data=ReferralData(
                service_id=child_desk.pk, urgency=Urgency.HIGH, reason="x", screening_id=screening.pk
            ),
            consent=None,
        )
    assert refused.value.fields == {"screening_id": ["no such screening of this person"]}
    assert Referral.objects.count() == 0
