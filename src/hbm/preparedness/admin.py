"""Plans and alerts in the admin: read-only. Plans change through the planners' pages and the API
(audited there); alerts are decided by a coordinator, whose decision the mode switch records."""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from hbm.preparedness.models import ContingencyPlan, PlanAlert


class _ReadOnly(admin.ModelAdmin[models.Model]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


@admin.register(ContingencyPlan)
class ContingencyPlanAdmin(_ReadOnly):
    list_display = ("title", "crossing_point", "organisation", "status", "version", "updated_at")
    list_filter = ("status",)


@admin.register(PlanAlert)
class PlanAlertAdmin(_ReadOnly):
    list_display = ("day", "crossing_point", "metric", "value", "threshold", "status", "decided_by")
    list_filter = ("status", "metric")
