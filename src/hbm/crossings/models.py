"""Crossing points and the recorded decisions that switch their mode."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import Organisation
from hbm.core.models import BaseModel
from hbm.crossings.enums import CrossingKind, CrossingMode


class CrossingPoint(BaseModel):
    """A border crossing point: land road/rail post, sea port or landing place, airport."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=CrossingKind.choices)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5)
    neighbouring_country = models.CharField(
        _("neighbouring country"), max_length=3, help_text=_("ISO 3166-1 alpha-3")
    )
    normal_daily_capacity = models.PositiveIntegerField(_("normal daily capacity"))
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC")
    mode = models.CharField(
        _("mode"), max_length=12, choices=CrossingMode.choices, default=CrossingMode.NORMAL
    )
    mode_changed_at = models.DateTimeField(null=True, blank=True)
    operator = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="operated_crossing_points"
    )
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="crossing_points")

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class ModeDecision(BaseModel):
    """A person with authority switched a crossing point's mode: who, when, why."""

    crossing_point = models.ForeignKey(CrossingPoint, on_delete=models.PROTECT, related_name="mode_decisions")
    from_mode = models.CharField(max_length=12, choices=CrossingMode.choices)
    to_mode = models.CharField(max_length=12, choices=CrossingMode.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    reason = models.TextField()

    class Meta:
        ordering = ("-decided_at",)
