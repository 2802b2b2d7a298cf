"""Reads of the field app: reference data for offline use, recent persons to look up offline,
devices and their sync state, open conflicts. Reads of persons' data are audited."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime, timedelta
from typing import Any

import pycountry
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from hbm.accounts.enums import Role
from hbm.accounts.models import User
from hbm.audit.enums import AuditEvent
from hbm.audit.services import audit_record
from hbm.core.context import Actor
from hbm.core.errors import PermissionDenied, ValidationFailed
from hbm.core.time import now
from hbm.crossings.models import CrossingPoint
from hbm.crossings.selectors import access_crossing_point_for_registration
from hbm.engines.names import script_letters_table
from hbm.field.enums import ConflictStatus
from hbm.field.models import FieldDevice, PersonConflict
from hbm.field.schemas import PHOTO_MAX_BYTES, SYNC_BATCH_MAX_RECORDS, PersonChangesIn
from hbm.registration.countries import language_options, nationality_options
from hbm.registration.enums import (
    AgeBand,
    Direction,
    DocumentKind,
    NoDocumentReason,
    Relationship,
    Sex,
    SpecificNeed,
    Transport,
)
from hbm.registration.models import Group, Person
from hbm.registration.policy import LOGICAL_FIELDS, policy_for
from hbm.registration.schemas import CountIn, GroupIn, PersonIn
from hbm.registration.services import PHOTO_MAX_SIDE_PX

PULL_DEFAULT_WINDOW = timedelta(days=3)
PULL_LIMIT = 2000
BATCH_MAX_BYTES = 4 * 1024 * 1024
CONFLICT_READER_ROLES = (Role.COORDINATOR,)


# --- reference data ---------------------------------------------------------------------------------


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    """A JSON Schema with every ``$ref`` to ``$defs`` replaced by its target (the app reads it flat)."""
    if isinstance(node, dict):
        if "$ref" in node:
            target = defs[node["$ref"].rsplit("/", 1)[-1]]
            merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
            return _inline_refs(merged, defs)
        return {k: _inline_refs(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline_refs(item, defs) for item in node]
    return node


def input_schema(
    model: type[CountIn] | type[GroupIn] | type[PersonIn] | type[PersonChangesIn],
) -> dict[str, Any]:
    """The JSON Schema the server validates ``model`` with, flat and without the record id (the
    outbox record carries it): the field app validates offline with exactly these rules."""
    schema = model.model_json_schema()
    flat: dict[str, Any] = _inline_refs(schema, schema.get("$defs", {}))
    flat.get("properties", {}).pop("id", None)
    return flat


def _choices(enum: Any) -> list[dict[str, str]]:
    return [{"value": str(value), "label": str(label)} for value, label in enum.choices]


def _point_out(point: CrossingPoint) -> dict[str, Any]:
    policy = policy_for(point.mode)
    return {
        "id": str(point.pk),
        "code": point.code,
        "name": point.name,
        "kind": point.kind,
        "mode": point.mode,
        "policy": {
            "mode": policy.mode,
            "tiers": sorted(policy.tiers),
            "required": sorted(policy.required),
            "document_required": policy.document_required,
            "estimated_age_allowed": policy.estimated_age_allowed,
        },
    }


def _all_language_codes() -> list[str]:
    return sorted(language.alpha_3 for language in pycountry.languages)


def field_reference(*, user: User, language: str) -> dict[str, Any]:
    """Everything the field app needs to work offline, in ``language``. No personal data."""
    with translation.override(language):
        body: dict[str, Any] = {
            "language": language,
            "offline_days": settings.HBM_FIELD_OFFLINE_DAYS,
            "pin_iterations": settings.HBM_FIELD_PIN_ITERATIONS,
            "crossing_points": [_point_out(p) for p in user.crossing_points.order_by("name")],
            "nationalities": [{"code": c, "name": n} for c, n in nationality_options()],
            "languages": [{"code": c, "name": n} for c, n in language_options()],
            "language_codes": _all_language_codes(),
            "choices": {
                "sex": _choices(Sex),
                "age_band": _choices(AgeBand),
                "relationship": _choices(Relationship),
                "specific_need": _choices(SpecificNeed),
                "document_kind": _choices(DocumentKind),
                "no_document_reason": _choices(NoDocumentReason),
                "transport": _choices(Transport),
                "direction": _choices(Direction),
            },
            "schemas": {
                "count": input_schema(CountIn),
                "group": input_schema(GroupIn),
                "person": input_schema(PersonIn),
                "person_edit": input_schema(PersonChangesIn),
            },
            "policy_fields": {name: list(fields) for name, fields in LOGICAL_FIELDS.items()},
            # The look-up folds names as the server's search does (decision 0029): these letters.
            "search_letters": script_letters_table(),
            "limits": {
                "photo_max_bytes": PHOTO_MAX_BYTES,
                "photo_max_side_px": PHOTO_MAX_SIDE_PX,
                "batch_max_records": SYNC_BATCH_MAX_RECORDS,
                "batch_max_bytes": BATCH_MAX_BYTES,
            },
        }
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]
    return {"version": digest, **body}


# --- persons for offline look-up --------------------------------------------------------------------


def persons_pull(
    *, actor: Actor, crossing_point_id: uuid.UUID, since: datetime | None
) -> tuple[list[Person], list[Group]]:
    """Persons and groups registered at a crossing point the actor works at, recently (default:
    the last 3 days; at most 2,000 persons), for look-up and edit offline. One audit entry names
    every person handed over."""
    point = access_crossing_point_for_registration(user=actor.user, crossing_point_id=crossing_point_id)
    moment = now()
    start = since or moment - PULL_DEFAULT_WINDOW
    if start > moment:
        raise ValidationFailed.on("since", _("is in the future"))
    persons = list(
        Person.objects.filter(registered_at=point, created_at__gte=start)
        .prefetch_related("documents", "memberships__group")
        .order_by("-created_at")[:PULL_LIMIT]
    )
    groups = list(Group.objects.filter(crossing_point=point, created_at__gte=start).order_by("-created_at"))
    with transaction.atomic():
        audit_record(
            actor=actor,
            event=AuditEvent.PERSONS_PULLED,
            subject=point,
            detail={"persons": [str(p.pk) for p in persons], "since": start.isoformat()},
        )
    return persons, groups


# --- devices and conflicts for the web UI -----------------------------------------------------------


def field_devices_overview() -> QuerySet[FieldDevice]:
    """Every enrolled device with its officer and token state, most recently synced first."""
    return FieldDevice.objects.select_related("token__user").order_by("-last_sync_at", "-created_at")


def field_devices_of(*, user: User) -> QuerySet[FieldDevice]:
    return field_devices_overview().filter(token__user=user)


def conflicts_open_count() -> int:
    return PersonConflict.objects.filter(status=ConflictStatus.OPEN).count()


def conflicts_list(*, actor: Actor, status: ConflictStatus = ConflictStatus.OPEN) -> list[PersonConflict]:
    """Conflicts for a supervisor to resolve; both values are personal data, so the read is audited.
    Another role is refused (:class:`PermissionDenied`, an ``access.refused`` entry: kind
    ``conflicts``, id ``list``)."""
    if not actor.user.has_role(*CONFLICT_READER_ROLES):
        with transaction.atomic():
            audit_record(
                actor=actor, event=AuditEvent.ACCESS_REFUSED, detail={"kind": "conflicts", "id": "list"}
            )
        raise PermissionDenied(_("only a coordinator resolves conflicts"))
    conflicts = list(
        PersonConflict.objects.filter(status=status)
        .select_related("person", "revision__author", "resolved_by")
        .order_by("created_at")[:500]
    )
    if conflicts:
        with transaction.atomic():
            audit_record(
                actor=actor,
                event=AuditEvent.CONFLICTS_VIEWED,
                detail={"conflicts": [str(c.pk) for c in conflicts], "status": str(status)},
            )
    return conflicts
