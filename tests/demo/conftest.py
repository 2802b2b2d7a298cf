"""The demo loaded once per module for tests that only read it, at a small scale and a fixed time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from hbm.demo.scenario import DemoPlan, demo_plan

ZONE = ZoneInfo("Europe/Chisinau")
SCALE = 0.05
# Yesterday afternoon ends day 3: a fixed time of day, and every record lies in the past.
NOW = datetime.combine(datetime.now(ZONE).date() - timedelta(days=1), time(15, 30), tzinfo=ZONE)


def load(seed: int = 2026, *, reset: bool = False) -> dict[str, Any]:
    from hbm.demo.load import demo_load

    return demo_load(seed=seed, reset=reset, scale=SCALE, now=NOW)


def plan(seed: int = 2026) -> DemoPlan:
    return demo_plan(seed=seed, now=NOW, scale=SCALE)


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The demo, committed once for the module's read-only tests, erased after them."""
    from django.test import override_settings

    from hbm.demo.load import demo_data_erase

    # Module fixtures run before the function-scoped fast-hashing fixture of tests/conftest.py.
    fast_hashing = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast_hashing:
        summary = load()
        yield summary
        demo_data_erase()
