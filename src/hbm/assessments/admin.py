"""Assessments in the admin: read-only (they change through the planners' pages and the API)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from hbm.assessments.models import Assessment


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin[Assessment]):
    list_display = (
        "title",
        "country",
        "crossing_point",
        "organisation",
        "status",
        "overall_score",
        "updated_at",
    )
    list_filter = ("status", "country")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Assessment | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Assessment | None = None) -> bool:
        return False
