"""Organisations, users and per-device API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from hbm.accounts.enums import OrganisationKind, Role
from hbm.core.models import BaseModel


class Organisation(BaseModel):
    """A partner at the border: an agency, a ministry, an NGO, a UN agency."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    country = models.CharField(_("country"), max_length=3, help_text=_("ISO 3166-1 alpha-3"))

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person using HBM. One role each; need-to-know follows from role, organisation and posts."""

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    preferred_language = models.CharField(max_length=8, default="en")

    def has_role(self, *roles: Role) -> bool:
        return self.is_active and self.role in roles


class DeviceToken(BaseModel):
    """An API token for one device of one user; only its SHA-256 is stored.

    Revoking a token (a lost phone) refuses its next request at once; the user's other devices keep
    working. The plain token is shown once, when it is created.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="device_tokens")
    name = models.CharField(_("device name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def label(self) -> str:
        return f"token:{self.prefix} {self.name}"

    def __str__(self) -> str:
        return self.label
