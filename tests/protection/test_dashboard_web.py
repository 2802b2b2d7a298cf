"""The protection dashboard page: SVG charts with their data tables, per crossing point and day, in
English, French and Arabic; coordinators and screening officers only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from hbm.accounts.models import User
from hbm.core.context import Actor
from hbm.protection.screening import screening_record
from hbm.registration.enums import Sex
from hbm.registration.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged(screener_actor: Actor, register: Callable[..., Person]) -> None:
    boy = register("OMAR", "HADDAD", sex=Sex.MALE, date_of_birth=None, estimated_age=15)
    screening_record(
        actor=screener_actor,
        person_id=boy.pk,
        answers={"age_basis": "estimated", "age_years": 15, "child_accompanied_by": "alone"},
    )


def test_the_coordinator_sees_charts_and_tables(
    api: Callable[[User | None], Client], coordinator: User, flagged: None
) -> None:
    response = api(coordinator).get("/protection/dashboard")
    content = response.content.decode()

    assert response.status_code == 200
    assert 'data-testid="chart-categories"' in content
    assert "<svg" in content
    assert 'data-testid="table-days"' in content
    assert 'data-testid="total-flagged">1<' in content
    assert "Unaccompanied or separated children" in content or "separated" in content.lower()


@pytest.mark.parametrize(
    ("language", "text"), [("fr", "Tableau de bord de la protection"), ("ar", "لوحة الحماية")]
)
def test_the_page_in_french_and_arabic(
    language: str, text: str, api: Callable[[User | None], Client], coordinator: User, flagged: None
) -> None:
    client = api(coordinator)
    client.cookies["django_language"] = language

    content = client.get("/protection/dashboard").content.decode()

    assert text in content


@pytest.mark.parametrize(
    ("role", "posted", "status"),
    [
        ("screening_officer", True, 200),
        ("border_officer", True, 403),
        ("caseworker", False, 403),
        ("auditor", False, 403),
    ],
)
def test_who_opens_the_dashboard(
    role: str, posted: bool, status: int, api: Callable[[User | None], Client], make_user: Callable[..., User]
) -> None:
    client = api(make_user(role, posted=posted, username=f"d-{role}"))

    assert client.get("/protection/dashboard").status_code == status


def test_a_refused_dashboard_shows_no_figures_and_is_not_a_personal_data_read(
    api: Callable[[User | None], Client], make_user: Callable[..., User]
) -> None:
    from hbm.audit.models import AuditEntry

    before = AuditEntry.objects.count()

    response = api(make_user("border_officer", username="d-refused")).get("/protection/dashboard")

    assert response.status_code == 403
    assert 'data-status="403"' in response.content.decode()
    assert "<svg" not in response.content.decode()
    assert AuditEntry.objects.count() == before


def test_a_bad_period_is_marked_on_the_form(
    api: Callable[[User | None], Client], coordinator: User, other_crossing_point: Any
) -> None:
    backwards = api(coordinator).get("/protection/dashboard?start=2026-11-02&end=2026-11-01")

    assert backwards.status_code == 422
    assert 'id="field-start"' in backwards.content.decode()


def test_times_to_acceptance_read_in_days_hours_and_minutes() -> None:
    from hbm.web.protection_dashboard_views import duration_text

    assert [duration_text(m) for m in (None, 12.4, 95, 3571.7)] == ["—", "12 min", "1 h 35 min", "2 d 11 h"]
