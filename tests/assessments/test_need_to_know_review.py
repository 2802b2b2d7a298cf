"""Adversarial need-to-know probes of assessments: another organisation's assessment is "not found"
exactly as a missing one is (no existence leak), on every path, and is named in no list."""

from __future__ import annotations

import uuid

import pytest

from hbm.accounts.models import User
from hbm.assessments.models import Assessment
from hbm.assessments.services import AssessmentData, assessment_create
from hbm.core.context import Actor
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

TITLE = "Eastern border gaps, confidential draft"


@pytest.fixture
def theirs(planner: User) -> Assessment:
    data = AssessmentData(title=TITLE, country="MDA", answers={"land_coverage": 1})
    return assessment_create(actor=Actor(user=planner), data=data)


@pytest.mark.parametrize(
    "path", ["/api/assessments/{id}", "/assessments/{id}/", "/assessments/{id}/edit"], ids=str
)
def test_another_organisations_assessment_answers_as_a_missing_one(
    other_planner: User, theirs: Assessment, path: str
) -> None:
    client = client_for(other_planner)
    existing = client.get(path.replace("{id}", str(theirs.pk)))
    missing = client.get(path.replace("{id}", str(uuid.uuid4())))

    assert existing.status_code == missing.status_code == 404
    assert TITLE not in existing.content.decode()
    if path.startswith("/api/"):
        assert existing.json() == missing.json()


def test_another_organisations_assessment_is_in_no_list_nor_changed_by_a_post(
    other_planner: User, theirs: Assessment
) -> None:
    client = client_for(other_planner)
    assert TITLE not in client.get("/api/assessments").content.decode()
    assert TITLE not in client.get("/assessments/").content.decode()
    changed = client.post(
        f"/api/assessments/{theirs.pk}",
        {"title": "Taken over", "country": "MDA", "answers": {}, "not_applicable": [], "revision": 1},
        content_type="application/json",
    )
    assert changed.status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == TITLE
