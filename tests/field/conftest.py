"""Field app test helpers: an enrolled device (its own token) and a way to send outbox batches."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from hbm.accounts.models import User
from tests.factories import TEST_PASSWORD


@dataclass
class Device:
    """An enrolled device as the field app holds it: its id and its bearer token."""

    id: str
    token: str
    client: Client

    def sync(self, records: list[dict[str, Any]], *, key: str | None = None, **extra: Any) -> Any:
        body = {"device_id": self.id, "records": records, **extra}
        return self.client.post(
            "/api/field/sync",
            body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {self.token}", "Idempotency-Key": key or uuid.uuid4().hex},
        )

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params, headers={"Authorization": f"Bearer {self.token}"})


def enrol(user: User, name: str = "tablet-1") -> Device:
    client = Client()
    response = client.post(
        "/api/field/enrol",
        {"username": user.username, "password": TEST_PASSWORD, "device_name": name, "app_version": "t"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    return Device(id=body["device_id"], token=body["token"], client=client)


@pytest.fixture
def device(officer: User) -> Device:
    return enrol(officer)


@pytest.fixture
def enrol_device() -> Callable[..., Device]:
    return enrol


def person_record(crossing_point: Any, **payload: Any) -> dict[str, Any]:
    """An individual registration as the field app queues it (id made on the device)."""
    body = {
        "given_names_latin": "Olena",
        "surname_latin": "Kovalenko",
        "sex": "F",
        "estimated_age": 34,
        "nationality": "UKR",
        **payload,
    }
    return {
        "id": str(uuid.uuid4()),
        "kind": "person",
        "crossing_point": str(crossing_point.pk),
        "payload": body,
    }


def group_record(crossing_point: Any, token: str, **payload: Any) -> dict[str, Any]:
    body = {"token": token, "size": 3, "head_name": "Ahmad Karimi", "nationality": "AFG", **payload}
    return {
        "id": str(uuid.uuid4()),
        "kind": "group",
        "crossing_point": str(crossing_point.pk),
        "payload": body,
    }


def count_record(crossing_point: Any, count: int = 12) -> dict[str, Any]:
    body = {"cells": [{"sex": "F", "age_band": "18-59", "count": count}]}
    return {
        "id": str(uuid.uuid4()),
        "kind": "count",
        "crossing_point": str(crossing_point.pk),
        "payload": body,
    }
