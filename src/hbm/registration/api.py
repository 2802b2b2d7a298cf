"""Registration API: thin handlers over access_* selectors and services."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Router, Status
from ninja.files import UploadedFile

from hbm.accounts.enums import Role
from hbm.core.context import Actor
from hbm.core.errors import NotFound, ValidationFailed
from hbm.core.http import actor_from_request
from hbm.core.schemas import ErrorOut
from hbm.core.time import today
from hbm.crossings.selectors import access_crossing_point_for_figures, access_crossing_point_for_registration
from hbm.engines.tokens import token_format
from hbm.registration.inputs import count_cells_of, document_data_of, encounter_data_of, individual_data_of
from hbm.registration.models import Document, Encounter, Group, Person
from hbm.registration.policy import policy_for
from hbm.registration.schemas import (
    CountIn,
    CountOut,
    DayFiguresOut,
    DocumentIn,
    DocumentOut,
    GroupIn,
    GroupOut,
    MrzCheckIn,
    MrzCheckOut,
    PersonIn,
    PersonOut,
    PersonSummaryOut,
    PolicyOut,
)
from hbm.registration.selectors import (
    SEARCH_LIMIT,
    access_group,
    access_person,
    crossing_point_day_figures,
    group_members,
    person_groups,
    person_words_found,
    persons_search,
)
from hbm.registration.services import (
    count_record,
    group_preregister,
    mrz_read,
    person_document_add,
    person_photo_set,
    person_register_detailed,
)
from hbm.registration.values import age_on

router = Router(tags=["registration"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
# Says whether a person search found more than it returns: the list stays a list.
MORE_MATCHES_HEADER = "HBM-More-Matches"
PROTECTION_READER_ROLES = (Role.SCREENING_OFFICER, Role.COORDINATOR)


def _count_out(encounter: Encounter) -> dict[str, object]:
    cells = [{"sex": c.sex, "age_band": c.age_band, "count": c.count} for c in encounter.count_cells.all()]
    return {
        "id": encounter.pk,
        "crossing_point": encounter.crossing_point_id,
        "occurred_at": encounter.occurred_at,
        "total": sum(c["count"] for c in cells),  # type: ignore[misc]
        "cells": cells,
    }


def group_out(group: Group) -> dict[str, object]:
    return {
        "id": group.pk,
        "token": group.token,
        "token_display": token_format(group.token),
        "size": group.size,
        "head_name": group.head_name,
        "nationality": group.nationality,
        "crossing_point": group.crossing_point_id,
        "created_at": group.created_at,
        "members": [
            {"id": p.pk, "name": f"{p.surname_latin}, {p.given_names_latin}".strip(", "), "relationship": rel}
            for p, rel in group_members(group=group)
        ],
    }


def _document_out(doc: Document) -> dict[str, object]:
    return {
        "id": doc.pk,
        "kind": doc.kind,
        "document_number": doc.document_number,
        "issuing_state": doc.issuing_state,
        "date_of_expiry": doc.date_of_expiry,
        "mrz_format": doc.mrz_format,
        "failed_checks": doc.failed_checks,
        "condition": doc.condition,
    }


def person_summary_out(person: Person, *, found_by_sound: bool = False) -> dict[str, object]:
    """A person as a search lists them (:class:`PersonSummaryOut`)."""
    return {
        "id": person.pk,
        "given_names_latin": person.given_names_latin,
        "surname_latin": person.surname_latin,
        "surname_original": person.surname_original,
        "given_names_original": person.given_names_original,
        "sex": person.sex,
        "date_of_birth": person.date_of_birth,
        "birth_date_accuracy": person.birth_date_accuracy,
        "nationality": person.nationality,
        "registered_at_id": person.registered_at_id,
        "found_by_sound": found_by_sound,
    }


def person_out(
    person: Person,
    actor: Actor,
    *,
    documents: Sequence[Document] | None = None,
    group_ids: Sequence[UUID] | None = None,
) -> dict[str, object]:
    """A person as this actor may see them: protection flags only for protection roles.

    ``documents`` and ``group_ids``, when the caller has just written them, spare two reads.
    """
    needs = person.specific_needs or []
    if documents is None:
        documents = list(person.documents.order_by("created_at"))
    if group_ids is None:
        group_ids = list(person_groups(person=person).values_list("pk", flat=True))
    return {
        "id": person.pk,
        "given_names_original": person.given_names_original,
        "surname_original": person.surname_original,
        "given_names_latin": person.given_names_latin,
        "surname_latin": person.surname_latin,
        "sex": person.sex,
        "date_of_birth": person.date_of_birth,
        "birth_date_accuracy": person.birth_date_accuracy,
        "age": age_on(person.date_of_birth, today()),
        "nationality": person.nationality,
        "place_of_birth": person.place_of_birth,
        "father_name": person.father_name,
        "mother_name": person.mother_name,
        "languages": person.languages,
        "has_specific_needs": bool(needs),
        "specific_needs": needs if actor.user.has_role(*PROTECTION_READER_ROLES) else None,
        "has_photo": person.has_photo,
        "registered_at": person.registered_at_id,
        "created_at": person.created_at,
        "version": person.version,
        "documents": [_document_out(d) for d in documents],
        "groups": list(group_ids),
    }


@router.get("/crossing-points/{crossing_point_id}/registration-policy", response={200: PolicyOut, **ERRORS})
def registration_policy(request: HttpRequest, crossing_point_id: UUID) -> dict[str, object]:
    """What registration asks at this crossing point in its current mode."""
    point = access_crossing_point_for_registration(user=request.user, crossing_point_id=crossing_point_id)  # type: ignore[arg-type]
    policy = policy_for(point.mode)
    return {
        "mode": policy.mode,
        "tiers": sorted(policy.tiers),
        "required": sorted(policy.required),
        "document_required": policy.document_required,
        "estimated_age_allowed": policy.estimated_age_allowed,
    }


@router.post("/crossing-points/{crossing_point_id}/counts", response={201: CountOut, **ERRORS})
def count_create(
    request: HttpRequest, crossing_point_id: UUID, payload: CountIn
) -> Status[dict[str, object]]:
    """Count how many crossed, by sex and age band (no personal data)."""
    encounter = count_record(
        actor=actor_from_request(request),
        crossing_point_id=crossing_point_id,
        cells=count_cells_of(payload),
        data=encounter_data_of(payload),
        encounter_id=payload.id,
    )
    return Status(201, _count_out(encounter))


@router.post("/crossing-points/{crossing_point_id}/groups", response={201: GroupOut, **ERRORS})
def group_create(
    request: HttpRequest, crossing_point_id: UUID, payload: GroupIn
) -> Status[dict[str, object]]:
    """Pre-register a family or travel group; the answer carries its wristband token."""
    group = group_preregister(
        actor=actor_from_request(request),
        crossing_point_id=crossing_point_id,
        size=payload.size,
        head_name=payload.head_name,
        nationality=payload.nationality,
        data=encounter_data_of(payload),
        group_id=payload.id,
        token=payload.token,
    )
    return Status(201, group_out(group))


@router.post("/crossing-points/{crossing_point_id}/persons", response={201: PersonOut, **ERRORS})
def person_create(
    request: HttpRequest, crossing_point_id: UUID, payload: PersonIn
) -> Status[dict[str, object]]:
    """Register one individual with the data set the crossing point's mode asks for."""
    actor = actor_from_request(request)
    data = individual_data_of(payload)
    registered = person_register_detailed(
        actor=actor, crossing_point_id=crossing_point_id, data=data, person_id=payload.id
    )
    return Status(
        201,
        person_out(registered.person, actor, documents=registered.documents, group_ids=registered.group_ids),
    )


@router.get("/persons", response={200: list[PersonSummaryOut], **ERRORS})
def person_search(
    request: HttpRequest,
    response: HttpResponse,
    q: str = "",
    nationality: str = "",
    token: str = "",
    document_number: str = "",
    date_of_birth: date | None = None,
    parent_name: str = "",
    sounds_like: bool = False,
) -> list[dict[str, object]]:
    """Find persons at your crossing points by name (either script; words in any order, each found
    inside a name, spaces, hyphens and apostrophes within a name ignored), token, document, birth
    date or a parent's name (the father's or the mother's, either script, at least two letters).
    With ``sounds_like``, also persons whose names sound like ``q`` (each name typed is a whole name
    of theirs spelt another way or written in another script: Muhammad finds Mohamed and محمد),
    and whose father's or mother's name sounds like ``parent_name``, after those whose names are
    written as typed; each of them is marked ``found_by_sound``. At most 50 persons: the response
    header ``HBM-More-Matches`` says ``true`` when more match (narrow the search), else ``false``."""
    if not any((q.strip(), nationality, token, document_number, date_of_birth, parent_name.strip())):
        raise ValidationFailed.on("q", _("give at least one search criterion"))
    query, parent = q[:200], parent_name[:200]
    found = persons_search(
        actor=actor_from_request(request),
        query=query,
        nationality=nationality[:3],
        token=token,
        document_number=document_number[:40],
        date_of_birth=date_of_birth,
        parent_name=parent,
        sounds_like=sounds_like,
        limit=SEARCH_LIMIT + 1,  # one more than returned: more match than the caller is given
    )
    response[MORE_MATCHES_HEADER] = "true" if len(found) > SEARCH_LIMIT else "false"
    found = found[:SEARCH_LIMIT]
    by_sound = sounds_like and bool(query.strip() or parent.strip())
    return [
        person_summary_out(p, found_by_sound=by_sound and not person_words_found(p, query, parent))
        for p in found
    ]


@router.get("/persons/{person_id}", response={200: PersonOut, **ERRORS})
def person_detail(request: HttpRequest, person_id: UUID) -> dict[str, object]:
    actor = actor_from_request(request)
    return person_out(access_person(actor=actor, person_id=person_id), actor)


@router.post("/persons/{person_id}/photo", response={200: PersonOut, **ERRORS})
def person_photo_upload(
    request: HttpRequest, person_id: UUID, photo: File[UploadedFile]
) -> dict[str, object]:
    """Attach a photo (JPEG, PNG or WebP; re-encoded, stripped of metadata, stored encrypted)."""
    actor = actor_from_request(request)
    person = access_person(actor=actor, person_id=person_id, purpose="photo")
    return person_out(person_photo_set(actor=actor, person=person, data=photo.read()), actor)


@router.get("/persons/{person_id}/photo", response={200: None, **ERRORS})
def person_photo(request: HttpRequest, person_id: UUID) -> HttpResponse:
    """The photo as JPEG (each view is audited)."""
    from hbm.registration.selectors import person_photo_read

    data = person_photo_read(actor=actor_from_request(request), person_id=person_id)
    response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = "no-store"
    return response


@router.post("/persons/{person_id}/documents", response={201: DocumentOut, **ERRORS})
def person_document_create(
    request: HttpRequest, person_id: UUID, payload: DocumentIn
) -> Status[dict[str, object]]:
    actor = actor_from_request(request)
    person = access_person(actor=actor, person_id=person_id, purpose="add_document")
    return Status(
        201, _document_out(person_document_add(actor=actor, person=person, doc=document_data_of(payload)))
    )


@router.get("/groups/by-token/{token}", response={200: GroupOut, **ERRORS})
def group_by_token(request: HttpRequest, token: str) -> dict[str, object]:
    """Find a group from its wristband token; a mistyped token fails its check character (422)."""
    return group_out(access_group(actor=actor_from_request(request), token=token))


@router.get("/groups/{group_id}", response={200: GroupOut, **ERRORS})
def group_detail(request: HttpRequest, group_id: UUID) -> dict[str, object]:
    return group_out(access_group(actor=actor_from_request(request), group_id=group_id))


@router.post("/documents/mrz/check", response={200: MrzCheckOut, **ERRORS})
def mrz_check(request: HttpRequest, payload: MrzCheckIn) -> dict[str, object]:
    """Read an MRZ and verify every check digit, without storing anything."""
    if not request.user.has_role(Role.BORDER_OFFICER, Role.SCREENING_OFFICER):  # type: ignore[union-attr]
        raise NotFound(_("no such operation for your role"))
    result = mrz_read(text=payload.mrz)
    return {
        "format": result.format,
        "document_type": result.document_type,
        "issuing_state": result.issuing_state,
        "surname": result.surname,
        "given_names": result.given_names,
        "document_number": result.document_number,
        "nationality": result.nationality,
        "date_of_birth": result.date_of_birth,
        "sex": result.sex,
        "date_of_expiry": result.date_of_expiry,
        "is_valid": result.is_valid,
        "expired": result.expired,
        "failed_checks": list(result.failed_checks),
    }


@router.get("/crossing-points/{crossing_point_id}/figures", response={200: DayFiguresOut, **ERRORS})
def crossing_point_figures(
    request: HttpRequest, crossing_point_id: UUID, day: date | None = None
) -> dict[str, object]:
    """Arrivals of one local day: by tier, sex and age band, nationality, hour. No personal data."""
    point = access_crossing_point_for_figures(user=request.user, crossing_point_id=crossing_point_id)  # type: ignore[arg-type]
    figures = crossing_point_day_figures(crossing_point=point, day=day)
    return {
        "crossing_point": point.pk,
        "day": figures.day,
        "arrivals_total": figures.arrivals_total,
        "arrivals_by_tier": figures.arrivals_by_tier,
        "by_sex_and_age": figures.by_sex_and_age,
        "by_nationality": figures.by_nationality,
        "arrivals_per_hour": figures.arrivals_per_hour,
        "persons_with_specific_needs": figures.persons_with_specific_needs,
        "documents_by_condition": figures.documents_by_condition,
    }
