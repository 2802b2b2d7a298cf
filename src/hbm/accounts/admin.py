from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from hbm.accounts.models import DeviceToken, Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ("name", "kind", "country")
    search_fields = ("name",)


@admin.register(User)
class HbmUserAdmin(UserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "first_name", "last_name", "role", "organisation", "is_active")
    list_filter = ("role", "organisation", "is_active")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("HBM", {"fields": ("role", "organisation", "preferred_language")}),
    )


@admin.register(DeviceToken)
class DeviceTokenAdmin(admin.ModelAdmin[DeviceToken]):
    list_display = ("name", "user", "prefix", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "key_hash", "last_used_at")
