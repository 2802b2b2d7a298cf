"""A follow-up of one person in the migration cycle and each step of it, with the day it happened.

The kind and stage stay in clear (the coordinator counts them in SQL); the caseworkers' notes are
encrypted at rest. The case is held by one organisation: its caseworkers record the steps.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hbm.accounts.models import Organisation
from hbm.core.crypto import EncryptedJSONField
from hbm.core.models import BaseModel
from hbm.crossings.models import CrossingPoint
from hbm.followup.enums import FollowUpKind, FollowUpStage
from hbm.protection.models import Referral
from hbm.registration.models import Person
from hbm.tracing.models import TracingRequest


class FollowUp(BaseModel):
    """One path of one person after the border: asylum, family reunification, return, relocation."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=24, choices=FollowUpKind.choices)
    stage = models.CharField(max_length=24, choices=FollowUpStage.choices)
    is_closed = models.BooleanField(default=False)  # the stage is terminal
    started_on = models.DateField()
    stage_on = models.DateField()  # the day the current stage was reached
    review_on = models.DateField(null=True, blank=True)  # overdue after this day; NULL once closed
    # Who holds the case: the receiving organisation of the referral, else the recorder's.
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # Denormalised from the person (where they were met): the overview groups by it without a join.
    crossing_point = models.ForeignKey(CrossingPoint, on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    tracing_request = models.ForeignKey(
        TracingRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = EncryptedJSONField(default=str)  # the latest step's note

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("person", "kind"),
                condition=models.Q(is_closed=False),
                name="followup_one_open_per_kind",
            )
        ]
        indexes = [
            models.Index(fields=("person", "is_closed"), name="followup_person"),
            models.Index(fields=("organisation", "is_closed"), name="followup_organisation"),
            models.Index(fields=("crossing_point", "kind", "stage"), name="followup_point_stage"),
        ]


class FollowUpStep(BaseModel):
    """One step: from what stage to what, the day it happened, who recorded it and when."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.PROTECT, related_name="steps")
    from_stage = models.CharField(max_length=24, choices=FollowUpStage.choices, blank=True)
    to_stage = models.CharField(max_length=24, choices=FollowUpStage.choices)
    happened_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = EncryptedJSONField(default=str)
