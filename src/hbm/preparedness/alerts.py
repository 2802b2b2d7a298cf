"""Triggers against live figures, and the alerts a person decides.

Which figures HBM has (decision 0018):
- **arrivals per day**: counted from the crossing point's registrations of the current local day
  (counts, group pre-registrations and individual registrations, each person once), as the
  dashboard counts them, by aggregate queries that read no person (:func:`arrivals_on_day`);
- **waiting time** and **reception occupancy**: HBM records neither; a coordinator or the plan's
  planner enters them (a reading), and a reading older than ``READING_VALID_HOURS`` is not used.

A trigger crossed raises one alert per plan, metric and local day, whoever checks and however
often: the check finds the day's alert instead of making another. A crossing point already in
emergency mode raises none. A coordinator decides: switch to emergency mode (through the crossing
points' own mode switch, which records the decision) or dismiss with a reason.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hbm.audit.enums import AuditEvent
from hbm.audit.services import audit_record
from hbm.core.context import Actor
from hbm.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hbm.core.time import now
from hbm.crossings.enums import CrossingMode
from hbm.crossings.models import CrossingPoint
from hbm.crossings.services import MIN_REASON_LENGTH, crossing_mode_switch
from hbm.preparedness.access import ALERT_DECIDER_ROLES
from hbm.preparedness.enums import (
    METRIC_UNITS,
    AlertDecision,
    AlertStatus,
    PlanStatus,
    TriggerMetric,
)
from hbm.preparedness.models import ContingencyPlan, PlanAlert, PlanReading
from hbm.registration.enums import Direction, Tier
from hbm.registration.models import CountCell, Encounter

READING_VALID_HOURS = 24


@dataclass(frozen=True, slots=True)
class TriggerCheck:
    """One trigger of one plan, checked: the figure found (``None``: none to compare), where it
    came from (``registrations``, ``reading`` or ``none``), the state (``crossed``, ``below``,
    ``no_figure``, ``emergency``: the point is already in emergency mode), and the day's alert."""

    plan: ContingencyPlan
    metric: TriggerMetric
    threshold: float
    unit: str
    value: float | None
    source: str
    observed_at: datetime | None
    state: str
    alert: PlanAlert | None
    raised: bool


@dataclass(frozen=True, slots=True)
class _Figure:
    value: float | None
    source: str
    observed_at: datetime | None


def local_day(point: CrossingPoint, moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(point.timezone)).date()


def arrivals_on_day(point: CrossingPoint, day: date) -> int:
    """Persons who entered at ``point`` on its local ``day``, counted as the crossing point's
    dashboard counts them (:func:`hbm.registration.selectors.crossing_point_day_figures`): a count's
    cells, a group pre-registration's size, an individual registration outside a group. Three
    aggregate queries, no person read: a trigger needs the total, not who."""
    zone = ZoneInfo(point.timezone)
    start = datetime.combine(day, time.min, tzinfo=zone)
    entries = Encounter.objects.filter(
        crossing_point=point,
        occurred_at__gte=start,
        occurred_at__lt=start + timedelta(days=1),
        direction=Direction.ENTRY,
    )
    counted = CountCell.objects.filter(encounter__in=entries).aggregate(n=Sum("count"))["n"] or 0
    grouped = entries.filter(tier=Tier.GROUP).aggregate(n=Sum("group__size"))["n"] or 0
    alone = entries.filter(tier=Tier.INDIVIDUAL, group__isnull=True).count()
    return int(counted) + int(grouped) + alone


def _arrivals_today(point: CrossingPoint, day: date, moment: datetime) -> _Figure:
    return _Figure(float(arrivals_on_day(point, day)), "registrations", moment)


def _latest_reading(plan: ContingencyPlan, metric: TriggerMetric, moment: datetime) -> _Figure:
    reading = (
        PlanReading.objects.filter(
            plan=plan,
            metric=metric,
            observed_at__gte=moment - timedelta(hours=READING_VALID_HOURS),
            observed_at__lte=moment,
        )
        .order_by("-observed_at")
        .first()
    )
    if reading is None:
        return _Figure(None, "none", None)
    return _Figure(reading.value, "reading", reading.observed_at)


def _alert_raise(
    plan: ContingencyPlan,
    metric: TriggerMetric,
    threshold: float,
    figure: _Figure,
    day: date,
    checked_by: str,
) -> tuple[PlanAlert, bool]:
    """The day's alert of this plan and metric, raised now if there is none (idempotent: the
    unique constraint settles two checks racing, and the second finds the first's alert)."""
    existing = PlanAlert.objects.filter(plan=plan, metric=metric, day=day).first()
    if existing is not None:
        return existing, False
    assert figure.value is not None
    try:
        with transaction.atomic():
            alert = PlanAlert.objects.create(
                plan=plan,
                crossing_point_id=plan.crossing_point_id,
                metric=metric,
                threshold=threshold,
                value=figure.value,
                unit=METRIC_UNITS[metric],
                day=day,
                source=figure.source,
            )
            audit_record(
                actor=None,
                event=AuditEvent.PLAN_ALERT_RAISED,
                subject=alert,
                detail={
                    "plan": str(plan.pk),
                    "crossing_point": str(plan.crossing_point_id),
                    "metric": str(metric),
                    "value": figure.value,
                    "threshold": threshold,
                    "day": day.isoformat(),
                    "checked_by": checked_by,
                },
            )
    except IntegrityError:
        return PlanAlert.objects.get(plan=plan, metric=metric, day=day), False
    return alert, True


def _plans_to_check(plans: Iterable[ContingencyPlan] | None) -> list[ContingencyPlan]:
    chosen = ContingencyPlan.objects.filter(status=PlanStatus.ACTIVE)
    if plans is not None:
        chosen = chosen.filter(pk__in=[p.pk for p in plans])
    return list(chosen.select_related("crossing_point").prefetch_related("triggers").order_by("title"))


def triggers_check(
    *, plans: Iterable[ContingencyPlan] | None = None, checked_by: str = "cli", at: datetime | None = None
) -> list[TriggerCheck]:
    """Check the triggers of every active plan (or of ``plans`` among them) against today's
    figures, raising the day's alert where one is crossed. ``checked_by`` is kept in the audit
    entry of a raised alert (``cli``, or the user whose reading of the alerts ran the check)."""
    moment = at or now()
    arrivals: dict[uuid.UUID, _Figure] = {}
    checks = []
    for plan in _plans_to_check(plans):
        point = plan.crossing_point
        day = local_day(point, moment)
        for trigger in sorted(plan.triggers.all(), key=lambda t: t.metric):
            metric = TriggerMetric(trigger.metric)
            if metric == TriggerMetric.ARRIVALS_PER_DAY:
                if point.pk not in arrivals:
                    arrivals[point.pk] = _arrivals_today(point, day, moment)
                figure = arrivals[point.pk]
            else:
                figure = _latest_reading(plan, metric, moment)
            alert, raised, state = None, False, "below"
            if figure.value is None:
                state = "no_figure"
            elif point.mode == CrossingMode.EMERGENCY:
                state = "emergency"
            elif figure.value >= trigger.threshold:
                state = "crossed"
                alert, raised = _alert_raise(plan, metric, trigger.threshold, figure, day, checked_by)
            checks.append(
                TriggerCheck(
                    plan=plan,
                    metric=metric,
                    threshold=trigger.threshold,
                    unit=METRIC_UNITS[metric],
                    value=figure.value,
                    source=figure.source,
                    observed_at=figure.observed_at,
                    state=state,
                    alert=alert,
                    raised=raised,
                )
            )
    return checks


def alert_decide(*, actor: Actor, alert_id: uuid.UUID, decision: AlertDecision, reason: str) -> PlanAlert:
    """A coordinator's decision on an open alert: ``switch`` puts the crossing point in emergency
    mode through :func:`hbm.crossings.services.crossing_mode_switch` (which records the mode
    decision, with this reason); ``dismiss`` keeps the reason. Raises :class:`Conflict` for an
    alert already decided or a mode switch the crossing point's mode does not allow; nothing is
    written then."""
    if not actor.user.has_role(*ALERT_DECIDER_ROLES):
        raise PermissionDenied(_("only a coordinator decides on an alert"))
    if decision not in AlertDecision.values:
        raise ValidationFailed.on("decision", _("switch or dismiss"))
    reason = reason.strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationFailed.on(
            "reason",
            ngettext(
                "give the reason for the decision (at least %(count)s character)",
                "give the reason for the decision (at least %(count)s characters)",
                MIN_REASON_LENGTH,
            )
            % {"count": MIN_REASON_LENGTH},
        )
    with transaction.atomic():
        alert = PlanAlert.objects.select_for_update().filter(pk=alert_id).first()
        if alert is None:
            raise NotFound(_("no such alert"))
        if alert.status != AlertStatus.OPEN:
            raise Conflict(
                _("this alert was already decided"), fields={"decision": [_("the alert is not open")]}
            )
        if decision == AlertDecision.SWITCH:
            alert.mode_decision = crossing_mode_switch(
                actor=actor,
                crossing_point_id=alert.crossing_point_id,
                to_mode=CrossingMode.EMERGENCY,
                reason=reason,
            )
            alert.status = AlertStatus.SWITCHED
        else:
            alert.status = AlertStatus.DISMISSED
        alert.decided_by, alert.decided_at, alert.reason = actor.user, now(), reason
        alert.save()
        audit_record(
            actor=actor,
            event=AuditEvent.PLAN_ALERT_DECIDED,
            subject=alert,
            detail={
                "decision": str(decision),
                "plan": str(alert.plan_id),
                "mode_decision": str(alert.mode_decision_id) if alert.mode_decision_id else "",
            },
        )
    return alert
