"""Named values of the preparedness app: plan status, scenario kinds, trigger metrics, alerts."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active: its triggers are checked")
    ARCHIVED = "archived", _("Archived")


class ScenarioKind(models.TextChoices):
    BEST = "best", _("Best case")
    MOST_LIKELY = "most_likely", _("Most likely")
    WORST = "worst", _("Worst case")


class TriggerMetric(models.TextChoices):
    ARRIVALS_PER_DAY = "arrivals_per_day", _("Arrivals per day")
    WAITING_TIME = "waiting_time", _("Waiting time")
    RECEPTION_OCCUPANCY = "reception_occupancy", _("Reception occupancy")


# The unit of each metric's threshold, fixed so that a threshold cannot be read in the wrong one.
METRIC_UNITS: dict[TriggerMetric, str] = {
    TriggerMetric.ARRIVALS_PER_DAY: "persons/day",
    TriggerMetric.WAITING_TIME: "minutes",
    TriggerMetric.RECEPTION_OCCUPANCY: "percent",
}

UNIT_LABELS = {
    "persons/day": _("persons per day"),
    "minutes": _("minutes"),
    "percent": _("percent of capacity"),
}

# HBM counts arrivals from its own registrations; nobody records queue times or reception beds in
# HBM yet, so those two figures are entered by a person (a reading) until a system provides them.
MEASURED_METRICS = frozenset({TriggerMetric.ARRIVALS_PER_DAY})
ENTERED_METRICS = frozenset({TriggerMetric.WAITING_TIME, TriggerMetric.RECEPTION_OCCUPANCY})


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open: waiting for a decision")
    SWITCHED = "switched", _("Decided: switched to emergency mode")
    DISMISSED = "dismissed", _("Decided: dismissed")


class AlertDecision(models.TextChoices):
    SWITCH = "switch", _("Switch the crossing point to emergency mode")
    DISMISS = "dismiss", _("Dismiss")
