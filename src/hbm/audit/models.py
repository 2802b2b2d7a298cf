"""The audit trail: one row per event, each row chained to the one before by a SHA-256 hash."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """One event. Rows are only ever inserted: database triggers refuse UPDATE and DELETE.

    ``seq`` is gap-free (1, 2, 3 …) because it is taken from :class:`AuditHead` under a lock, so a
    removed row shows as a gap; ``entry_hash`` = SHA-256(``prev_hash`` + canonical JSON of the row),
    so an altered row breaks its own hash and every later link.
    """

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    device = models.CharField(max_length=200)
    address = models.CharField(max_length=64, blank=True)
    event = models.CharField(max_length=64, db_index=True)  # an AuditEvent code; labels in enums
    subject_type = models.CharField(max_length=64, blank=True)
    subject_id = models.CharField(max_length=64, blank=True, db_index=True)
    detail = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ("seq",)
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.event} by {self.actor_label}"


class AuditHead(models.Model):
    """The single row holding the last ``seq`` and hash: locking it serialises appends."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit head at #{self.seq}"
