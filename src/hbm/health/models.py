"""Health screening at points of entry: counts for every screening, a record for a positive one.

A negative screening is only a count in :class:`ScreeningCount` — per crossing point, local day and
hour, and checklist version — and leaves no row that names the person. A positive one is also a
:class:`HealthRecord` (answers, temperature and suspected diseases encrypted at rest) that only
health officers read, and one count per suspected disease in :class:`SuspectedCount`, so that the
daily report is made of counts alone and never decrypts a record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hbm.core.crypto import EncryptedJSONField
from hbm.core.models import BaseModel
from hbm.crossings.models import CrossingPoint
from hbm.health.enums import HealthAction, LegalBasis
from hbm.protection.enums import Urgency
from hbm.protection.models import Referral
from hbm.registration.models import Person


class ScreeningCount(models.Model):
    """How many were screened at a crossing point in one local hour with one checklist version.

    ``day`` and ``hour`` are in the crossing point's time zone (the report is per local day).
    Incremented with ``UPDATE … SET n = n + 1`` under the unique key: no increment is lost."""

    crossing_point = models.ForeignKey(CrossingPoint, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    hour = models.PositiveSmallIntegerField()  # 0-23, local
    checklist_id = models.CharField(max_length=64)
    checklist_version = models.PositiveIntegerField()
    negative = models.PositiveIntegerField(default=0)
    positive = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("crossing_point", "day", "hour", "checklist_id", "checklist_version"),
                name="screening_count_once",
            ),
            models.CheckConstraint(condition=models.Q(hour__lte=23), name="screening_count_hour"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.hour:02d}h: {self.negative} negative, {self.positive} positive"


class SuspectedCount(models.Model):
    """How many positive screenings suspected one disease, per crossing point and local day."""

    crossing_point = models.ForeignKey(CrossingPoint, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    checklist_id = models.CharField(max_length=64)
    checklist_version = models.PositiveIntegerField()
    disease = models.CharField(max_length=64)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("crossing_point", "day", "checklist_id", "checklist_version", "disease"),
                name="suspected_count_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.disease}: {self.count}"


class HealthRecord(BaseModel):
    """A positive screening of one person. Only health officers read it (``access_health_record``)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    crossing_point = models.ForeignKey(CrossingPoint, on_delete=models.PROTECT, related_name="+")
    checklist_id = models.CharField(max_length=64)
    checklist_version = models.PositiveIntegerField()
    checklist_digest = models.CharField(max_length=64)  # SHA-256 of the checklist file
    answers = EncryptedJSONField(default=dict)  # {question id: answer}, as checked by the engine
    temperature_c = EncryptedJSONField(null=True, blank=True)
    # [{"disease": id, "action": isolate|refer, "urgency": …}], most urgent first
    suspected = EncryptedJSONField(default=list)
    action = models.CharField(_("action"), max_length=8, choices=HealthAction.choices)
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis.choices)
    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="health_record"
    )
    screened_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=("crossing_point", "screened_at"), name="health_record_point_time")]
