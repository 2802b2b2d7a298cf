"""Writes of the field app: enrolling a device, receiving an outbox batch, edits, conflict resolution.

Exactly-once rests on two things. Every record carries an id made on the device, and every service
that stores one answers a replay with what it stored the first time (see registration.services).
Every upload carries an idempotency key: the answer to it is kept, so a device whose answer was
lost gets the same answer again, even for records that were rejected.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils.translation import gettext as _
from pydantic import ValidationError

from hbm.accounts.enums import REGISTERING_ROLES, Role
from hbm.accounts.models import DeviceToken
from hbm.accounts.services import (
    credentials_check,
    device_token_create,
    device_token_revoke,
    login_record,
    logout_record,
)
from hbm.audit.enums import AuditEvent
from hbm.audit.services import audit_record
from hbm.core.context import Actor
from hbm.core.errors import Conflict, HbmError, NotFound, PermissionDenied, ValidationFailed
from hbm.core.http import client_address
from hbm.core.time import now
from hbm.field.enums import (
    ConflictChoice,
    ConflictStatus,
    EditableField,
    EditSource,
    RecordKind,
    RecordStatus,
)
from hbm.field.models import FieldDevice, PersonConflict, PersonRevision, SyncReceipt, person_field_value
from hbm.field.schemas import PHOTO_MAX_BYTES, PersonChangesIn, SyncIn, SyncRecordIn
from hbm.registration.enums import BirthDateAccuracy
from hbm.registration.inputs import count_cells_of, encounter_data_of, individual_data_of
from hbm.registration.models import Encounter, Group, Person
from hbm.registration.schemas import CountIn, GroupIn, PersonIn
from hbm.registration.selectors import access_person
from hbm.registration.services import (
    BatchRegistration,
    IndividualData,
    birth_date_check,
    count_record,
    group_preregister,
    language_check,
    latin_name_check,
    nationality_check,
    person_photo_set,
    person_register_detailed,
    persons_register_batch,
)
from hbm.registration.values import SEARCH_COLUMNS, SEARCH_SOURCES, search_columns_of

FIELD_APP_ROLES = REGISTERING_ROLES
IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_-]{8,64}")
CONFLICT_RESOLVER_ROLES = (Role.COORDINATOR,)


# --- enrolment ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EnrolledDevice:
    device: FieldDevice
    raw_token: str


def field_device_enrol(
    *, request: HttpRequest, username: str, password: str, device_name: str, app_version: str = ""
) -> EnrolledDevice:
    """Sign an officer in on a new device: check the password (lock-out counted), issue the
    device its own token and enrol it. Only roles that register people use the field app."""
    user = credentials_check(request=request, username=username, password=password)
    if not user.has_role(*FIELD_APP_ROLES):
        raise PermissionDenied(_("the field app is for border and screening officers"))
    actor = Actor(user=user, device=f"field:{device_name}", address=client_address(request))
    with transaction.atomic():
        issued = device_token_create(actor=actor, name=device_name)
        device = FieldDevice.objects.create(token=issued.token, app_version=app_version)
        audit_record(
            actor=actor, event=AuditEvent.DEVICE_ENROLLED, subject=device, detail={"name": device_name}
        )
        login_record(actor=actor)
    return EnrolledDevice(device=device, raw_token=issued.raw)


def field_device_sign_out(*, actor: Actor, token: DeviceToken) -> None:
    """The officer signed out of the app after a complete sync: the device's token ends here, so a
    copy of it left anywhere is worthless. (A device that signs out offline wipes itself all the
    same; its token then ends when a coordinator revokes it.)"""
    with transaction.atomic():
        device_token_revoke(actor=actor, token_id=str(token.pk))
        logout_record(actor=actor)


# --- sync -------------------------------------------------------------------------------------------


def _error_of(exc: HbmError) -> dict[str, Any]:
    return {"code": exc.code, "message": exc.message, "fields": exc.fields}


def _result(
    record: SyncRecordIn,
    status: RecordStatus,
    *,
    version: int | None = None,
    error: dict[str, Any] | None = None,
    conflicts: list[str] | None = None,
) -> dict[str, Any]:
    return {
        "id": str(record.id),
        "kind": str(record.kind),
        "status": str(status),
        "version": version,
        "error": error,
        "conflicts": conflicts or [],
    }


def _payload_error(exc: ValidationError) -> ValidationFailed:
    """Field errors named as the API names them (``documents.0.mrz``), so a form can show them."""
    fields: dict[str, list[str]] = {}
    for item in exc.errors():
        path = ".".join(str(p) for p in item["loc"]) or "payload"
        message = _("unknown field") if item["type"] == "extra_forbidden" else str(item["msg"])
        fields.setdefault(path, []).append(message)
    summary = "; ".join(f"{name}: {', '.join(msgs)}" for name, msgs in fields.items())
    return ValidationFailed(summary, fields=fields)


def _required(value: Any, name: str) -> Any:
    if value is None:
        raise ValidationFailed.on(name, _("is required for this kind of record"))
    return value


def _parse(schema: type[CountIn] | type[GroupIn] | type[PersonIn], record: SyncRecordIn) -> Any:
    payload = dict(_required(record.payload, "payload"))
    if payload.get("id") not in (None, str(record.id)):
        raise ValidationFailed.on("payload.id", _("must be left out or equal the record's id"))
    payload.pop("id", None)
    try:
        return schema.model_validate(payload)
    except ValidationError as exc:
        raise _payload_error(exc) from exc


def _count_apply(actor: Actor, record: SyncRecordIn) -> dict[str, Any]:
    payload: CountIn = _parse(CountIn, record)
    point = _required(record.crossing_point, "crossing_point")
    existed = Encounter.objects.filter(pk=record.id).exists()
    count_record(
        actor=actor,
        crossing_point_id=point,
        cells=count_cells_of(payload),
        data=encounter_data_of(payload),
        encounter_id=record.id,
    )
    return _result(record, RecordStatus.ALREADY_STORED if existed else RecordStatus.STORED)


def _group_apply(actor: Actor, record: SyncRecordIn) -> dict[str, Any]:
    payload: GroupIn = _parse(GroupIn, record)
    point = _required(record.crossing_point, "crossing_point")
    existed = Group.objects.filter(pk=record.id).exists()
    group_preregister(
        actor=actor,
        crossing_point_id=point,
        size=payload.size,
        head_name=payload.head_name,
        nationality=payload.nationality,
        data=encounter_data_of(payload),
        group_id=record.id,
        token=payload.token,
    )
    return _result(record, RecordStatus.ALREADY_STORED if existed else RecordStatus.STORED)


def _person_apply(actor: Actor, record: SyncRecordIn) -> dict[str, Any]:
    payload: PersonIn = _parse(PersonIn, record)
    registered = person_register_detailed(
        actor=actor,
        crossing_point_id=_required(record.crossing_point, "crossing_point"),
        data=individual_data_of(payload),
        person_id=record.id,
    )
    replay = registered.documents is None
    status = RecordStatus.ALREADY_STORED if replay else RecordStatus.STORED
    return _result(record, status, version=registered.person.version)


def _edit_apply(actor: Actor, record: SyncRecordIn) -> dict[str, Any]:
    try:
        changes = PersonChangesIn.model_validate(_required(record.changes, "changes"))
    except ValidationError as exc:
        raise _payload_error(exc) from exc
    outcome = person_edit_apply(
        actor=actor,
        person_id=_required(record.person, "person"),
        edit_id=record.id,
        base_version=_required(record.base_version, "base_version"),
        changes=changes,
        source=EditSource.FIELD,
    )
    status = RecordStatus.CONFLICT if outcome.conflicts else RecordStatus.MERGED
    if outcome.replayed:
        status = RecordStatus.ALREADY_STORED
    return _result(record, status, version=outcome.version, conflicts=list(outcome.conflicts))


def _photo_apply(actor: Actor, record: SyncRecordIn) -> dict[str, Any]:
    replay = PersonRevision.objects.filter(pk=record.id).values_list("version", flat=True).first()
    if replay is not None:
        return _result(record, RecordStatus.ALREADY_STORED, version=replay)
    try:
        data = base64.b64decode(_required(record.photo, "photo"), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationFailed.on("photo", _("is not base64")) from exc
    if len(data) > PHOTO_MAX_BYTES:
        raise ValidationFailed.on("photo", _("is larger than %(kb)s KB") % {"kb": PHOTO_MAX_BYTES // 1024})
    person = access_person(actor=actor, person_id=_required(record.person, "person"), purpose="photo")
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        person_photo_set(actor=actor, person=locked, data=data)
        version = _version_bump(locked)
        PersonRevision.objects.create(
            id=record.id,
            person=locked,
            source=EditSource.FIELD,
            base_version=version - 1,
            version=version,
            applied=["photo"],
            author=actor.user,
            device=actor.device,
        )
    return _result(record, RecordStatus.STORED, version=version)


_APPLIERS = {
    RecordKind.COUNT: _count_apply,
    RecordKind.GROUP: _group_apply,
    RecordKind.PERSON: _person_apply,
    RecordKind.PERSON_EDIT: _edit_apply,
    RecordKind.PHOTO: _photo_apply,
}


def _record_apply(actor: Actor, record: SyncRecordIn) -> dict[str, Any]:
    """Store one record, or say why not. A refusal of one record never stops the batch."""
    try:
        return _APPLIERS[record.kind](actor, record)
    except HbmError as exc:
        return _result(record, RecordStatus.REJECTED, error=_error_of(exc))


def _person_run(records: list[SyncRecordIn], start: int) -> int:
    """The end of the run of person records for one crossing point that starts at ``start``."""
    end = start
    while (
        end < len(records)
        and records[end].kind == RecordKind.PERSON
        and records[end].crossing_point == records[start].crossing_point
    ):
        end += 1
    return end


def _persons_apply(actor: Actor, records: list[SyncRecordIn]) -> list[dict[str, Any]]:
    """Individual registrations of one crossing point, written together (see
    ``persons_register_batch``); each is still checked and answered on its own."""
    results: dict[int, dict[str, Any]] = {}
    items: list[tuple[int, SyncRecordIn, IndividualData]] = []
    for index, record in enumerate(records):
        try:
            items.append((index, record, individual_data_of(_parse(PersonIn, record))))
        except HbmError as exc:
            results[index] = _result(record, RecordStatus.REJECTED, error=_error_of(exc))
    if items:
        try:
            outcomes = persons_register_batch(
                actor=actor,
                crossing_point_id=_required(records[0].crossing_point, "crossing_point"),
                items=[(record.id, data) for _, record, data in items],
            )
        except HbmError as exc:
            outcomes = [BatchRegistration(record.id, None, False, exc) for _, record, _ in items]
        for (index, record, _), outcome in zip(items, outcomes, strict=True):
            results[index] = _batch_result(record, outcome)
    return [results[i] for i in range(len(records))]


def _batch_result(record: SyncRecordIn, outcome: BatchRegistration) -> dict[str, Any]:
    if outcome.error is not None:
        return _result(record, RecordStatus.REJECTED, error=_error_of(outcome.error))
    status = RecordStatus.ALREADY_STORED if outcome.replayed else RecordStatus.STORED
    return _result(record, status, version=outcome.version)


def _records_apply(actor: Actor, records: list[SyncRecordIn]) -> list[dict[str, Any]]:
    """Apply a batch in order; consecutive registrations at one crossing point go together."""
    results: list[dict[str, Any]] = []
    index = 0
    while index < len(records):
        if records[index].kind == RecordKind.PERSON and records[index].crossing_point is not None:
            end = _person_run(records, index)
            results.extend(_persons_apply(actor, records[index:end]))
            index = end
        else:
            results.append(_record_apply(actor, records[index]))
            index += 1
    return results


def records_digest(records: list[Any]) -> str:
    """What an idempotency key stands for: the records of the upload, not its envelope (a retry
    may report a different outbox size). ``records`` as JSON values (parsed request or dump)."""
    canonical = json.dumps(records, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class SyncAnswer:
    key: str
    replayed: bool
    results: list[dict[str, Any]]


def _receipt_replay(device: FieldDevice, key: str, body_hash: str) -> SyncAnswer | None:
    receipt = SyncReceipt.objects.filter(device=device, key=key).first()
    if receipt is None:
        return None
    if receipt.body_hash != body_hash:
        raise IdempotencyKeyReused(
            _("this idempotency key was used for another upload: make a new key for a new batch"),
            fields={"Idempotency-Key": [_("already used for another upload")]},
        )
    return SyncAnswer(key=key, replayed=True, results=list(receipt.response))


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"


def _device_report(device: FieldDevice, batch: SyncIn, received: int) -> None:
    FieldDevice.objects.filter(pk=device.pk).update(
        last_sync_at=now(),
        pending_reported=max(batch.pending - received, 0),
        rejected_reported=batch.rejected,
        app_version=batch.app_version or F("app_version"),
        records_received=F("records_received") + received,
    )


def sync_receive(
    *, actor: Actor, device: FieldDevice, key: str, batch: SyncIn, digest: str | None = None
) -> SyncAnswer:
    """Take one upload of a device's outbox; the same key gets the same answer, once stored.

    Each record is stored in its own transaction, so a server stopped mid-batch keeps what it
    stored; the retry (same key, no receipt yet) stores the rest and answers ``already_stored``
    for the others. The receipt is written last. ``digest``: :func:`records_digest` of the
    records as received, when the caller has them (cheaper than dumping the parsed batch).
    """
    if not IDEMPOTENCY_KEY.fullmatch(key):
        raise ValidationFailed.on("Idempotency-Key", _("give 8 to 64 letters, digits, - or _"))
    if batch.device_id != device.pk:
        raise ValidationFailed.on("device_id", _("is not the device this token was issued to"))
    body_hash = digest or records_digest(
        [r.model_dump(mode="json", exclude_unset=True) for r in batch.records]
    )
    if (replay := _receipt_replay(device, key, body_hash)) is not None:
        _device_report(device, batch, 0)
        return replay
    results = _records_apply(actor, batch.records)
    received = sum(1 for r in results if r["status"] != RecordStatus.REJECTED)
    try:
        with transaction.atomic():
            SyncReceipt.objects.create(
                device=device, key=key, body_hash=body_hash, records=len(results), response=results
            )
    except IntegrityError:
        # Two tabs sent the same batch at once; the first receipt stands, and so does its answer.
        stored = _receipt_replay(device, key, body_hash)
        if stored is not None:
            return stored
        raise
    _device_report(device, batch, received)
    return SyncAnswer(key=key, replayed=False, results=results)


def field_device_of(token: DeviceToken) -> FieldDevice:
    device = FieldDevice.objects.filter(token=token).first()
    if device is None:
        raise NotFound(_("this token was not issued to an enrolled field device"))
    return device


# --- edits and conflicts ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EditOutcome:
    version: int
    applied: tuple[str, ...]
    conflicts: tuple[str, ...]
    replayed: bool = False


def _normalised(field_name: str, value: Any) -> Any:
    """Check and normalise one changed field the way registration does; JSON-ready."""
    if field_name == EditableField.NATIONALITY:
        return nationality_check(field_name, value)
    if field_name == EditableField.LANGUAGES:
        return [language_check(i, code) for i, code in enumerate(value)]
    if field_name == EditableField.DATE_OF_BIRTH:
        return birth_date_check(value).isoformat()
    if isinstance(value, str):
        return " ".join(value.split()) if field_name != EditableField.PLACE_OF_BIRTH else value.strip()
    return str(value)


def _field_set(person: Person, field_name: str, value: Any) -> None:
    if field_name == EditableField.DATE_OF_BIRTH:
        person.date_of_birth = date.fromisoformat(value)
        person.birth_date_accuracy = BirthDateAccuracy.EXACT
    else:
        setattr(person, field_name, value)


def _names_check(person: Person) -> None:
    """Check the Latin names and make every search column again
    (:data:`~hbm.registration.values.SEARCH_COLUMNS`: the folded names and the sound keys)."""
    latin_name_check(person.given_names_latin, person.surname_latin)
    names = (getattr(person, source) for source in SEARCH_SOURCES)
    for column, value in search_columns_of(*names).items():
        setattr(person, column, value)


def _version_bump(person: Person) -> int:
    Person.objects.filter(pk=person.pk).update(version=F("version") + 1, updated_at=now())
    person.version += 1
    return person.version


def _changed_since(person: Person, base_version: int) -> set[str]:
    """Fields the server changed after ``base_version``: an edit based on it must not overwrite them."""
    changed: set[str] = set()
    for applied in PersonRevision.objects.filter(person=person, version__gt=base_version).values_list(
        "applied", flat=True
    ):
        changed.update(applied)
    return changed


def _edit_replay(edit_id: uuid.UUID, person_id: uuid.UUID) -> EditOutcome | None:
    revision = PersonRevision.objects.filter(pk=edit_id).first()
    if revision is None:
        return None
    if revision.person_id != person_id:
        raise Conflict(_("this id is already used by another record"), fields={"id": [_("already used")]})
    return EditOutcome(
        version=revision.version,
        applied=tuple(revision.applied),
        conflicts=tuple(revision.conflicts),
        replayed=True,
    )


def person_edit_apply(
    *,
    actor: Actor,
    person_id: uuid.UUID,
    edit_id: uuid.UUID,
    base_version: int,
    changes: PersonChangesIn,
    source: EditSource,
) -> EditOutcome:
    """Apply a change made from ``base_version``. A field the server changed since then is not
    overwritten: both values are kept as a conflict for a supervisor. Other fields merge."""
    if (replay := _edit_replay(edit_id, person_id)) is not None:
        return replay
    wanted = changes.model_dump(exclude_unset=True, exclude_none=True)
    values = {name: _normalised(name, value) for name, value in wanted.items()}
    access_person(actor=actor, person_id=person_id, purpose="edit")
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person_id)
        if base_version > person.version:
            raise ValidationFailed.on("base_version", _("is newer than the version on the server"))
        changed = _changed_since(person, base_version)
        current = {name: person_field_value(person, name) for name in values}
        differing = {name for name, value in values.items() if value != current[name]}
        conflicts = sorted(differing & changed)
        applied = sorted(differing - changed)
        for name in applied:
            _field_set(person, name, values[name])
        if applied:
            _names_check(person)
            person.version += 1
            due = person.duplicate_check_due()  # changed details: check for duplicates again
            written = [*applied, *SEARCH_COLUMNS, "birth_date_accuracy", "version", *due]
            person.save(update_fields=[*written, "updated_at"])
        revision = PersonRevision.objects.create(
            id=edit_id,
            person=person,
            source=source,
            base_version=base_version,
            version=person.version,
            applied=applied,
            conflicts=conflicts,
            author=actor.user,
            device=actor.device,
        )
        PersonConflict.objects.bulk_create(
            PersonConflict(
                person=person,
                revision=revision,
                field=name,
                base_version=base_version,
                server_value=current[name],
                device_value=values[name],
            )
            for name in conflicts
        )
        audit_record(
            actor=actor,
            event=AuditEvent.PERSON_EDITED,
            subject=person,
            detail={
                "revision": str(revision.pk),
                "source": str(source),
                "applied": applied,
                "conflicts": conflicts,
                "version": person.version,
            },
        )
    return EditOutcome(version=person.version, applied=tuple(applied), conflicts=tuple(conflicts))


def conflict_resolve(*, actor: Actor, conflict_id: uuid.UUID, choice: ConflictChoice) -> PersonConflict:
    """A supervisor keeps the server's value or takes the device's; either way it is audited."""
    if not actor.user.has_role(*CONFLICT_RESOLVER_ROLES):
        raise NotFound(_("no such conflict"))
    with transaction.atomic():
        conflict = PersonConflict.objects.select_for_update().filter(pk=conflict_id).first()
        if conflict is None:
            raise NotFound(_("no such conflict"))
        if conflict.status != ConflictStatus.OPEN:
            raise Conflict(_("this conflict was already resolved"))
        person = Person.objects.select_for_update().get(pk=conflict.person_id)
        if choice == ConflictChoice.DEVICE and conflict.device_value != person_field_value(
            person, conflict.field
        ):
            _field_set(person, conflict.field, conflict.device_value)
            _names_check(person)
            person.version += 1
            person.duplicate_check_due()
            person.save()
            PersonRevision.objects.create(
                person=person,
                source=EditSource.RESOLUTION,
                base_version=person.version - 1,
                version=person.version,
                applied=[conflict.field],
                author=actor.user,
                device=actor.device,
            )
        conflict.status = ConflictStatus.RESOLVED
        conflict.choice = choice
        conflict.resolved_by = actor.user
        conflict.resolved_at = now()
        conflict.save(update_fields=["status", "choice", "resolved_by", "resolved_at", "updated_at"])
        audit_record(
            actor=actor,
            event=AuditEvent.CONFLICT_RESOLVED,
            subject=person,
            detail={"conflict": str(conflict.pk), "field": conflict.field, "choice": str(choice)},
        )
    return conflict
