"""The health API end to end, every response checked against the committed OpenAPI document, and one
permission test per endpoint: anonymous, another organisation, a wrong role, the right role —
nothing written when refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from hbm.accounts.models import User
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.health.models import HealthRecord, ScreeningCount
from hbm.protection.enums import ReferralStatus
from hbm.protection.models import Consent, Referral
from hbm.registration.models import Person
from tests.conftest import client_for
from tests.factories import OrganisationFactory
from tests.health.conftest import EBOLA, NEGATIVE, TUBERCULOSIS

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def users(
    make_user: Callable[..., User], health_officer: User, coordinator: User, health_authority: Any
) -> dict[str, User | None]:
    """Who calls: nobody, a health officer of another organisation posted elsewhere, a border
    officer posted at the crossing point, and the posted health officer."""
    ngo = OrganisationFactory(name="Other health NGO", kind="ngo")
    return {
        "anonymous": None,
        "other_organisation": make_user("health_officer", posted=False, organisation=ngo),
        "wrong_role": make_user("border_officer"),
        "right_role": health_officer,
    }


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, body, content_type=JSON)


def _writes() -> tuple[int, int, int, int]:
    return (
        ScreeningCount.objects.count(),
        HealthRecord.objects.count(),
        Referral.objects.count(),
        Consent.objects.count(),
    )


def test_screen_negative_then_positive_and_read_the_record(
    health_officer: User,
    crossing_point: Any,
    traveller: Person,
    isolation_ward: Any,
    openapi_check: Callable[[Any], None],
) -> None:
    client = client_for(health_officer)
    checklist = client.get("/api/health/checklist")
    openapi_check(checklist)
    assert checklist.json()["id"] == "poe-health"
    assert "temperature_c" in [q["id"] for q in checklist.json()["questions"]]

    negative = _post(
        client, "/api/health/screenings", {"crossing_point_id": str(crossing_point.pk), "answers": NEGATIVE}
    )
    assert negative.status_code == 201
    openapi_check(negative)
    assert negative.json()["outcome"] == "negative"
    assert negative.json()["health_record_id"] is None

    body = {"crossing_point_id": str(crossing_point.pk), "answers": EBOLA}
    needs_person = _post(client, "/api/health/screenings", body)
    assert needs_person.status_code == 422
    openapi_check(needs_person)
    assert list(needs_person.json()["fields"]) == ["person_id"]

    positive = _post(
        client,
        "/api/health/screenings",
        {**body, "person_id": str(traveller.pk), "service_id": str(isolation_ward.pk)},
    )
    assert positive.status_code == 201, positive.content
    openapi_check(positive)
    out = positive.json()
    assert (out["outcome"], out["action"], out["urgency"]) == ("positive", "isolate", "life_threatening")
    assert [s["disease"] for s in out["suspected"]] == ["ebola_vhf"]
    assert (out["referral_status"], out["legal_basis"]) == ("sent", "public_health_law")

    listed = client.get("/api/health/records", {"crossing_point_id": str(crossing_point.pk)})
    openapi_check(listed)
    assert [r["id"] for r in listed.json()] == [out["health_record_id"]]
    record = client.get(f"/api/health/records/{out['health_record_id']}")
    openapi_check(record)
    assert record.json()["temperature_c"] == 38.6
    assert record.json()["person"]["surname_latin"] == "Haddad"
    assert record.json()["referral"]["service_name"] == "Isolation ward"


def test_bad_input_is_refused_by_field_and_writes_nothing(
    health_officer: User, crossing_point: Any, openapi_check: Callable[[Any], None]
) -> None:
    client = client_for(health_officer)
    for body, field in [
        ({"crossing_point_id": str(crossing_point.pk), "answers": NEGATIVE, "colour": "red"}, "colour"),
        (
            {"crossing_point_id": str(crossing_point.pk), "answers": {"temperature_c": 60}},
            "answers.temperature_c",
        ),
        ({"crossing_point_id": str(crossing_point.pk), "answers": {"symptoms": "cough"}}, "answers.symptoms"),
        ({"answers": NEGATIVE}, "crossing_point_id"),
    ]:
        response = _post(client, "/api/health/screenings", body)
        assert response.status_code == 422, body
        openapi_check(response)
        assert field in response.json()["fields"], response.json()
    assert _writes() == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("other_organisation", 403), ("wrong_role", 403), ("right_role", 201)],
)
def test_permission_to_record_a_screening(
    users: dict[str, User | None],
    crossing_point: Any,
    traveller: Person,
    isolation_ward: Any,
    who: str,
    status: int,
    openapi_check: Callable[[Any], None],
) -> None:
    body = {
        "crossing_point_id": str(crossing_point.pk),
        "answers": EBOLA,
        "person_id": str(traveller.pk),
        "service_id": str(isolation_ward.pk),
    }
    response = _post(client_for(users[who]), "/api/health/screenings", body)
    assert response.status_code == status
    openapi_check(response)
    assert _writes() == ((1, 1, 1, 0) if status == 201 else (0, 0, 0, 0))


@pytest.fixture
def pending_record(screen: Callable[..., Any], traveller: Person, clinic: Any) -> HealthRecord:
    record: HealthRecord = screen(TUBERCULOSIS, person=traveller, service=clinic).record
    return record


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("other_organisation", 404), ("wrong_role", 404), ("right_role", 200)],
)
def test_permission_to_read_a_record_and_the_list(
    users: dict[str, User | None],
    pending_record: HealthRecord,
    who: str,
    status: int,
    openapi_check: Callable[[Any], None],
) -> None:
    client = client_for(users[who])
    last = AuditEntry.objects.order_by("-seq").first()
    assert last is not None
    response = client.get(f"/api/health/records/{pending_record.pk}")
    assert response.status_code == status
    openapi_check(response)
    events = list(AuditEntry.objects.filter(seq__gt=last.seq).values_list("event", flat=True))
    expected = {401: [], 404: [AuditEvent.ACCESS_REFUSED], 200: [AuditEvent.HEALTH_RECORD_VIEWED]}
    assert events == expected[status]

    listed = client.get("/api/health/records")
    openapi_check(listed)
    list_status = {"anonymous": 401, "other_organisation": 200, "wrong_role": 403, "right_role": 200}[who]
    assert listed.status_code == list_status
    if list_status == 200:
        assert len(listed.json()) == (1 if who == "right_role" else 0)


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("other_organisation", 404), ("wrong_role", 404), ("right_role", 200)],
)
def test_permission_to_send_a_referral_with_consent(
    users: dict[str, User | None],
    pending_record: HealthRecord,
    who: str,
    status: int,
    openapi_check: Callable[[Any], None],
) -> None:
    response = _post(client_for(users[who]), f"/api/health/records/{pending_record.pk}/consent", {})
    assert response.status_code == status
    openapi_check(response)
    referral = Referral.objects.get()
    if status == 200:
        assert response.json()["referral"]["status"] == "sent"
        assert referral.status == ReferralStatus.SENT
        assert Consent.objects.count() == 1
    else:
        assert referral.status == ReferralStatus.PENDING
        assert Consent.objects.count() == 0


def test_consent_twice_is_refused(
    health_officer: User, pending_record: HealthRecord, openapi_check: Callable[[Any], None]
) -> None:
    client = client_for(health_officer)
    assert _post(client, f"/api/health/records/{pending_record.pk}/consent", {}).status_code == 200
    again = _post(client, f"/api/health/records/{pending_record.pk}/consent", {"given_by": "guardian"})
    assert again.status_code == 404
    openapi_check(again)
    assert Consent.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 401),
        ("other_organisation", 403),
        ("wrong_role", 403),
        ("right_role", 200),
        ("coordinator", 200),
    ],
)
def test_permission_to_read_the_daily_report(
    users: dict[str, User | None],
    coordinator: User,
    crossing_point: Any,
    screen: Callable[..., Any],
    who: str,
    status: int,
    openapi_check: Callable[[Any], None],
) -> None:
    screen(NEGATIVE)
    user = coordinator if who == "coordinator" else users[who]
    response = client_for(user).get(f"/api/health/crossing-points/{crossing_point.pk}/report")
    assert response.status_code == status
    openapi_check(response)
    if status == 200:
        report = response.json()
        assert report["screened"] == 1
        assert report["is_exact"] is (who == "right_role")
        assert sum(h["screened"] for h in report["hours"]) == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("other_organisation", 200), ("wrong_role", 200), ("right_role", 200)],
)
def test_permission_to_read_the_checklist(
    users: dict[str, User | None], who: str, status: int, openapi_check: Callable[[Any], None]
) -> None:
    """The checklist is reference data with no personal data: every signed-in user may read it."""
    last = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    response = client_for(users[who]).get("/api/health/checklist", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == status
    openapi_check(response)
    if status == 200:
        assert response.json()["title"] == "Dépistage sanitaire au point d'entrée"
    assert not AuditEntry.objects.filter(seq__gt=last).exists()
