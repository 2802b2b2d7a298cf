from django.contrib import admin

from hbm.crossings.models import CrossingPoint, ModeDecision


@admin.register(CrossingPoint)
class CrossingPointAdmin(admin.ModelAdmin[CrossingPoint]):
    list_display = ("code", "name", "kind", "mode", "neighbouring_country", "normal_daily_capacity")
    # The mode changes only through a recorded decision (the mode switch), never by editing.
    readonly_fields = ("mode", "mode_changed_at")
    filter_horizontal = ("staff",)


@admin.register(ModeDecision)
class ModeDecisionAdmin(admin.ModelAdmin[ModeDecision]):
    list_display = ("crossing_point", "from_mode", "to_mode", "decided_by", "decided_at")

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
