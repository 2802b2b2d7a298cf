"""The services directory pages: everyone reads, coordinators add and edit, errors on the field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from hbm.accounts.models import User
from hbm.crossings.models import CrossingPoint
from hbm.protection.models import Service

pytestmark = pytest.mark.django_db


def form(organisation: Any, crossing_point: CrossingPoint, **changes: str) -> dict[str, Any]:
    return {
        "organisation": str(organisation.pk),
        "name": "Child-friendly space",
        "service_type": "child_protection",
        "crossing_points": [str(crossing_point.pk)],
        "areas": "Ștefan Vodă district\nCăușeni",
        "languages": "ukr ron, eng",
        "capacity": "40",
        "hours_mon": "08:00-12:00, 14:00-18:00",
        "hours_sat": "00:00-24:00",
        "contact": "+373 600 00 001",
        "is_active": "on",
        **changes,
    }


def test_a_coordinator_adds_a_service_that_every_role_then_finds(
    api: Callable[[User | None], Client],
    coordinator: User,
    officer: User,
    child_protection_ngo: Any,
    crossing_point: CrossingPoint,
) -> None:
    response = api(coordinator).post("/services/new", form(child_protection_ngo, crossing_point))

    assert response.status_code == 302
    service = Service.objects.get()
    assert service.areas == ["Ștefan Vodă district", "Căușeni"]
    assert service.languages == ["ukr", "ron", "eng"]
    assert service.opening_hours["mon"] == "08:00-12:00,14:00-18:00"
    page = api(officer).get("/services/", {"point": crossing_point.code, "language": "ukr"}).content.decode()
    assert f'data-testid="service-{service.pk}"' in page
    assert "Ukrainian" in page
    assert 'data-testid="service-new"' not in page
    assert 'data-testid="no-services"' in api(officer).get("/services/", {"type": "medical"}).content.decode()


def test_a_bad_hour_is_marked_on_its_day_and_nothing_is_saved(
    api: Callable[[User | None], Client],
    coordinator: User,
    child_protection_ngo: Any,
    crossing_point: CrossingPoint,
) -> None:
    response = api(coordinator).post(
        "/services/new",
        form(child_protection_ngo, crossing_point, hours_tue="18:00-08:00"),
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="field-hours_tue"' in page
    assert "write the hours as 08:00-18:00" in page
    assert not Service.objects.exists()


def test_a_coordinator_edits_and_others_cannot_reach_the_form(
    api: Callable[[User | None], Client],
    coordinator: User,
    officer: User,
    child_protection_ngo: Any,
    crossing_point: CrossingPoint,
) -> None:
    api(coordinator).post("/services/new", form(child_protection_ngo, crossing_point))
    service = Service.objects.get()
    edit = f"/services/{service.pk}/"
    assert "Child-friendly space" in api(coordinator).get(edit).content.decode()

    api(coordinator).post(edit, form(child_protection_ngo, crossing_point, capacity="60", is_active=""))

    service.refresh_from_db()
    assert (service.capacity, service.is_active) == (60, False)
    assert api(officer).get(edit).status_code == 403
    assert api(officer).post("/services/new", form(child_protection_ngo, crossing_point)).status_code == 403
    assert Service.objects.count() == 1


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_directory_speaks_the_officers_language(
    api: Callable[[User | None], Client], officer: User, language: str
) -> None:
    client = api(officer)
    client.cookies["django_language"] = language
    page = client.get("/services/").content.decode()

    assert f'lang="{language}"' in page
    assert "Services directory" not in page
