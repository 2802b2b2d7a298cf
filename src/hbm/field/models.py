"""Enrolled field devices, the receipts that make sync exactly-once, person revisions and conflicts."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import DeviceToken
from hbm.core.crypto import EncryptedJSONField
from hbm.core.models import BaseModel
from hbm.field.enums import ConflictChoice, ConflictStatus, EditSource
from hbm.registration.models import Person


def person_field_value(person: Person, field_name: str) -> Any:
    """A person's field as JSON (dates as ISO text): the form both sides of a conflict are kept in."""
    value = getattr(person, field_name)
    return value.isoformat() if isinstance(value, date) else value


class FieldDevice(BaseModel):
    """A phone or tablet enrolled in the field app, with its own revocable token.

    The counters are what the device last reported about its outbox: a coordinator sees which
    devices still hold records the server has not received.
    """

    token = models.OneToOneField(DeviceToken, on_delete=models.PROTECT, related_name="field_device")
    app_version = models.CharField(max_length=40, blank=True)
    last_sync_at = models.DateTimeField(_("last sync"), null=True, blank=True)
    pending_reported = models.PositiveIntegerField(_("records waiting on the device"), default=0)
    rejected_reported = models.PositiveIntegerField(_("records rejected, to fix on the device"), default=0)
    records_received = models.PositiveIntegerField(_("records received"), default=0)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.token.name


class SyncReceipt(models.Model):
    """The answer given to one upload (idempotency key) of one device, replayed if it comes again.

    The answer holds record ids, statuses and error texts, never a person's data.
    """

    device = models.ForeignKey(FieldDevice, on_delete=models.PROTECT, related_name="receipts")
    key = models.CharField(max_length=64)
    body_hash = models.CharField(max_length=64)
    records = models.PositiveIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("device", "key"), name="receipt_once_per_key")]

    def __str__(self) -> str:
        return f"{self.device_id} {self.key}"


class PersonRevision(BaseModel):
    """One change to a person, however it came (offline edit, web form, conflict resolution).

    The id of an offline edit is made on the device, so a replayed edit is found, not re-applied.
    ``applied`` are the fields this change wrote; ``conflicts`` those it could not, because the
    server had changed them since ``base_version``. ``version`` is the person's version after it.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="revisions")
    source = models.CharField(max_length=12, choices=EditSource.choices)
    base_version = models.PositiveIntegerField()
    version = models.PositiveIntegerField()
    applied = models.JSONField(default=list)
    conflicts = models.JSONField(default=list)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    device = models.CharField(max_length=200)

    class Meta:
        indexes = [models.Index(fields=("person", "version"), name="revision_person_version")]


class PersonConflict(BaseModel):
    """A field two people changed apart: both values are kept until a supervisor chooses one."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="conflicts")
    revision = models.ForeignKey(PersonRevision, on_delete=models.PROTECT, related_name="conflict_rows")
    field = models.CharField(_("field"), max_length=32)
    base_version = models.PositiveIntegerField()
    server_value = EncryptedJSONField(null=True)
    device_value = EncryptedJSONField(null=True)
    status = models.CharField(max_length=8, choices=ConflictStatus.choices, default=ConflictStatus.OPEN)
    choice = models.CharField(max_length=8, choices=ConflictChoice.choices, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("created_at",)
        indexes = [models.Index(fields=("status", "created_at"), name="conflict_status_time")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.field}"

    @property
    def current_value(self) -> Any:
        """The value on the server now (it may have moved on since the conflict was found)."""
        return person_field_value(self.person, self.field)
