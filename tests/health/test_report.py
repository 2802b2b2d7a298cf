"""The daily point-of-entry screening report: counts by local hour, positives by disease, referrals by
status, from SQL aggregates over the counts; exact for health officers, small cells hidden for
coordinators."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from hbm.accounts.models import User
from hbm.core.context import Actor
from hbm.core.errors import NotFound, PermissionDenied
from hbm.health.selectors import SMALL_CELL, health_day_report, report_point_of, today_at
from hbm.registration.models import Person
from tests.health.conftest import EBOLA, NEGATIVE, TUBERCULOSIS

pytestmark = pytest.mark.django_db


def test_counts_fall_in_the_crossing_points_local_hour_and_day(
    screen: Callable[..., Any], crossing_point: Any, health_actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    crossing_point.timezone = "Europe/Chisinau"  # UTC+2 in winter
    crossing_point.save()
    monkeypatch.setattr("hbm.health.services.now", lambda: datetime(2026, 1, 10, 22, 30, tzinfo=UTC))
    screen(NEGATIVE)  # 00:30 on 11 January, local
    monkeypatch.setattr("hbm.health.services.now", lambda: datetime(2026, 1, 11, 7, 5, tzinfo=UTC))
    screen(NEGATIVE)
    screen(NEGATIVE)  # 09:05 local
    report = health_day_report(actor=health_actor, crossing_point=crossing_point, day=date(2026, 1, 11))
    assert report.screened == 3
    assert {row.hour: row.screened for row in report.hours if row.screened} == {0: 1, 9: 2}
    previous = health_day_report(actor=health_actor, crossing_point=crossing_point, day=date(2026, 1, 10))
    assert previous.screened == 0


def test_positives_by_disease_and_referrals_by_status_are_exact_for_health_officers(
    screen: Callable[..., Any],
    register: Callable[..., Person],
    isolation_ward: Any,
    clinic: Any,
    crossing_point: Any,
    health_actor: Actor,
) -> None:
    screen(NEGATIVE)
    screen(EBOLA, person=register("A", "One"), service=isolation_ward)
    screen(TUBERCULOSIS, person=register("B", "Two"), service=clinic)  # pending: no consent yet
    day = today_at(crossing_point)
    report = health_day_report(actor=health_actor, crossing_point=crossing_point, day=day)
    assert (report.screened, report.negative.value, report.positive.value) == (3, 1, 2)
    assert [(d, c.value) for d, c in report.by_disease] == [("ebola_vhf", 1), ("tuberculosis", 1)]
    assert [(s, c.value) for s, c in report.referrals_by_status] == [("pending", 1), ("sent", 1)]
    assert report.is_exact
    assert report.checklists == ("poe-health/1",)


def test_coordinators_see_small_cells_hidden_and_no_split_by_hour(
    screen: Callable[..., Any],
    register: Callable[..., Person],
    isolation_ward: Any,
    crossing_point: Any,
    coordinator: User,
) -> None:
    coordinator_actor, day = Actor(user=coordinator), today_at(crossing_point)
    for _ in range(3):
        screen(NEGATIVE)
    people = [register(f"P{n}", f"Person{n}") for n in range(SMALL_CELL)]
    for person in people[: SMALL_CELL - 1]:
        screen(EBOLA, person=person, service=isolation_ward)
    report = health_day_report(actor=coordinator_actor, crossing_point=crossing_point, day=day)
    assert report.screened == 3 + SMALL_CELL - 1
    assert report.positive.is_hidden
    assert report.negative.is_hidden  # else screened - negative would give the positives away
    assert all(row.positive.is_hidden and row.negative.is_hidden for row in report.hours)
    assert [c.is_hidden for _d, c in report.by_disease] == [True]
    # one more positive: the cells reach the threshold and are shown
    screen(EBOLA, person=people[-1], service=isolation_ward)
    report = health_day_report(actor=coordinator_actor, crossing_point=crossing_point, day=day)
    assert (report.positive.value, report.negative.value) == (SMALL_CELL, 3)
    assert [(d, c.value) for d, c in report.by_disease] == [("ebola_vhf", SMALL_CELL)]
    assert [(s, c.value) for s, c in report.referrals_by_status] == [("sent", SMALL_CELL)]


def test_who_may_read_the_report(
    make_user: Callable[..., User], crossing_point: Any, health_officer: User, coordinator: User
) -> None:
    point_id = crossing_point.pk
    assert report_point_of(actor=Actor(user=health_officer), crossing_point_id=point_id) == crossing_point
    assert report_point_of(actor=Actor(user=coordinator), crossing_point_id=point_id) == crossing_point
    elsewhere = Actor(user=make_user("health_officer", posted=False))
    with pytest.raises(PermissionDenied):
        report_point_of(actor=elsewhere, crossing_point_id=point_id)
    for role in ("border_officer", "screening_officer", "planner", "auditor", "admin", "caseworker"):
        with pytest.raises(PermissionDenied):
            report_point_of(actor=Actor(user=make_user(role)), crossing_point_id=point_id)
    with pytest.raises(NotFound):
        report_point_of(actor=Actor(user=coordinator), crossing_point_id="nope")
