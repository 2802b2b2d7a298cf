"""The services directory, consents, referrals, and protection screenings with their flags.

A service is an organisation's offer (a child-protection desk, an isolation ward, a legal-aid
clinic); it holds no personal data. A referral sends a person to a service after the person's
consent to that recipient; the receiving organisation sees only what the referral shares. The
referral's reason, the service's notes and a best-interests reason are encrypted at rest.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import Organisation
from hbm.core.crypto import EncryptedJSONField
from hbm.core.models import BaseModel
from hbm.crossings.models import CrossingPoint
from hbm.protection.enums import (
    ConsentGivenBy,
    ConsentPurpose,
    ReferralOutcome,
    ReferralStatus,
    ServiceType,
    Urgency,
)
from hbm.registration.models import Person


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


class Consent(BaseModel):
    """A person's consent to one purpose with one recipient organisation, or a withdrawal of it.

    For a child, a parent or guardian may answer, or a best-interests decision is recorded with
    its reason and the supervisor who approved it. The latest record of a person, purpose and
    recipient is what holds.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=16, choices=ConsentPurpose.choices)
    recipient = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    is_given = models.BooleanField()
    given_by = models.CharField(max_length=16, choices=ConsentGivenBy.choices)
    reason = EncryptedJSONField(default=str)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=("person", "purpose", "recipient"), name="consent_lookup")]


class Referral(BaseModel):
    """A person with a specific need referred to a service, followed until someone takes charge."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals")
    # Denormalised from the service: need-to-know filters on it without a join.
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    crossing_point = models.ForeignKey(CrossingPoint, on_delete=models.PROTECT, related_name="+")
    flag = models.CharField(max_length=16, blank=True)  # the specific-needs code that led here
    urgency = models.CharField(max_length=16, choices=Urgency.choices)
    status = models.CharField(
        max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.PENDING, db_index=True
    )
    outcome = models.CharField(max_length=24, choices=ReferralOutcome.choices, blank=True)
    reason = EncryptedJSONField(default=str)  # what the service needs to know: shared with it
    shared_fields = models.JSONField(default=list)
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    deadline_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)  # accepted or declined
    closed_at = models.DateTimeField(null=True, blank=True)
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = EncryptedJSONField(default=str)  # the service's latest word: why declined, the outcome
    # The screening whose suggestion the officer confirmed (none for a referral made by hand).
    screening = models.ForeignKey(
        "ProtectionScreening", on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    # The local day it counts on at the crossing point (its screening's day; a referral made by
    # hand, the day it was made): the dashboard counts overdue referrals per day (decision 0015).
    day = models.DateField(null=True, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True)  # the person's first encounter there

    class Meta:
        indexes = [
            models.Index(fields=("organisation", "status"), name="referral_organisation_status"),
            models.Index(fields=("crossing_point", "status", "deadline_at"), name="referral_point_deadline"),
            # The dashboard's overdue referrals: only those still awaiting acceptance are indexed.
            models.Index(
                fields=("day", "crossing_point", "deadline_at", "flag"),
                condition=models.Q(status__in=("pending", "sent")),
                name="referral_awaiting_day",
            ),
        ]


class ReferralStep(BaseModel):
    """One transition of a referral: who moved it, from what to what, when."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="steps")
    from_status = models.CharField(max_length=12, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=ReferralStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")


class ProtectionScreening(BaseModel):
    """One first-contact protection screening of one person, with the exact questionnaire used.

    The answers are encrypted at rest; what they raised is kept as :class:`ProtectionFlag` rows
    (plain, so that the dashboard counts them in SQL). ``questionnaire_digest`` is the SHA-256 of
    the definition file, so that a flag can be explained later even if the file was edited
    without a new version (decision 0012).
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    crossing_point = models.ForeignKey(CrossingPoint, on_delete=models.PROTECT, related_name="+")
    questionnaire_id = models.CharField(max_length=64)
    questionnaire_version = models.PositiveIntegerField()
    questionnaire_digest = models.CharField(max_length=64)
    answers = EncryptedJSONField(default=dict)
    treated_as_child = models.BooleanField(default=False)
    age_in_doubt = models.BooleanField(default=False)
    urgency = models.CharField(max_length=16, choices=Urgency.choices, blank=True)  # the most urgent flag's
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    screened_at = models.DateTimeField()
    day = models.DateField()  # local day at the crossing point
    # For the dashboard (decision 0015): when the person arrived (first met at the crossing point),
    # when a service first accepted a referral confirmed from this screening, and whether one was
    # accepted before its deadline. Set by the referral lifecycle; no personal detail.
    arrived_at = models.DateTimeField()
    first_accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_in_time = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=("person", "screened_at"), name="screening_person_time"),
            # The dashboard's flagged persons, referred in time, time to acceptance: read from the
            # index alone, for screenings that raised something.
            models.Index(
                fields=(
                    "day",
                    "crossing_point",
                    "person",
                    "accepted_in_time",
                    "first_accepted_at",
                    "arrived_at",
                ),
                condition=models.Q(urgency__gt=""),
                name="screening_flagged_day_point",
            ),
        ]


class ProtectionFlag(BaseModel):
    """A specific need a screening raised: UNHCR's ``code`` and its two-letter ``category`` (both
    blank where UNHCR has no code, e.g. an uncomplicated pregnancy), HBM's ``concern``, and the
    urgency. Plain columns on purpose: the dashboard aggregates them per crossing point and day."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    screening = models.ForeignKey(ProtectionScreening, on_delete=models.PROTECT, related_name="flags")
    crossing_point = models.ForeignKey(CrossingPoint, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=16, blank=True)
    category = models.CharField(max_length=4, blank=True)
    concern = models.CharField(max_length=32)
    urgency = models.CharField(max_length=16, choices=Urgency.choices)
    raised_at = models.DateTimeField()
    day = models.DateField()  # local day at the crossing point

    class Meta:
        indexes = [
            models.Index(
                fields=("day", "crossing_point", "category", "person"), name="flag_day_point_category"
            ),
            models.Index(fields=("person", "raised_at"), name="flag_person_time"),
        ]
