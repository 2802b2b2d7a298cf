"""The registration hot path keeps its query budget (benchmarks/RESULTS.md depends on it)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hbm.accounts.models import User
from hbm.accounts.services import device_token_create
from hbm.core.context import Actor
from hbm.crossings.models import CrossingPoint

pytestmark = pytest.mark.django_db

# The test runs inside a transaction, so the service's own transaction shows as a savepoint pair.
# SQLite, 8: access check; savepoint; person; encounter; audit head read; head move; audit entry;
# release. PostgreSQL, 6: access check; savepoint; person and encounter in one statement; head lock;
# head move and entry in one statement; release (hbm.core.rows.rows_insert). The token was verified
# by the first request and this worker trusts it for HBM_TOKEN_CACHE_SECONDS (decision 0013). There
# is no replay probe and no inner savepoint: a replayed id is looked up only when the insert fails.
# A change that adds a query to the hot path must say why here.
REGISTRATION_QUERY_BUDGET = {"sqlite": 8, "postgresql": 6}


def test_registering_a_person_stays_within_its_query_budget(
    officer: User, crossing_point: CrossingPoint
) -> None:
    raw = device_token_create(actor=Actor(user=officer), name="tablet").raw
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    body: dict[str, Any] = {
        "given_names_latin": "Ahmad",
        "surname_latin": "Karimi",
        "sex": "M",
        "nationality": "AFG",
        "estimated_age": 40,
        "languages": ["prs"],
    }
    url = f"/api/crossing-points/{crossing_point.pk}/persons"
    client.post(
        url, {**body, "id": str(uuid.uuid4())}, content_type="application/json"
    )  # first use of the token

    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {**body, "id": str(uuid.uuid4())}, content_type="application/json")

    assert response.status_code == 201
    statements = [q["sql"] for q in queries.captured_queries]
    assert len(statements) == REGISTRATION_QUERY_BUDGET[connection.vendor], (
        f"{len(statements)} queries:\n" + "\n".join(statements)
    )
