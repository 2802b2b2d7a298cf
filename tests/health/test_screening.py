"""Health screening at a point of entry: a negative one is only counted, a positive one is a health
record with an isolation or medical referral, all or nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.core.context import Actor
from hbm.core.errors import PermissionDenied, ValidationFailed
from hbm.engines.screening import poe_health_checklist
from hbm.health.enums import HealthAction, LegalBasis
from hbm.health.models import HealthRecord, ScreeningCount, SuspectedCount
from hbm.health.services import health_referral_consent, health_screen
from hbm.protection.enums import ReferralStatus
from hbm.protection.models import Consent, Referral
from hbm.registration.models import Person
from tests.health.conftest import EBOLA, NEGATIVE, TUBERCULOSIS

pytestmark = pytest.mark.django_db


def _rows_mentioning(value: str) -> dict[str, int]:
    """How many rows of each table contain ``value`` in any column, as text (encrypted columns are
    opaque, so a person's id stored in one would still show in its plain foreign key)."""
    found: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the schema
            rows = sum(
                1
                for row in cursor.fetchall()
                if any(value in str(cell) or value.replace("-", "") in str(cell) for cell in row)
            )
            if rows:
                found[table] = rows
    return found


def test_a_negative_screening_is_a_count_and_nothing_names_the_person(
    screen: Callable[..., Any], traveller: Person
) -> None:
    # given the rows that already name the traveller (registration, its audit entries)
    before = _rows_mentioning(str(traveller.pk))
    assert "registration_person" in before
    last_seq = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first()
    # when the traveller is screened negative, even with their id given
    result = screen(NEGATIVE, person=traveller)
    # then it is counted, and no new row anywhere mentions the person
    assert not result.is_positive
    assert result.record is None
    assert result.referral is None
    count = ScreeningCount.objects.get()
    assert (count.negative, count.positive, count.checklist_id, count.checklist_version) == (
        1,
        0,
        "poe-health",
        1,
    )
    assert _rows_mentioning(str(traveller.pk)) == before
    assert HealthRecord.objects.count() == 0
    # and the only audit entry is an aggregate count, not a person read
    new = list(AuditEntry.objects.filter(seq__gt=last_seq))
    assert [e.event for e in new] == [AuditEvent.HEALTH_SCREENINGS_COUNTED]
    assert new[0].subject_type == "health.screeningcount"
    assert str(traveller.pk) not in json.dumps(new[0].detail)
    assert new[0].detail["outcome"] == "negative"
    assert new[0].detail["added"] == 1


def test_negatives_of_one_hour_add_up_in_one_row(screen: Callable[..., Any]) -> None:
    for _ in range(3):
        screen(NEGATIVE)
    assert list(ScreeningCount.objects.values_list("negative", "positive")) == [(3, 0)]


def test_an_isolation_case_is_recorded_and_referred_under_public_health_law(
    screen: Callable[..., Any], traveller: Person, isolation_ward: Any
) -> None:
    result = screen(EBOLA, person=traveller, service=isolation_ward)
    record = HealthRecord.objects.get()
    assert result.record == record
    assert (record.person_id, record.action, record.urgency) == (
        traveller.pk,
        HealthAction.ISOLATE,
        "life_threatening",
    )
    assert record.legal_basis == LegalBasis.PUBLIC_HEALTH_LAW
    assert record.suspected == [{"disease": "ebola_vhf", "action": "isolate", "urgency": "life_threatening"}]
    assert record.temperature_c == 38.6
    assert record.answers == {
        "temperature_c": 38.6,
        "vhf_contact_21_days": True,
    }
    assert record.checklist_digest == poe_health_checklist().digest
    # the referral is sent at once without a consent record, sharing only who the person is
    referral = Referral.objects.get()
    assert record.referral == referral
    assert (referral.status, referral.flag, referral.consent_id) == (ReferralStatus.SENT, "poe-health", None)
    assert referral.shared_fields == ["date_of_birth", "names", "sex"]
    assert Consent.objects.count() == 0
    assert list(ScreeningCount.objects.values_list("negative", "positive")) == [(0, 1)]
    assert list(SuspectedCount.objects.values_list("disease", "count")) == [("ebola_vhf", 1)]
    assert AuditEvent.HEALTH_RECORD_CREATED in set(AuditEntry.objects.values_list("event", flat=True))


def test_health_data_is_encrypted_at_rest(
    screen: Callable[..., Any], traveller: Person, isolation_ward: Any
) -> None:
    screen(EBOLA, person=traveller, service=isolation_ward)
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers, temperature_c, suspected FROM health_healthrecord")
        row = cursor.fetchone()
    stored = b"".join(bytes(cell) for cell in row)
    for plain in (b"vhf_contact", b"38.6", b"ebola"):
        assert plain not in stored


def test_a_medical_referral_waits_for_consent_then_is_sent(
    screen: Callable[..., Any], traveller: Person, clinic: Any, health_actor: Actor
) -> None:
    result = screen(TUBERCULOSIS, person=traveller, service=clinic)
    assert result.record.legal_basis == LegalBasis.CONSENT
    assert result.record.action == HealthAction.REFER
    assert result.referral.status == ReferralStatus.PENDING  # nothing shared without consent
    sent = health_referral_consent(actor=health_actor, record=result.record)
    assert sent.status == ReferralStatus.SENT
    assert sent.consent is not None
    assert sent.consent.recipient_id == clinic.organisation_id


def test_a_medical_referral_with_consent_is_sent_at_once(
    screen: Callable[..., Any], traveller: Person, clinic: Any
) -> None:
    result = screen(TUBERCULOSIS, person=traveller, service=clinic, consent_given=True)
    assert result.referral.status == ReferralStatus.SENT
    assert Consent.objects.get().recorded_by_id == result.record.recorded_by_id


def test_an_isolation_case_cannot_go_to_a_clinic(
    screen: Callable[..., Any], traveller: Person, clinic: Any
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        screen(EBOLA, person=traveller, service=clinic, consent_given=True)
    assert "service_id" in refused.value.fields
    assert (HealthRecord.objects.count(), Referral.objects.count(), ScreeningCount.objects.count()) == (
        0,
        0,
        0,
    )


def test_a_positive_screening_needs_the_person_and_writes_nothing_without(
    screen: Callable[..., Any], isolation_ward: Any
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        screen(EBOLA, service=isolation_ward)
    assert list(refused.value.fields) == ["person_id"]
    assert (ScreeningCount.objects.count(), HealthRecord.objects.count()) == (0, 0)


def test_a_person_met_elsewhere_is_not_found(
    screen: Callable[..., Any], isolation_ward: Any, other_crossing_point: Any, officer: Any
) -> None:
    from tests.factories import UserFactory

    other_officer = UserFactory(role="border_officer", organisation=officer.organisation)
    other_crossing_point.staff.add(other_officer)
    from datetime import date

    from hbm.registration.services import IndividualData, person_register

    person = person_register(
        actor=Actor(user=other_officer),
        crossing_point_id=other_crossing_point.pk,
        data=IndividualData(
            given_names_latin="Omar",
            surname_latin="Said",
            sex="M",
            nationality="SYR",
            date_of_birth=date(1980, 1, 1),
        ),
    )
    with pytest.raises(ValidationFailed) as refused:
        screen(EBOLA, person=person, service=isolation_ward)
    assert list(refused.value.fields) == ["person_id"]
    assert HealthRecord.objects.count() == 0


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"temperature_c": 51}, "answers.temperature_c"),
        ({"fever_reported": False}, "answers.temperature_c"),
        ({"temperature_c": 37, "favourite_colour": "red"}, "answers.favourite_colour"),
        ({"temperature_c": 37, "cough_two_weeks": True}, "answers.cough_two_weeks"),  # not asked
    ],
)
def test_answers_that_do_not_fit_are_refused_by_question(
    screen: Callable[..., Any], answers: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        screen(answers)
    assert field in refused.value.fields
    assert ScreeningCount.objects.count() == 0


@pytest.mark.parametrize(
    "role", ["border_officer", "screening_officer", "caseworker", "coordinator", "admin"]
)
def test_only_health_officers_screen(make_user: Callable[..., Any], crossing_point: Any, role: str) -> None:
    user = make_user(role)
    with pytest.raises(PermissionDenied):
        health_screen(actor=Actor(user=user), crossing_point_id=crossing_point.pk, answers=NEGATIVE)
    assert ScreeningCount.objects.count() == 0


def test_a_health_officer_screens_only_where_posted(
    make_user: Callable[..., Any], crossing_point: Any, health_authority: Any
) -> None:
    elsewhere = make_user("health_officer", posted=False, organisation=health_authority)
    with pytest.raises(PermissionDenied):
        health_screen(actor=Actor(user=elsewhere), crossing_point_id=crossing_point.pk, answers=NEGATIVE)
    assert ScreeningCount.objects.count() == 0


def test_a_screening_recorded_afterwards_counts_in_its_own_hour_but_not_in_the_future(
    health_actor: Actor, crossing_point: Any
) -> None:
    from datetime import timedelta

    from hbm.core.time import now

    earlier = now() - timedelta(hours=5)
    health_screen(actor=health_actor, crossing_point_id=crossing_point.pk, answers=NEGATIVE, at=earlier)
    count = ScreeningCount.objects.get()
    assert (count.day, count.hour) == (earlier.date(), earlier.hour)  # the fixture's point is on UTC
    with pytest.raises(ValidationFailed) as refused:
        health_screen(
            actor=health_actor,
            crossing_point_id=crossing_point.pk,
            answers=NEGATIVE,
            at=now() + timedelta(hours=1),
        )
    assert list(refused.value.fields) == ["screened_at"]
    assert ScreeningCount.objects.get().negative == 1
