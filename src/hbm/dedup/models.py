"""Blocking keys, biometric templates, candidate pairs, adjudication decisions and the links they make.

The database is the system of record: the 1:N face index and the blocking keys are derived from it
and can be rebuilt with ``hbm dedup reindex``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hbm.core.crypto import EncryptedBinaryField
from hbm.core.models import BaseModel
from hbm.dedup.enums import CandidateStatus, Modality, Ruling, Verdict
from hbm.registration.models import Person


class BlockingKey(models.Model):
    """One blocking key of a person (a phonetic name key with a birth year band, …): candidates
    are the persons sharing at least one key, so no check compares all pairs."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="blocking_keys")
    key = models.CharField(max_length=96)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("key", "person"), name="blocking_key_once")]

    def __str__(self) -> str:
        return self.key


class BiometricTemplate(models.Model):
    """A person's biometric template (a face's 128-d vector today), encrypted at rest.

    The integer id is the template's id in the 1:N index. Deleting the row (an erasure) leaves a
    ``TemplateChange`` that every process's index applies: the template leaves the index too.
    """

    id = models.BigAutoField(primary_key=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="biometric_templates")
    modality = models.CharField(max_length=16, choices=Modality.choices)
    vector = EncryptedBinaryField()
    quality = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("person", "modality"), name="template_once_per_modality")
        ]

    def __str__(self) -> str:
        return f"{self.modality} {self.pk}"


class TemplateChange(models.Model):
    """The log the in-memory indexes follow: each process applies the changes after the last it saw."""

    seq = models.BigAutoField(primary_key=True)
    template_id = models.BigIntegerField()
    modality = models.CharField(max_length=16, choices=Modality.choices)
    added = models.BooleanField()
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.seq} {'+' if self.added else '-'}{self.template_id}"


class MatchCandidate(BaseModel):
    """A pair of persons the engines found alike, with the evidence and what was decided.

    The pair is stored once (``person_low`` has the smaller id). A pair decided *distinct* stays
    here so that it never comes back; ``contributions`` holds field names and weights only.
    """

    person_low = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_high = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    verdict = models.CharField(max_length=12, choices=Verdict.choices)
    biographic_weight = models.FloatField()
    biographic_probability = models.FloatField()
    face_similarity = models.FloatField(null=True, blank=True)
    contributions = models.JSONField(default=list)
    involves_child = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.OPEN)
    # Who is reviewing the pair's group, until when (decision 0025): another adjudicator's "next
    # group" passes it by and their decision on it waits. Past ``review_until`` the hold is void.
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("person_low", "person_high"), name="candidate_pair_once"),
            models.CheckConstraint(
                condition=models.Q(person_low__lt=models.F("person_high")), name="pair_ordered"
            ),
        ]
        indexes = [
            models.Index(fields=("status", "created_at"), name="candidate_queue"),
            # The open pairs in review order (hbm.dedup.selectors.QUEUE_ORDER), with their persons:
            # the first pairs of the queue and the next group to review are read without sorting
            # every open pair, and the queue's groups from the index alone.
            models.Index(
                fields=(
                    "-involves_child",
                    "-biographic_probability",
                    "created_at",
                    "id",
                    "person_low",
                    "person_high",
                ),
                name="candidate_review_order",
                condition=models.Q(status="open"),
            ),
            # The holds in force are few: the queue reads them through this small index.
            models.Index(
                fields=("review_until",),
                name="candidate_review_hold",
                condition=models.Q(reviewer__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_low_id} ~ {self.person_high_id} ({self.verdict})"


class Adjudication(BaseModel):
    """One decision by a person on a candidate pair. *Same person* makes a link; undoing it keeps
    this row (with who undid it and when) and removes the link. Where a child is involved the link
    takes effect once a second adjudicator confirms it: who, and when (decision 0031)."""

    candidate = models.ForeignKey(MatchCandidate, on_delete=models.PROTECT, related_name="adjudications")
    ruling = models.CharField(_("decision"), max_length=10, choices=Ruling.choices)
    reason = models.TextField(_("reason"), blank=True)
    # None: decided by the engines (evidence above the "same person" threshold), undoable like any.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.candidate_id}: {self.ruling}"

    @property
    def is_active(self) -> bool:
        return self.undone_at is None


class MatchModelVersion(BaseModel):
    """The Fellegi–Sunter parameters in use: estimated from the population by EM
    (``hbm dedup estimate``) or the configured defaults. The newest row is used."""

    parameters = models.JSONField()
    records = models.PositiveIntegerField(default=0)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"match model of {self.created_at:%Y-%m-%d %H:%M} ({self.records} records)"
