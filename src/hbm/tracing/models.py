"""Tracing requests, the possible matches the engines find for them, and both sides' consents.

What the enquirer told (their name, contact, the circumstances of separation), the sought
person's photo and face template, and the officers' notes are encrypted at rest. A possible match
is seen by the screening officers who may see the registered person; its identity reaches the
tracing caseworker only after consent on both sides (decision 0010).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import Organisation
from hbm.core.crypto import EncryptedBinaryField, EncryptedJSONField
from hbm.core.models import BaseModel
from hbm.registration.enums import BirthDateAccuracy, Sex
from hbm.registration.models import Person
from hbm.tracing.enums import (
    ConsentGivenBy,
    ConsentSide,
    MatchStatus,
    RequestOutcome,
    RequestStatus,
    SoughtRelationship,
)


class TracingRequest(BaseModel):
    """An enquirer looking for a relative, handled by one tracing caseworker."""

    reference = models.CharField(_("reference"), max_length=12, unique=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    caseworker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=8, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    outcome = models.CharField(max_length=20, choices=RequestOutcome.choices, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_note = EncryptedJSONField(default=str)
    # The enquirer: registered in HBM (then never proposed as their own relative) or not.
    enquirer_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    enquirer = EncryptedJSONField(default=dict)  # {"name": …, "contact": …}
    relationship = models.CharField(_("relationship"), max_length=16, choices=SoughtRelationship.choices)
    # The sought person, as the enquirer knows them.
    given_names_original = models.CharField(max_length=200, blank=True)
    surname_original = models.CharField(max_length=200, blank=True)
    given_names_latin = models.CharField(max_length=200, blank=True)
    surname_latin = models.CharField(max_length=200, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices)
    date_of_birth = models.DateField()
    birth_date_accuracy = models.CharField(max_length=10, choices=BirthDateAccuracy.choices)
    nationality = models.CharField(max_length=3, blank=True)
    place_of_birth = models.CharField(max_length=200, blank=True)
    # As the enquirer gives them, first name first: they tell the sought person from namesakes.
    father_name = models.CharField(_("Father's name"), max_length=200, blank=True)
    mother_name = models.CharField(_("Mother's name"), max_length=200, blank=True)
    photo = EncryptedBinaryField(null=True, blank=True)
    face = EncryptedBinaryField(null=True, blank=True)  # the photo's 128-d float32 template
    face_status = models.CharField(max_length=16, blank=True)  # "encoded", "none", or why not
    separated_at_place = models.CharField(max_length=200, blank=True)
    separated_on = models.DateField(null=True, blank=True)
    circumstances = EncryptedJSONField(default=str)
    # Persons checked for duplicates before this moment were already compared with this request.
    searched_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=("caseworker", "status"), name="tracing_request_caseworker")]

    def __str__(self) -> str:
        return self.reference


class TracingMatch(BaseModel):
    """A registered person the engines found alike the sought person, and what became of it."""

    request = models.ForeignKey(TracingRequest, on_delete=models.CASCADE, related_name="matches")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=MatchStatus.choices, default=MatchStatus.PROPOSED)
    # Bits of evidence (log2 of the likelihood ratio): the names, dates, … plus the face's.
    weight = models.FloatField()
    biographic_weight = models.FloatField()
    face_similarity = models.FloatField(null=True, blank=True)
    contributions = models.JSONField(default=list)  # field, level and weight only: no values
    involves_child = models.BooleanField(default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = EncryptedJSONField(default=str)  # the officer's note for the caseworker (how to meet)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("request", "person"), name="tracing_match_once")]
        indexes = [models.Index(fields=("status", "person"), name="tracing_match_status")]

    def __str__(self) -> str:
        return f"{self.request_id} ~ {self.person_id}"


class TracingConsent(BaseModel):
    """One side's decision on sharing: the enquirer's (with the request) or the found person's (on
    a match). Never edited: a later decision is a new row."""

    request = models.ForeignKey(TracingRequest, on_delete=models.CASCADE, related_name="consents")
    match = models.ForeignKey(
        TracingMatch, on_delete=models.CASCADE, null=True, blank=True, related_name="consents"
    )
    side = models.CharField(max_length=8, choices=ConsentSide.choices)
    is_given = models.BooleanField()
    given_by = models.CharField(max_length=16, choices=ConsentGivenBy.choices)
    reason = EncryptedJSONField(default=str)  # required for a best-interests decision
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.side} {'given' if self.is_given else 'refused'}"
