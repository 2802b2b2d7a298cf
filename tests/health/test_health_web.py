"""The health pages: a keyboard-first screening form built from the checklist (in English, French and
Arabic), the positive step, the records and the daily report with its chart and tables."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hbm.accounts.models import User
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.core.context import Actor
from hbm.health.models import HealthRecord, ScreeningCount
from hbm.protection.enums import ReferralStatus
from hbm.registration.enums import Relationship
from hbm.registration.models import Person
from hbm.registration.services import EncounterData, group_preregister
from tests.conftest import client_for
from tests.health.conftest import EBOLA, NEGATIVE

pytestmark = pytest.mark.django_db


def _screen_post(client: Any, point: Any, **answers: Any) -> Any:
    data = {"step": "screen", "crossing_point": str(point.pk), "temperature_unit": "C", **answers}
    return client.post("/health/screen", data)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Have you been coughing for two weeks or more?", "Night sweats", "Screen"]),
        ("fr", ["Toussez-vous depuis deux semaines ou plus ?", "Sueurs nocturnes", "Dépister"]),
        ("ar", ["هل تسعل منذ أسبوعين أو أكثر؟", "تعرّق ليلي", 'dir="rtl"']),
    ],
)
def test_the_form_is_the_checklist_in_the_officers_language(
    health_officer: User, language: str, words: list[str]
) -> None:
    response = client_for(health_officer).get("/health/screen", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    body = response.content.decode()
    for word in words:
        assert word in body
    assert 'name="temperature"' in body
    assert "autofocus" in body


def test_a_negative_is_counted_and_the_form_is_ready_again(health_officer: User, crossing_point: Any) -> None:
    response = _screen_post(
        client_for(health_officer), crossing_point, temperature="36.9", q_fever_reported="no"
    )
    assert response.status_code == 302
    assert response["Location"] == "/health/screen"
    assert list(ScreeningCount.objects.values_list("negative", "positive")) == [(1, 0)]
    assert HealthRecord.objects.count() == 0


def test_a_temperature_out_of_bounds_is_refused_in_its_unit(
    health_officer: User, crossing_point: Any
) -> None:
    response = _screen_post(client_for(health_officer), crossing_point, temperature="120")
    assert response.status_code == 422
    assert "°C" in response.content.decode()
    response = client_for(health_officer).post(
        "/health/screen",
        {
            "step": "screen",
            "crossing_point": str(crossing_point.pk),
            "temperature_unit": "F",
            "temperature": "50",
        },
    )
    assert response.status_code == 422
    assert "86 and 113 °F" in response.content.decode()
    assert ScreeningCount.objects.count() == 0


def test_a_fever_in_fahrenheit_asks_for_the_person_then_saves_the_record(
    health_officer: User, crossing_point: Any, traveller: Person, clinic: Any, isolation_ward: Any
) -> None:
    client = client_for(health_officer)
    # 100.4 °F is 38.0 °C: a fever without other signs, a medical referral
    response = client.post(
        "/health/screen",
        {
            "step": "screen",
            "crossing_point": str(crossing_point.pk),
            "temperature_unit": "F",
            "temperature": "100.4",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Fever (no signs of the listed diseases)" in body
    assert ScreeningCount.objects.count() == 0  # nothing written before the person is known
    answers_json = response.context["form"]["answers_json"].value()
    saved = client.post(
        "/health/screen",
        {
            "step": "refer",
            "answers_json": answers_json,
            "crossing_point": str(crossing_point.pk),
            "token": str(traveller.pk),
            "service": str(clinic.pk),
            "consent_given": "on",
            "given_by": "person",
        },
    )
    record = HealthRecord.objects.get()
    assert saved.status_code == 302
    assert saved["Location"] == f"/health/records/{record.pk}/"
    assert record.temperature_c == 38.0
    assert record.referral is not None
    assert record.referral.status == ReferralStatus.SENT
    page = client.get(saved["Location"])
    assert page.status_code == 200
    assert "Border clinic" in page.content.decode()


def test_a_wristband_token_finds_the_group_member(
    health_officer: User,
    actor: Actor,
    crossing_point: Any,
    isolation_ward: Any,
    register: Callable[..., Person],
) -> None:
    group = group_preregister(
        actor=actor,
        crossing_point_id=crossing_point.pk,
        size=1,
        head_name="Nadia Karim",
        nationality="SYR",
        data=EncounterData(),
    )
    member = register("Nadia", "Karim", group_token=group.token, relationship=Relationship.HEAD)
    import json

    response = client_for(health_officer).post(
        "/health/screen",
        {
            "step": "refer",
            "answers_json": json.dumps(EBOLA),
            "crossing_point": str(crossing_point.pk),
            "token": group.token,
            "service": str(isolation_ward.pk),
            "given_by": "person",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert HealthRecord.objects.get().person_id == member.pk


def test_an_unknown_token_is_an_error_on_the_token(
    health_officer: User, crossing_point: Any, isolation_ward: Any
) -> None:
    import json

    response = client_for(health_officer).post(
        "/health/screen",
        {
            "step": "refer",
            "answers_json": json.dumps(EBOLA),
            "crossing_point": str(crossing_point.pk),
            "token": "ABCD-EFGH-J",
            "service": str(isolation_ward.pk),
            "given_by": "person",
        },
    )
    assert response.status_code == 422
    assert "No such group at this crossing point." in response.content.decode()
    assert HealthRecord.objects.count() == 0


@pytest.mark.parametrize("role", ["border_officer", "screening_officer", "coordinator", "caseworker"])
def test_other_roles_have_no_health_pages(
    make_user: Callable[..., User],
    screen: Callable[..., Any],
    traveller: Person,
    isolation_ward: Any,
    role: str,
) -> None:
    record = screen(EBOLA, person=traveller, service=isolation_ward).record
    user = make_user(role)
    client = client_for(user)
    before = AuditEntry.objects.count()
    assert client.get("/health/screen").status_code == 403  # a write form: refused, not recorded
    assert AuditEntry.objects.count() == before
    assert client.get(f"/health/records/{record.pk}/").status_code == 404
    assert client.post(f"/health/records/{record.pk}/consent").status_code == 404
    assert "nav-health-records" not in client.get("/").content.decode()

    # the list is refused for the role, as through the API: one access.refused entry, no person
    before = AuditEntry.objects.count()
    listing = client.get("/health/records/")
    assert listing.status_code == 403
    assert traveller.surname_latin not in listing.content.decode()
    assert [(e.event, e.actor, e.detail) for e in AuditEntry.objects.filter(seq__gt=before)] == [
        (AuditEvent.ACCESS_REFUSED, user, {"kind": "health_records", "id": "list"})
    ]


def test_records_list_and_page_for_the_health_officer(
    health_officer: User, screen: Callable[..., Any], traveller: Person, isolation_ward: Any
) -> None:
    record = screen(EBOLA, person=traveller, service=isolation_ward).record
    client = client_for(health_officer)
    listing = client.get("/health/records/").content.decode()
    assert f"health-record-{record.pk}" in listing
    assert "Ebola or another viral haemorrhagic fever" in listing
    page = client.get(f"/health/records/{record.pk}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Isolation ward" in page
    assert "Au cours des 21 derniers jours" in page  # the question, in French, from the checklist
    assert "38,6" in page or "38.6" in page


def test_the_report_for_a_health_officer_is_exact_with_a_chart(
    health_officer: User,
    crossing_point: Any,
    screen: Callable[..., Any],
    traveller: Person,
    isolation_ward: Any,
) -> None:
    screen(NEGATIVE)
    screen(NEGATIVE)
    screen(EBOLA, person=traveller, service=isolation_ward)
    response = client_for(health_officer).get(f"/health/report/{crossing_point.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body
    assert 'data-testid="screened-total">3<' in body
    assert 'data-testid="positive-total">1<' in body
    assert "positive-bar-" in body
    assert "Ebola or another viral haemorrhagic fever" in body
    assert "data-print" in body


def test_the_report_for_a_coordinator_hides_small_cells(
    coordinator: User, crossing_point: Any, screen: Callable[..., Any], traveller: Person, isolation_ward: Any
) -> None:
    screen(NEGATIVE)
    screen(EBOLA, person=traveller, service=isolation_ward)
    response = client_for(coordinator).get(f"/health/report/{crossing_point.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="screened-total">2<' in body
    assert 'data-testid="positive-total">&lt;5<' in body
    assert 'data-testid="negative-total">—<' in body
    assert "positive-bar-" not in body
    assert 'data-testid="small-cells"' in body


def test_a_border_officer_has_no_report(officer: User, crossing_point: Any) -> None:
    assert client_for(officer).get(f"/health/report/{crossing_point.pk}/").status_code == 403
    before = AuditEntry.objects.count()
    assert client_for(officer).get("/health/report/").status_code == 403
    assert AuditEntry.objects.count() == before  # counts only: not a personal data read
