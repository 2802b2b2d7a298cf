"""Two health officers screening at the same moment: no increment of the hourly count is lost."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.audit.selectors import audit_chain_verify
from hbm.core.context import Actor
from hbm.crossings.models import CrossingPoint
from hbm.health.models import ScreeningCount
from hbm.health.services import health_screen
from tests.health.conftest import NEGATIVE

pytestmark = pytest.mark.django_db(transaction=True)
WRITERS = 2
EACH = 15


def _together(work: Callable[[int], Any]) -> list[BaseException]:
    """Run ``work(writer)`` in WRITERS threads released together, each on its own connection."""
    barrier = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def run(writer: int) -> None:
        try:
            barrier.wait()
            work(writer)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_two_officers_screening_at_once_lose_no_count(
    make_user: Callable[..., Any], crossing_point: CrossingPoint, health_officer: Any
) -> None:
    # given two health officers posted at the same crossing point, and no count yet this hour
    actors = [
        Actor(user=health_officer, device="desk-1"),
        Actor(user=make_user("health_officer", organisation=health_officer.organisation), device="desk-2"),
    ]

    # when both screen negatives at the same time (the first of them race to insert the hour's row)
    def work(writer: int) -> None:
        for _ in range(EACH):
            health_screen(actor=actors[writer], crossing_point_id=crossing_point.pk, answers=NEGATIVE)

    errors = _together(work)

    # then every screening is counted, once
    assert errors == []
    assert sum(ScreeningCount.objects.values_list("negative", flat=True)) == WRITERS * EACH
    assert AuditEntry.objects.filter(event=AuditEvent.HEALTH_SCREENINGS_COUNTED).count() == WRITERS * EACH
    assert audit_chain_verify().is_intact
