"""Triggers against live figures: arrivals from registrations, waiting time and occupancy from
readings; one alert per plan, metric and day however often it is checked; a coordinator decides,
and a switch goes through the crossing point's recorded mode switch."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.core.context import Actor
from hbm.core.errors import Conflict, PermissionDenied, ValidationFailed
from hbm.core.time import now
from hbm.crossings.models import CrossingPoint, ModeDecision
from hbm.preparedness.alerts import alert_decide, triggers_check
from hbm.preparedness.enums import AlertDecision, AlertStatus, PlanStatus, TriggerMetric
from hbm.preparedness.models import ContingencyPlan, PlanAlert, PlanReading
from hbm.preparedness.services import PlanData, TriggerData, plan_update, reading_enter

pytestmark = pytest.mark.django_db


def test_arrivals_below_the_threshold_raise_nothing(
    plan: ContingencyPlan, count_arrivals: Callable[[int], None]
) -> None:
    count_arrivals(9)
    [check] = triggers_check()
    assert (check.metric, check.value, check.source, check.state, check.alert) == (
        TriggerMetric.ARRIVALS_PER_DAY,
        9.0,
        "registrations",
        "below",
        None,
    )
    assert PlanAlert.objects.count() == 0


def test_a_crossed_trigger_raises_one_alert_however_often_it_is_checked(
    plan: ContingencyPlan, count_arrivals: Callable[[int], None]
) -> None:
    count_arrivals(12)
    [first] = triggers_check()
    count_arrivals(5)
    [second] = triggers_check(checked_by="coordinator")
    assert (first.state, first.raised, second.raised) == ("crossed", True, False)
    assert first.alert == second.alert
    alert = PlanAlert.objects.get()
    assert (alert.value, alert.threshold, alert.unit, alert.source, alert.status) == (
        12.0,
        10.0,
        "persons/day",
        "registrations",
        AlertStatus.OPEN,
    )
    assert AuditEntry.objects.filter(event=AuditEvent.PLAN_ALERT_RAISED).count() == 1


def test_a_draft_plan_or_a_point_in_emergency_raises_nothing(
    plan: ContingencyPlan,
    planner_actor: Actor,
    normal_point: CrossingPoint,
    count_arrivals: Callable[[int], None],
) -> None:
    count_arrivals(50)
    CrossingPoint.objects.filter(pk=normal_point.pk).update(mode="emergency")
    [check] = triggers_check()
    assert (check.state, check.alert) == ("emergency", None)
    CrossingPoint.objects.filter(pk=normal_point.pk).update(mode="normal")
    plan_update(
        actor=planner_actor,
        plan_id=plan.pk,
        data=PlanData(
            crossing_point_id=normal_point.pk,
            title=plan.title,
            status=PlanStatus.DRAFT,
            triggers=(TriggerData(metric=TriggerMetric.ARRIVALS_PER_DAY, threshold=10),),
        ),
    )
    assert triggers_check() == []
    assert PlanAlert.objects.count() == 0


def _with_entered_triggers(plan: ContingencyPlan, actor: Actor) -> None:
    plan_update(
        actor=actor,
        plan_id=plan.pk,
        data=PlanData(
            crossing_point_id=plan.crossing_point_id,
            title=plan.title,
            status=PlanStatus.ACTIVE,
            triggers=(
                TriggerData(metric=TriggerMetric.WAITING_TIME, threshold=120),
                TriggerData(metric=TriggerMetric.RECEPTION_OCCUPANCY, threshold=85),
            ),
        ),
    )


def test_waiting_time_and_occupancy_need_a_recent_reading(
    plan: ContingencyPlan, planner_actor: Actor, coordinator_actor: Actor
) -> None:
    _with_entered_triggers(plan, planner_actor)
    checks = {c.metric: c for c in triggers_check()}
    assert {m: c.state for m, c in checks.items()} == {
        "reception_occupancy": "no_figure",
        "waiting_time": "no_figure",
    }
    reading_enter(
        actor=coordinator_actor,
        plan=plan,
        metric=TriggerMetric.WAITING_TIME,
        value=150,
        observed_at=now() - timedelta(hours=30),
    )
    assert {c.metric: c.state for c in triggers_check()}["waiting_time"] == "no_figure"  # too old
    reading_enter(actor=coordinator_actor, plan=plan, metric=TriggerMetric.WAITING_TIME, value=150)
    reading_enter(actor=planner_actor, plan=plan, metric=TriggerMetric.RECEPTION_OCCUPANCY, value=60)
    checks = {c.metric: c for c in triggers_check()}
    assert (checks["waiting_time"].state, checks["waiting_time"].source) == ("crossed", "reading")
    assert checks["reception_occupancy"].state == "below"
    assert PlanAlert.objects.get().metric == "waiting_time"


@pytest.mark.parametrize(
    ("metric", "value", "field"),
    [
        (TriggerMetric.ARRIVALS_PER_DAY, 100.0, "metric"),
        (TriggerMetric.WAITING_TIME, -1.0, "value"),
        (TriggerMetric.RECEPTION_OCCUPANCY, float("inf"), "value"),
    ],
)
def test_a_bad_reading_is_refused_naming_the_field(
    plan: ContingencyPlan, coordinator_actor: Actor, metric: TriggerMetric, value: float, field: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        reading_enter(actor=coordinator_actor, plan=plan, metric=metric, value=value)
    assert list(refused.value.fields) == [field]
    assert PlanReading.objects.count() == 0


def test_a_switch_decision_puts_the_point_in_emergency_through_the_mode_switch(
    plan: ContingencyPlan, coordinator_actor: Actor, count_arrivals: Callable[[int], None]
) -> None:
    count_arrivals(30)
    [check] = triggers_check()
    assert check.alert is not None
    decided = alert_decide(
        actor=coordinator_actor,
        alert_id=check.alert.pk,
        decision=AlertDecision.SWITCH,
        reason="Thirty arrivals before noon: open the emergency lanes.",
    )
    decision = ModeDecision.objects.get()
    assert (decided.status, decided.mode_decision, decision.to_mode) == (
        AlertStatus.SWITCHED,
        decision,
        "emergency",
    )
    assert decision.reason == "Thirty arrivals before noon: open the emergency lanes."
    assert CrossingPoint.objects.get(pk=plan.crossing_point_id).mode == "emergency"
    events = list(AuditEntry.objects.order_by("seq").values_list("event", flat=True))[-2:]
    assert events == [AuditEvent.CROSSING_MODE_CHANGED, AuditEvent.PLAN_ALERT_DECIDED]
    with pytest.raises(Conflict):
        alert_decide(
            actor=coordinator_actor,
            alert_id=check.alert.pk,
            decision=AlertDecision.DISMISS,
            reason="Changed my mind.",
        )


def test_dismissal_keeps_the_reason_and_a_refused_decision_writes_nothing(
    plan: ContingencyPlan,
    coordinator_actor: Actor,
    planner_actor: Actor,
    normal_point: CrossingPoint,
    count_arrivals: Callable[[int], None],
) -> None:
    count_arrivals(30)
    [check] = triggers_check()
    assert check.alert is not None
    audit_before = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        alert_decide(
            actor=planner_actor, alert_id=check.alert.pk, decision=AlertDecision.SWITCH, reason="x" * 20
        )
    with pytest.raises(ValidationFailed) as short:
        alert_decide(
            actor=coordinator_actor, alert_id=check.alert.pk, decision=AlertDecision.DISMISS, reason="no"
        )
    assert list(short.value.fields) == ["reason"]
    # A point already in emergency mode cannot switch again: the whole decision is refused.
    CrossingPoint.objects.filter(pk=normal_point.pk).update(mode="emergency")
    with pytest.raises(Conflict):
        alert_decide(
            actor=coordinator_actor,
            alert_id=check.alert.pk,
            decision=AlertDecision.SWITCH,
            reason="Surge confirmed.",
        )
    assert AuditEntry.objects.count() == audit_before
    assert PlanAlert.objects.get().status == AlertStatus.OPEN
    dismissed = alert_decide(
        actor=coordinator_actor,
        alert_id=check.alert.pk,
        decision=AlertDecision.DISMISS,
        reason="A bus of pilgrims, expected and leaving tonight.",
    )
    assert (dismissed.status, dismissed.reason, dismissed.mode_decision) == (
        AlertStatus.DISMISSED,
        "A bus of pilgrims, expected and leaving tonight.",
        None,
    )


def test_arrivals_are_counted_as_the_dashboard_counts_them_without_reading_a_person(
    crossing_point: CrossingPoint, actor: Actor, django_assert_max_num_queries: Any
) -> None:
    from hbm.preparedness.alerts import arrivals_on_day, local_day
    from hbm.registration.enums import AgeBand, Direction, Relationship, Sex
    from hbm.registration.selectors import crossing_point_day_figures
    from hbm.registration.services import (
        CountData,
        EncounterData,
        IndividualData,
        count_record,
        group_preregister,
        person_register,
    )

    cells = [CountData(sex=Sex.FEMALE, age_band=AgeBand.AGE_0_4, count=3)]
    count_record(actor=actor, crossing_point_id=crossing_point.pk, cells=cells, data=EncounterData())
    leaving = EncounterData(direction=Direction.EXIT)
    count_record(actor=actor, crossing_point_id=crossing_point.pk, cells=cells, data=leaving)
    group = group_preregister(
        actor=actor,
        crossing_point_id=crossing_point.pk,
        size=4,
        head_name="Olena Kovalenko",
        nationality="UKR",
        data=EncounterData(),
    )
    for given, relationship, token in (
        ("Olena", Relationship.HEAD, group.token),
        ("Ivan", Relationship.CHILD, group.token),
        ("Petro", None, ""),
    ):
        person_register(
            actor=actor,
            crossing_point_id=crossing_point.pk,
            data=IndividualData(
                given_names_latin=given,
                surname_latin="Kovalenko",
                sex=Sex.MALE,
                nationality="UKR",
                estimated_age=30,
                group_token=token,
                relationship=relationship,
            ),
        )
    day = local_day(crossing_point, now())
    with django_assert_max_num_queries(3):
        counted = arrivals_on_day(crossing_point, day)
    assert counted == crossing_point_day_figures(crossing_point=crossing_point, day=day).arrivals_total == 8
