"""Contingency plans of a crossing point: scenarios, computed results, roles, triggers, alerts.

Nothing here is personal data: a plan is made of expected numbers, organisations and thresholds,
and an alert holds a count (arrivals of a day) or a figure a person entered.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import Organisation
from hbm.core.models import BaseModel
from hbm.crossings.models import CrossingPoint, ModeDecision
from hbm.preparedness.enums import AlertStatus, PlanStatus, ScenarioKind, TriggerMetric


class ContingencyPlan(BaseModel):
    """The plan of one organisation for a surge at one crossing point."""

    crossing_point = models.ForeignKey(CrossingPoint, on_delete=models.PROTECT, related_name="plans")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="plans")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    # The staffing search keeps the 90th-percentile wait of every stage and shift under this.
    target_p90_wait_minutes = models.FloatField(_("target 90th-percentile wait (minutes)"), default=30.0)
    # A shipped overlay of the Sphere figures (e.g. "cold-climate"), or "" for the figures as shipped.
    figures_overlay = models.CharField(_("figures overlay"), max_length=64, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ("crossing_point__name", "title")

    def __str__(self) -> str:
        return self.title


class PlanScenario(BaseModel):
    """One planning scenario: a surge as the engine simulates it.

    ``stages``: ``[{"kind": "triage", "servers": [2, 2, 1]}, …]`` in the order groups take them (the
    kinds of :func:`hbm.engines.simulation.stage_kinds`, each with its published service time).
    Empty ``hourly_pattern`` / ``group_sizes`` and a ``None`` share take the engine's defaults;
    ``demographics`` maps ``under_five``, ``pregnant``, ``older``, ``disability`` to a share or
    ``None`` (the Sphere figures' default)."""

    plan = models.ForeignKey(ContingencyPlan, on_delete=models.CASCADE, related_name="scenarios")
    kind = models.CharField(_("kind"), max_length=12, choices=ScenarioKind.choices)
    arrivals_per_day = models.JSONField(default=list)
    hourly_pattern = models.JSONField(default=list, blank=True)
    group_sizes = models.JSONField(default=list, blank=True)
    specific_needs_share = models.FloatField(null=True, blank=True)
    demographics = models.JSONField(default=dict, blank=True)
    shift_hours = models.PositiveSmallIntegerField(default=8)
    shift_start_hour = models.PositiveSmallIntegerField(default=6)
    waiting_area_capacity = models.PositiveIntegerField(null=True, blank=True)
    stages = models.JSONField(default=list)
    average_stay_days = models.FloatField(default=2.0)
    initial_phase_days = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("plan", "kind"), name="plan_scenario_once_per_kind")]


class ScenarioResult(BaseModel):
    """Figures computed for a scenario, with what reproduces them: the inputs as simulated, the
    seed, the replications and the engine's version. The latest one is the scenario's result."""

    scenario = models.ForeignKey(PlanScenario, on_delete=models.CASCADE, related_name="results")
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    engine_version = models.CharField(max_length=100)
    seed = models.PositiveBigIntegerField()
    replications = models.PositiveSmallIntegerField()
    plan_version = models.PositiveIntegerField()
    inputs = models.JSONField()
    figures = models.JSONField()
    seconds = models.FloatField()

    class Meta:
        ordering = ("-created_at",)


class PlanRole(BaseModel):
    """What one organisation does under the plan."""

    plan = models.ForeignKey(ContingencyPlan, on_delete=models.CASCADE, related_name="roles")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    responsibilities = models.TextField(_("responsibilities"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("position",)


class PlanTrigger(BaseModel):
    """A threshold of one metric: crossing it raises an alert for a person to decide."""

    plan = models.ForeignKey(ContingencyPlan, on_delete=models.CASCADE, related_name="triggers")
    metric = models.CharField(_("metric"), max_length=24, choices=TriggerMetric.choices)
    threshold = models.FloatField(_("threshold"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("plan", "metric"), name="plan_trigger_once_per_metric")
        ]


class PlanReading(BaseModel):
    """A figure HBM does not measure, entered by a person: a waiting time, a reception occupancy."""

    plan = models.ForeignKey(ContingencyPlan, on_delete=models.CASCADE, related_name="readings")
    metric = models.CharField(max_length=24, choices=TriggerMetric.choices)
    value = models.FloatField()
    observed_at = models.DateTimeField()
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=("plan", "metric", "observed_at"), name="reading_latest")]


class PlanAlert(BaseModel):
    """A trigger crossed on one local day of the crossing point: at most one per plan, metric and
    day (the unique constraint makes every later check of the same day find it, not repeat it)."""

    plan = models.ForeignKey(ContingencyPlan, on_delete=models.PROTECT, related_name="alerts")
    crossing_point = models.ForeignKey(CrossingPoint, on_delete=models.PROTECT, related_name="+")
    metric = models.CharField(max_length=24, choices=TriggerMetric.choices)
    threshold = models.FloatField()
    value = models.FloatField()
    unit = models.CharField(max_length=16)
    day = models.DateField()
    source = models.CharField(max_length=16)  # "registrations" or "reading"
    status = models.CharField(max_length=12, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    mode_decision = models.ForeignKey(
        ModeDecision, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=("plan", "metric", "day"), name="plan_alert_once_per_metric_and_day"
            )
        ]
