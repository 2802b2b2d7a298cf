"""A crossing point's mode changes only by a recorded decision of a coordinator, along the map."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from hbm.accounts.enums import Role
from hbm.accounts.models import User
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.core.context import Actor
from hbm.core.errors import Conflict, PermissionDenied, ValidationFailed
from hbm.crossings.enums import MODE_TRANSITIONS, CrossingMode
from hbm.crossings.models import CrossingPoint, ModeDecision
from hbm.crossings.services import crossing_mode_switch

pytestmark = pytest.mark.django_db

REASON = "arrivals above 3,000 a day for two days"


def test_the_mode_cycle_is_normal_emergency_recovery_normal() -> None:
    assert MODE_TRANSITIONS[CrossingMode.NORMAL] == {CrossingMode.EMERGENCY}
    assert MODE_TRANSITIONS[CrossingMode.EMERGENCY] == {CrossingMode.RECOVERY}
    assert MODE_TRANSITIONS[CrossingMode.RECOVERY] == {CrossingMode.NORMAL, CrossingMode.EMERGENCY}


def test_a_coordinator_switches_and_the_decision_is_recorded(
    crossing_point: CrossingPoint, coordinator: User
) -> None:
    actor = Actor(user=coordinator, device="browser", address="10.0.0.7")

    decision = crossing_mode_switch(
        actor=actor, crossing_point_id=crossing_point.pk, to_mode=CrossingMode.RECOVERY, reason=REASON
    )

    crossing_point.refresh_from_db()
    assert crossing_point.mode == CrossingMode.RECOVERY
    assert crossing_point.mode_changed_at == decision.decided_at
    assert (decision.from_mode, decision.to_mode, decision.decided_by, decision.reason) == (
        "emergency",
        "recovery",
        coordinator,
        REASON,
    )
    entry = AuditEntry.objects.get(event=AuditEvent.CROSSING_MODE_CHANGED)
    assert entry.detail == {"from": "emergency", "to": "recovery", "decision": str(decision.pk)}
    assert (entry.actor, entry.address) == (coordinator, "10.0.0.7")


def test_an_illegal_transition_leaves_no_trace(crossing_point: CrossingPoint, coordinator: User) -> None:
    with pytest.raises(Conflict, match="cannot switch to normal"):
        crossing_mode_switch(
            actor=Actor(user=coordinator),
            crossing_point_id=crossing_point.pk,
            to_mode=CrossingMode.NORMAL,
            reason=REASON,
        )

    crossing_point.refresh_from_db()
    assert crossing_point.mode == CrossingMode.EMERGENCY
    assert not ModeDecision.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_reason_is_required(crossing_point: CrossingPoint, coordinator: User) -> None:
    with pytest.raises(ValidationFailed) as caught:
        crossing_mode_switch(
            actor=Actor(user=coordinator),
            crossing_point_id=crossing_point.pk,
            to_mode=CrossingMode.RECOVERY,
            reason="  ok ",
        )
    assert list(caught.value.fields) == ["reason"]
    assert not ModeDecision.objects.exists()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.COORDINATOR])
def test_only_a_coordinator_decides(
    role: Role, crossing_point: CrossingPoint, make_user: Callable[..., User]
) -> None:
    with pytest.raises(PermissionDenied):
        crossing_mode_switch(
            actor=Actor(user=make_user(role)),
            crossing_point_id=crossing_point.pk,
            to_mode=CrossingMode.RECOVERY,
            reason=REASON,
        )
    assert not ModeDecision.objects.exists()


def test_the_api_switches_and_lists_decisions(crossing_point: CrossingPoint, coordinator: User) -> None:
    client = Client()
    client.force_login(coordinator)
    url = f"/api/crossing-points/{crossing_point.pk}"

    switched = client.post(
        f"{url}/mode", {"to_mode": "recovery", "reason": REASON}, content_type="application/json"
    )
    refused = client.post(
        f"{url}/mode", {"to_mode": "recovery", "reason": REASON}, content_type="application/json"
    )

    assert switched.status_code == 201
    assert switched.json()["decided_by"] == "coordinator"
    assert refused.status_code == 409
    assert refused.json()["fields"] == {"to_mode": ["not allowed from recovery"]}
    history = client.get(f"{url}/mode-decisions").json()
    assert [(d["from_mode"], d["to_mode"]) for d in history] == [("emergency", "recovery")]
    assert client.get(url).json()["mode"] == "recovery"
