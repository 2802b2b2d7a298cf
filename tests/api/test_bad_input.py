"""Bad input: a 4xx JSON error naming the field, and nothing half-written."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client

from hbm.accounts.models import User
from hbm.audit.models import AuditEntry
from hbm.crossings.models import CrossingPoint
from hbm.registration.models import Document, Encounter, Group, Person
from tests.api.conftest import assert_matches_openapi

pytestmark = pytest.mark.django_db

GOOD = {
    "given_names_latin": "Ahmad",
    "surname_latin": "Karimi",
    "sex": "M",
    "nationality": "AFG",
    "estimated_age": 40,
}
TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"


def _rows() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Person, Group, Encounter, Document, AuditEntry))


@pytest.fixture
def officer_client(officer: User) -> Client:
    client = Client()
    client.force_login(officer)
    return client


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"colour_of_eyes": "brown"}, "colour_of_eyes", "unknown field"),
        ({"sex": "female"}, "sex", "Input should be 'F', 'M' or 'X'"),
        ({"estimated_age": 240}, "estimated_age", "Input should be less than or equal to 120"),
        ({"nationality": "AF"}, "nationality", "String should have at least 3 characters"),
        ({"date_of_birth": "31/12/1990"}, "date_of_birth", None),
        ({"encounter": {"occurred_at": "2026-01-01T10:00:00"}}, "encounter.occurred_at", None),
        (
            {"documents": [{"kind": "passport", "mrz": TD3.replace("C36", "C37")}]},
            "documents.0.mrz.document_number",
            "check digit of L898902C3 failed: expected 6, found 7",
        ),
        ({"documents": [{"kind": "passport", "mrz": "P<UTO\nSHORT"}]}, "documents.0.mrz.line_1", None),
    ],
)
def test_bad_person_input_names_the_field(
    officer_client: Client,
    crossing_point: CrossingPoint,
    change: dict[str, Any],
    field: str,
    message: str | None,
) -> None:
    before = _rows()

    response = officer_client.post(
        f"/api/crossing-points/{crossing_point.pk}/persons",
        {**GOOD, **change},
        content_type="application/json",
    )

    assert_matches_openapi(response)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["fields"], body
    if message:
        assert message in body["fields"][field][0]
    assert _rows() == before


def test_malformed_json_is_a_clear_error(officer_client: Client, crossing_point: CrossingPoint) -> None:
    response = officer_client.post(
        f"/api/crossing-points/{crossing_point.pk}/persons", "{not json", content_type="application/json"
    )
    assert response.status_code in {400, 422}
    assert _rows() == (0, 0, 0, 0, 0)


def test_an_expired_passport_is_accepted_through_the_api(
    officer_client: Client, crossing_point: CrossingPoint
) -> None:
    response = officer_client.post(
        f"/api/crossing-points/{crossing_point.pk}/persons",
        {**GOOD, "documents": [{"kind": "passport", "mrz": TD3}]},
        content_type="application/json",
    )
    assert_matches_openapi(response)
    assert response.status_code == 201
    assert response.json()["documents"][0]["condition"] == "expired"


def test_an_upload_that_is_not_an_image_is_refused(
    officer_client: Client, crossing_point: CrossingPoint
) -> None:
    person_id = officer_client.post(
        f"/api/crossing-points/{crossing_point.pk}/persons", GOOD, content_type="application/json"
    ).json()["id"]

    response = officer_client.post(
        f"/api/persons/{person_id}/photo", {"photo": io.BytesIO(b"%PDF-1.7 not a photo")}
    )

    assert response.status_code == 422
    assert response.json()["fields"] == {"photo": ["is not a readable JPEG, PNG or WebP image"]}
    assert Person.objects.get(pk=person_id).photo is None


def test_an_upload_over_the_limit_is_refused(
    officer_client: Client, crossing_point: CrossingPoint, settings: Any
) -> None:
    settings.HBM_MAX_UPLOAD_BYTES = 2048
    person_id = officer_client.post(
        f"/api/crossing-points/{crossing_point.pk}/persons", GOOD, content_type="application/json"
    ).json()["id"]

    response = officer_client.post(f"/api/persons/{person_id}/photo", {"photo": io.BytesIO(b"\0" * 4096)})

    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["photo"]


def test_a_mistyped_token_lookup_says_so(officer_client: Client) -> None:
    response = officer_client.get("/api/groups/by-token/K7QM-4XR2-Q")
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["token"]


def test_a_search_with_no_criterion_is_refused(officer_client: Client) -> None:
    response = officer_client.get("/api/persons")
    assert response.status_code == 422
    assert response.json()["fields"] == {"q": ["give at least one search criterion"]}
