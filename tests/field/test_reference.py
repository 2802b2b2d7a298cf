"""Reference data for offline use: the server's own validation schemas, the mode's rules, the lists."""

from __future__ import annotations

from typing import Any

import pytest

from hbm.accounts.models import User
from hbm.crossings.models import CrossingPoint
from hbm.engines.names import script_letters_table
from tests.field.conftest import Device

pytestmark = pytest.mark.django_db


def test_reference_carries_the_servers_schemas_with_their_extensions(device: Device) -> None:
    body = device.get("/api/field/reference", lang="en").json()

    person = body["schemas"]["person"]
    assert "id" not in person["properties"]
    assert "$defs" not in str(person)
    assert person["x-hbm-exactly-one"] == [["date_of_birth", "birth_year", "estimated_age"]]
    assert person["properties"]["nationality"]["x-hbm-codes"] == "nationalities"
    assert person["properties"]["group_token"]["x-hbm-format"] == "group-token"
    assert person["properties"]["sex"]["enum"] == ["F", "M", "X"]
    assert body["schemas"]["person_edit"]["additionalProperties"] is False
    assert body["policy_fields"]["birth"] == ["date_of_birth", "birth_year", "estimated_age"]
    assert body["limits"]["photo_max_bytes"] == 200 * 1024
    # The look-up folds names with the server's own letter table (decision 0029).
    assert body["search_letters"] == script_letters_table()
    assert body["search_letters"]["\u06ab"] == "\u06af"  # Pashto gaf → Persian gaf


def test_reference_lists_only_the_officers_crossing_points_with_their_mode_rules(
    device: Device, crossing_point: CrossingPoint, other_crossing_point: CrossingPoint
) -> None:
    [point] = device.get("/api/field/reference").json()["crossing_points"]

    assert (point["id"], point["mode"]) == (str(crossing_point.pk), "emergency")
    assert point["policy"]["estimated_age_allowed"] is True
    assert "group" in point["policy"]["tiers"]


def test_reference_is_translated_and_versioned_by_content(device: Device) -> None:
    english = device.get("/api/field/reference", lang="en").json()
    french = device.get("/api/field/reference", lang="fr").json()
    arabic = device.get("/api/field/reference", lang="ar").json()

    names = {
        body["language"]: dict((n["code"], n["name"]) for n in body["nationalities"])
        for body in (english, french, arabic)
    }
    assert (names["en"]["DEU"], names["fr"]["DEU"]) == ("Germany", "Allemagne")
    assert names["ar"]["DEU"] != "Germany"
    assert english["version"] != french["version"]
    assert english["version"] == device.get("/api/field/reference", lang="en").json()["version"]
    assert "ukr" in english["language_codes"]
    assert len(english["language_codes"]) > 7000


def test_reference_needs_a_signed_in_user(api: Any, officer: User) -> None:
    assert api(None).get("/api/field/reference").status_code == 401
    assert api(officer).get("/api/field/reference").status_code == 200
