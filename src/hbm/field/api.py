"""The field app's API: enrol a device, reference data, sync an outbox, pull persons, conflicts."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.params import functions as param_functions

from hbm.accounts.enums import Role
from hbm.accounts.models import DeviceToken, User
from hbm.core.errors import PermissionDenied
from hbm.core.http import actor_from_request
from hbm.core.schemas import ErrorOut
from hbm.core.time import now
from hbm.field.enums import ConflictStatus
from hbm.field.models import FieldDevice, PersonConflict
from hbm.field.schemas import (
    ConflictOut,
    ConflictResolveIn,
    EnrolIn,
    EnrolOut,
    FieldDeviceOut,
    PullOut,
    SyncIn,
    SyncOut,
)
from hbm.field.selectors import (
    conflicts_list,
    field_devices_of,
    field_devices_overview,
    field_reference,
    persons_pull,
)
from hbm.field.services import (
    conflict_resolve,
    field_device_enrol,
    field_device_of,
    field_device_sign_out,
    records_digest,
    sync_receive,
)
from hbm.registration.api import group_out, person_out

router = Router(tags=["field app"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}
LANGUAGES = ("en", "fr", "ar")


@router.post("/enrol", auth=None, response={201: EnrolOut, **ERRORS})
def enrol(request: HttpRequest, payload: EnrolIn) -> Status[dict[str, Any]]:
    """Sign in on a new device: it gets its own token (revocable) and is listed with its sync state."""
    enrolled = field_device_enrol(
        request=request,
        username=payload.username,
        password=payload.password,
        device_name=payload.device_name,
        app_version=payload.app_version,
    )
    user: User = enrolled.device.token.user
    return Status(
        201,
        {
            "device_id": enrolled.device.pk,
            "token": enrolled.raw_token,
            "user": {
                "username": user.get_username(),
                "display_name": user.get_full_name() or user.get_username(),
                "role": user.role,
                "preferred_language": user.preferred_language,
            },
            "crossing_points": list(user.crossing_points.values_list("pk", flat=True)),
            "offline_days": settings.HBM_FIELD_OFFLINE_DAYS,
            "server_time": now(),
        },
    )


@router.get("/reference", response={200: dict[str, Any], **ERRORS})
def reference(request: HttpRequest, lang: str = "") -> dict[str, Any]:
    """Reference data and the validation schemas, for offline use (no personal data)."""
    language = lang if lang in LANGUAGES else (get_language() or "en").split("-")[0]
    return field_reference(user=request.user, language=language if language in LANGUAGES else "en")  # type: ignore[arg-type]


def _device_of_request(request: HttpRequest) -> FieldDevice:
    token: DeviceToken | None = getattr(request, "hbm_device_token", None)
    if token is None:
        raise PermissionDenied(_("sync needs the token of an enrolled field device"))
    return field_device_of(token)


@router.post("/sign-out", response={204: None, **ERRORS})
def sign_out(request: HttpRequest) -> Status[None]:
    """End this device's token: the app calls it when the officer signs out after a complete sync."""
    device = _device_of_request(request)
    field_device_sign_out(actor=actor_from_request(request), token=device.token)
    return Status(204, None)


@router.post("/sync", response={200: SyncOut, **ERRORS})
def sync(
    request: HttpRequest,
    payload: SyncIn,
    idempotency_key: Annotated[
        str,
        param_functions.Header(
            alias="Idempotency-Key",
            description="Made by the device for one upload (8–64 of A–Z a–z 0–9 - _); retries resend it.",
        ),
    ],
) -> dict[str, Any]:
    """Upload part of a device's outbox. Records are stored once whatever the retries; a rejected
    record is answered with its reason and does not stop the others."""
    answer = sync_receive(
        actor=actor_from_request(request),
        device=_device_of_request(request),
        key=idempotency_key,
        batch=payload,
        digest=records_digest(json.loads(request.body).get("records", [])),
    )
    return {"key": answer.key, "replayed": answer.replayed, "server_time": now(), "results": answer.results}


@router.get("/persons", response={200: PullOut, **ERRORS})
def persons(request: HttpRequest, crossing_point: uuid.UUID, since: datetime | None = None) -> dict[str, Any]:
    """Persons and groups registered recently at a crossing point you work at, for offline look-up."""
    actor = actor_from_request(request)
    pulled, groups = persons_pull(actor=actor, crossing_point_id=crossing_point, since=since)
    out = []
    for person in pulled:
        memberships = list(person.memberships.all())
        documents = sorted(person.documents.all(), key=lambda d: d.created_at)
        body = person_out(person, actor, documents=documents, group_ids=[m.group_id for m in memberships])
        out.append({**body, "group_tokens": [m.group.token for m in memberships]})
    return {"persons": out, "groups": [group_out(g) for g in groups], "server_time": now()}


def conflict_out(conflict: PersonConflict) -> dict[str, Any]:
    return {
        "id": conflict.pk,
        "person": conflict.person_id,
        "field": conflict.field,
        "base_version": conflict.base_version,
        "server_value": conflict.server_value,
        "device_value": conflict.device_value,
        "current_value": conflict.current_value,
        "device": conflict.revision.device,
        "officer": conflict.revision.author.get_username(),
        "status": conflict.status,
        "choice": conflict.choice,
        "created_at": conflict.created_at,
    }


@router.get("/conflicts", response={200: list[ConflictOut], **ERRORS})
def conflicts(request: HttpRequest, status: ConflictStatus = ConflictStatus.OPEN) -> list[dict[str, Any]]:
    """Fields changed apart on two sides, with both values (coordinators; each read audited)."""
    return [conflict_out(c) for c in conflicts_list(actor=actor_from_request(request), status=status)]


@router.post("/conflicts/{conflict_id}/resolve", response={200: ConflictOut, **ERRORS})
def conflict_resolution(
    request: HttpRequest, conflict_id: uuid.UUID, payload: ConflictResolveIn
) -> dict[str, Any]:
    """Keep the server's value or take the device's; the choice is audited."""
    resolved = conflict_resolve(
        actor=actor_from_request(request), conflict_id=conflict_id, choice=payload.choice
    )
    resolved.refresh_from_db()
    return conflict_out(resolved)


def device_out(device: FieldDevice) -> dict[str, Any]:
    return {
        "id": device.pk,
        "name": device.token.name,
        "username": device.token.user.get_username(),
        "enrolled_at": device.created_at,
        "last_sync_at": device.last_sync_at,
        "pending_reported": device.pending_reported,
        "rejected_reported": device.rejected_reported,
        "records_received": device.records_received,
        "revoked_at": device.token.revoked_at,
    }


@router.get("/devices", response={200: list[FieldDeviceOut], **ERRORS})
def devices(request: HttpRequest) -> list[dict[str, Any]]:
    """Enrolled devices and what each last reported: yours, or all for a coordinator."""
    user: User = request.user  # type: ignore[assignment]
    rows = (
        field_devices_overview()
        if user.has_role(Role.COORDINATOR, Role.ADMIN)
        else field_devices_of(user=user)
    )
    return [device_out(d) for d in rows]
