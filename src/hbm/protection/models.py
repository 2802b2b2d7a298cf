"""The services directory: who offers what, where, in which languages, how many at a time.

A service is an organisation's offer (a child-protection desk, an isolation ward, a legal-aid
clinic). It holds no personal data; persons reach it through referrals.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import Organisation
from hbm.core.models import BaseModel
from hbm.crossings.models import CrossingPoint
from hbm.protection.enums import ServiceType


class Service(BaseModel):
    """One service of one organisation, and where it serves."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="services")
    name = models.CharField(_("name"), max_length=200)
    service_type = models.CharField(_("type"), max_length=32, choices=ServiceType.choices, db_index=True)
    description = models.TextField(_("description"), blank=True)
    crossing_points = models.ManyToManyField(CrossingPoint, related_name="services", blank=True)
    # Places served beyond crossing points: districts, towns, a whole region ("nationwide").
    areas = models.JSONField(_("areas served"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)  # ISO 639 codes
    # How many persons it can take at once (open referrals count against it); NULL: not limited.
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    # {"mon": "08:00-18:00", …, "sun": ""}; "00:00-24:00" round the clock; "" closed.
    opening_hours = models.JSONField(_("opening hours"), default=dict, blank=True)
    contact = models.CharField(_("contact"), max_length=500, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("organisation", "name"), name="service_unique_name_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"
