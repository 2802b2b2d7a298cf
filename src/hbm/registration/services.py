"""Writes of registration: counts, group pre-registrations, individual registrations, documents, photos.

Each write is one transaction with its audit row. Records may carry an id made by the client (an
offline device): a replay of the same id returns the record already stored instead of a duplicate.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, ImageOps, UnidentifiedImageError

from hbm.audit.enums import AuditEvent
from hbm.audit.services import AuditItem, audit_record, audit_record_many
from hbm.core.context import Actor
from hbm.core.errors import Conflict, HbmError, ValidationFailed
from hbm.core.rows import row_insert, rows_insert
from hbm.core.time import now, today
from hbm.crossings.models import CrossingPoint
from hbm.crossings.selectors import access_crossing_point_for_registration
from hbm.engines.mrz import MrzFormatError, MrzResult, parse_mrz
from hbm.engines.tokens import TokenError, token_generate, token_validate
from hbm.registration.enums import (
    AgeBand,
    BirthDateAccuracy,
    Direction,
    DocumentCondition,
    DocumentKind,
    NoDocumentReason,
    Relationship,
    Sex,
    SpecificNeed,
    Tier,
    Transport,
)
from hbm.registration.messages import (
    check_digit_failed_text,
    check_names_text,
    mode_name,
    mrz_format_error_text,
    token_error_text,
)
from hbm.registration.models import CountCell, Document, Encounter, Group, GroupMembership, Person
from hbm.registration.policy import RegistrationPolicy, policy_for
from hbm.registration.values import (
    MAX_AGE_YEARS,
    birth_date_from_estimated_age,
    search_columns_of,
)

PHOTO_MAX_SIDE_PX = 800
MAX_GROUP_SIZE = 60
MAX_COUNT_PER_CELL = 10_000
# Field devices' clocks drift: a time this far ahead of the server is tolerated, more is an error.
CLOCK_SKEW_TOLERANCE = timedelta(minutes=10)
PARENT_NAME_MAX = 200
"""Characters of a father's or mother's name, as the column holds them."""

RecordT = TypeVar("RecordT", bound=models.Model)


@dataclass(frozen=True, slots=True)
class EncounterData:
    """Where and how a tier was recorded. ``occurred_at`` defaults to now (a device sends its own)."""

    direction: Direction = Direction.ENTRY
    transport: Transport = Transport.LAND
    occurred_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class CountData:
    sex: Sex
    age_band: AgeBand
    count: int


@dataclass(frozen=True, slots=True)
class DocumentData:
    """A document as shown. With an MRZ, the fields come from it; ``condition`` is the officer's
    judgement of the paper (``damaged`` lets an MRZ whose check digits fail be recorded as is)."""

    kind: DocumentKind
    mrz: str = ""
    document_number: str = ""
    issuing_state: str = ""
    date_of_expiry: date | None = None
    is_damaged: bool = False


@dataclass(frozen=True, slots=True)
class IndividualData:
    given_names_latin: str
    surname_latin: str
    sex: Sex
    nationality: str
    given_names_original: str = ""
    surname_original: str = ""
    date_of_birth: date | None = None
    birth_year: int | None = None
    estimated_age: int | None = None
    place_of_birth: str = ""
    father_name: str = ""
    mother_name: str = ""
    languages: tuple[str, ...] = ()
    specific_needs: tuple[SpecificNeed, ...] = ()
    group_token: str = ""
    relationship: Relationship | None = None
    documents: tuple[DocumentData, ...] = ()
    no_document_reason: NoDocumentReason | None = None
    encounter: EncounterData = field(default_factory=EncounterData)


def _tier_check(policy: RegistrationPolicy, tier: Tier) -> None:
    if tier not in policy.tiers:
        raise ValidationFailed.on(
            "tier",
            # Translators: tier is a step of registration ("Count"), mode a mode in lower case ("normal").
            _("%(tier)s is not done in %(mode)s mode at this crossing point")
            % {"tier": tier.label, "mode": mode_name(policy.mode)},
        )


def _encounter_time(data: EncounterData) -> datetime:
    moment = data.occurred_at or now()
    if moment.tzinfo is None:
        raise ValidationFailed.on("occurred_at", _("give the time with its time zone"))
    if moment > now() + CLOCK_SKEW_TOLERANCE:
        raise ValidationFailed.on("occurred_at", _("is in the future"))
    return moment


def _encounter_create(
    *,
    actor: Actor,
    point: CrossingPoint,
    tier: Tier,
    data: EncounterData,
    encounter_id: uuid.UUID | None = None,
    group: Group | None = None,
    person: Person | None = None,
) -> Encounter:
    encounter = _encounter_build(
        actor=actor, point=point, tier=tier, data=data, encounter_id=encounter_id, group=group, person=person
    )
    row_insert(encounter)
    return encounter


def _encounter_build(
    *,
    actor: Actor,
    point: CrossingPoint,
    tier: Tier,
    data: EncounterData,
    encounter_id: uuid.UUID | None = None,
    group: Group | None = None,
    person: Person | None = None,
) -> Encounter:
    return Encounter(
        id=encounter_id or uuid.uuid4(),
        crossing_point=point,
        occurred_at=_encounter_time(data),
        direction=data.direction,
        tier=tier,
        transport=data.transport,
        mode=point.mode,
        officer=actor.user,
        device=actor.device,
        group=group,
        person=person,
    )


def _stored_already(
    queryset: QuerySet[RecordT], record_id: uuid.UUID | None, point: CrossingPoint, point_field: str
) -> RecordT | None:
    """The record already stored under this client-made id at this crossing point (a replay).

    The same id at another crossing point is not a replay but a collision (or a forgery): refused.
    """
    if record_id is None:
        return None
    # Almost every id is new: probe with one narrow column before reading a whole record.
    stored_at = queryset.filter(pk=record_id).values_list(point_field, flat=True).first()
    if stored_at is None:
        return None
    if stored_at != point.pk:
        raise Conflict(_("this id is already used by another record"), fields={"id": [_("already used")]})
    return queryset.get(pk=record_id)


def _refused_unless_replay(
    exc: Exception,
    queryset: QuerySet[RecordT],
    record_id: uuid.UUID | None,
    point: CrossingPoint,
    point_field: str,
) -> RecordT:
    """After a refusal or a failed insert: the record stored under this client id before (a replay,
    or a retry that raced the first try and lost on the primary key) is the answer; otherwise the
    refusal stands.

    Looking only on failure keeps the common case (a new record) to its inserts, and lets a replay
    succeed even if the rules changed since (the crossing point switched mode, say).
    """
    replay = _stored_already(queryset, record_id, point, point_field)
    if replay is None:
        raise exc
    return replay


def count_record(
    *,
    actor: Actor,
    crossing_point_id: uuid.UUID | str,
    cells: Sequence[CountData],
    data: EncounterData,
    encounter_id: uuid.UUID | None = None,
) -> Encounter:
    """Record how many crossed, by sex and age band. No personal data."""
    point = access_crossing_point_for_registration(user=actor.user, crossing_point_id=crossing_point_id)
    encounters = Encounter.objects.all()
    try:
        _tier_check(policy_for(point.mode), Tier.COUNT)
        _count_cells_check(cells)
    except HbmError as exc:
        return _refused_unless_replay(exc, encounters, encounter_id, point, "crossing_point_id")
    # Checks and reads above run before the write lock is taken (one writer at a time, for the
    # audit chain): the transaction holds it only for the inserts and the audit append. The
    # encounter is inserted first: a replayed id fails there, before any lock is taken.
    try:
        with transaction.atomic():
            encounter = _encounter_create(
                actor=actor, point=point, tier=Tier.COUNT, data=data, encounter_id=encounter_id
            )
            CountCell.objects.bulk_create(
                [
                    CountCell(encounter=encounter, sex=c.sex, age_band=c.age_band, count=c.count)
                    for c in cells
                    if c.count
                ]
            )
            audit_record(
                actor=actor,
                event=AuditEvent.COUNT_RECORDED,
                subject=encounter,
                detail={"total": sum(c.count for c in cells)},
            )
            return encounter
    except IntegrityError as exc:
        return _refused_unless_replay(exc, encounters, encounter_id, point, "crossing_point_id")


def _count_cells_check(cells: Sequence[CountData]) -> None:
    seen: set[tuple[str, str]] = set()
    for index, cell in enumerate(cells):
        key = (cell.sex, cell.age_band)
        if key in seen:
            raise ValidationFailed.on(f"cells.{index}", _("this sex and age band is given twice"))
        seen.add(key)
        if not 0 <= cell.count <= MAX_COUNT_PER_CELL:
            raise ValidationFailed.on(f"cells.{index}.count", _between(0, MAX_COUNT_PER_CELL))
    if sum(c.count for c in cells) == 0:
        raise ValidationFailed.on("cells", _("a count needs at least one person"))


def _between(low: int, high: int) -> str:
    return _("must be between %(low)s and %(high)s") % {"low": low, "high": high}


def _token_accept(raw: str, *, field_name: str = "token") -> str:
    try:
        return token_validate(raw)
    except TokenError as exc:
        raise ValidationFailed.on(field_name, token_error_text(raw, exc)) from exc


def _token_taken() -> Conflict:
    return Conflict(_("this token is already given to another group"), fields={"token": [_("already used")]})


def group_preregister(
    *,
    actor: Actor,
    crossing_point_id: uuid.UUID | str,
    size: int,
    head_name: str,
    nationality: str,
    data: EncounterData,
    group_id: uuid.UUID | None = None,
    token: str = "",
) -> Group:
    """Pre-register a family or travel group and give it a token (made here or on the device)."""
    point = access_crossing_point_for_registration(user=actor.user, crossing_point_id=crossing_point_id)
    groups = Group.objects.all()
    try:
        _tier_check(policy_for(point.mode), Tier.GROUP)
        checked = _group_check(size=size, head_name=head_name, nationality=nationality, token=token)
    except HbmError as exc:
        return _refused_unless_replay(exc, groups, group_id, point, "crossing_point_id")
    # Checks and reads above run before the write lock is taken (one writer at a time, for the
    # audit chain): the transaction holds it only for the inserts and the audit append.
    try:
        with transaction.atomic():
            group = Group.objects.create(
                id=group_id or uuid.uuid4(),
                token=checked.token,
                size=size,
                head_name=checked.head_name,
                nationality=checked.nationality,
                crossing_point=point,
                registered_by=actor.user,
            )
            encounter = _encounter_create(actor=actor, point=point, tier=Tier.GROUP, data=data, group=group)
            audit_record(
                actor=actor,
                event=AuditEvent.GROUP_PREREGISTERED,
                subject=group,
                detail={"encounter": str(encounter.pk), "size": size},
            )
            return group
    except IntegrityError:
        # Not a replay of this id: then the token was given to another group meanwhile.
        return _refused_unless_replay(_token_taken(), groups, group_id, point, "crossing_point_id")


@dataclass(frozen=True, slots=True)
class _CheckedGroup:
    token: str
    head_name: str
    nationality: str


def _group_check(*, size: int, head_name: str, nationality: str, token: str) -> _CheckedGroup:
    if not 1 <= size <= MAX_GROUP_SIZE:
        raise ValidationFailed.on("size", _between(1, MAX_GROUP_SIZE))
    head_name = " ".join(head_name.split())
    if not head_name:
        raise ValidationFailed.on("head_name", _("name the head of the group"))
    canonical = _token_accept(token) if token else _unused_token()
    return _CheckedGroup(
        token=canonical, head_name=head_name, nationality=nationality_check("nationality", nationality)
    )


def _unused_token() -> str:
    for _attempt in range(5):
        candidate = token_generate()
        if not Group.objects.filter(token=candidate).exists():
            return candidate
    raise RuntimeError("could not find an unused token in 5 draws: the token space is exhausted")


# ICAO Doc 9303 codes for people without a nationality or whose nationality is not known.
SPECIAL_NATIONALITY_CODES = frozenset({"XXA", "XXB", "XXC", "XXX", "UNK"})


def nationality_check(field_name: str, code: str) -> str:
    """ISO 3166-1 alpha-3 or an ICAO special code (stateless XXA, refugee XXB/XXC, unknown XXX)."""
    import pycountry

    code = code.strip().upper()
    if code in SPECIAL_NATIONALITY_CODES or pycountry.countries.get(alpha_3=code) is not None:
        return code
    raise ValidationFailed.on(
        field_name, _("'%(code)s' is not an ISO 3166-1 alpha-3 code (XXA for stateless)") % {"code": code}
    )


def language_check(index: int, code: str) -> str:
    import pycountry

    code = code.strip().lower()
    if pycountry.languages.get(alpha_3=code) is None:
        raise ValidationFailed.on(
            f"languages.{index}", _("'%(code)s' is not an ISO 639-3 language code") % {"code": code}
        )
    return code


def _birth_resolve(
    data: IndividualData, policy: RegistrationPolicy, has_document: bool
) -> tuple[date, BirthDateAccuracy]:
    given = [v is not None for v in (data.date_of_birth, data.birth_year, data.estimated_age)]
    if sum(given) != 1:
        raise ValidationFailed.on(
            "date_of_birth", _("give exactly one of: date of birth, year of birth, estimated age")
        )
    day = today()
    if data.date_of_birth is not None:
        return birth_date_check(data.date_of_birth), BirthDateAccuracy.EXACT
    if data.birth_year is not None:
        if not day.year - MAX_AGE_YEARS <= data.birth_year <= day.year:
            raise ValidationFailed.on("birth_year", _between(day.year - MAX_AGE_YEARS, day.year))
        return date(data.birth_year, 1, 1), BirthDateAccuracy.YEAR
    assert data.estimated_age is not None
    if not policy.estimated_age_allowed and has_document:
        raise ValidationFailed.on(
            "estimated_age",
            _("in %(mode)s mode give the date or year of birth") % {"mode": mode_name(policy.mode)},
        )
    if not 0 <= data.estimated_age <= MAX_AGE_YEARS:
        raise ValidationFailed.on("estimated_age", _between(0, MAX_AGE_YEARS))
    return birth_date_from_estimated_age(data.estimated_age, day), BirthDateAccuracy.ESTIMATED


def birth_date_check(value: date) -> date:
    """An exact date of birth: not in the future, not more than MAX_AGE_YEARS years ago."""
    day = today()
    if value > day:
        raise ValidationFailed.on("date_of_birth", _("is in the future"))
    if value.year < day.year - MAX_AGE_YEARS:
        raise ValidationFailed.on(
            "date_of_birth",
            ngettext("is more than %(years)s year ago", "is more than %(years)s years ago", MAX_AGE_YEARS)
            % {"years": MAX_AGE_YEARS},
        )
    return value


def latin_name_check(given_names: str, surname: str) -> None:
    """Every person needs a surname or a given name in Latin letters (search, MRZ, lists)."""
    if not (given_names.strip() or surname.strip()):
        raise ValidationFailed.on("surname_latin", _("give a surname or given name in Latin letters"))


def parent_names_check(*, father_name: str, mother_name: str) -> None:
    """The parents' names fit their columns (the API and the forms check it first; the services are
    also called by the demo, the bench and the field sync)."""
    for field_name, value in (("father_name", father_name), ("mother_name", mother_name)):
        if len(" ".join(value.split())) > PARENT_NAME_MAX:
            raise ValidationFailed.on(
                field_name, _("at most %(limit)s characters") % {"limit": PARENT_NAME_MAX}
            )


def _individual_check(data: IndividualData, policy: RegistrationPolicy) -> None:
    mode = {"mode": mode_name(policy.mode)}
    latin_name_check(data.given_names_latin, data.surname_latin)
    parent_names_check(father_name=data.father_name, mother_name=data.mother_name)
    if policy.requires("place_of_birth") and not data.place_of_birth.strip():
        raise ValidationFailed.on("place_of_birth", _("is required in %(mode)s mode") % mode)
    if policy.requires("languages") and not data.languages:
        raise ValidationFailed.on("languages", _("is required in %(mode)s mode") % mode)
    if policy.document_required and not data.documents and data.no_document_reason is None:
        raise ValidationFailed.on(
            "documents", _("in %(mode)s mode record a document or the reason there is none") % mode
        )
    if data.group_token and data.relationship is None:
        raise ValidationFailed.on("relationship", _("give the relationship to the head of the group"))


@dataclass(frozen=True, slots=True)
class ReadDocument:
    """A document after its MRZ (if any) has been read and checked."""

    kind: DocumentKind
    document_number: str
    issuing_state: str
    date_of_expiry: date | None
    mrz: str
    mrz_format: str
    failed_checks: tuple[str, ...]
    condition: DocumentCondition


def mrz_read(*, text: str, field_name: str = "mrz") -> MrzResult:
    """Parse an MRZ or raise a field error naming the line that is malformed (``mrz.line_2``)."""
    try:
        return parse_mrz(text, today=today())
    except MrzFormatError as exc:
        raise ValidationFailed.on(f"{field_name}.{exc.field}", mrz_format_error_text(text, exc)) from exc


def document_read(doc: DocumentData, *, field_name: str) -> ReadDocument:
    """Check a document. A failing check digit is an error (most often a typing mistake) unless the
    officer marked the paper damaged; an expired document is recorded as expired, never refused."""
    if not doc.mrz.strip():
        if not doc.document_number.strip():
            raise ValidationFailed.on(f"{field_name}.document_number", _("give the number or the MRZ"))
        expired = doc.date_of_expiry is not None and doc.date_of_expiry < today()
        condition = (
            DocumentCondition.DAMAGED
            if doc.is_damaged
            else (DocumentCondition.EXPIRED if expired else DocumentCondition.VALID)
        )
        return ReadDocument(
            kind=doc.kind,
            document_number=doc.document_number.strip().upper(),
            issuing_state=nationality_check(f"{field_name}.issuing_state", doc.issuing_state)
            if doc.issuing_state
            else "",
            date_of_expiry=doc.date_of_expiry,
            mrz="",
            mrz_format="",
            failed_checks=(),
            condition=condition,
        )
    result = mrz_read(text=doc.mrz, field_name=f"{field_name}.mrz")
    if result.failed_checks and not doc.is_damaged:
        failures = {
            f"{field_name}.mrz.{check.name}": [check_digit_failed_text(check)]
            for check in result.checks
            if not check.is_valid
        }
        summary = _("check digit failed (%(checks)s); correct the MRZ or mark the document damaged") % {
            "checks": check_names_text(result.failed_checks)
        }
        raise ValidationFailed(f"{field_name}.mrz: {summary}", fields=failures)
    if doc.is_damaged:
        condition = DocumentCondition.DAMAGED
    elif result.expired:
        condition = DocumentCondition.EXPIRED
    else:
        condition = DocumentCondition.VALID
    return ReadDocument(
        kind=doc.kind,
        document_number=result.document_number,
        issuing_state=result.issuing_state,
        date_of_expiry=result.date_of_expiry,
        mrz="\n".join(result.raw_lines),
        mrz_format=result.format,
        failed_checks=tuple(result.failed_checks),
        condition=condition,
    )


def person_register(
    *,
    actor: Actor,
    crossing_point_id: uuid.UUID | str,
    data: IndividualData,
    person_id: uuid.UUID | None = None,
) -> Person:
    """Register one individual with the data set the crossing point's mode asks for."""
    return person_register_detailed(
        actor=actor, crossing_point_id=crossing_point_id, data=data, person_id=person_id
    ).person


@dataclass(frozen=True, slots=True)
class Registered:
    """A registration and what it wrote, so the answer needs no second read. On a replay only the
    stored person is known (``documents`` and ``group_ids`` are ``None``)."""

    person: Person
    documents: tuple[Document, ...] | None
    group_ids: tuple[uuid.UUID, ...] | None


def person_register_detailed(
    *,
    actor: Actor,
    crossing_point_id: uuid.UUID | str,
    data: IndividualData,
    person_id: uuid.UUID | None = None,
) -> Registered:
    """:func:`person_register`, also returning the documents and group it wrote."""
    point = access_crossing_point_for_registration(user=actor.user, crossing_point_id=crossing_point_id)
    policy = policy_for(point.mode)
    persons = Person.objects.all()
    try:
        _tier_check(policy, Tier.INDIVIDUAL)
        documents, checked = _individual_prepare(data, policy)
    except HbmError as exc:
        replay = _refused_unless_replay(exc, persons, person_id, point, "registered_at_id")
        return Registered(person=replay, documents=None, group_ids=None)
    # Checks and reads above run before the write lock is taken (one writer at a time, for the
    # audit chain): the transaction holds it only for the inserts and the audit append. The person
    # is inserted before the audit lock is taken: a replayed id fails there (only a group member's
    # replay has locked its group by then).
    try:
        with transaction.atomic():
            return _person_write(
                actor=actor, point=point, data=data, person_id=person_id, checked=checked, documents=documents
            )
    except IntegrityError as exc:
        replay = _refused_unless_replay(exc, persons, person_id, point, "registered_at_id")
        return Registered(person=replay, documents=None, group_ids=None)


def _person_write(
    *,
    actor: Actor,
    point: CrossingPoint,
    data: IndividualData,
    person_id: uuid.UUID | None,
    checked: _CheckedIndividual,
    documents: Sequence[ReadDocument],
) -> Registered:
    group = _group_for_member(checked.group_token, point) if checked.group_token else None
    person = _person_build(actor=actor, point=point, data=data, person_id=person_id, checked=checked)
    stored = tuple(_document_build(actor=actor, person=person, doc=doc) for doc in documents)
    encounter = _encounter_build(
        actor=actor, point=point, tier=Tier.INDIVIDUAL, data=data.encounter, group=group, person=person
    )
    # One statement on PostgreSQL; a replayed id fails here (IntegrityError) before the audit lock.
    rows_insert(person, *stored, encounter)
    if group is not None:
        _membership_add(
            group=group, person=person, relationship=data.relationship or Relationship.OTHER_RELATIVE
        )
    audit_record(
        actor=actor,
        event=AuditEvent.PERSON_REGISTERED,
        subject=person,
        detail=_registered_detail(encounter, group, len(documents), point),
    )
    return Registered(person=person, documents=stored, group_ids=(group.pk,) if group else ())


@dataclass(frozen=True, slots=True)
class BatchRegistration:
    """What became of one registration of a batch: stored, a replay of one stored before, or
    refused (``error``, the same error :func:`person_register` would have raised)."""

    person_id: uuid.UUID
    version: int | None
    replayed: bool
    error: HbmError | None = None


@dataclass(frozen=True, slots=True)
class _Prepared:
    index: int
    person_id: uuid.UUID
    data: IndividualData
    documents: list[ReadDocument]
    checked: _CheckedIndividual


def persons_register_batch(
    *, actor: Actor, crossing_point_id: uuid.UUID | str, items: Sequence[tuple[uuid.UUID, IndividualData]]
) -> list[BatchRegistration]:
    """Register many individuals of one crossing point at once (an outbox synced from a device).

    The checks are those of :func:`person_register`, record by record: one refused record is
    refused alone. The writes share one transaction and one lock of the audit chain, which is
    what makes a synced outbox fast. Ids already stored are replays. Should a concurrent retry
    store one of these ids meanwhile, the batch falls back to registering one by one.
    """
    point = access_crossing_point_for_registration(user=actor.user, crossing_point_id=crossing_point_id)
    policy = policy_for(point.mode)
    _tier_check(policy, Tier.INDIVIDUAL)
    outcomes: list[BatchRegistration | None] = [None] * len(items)
    fresh = _batch_triage(point, policy, items, outcomes)
    if fresh:
        try:
            with transaction.atomic():
                refused = _batch_write(actor, point, fresh)
        except IntegrityError:
            return [_one_by_one(actor, point, person_id, data) for person_id, data in items]
        for prepared in fresh:
            error = refused.get(prepared.index)
            outcomes[prepared.index] = BatchRegistration(
                person_id=prepared.person_id, version=None if error else 1, replayed=False, error=error
            )
    return [outcome for outcome in outcomes if outcome is not None]


def _batch_triage(
    point: CrossingPoint,
    policy: RegistrationPolicy,
    items: Sequence[tuple[uuid.UUID, IndividualData]],
    outcomes: list[BatchRegistration | None],
) -> list[_Prepared]:
    """Answer replays and refusals in ``outcomes``; return the registrations to write."""
    stored = {
        pk: (at, version)
        for pk, at, version in Person.objects.filter(pk__in=[i for i, _ in items]).values_list(
            "pk", "registered_at_id", "version"
        )
    }
    fresh: list[_Prepared] = []
    seen: set[uuid.UUID] = set()
    for index, (person_id, data) in enumerate(items):
        if person_id in stored or person_id in seen:
            at, version = stored.get(person_id, (point.pk, 1))
            error = (
                None
                if at == point.pk
                else Conflict(
                    _("this id is already used by another record"), fields={"id": [_("already used")]}
                )
            )
            outcomes[index] = BatchRegistration(
                person_id=person_id, version=version, replayed=True, error=error
            )
            continue
        seen.add(person_id)
        try:
            documents, checked = _individual_prepare(data, policy)
        except HbmError as exc:
            outcomes[index] = BatchRegistration(person_id=person_id, version=None, replayed=False, error=exc)
            continue
        fresh.append(_Prepared(index, person_id, data, documents, checked))
    return fresh


def _batch_write(actor: Actor, point: CrossingPoint, fresh: Sequence[_Prepared]) -> dict[int, HbmError]:
    """Write the registrations (bulk inserts, one chain lock); return those refused for their group."""
    tokens = {p.checked.group_token for p in fresh if p.checked.group_token}
    groups = {
        g.token: g for g in Group.objects.select_for_update().filter(token__in=tokens, crossing_point=point)
    }
    headed = set(
        GroupMembership.objects.filter(group__in=groups.values(), relationship=Relationship.HEAD).values_list(
            "group_id", flat=True
        )
    )
    refused: dict[int, HbmError] = {}
    persons: list[Person] = []
    memberships: list[GroupMembership] = []
    documents: list[Document] = []
    encounters: list[Encounter] = []
    events: list[AuditItem] = []
    for p in fresh:
        group = groups.get(p.checked.group_token) if p.checked.group_token else None
        relationship = p.data.relationship or Relationship.OTHER_RELATIVE
        if p.checked.group_token and group is None:
            refused[p.index] = _no_such_group()
            continue
        if group is not None and relationship == Relationship.HEAD:
            if group.pk in headed:
                refused[p.index] = _group_has_head()
                continue
            headed.add(group.pk)
        person = _person_build(
            actor=actor, point=point, data=p.data, person_id=p.person_id, checked=p.checked
        )
        persons.append(person)
        if group is not None:
            memberships.append(GroupMembership(group=group, person=person, relationship=relationship))
        own = [_document_build(actor=actor, person=person, doc=d) for d in p.documents]
        documents.extend(own)
        encounter = _encounter_build(
            actor=actor, point=point, tier=Tier.INDIVIDUAL, data=p.data.encounter, group=group, person=person
        )
        encounters.append(encounter)
        events.append(
            (AuditEvent.PERSON_REGISTERED, person, _registered_detail(encounter, group, len(own), point))
        )
    Person.objects.bulk_create(persons)
    GroupMembership.objects.bulk_create(memberships)
    Document.objects.bulk_create(documents)
    Encounter.objects.bulk_create(encounters)
    audit_record_many(actor=actor, events=events)
    return refused


def _one_by_one(
    actor: Actor, point: CrossingPoint, person_id: uuid.UUID, data: IndividualData
) -> BatchRegistration:
    try:
        registered = person_register_detailed(
            actor=actor, crossing_point_id=point.pk, data=data, person_id=person_id
        )
    except HbmError as exc:
        return BatchRegistration(person_id=person_id, version=None, replayed=False, error=exc)
    return BatchRegistration(
        person_id=person_id, version=registered.person.version, replayed=registered.documents is None
    )


def _registered_detail(
    encounter: Encounter, group: Group | None, documents: int, point: CrossingPoint
) -> dict[str, Any]:
    return {
        "encounter": str(encounter.pk),
        "group": str(group.pk) if group else "",
        "documents": documents,
        "mode": point.mode,
    }


def _individual_prepare(
    data: IndividualData, policy: RegistrationPolicy
) -> tuple[list[ReadDocument], _CheckedIndividual]:
    """Every check of an individual registration that needs no lock: the mode's data set, the
    documents (MRZ check digits), the birth date, the codes, the time."""
    _individual_check(data, policy)
    documents = [document_read(d, field_name=f"documents.{i}") for i, d in enumerate(data.documents)]
    birth, accuracy = _birth_resolve(data, policy, has_document=bool(documents))
    checked = _CheckedIndividual(
        birth=birth,
        accuracy=accuracy,
        nationality=nationality_check("nationality", data.nationality),
        languages=[language_check(i, c) for i, c in enumerate(data.languages)],
        group_token=_token_accept(data.group_token, field_name="group_token") if data.group_token else "",
    )
    _encounter_time(data.encounter)
    return documents, checked


@dataclass(frozen=True, slots=True)
class _CheckedIndividual:
    """The values of a registration that were checked and normalised before the transaction."""

    birth: date
    accuracy: BirthDateAccuracy
    nationality: str
    languages: list[str]
    group_token: str


def _person_build(
    *,
    actor: Actor,
    point: CrossingPoint,
    data: IndividualData,
    person_id: uuid.UUID | None,
    checked: _CheckedIndividual,
) -> Person:
    return Person(
        id=person_id or uuid.uuid4(),
        given_names_original=data.given_names_original.strip(),
        surname_original=data.surname_original.strip(),
        given_names_latin=data.given_names_latin.strip(),
        surname_latin=data.surname_latin.strip(),
        **search_columns_of(
            surname_latin=data.surname_latin,
            given_names_latin=data.given_names_latin,
            surname_original=data.surname_original,
            given_names_original=data.given_names_original,
            father_name=data.father_name,
            mother_name=data.mother_name,
        ),
        sex=data.sex,
        date_of_birth=checked.birth,
        birth_date_accuracy=checked.accuracy,
        nationality=checked.nationality,
        place_of_birth=data.place_of_birth.strip(),
        father_name=" ".join(data.father_name.split()),
        mother_name=" ".join(data.mother_name.split()),
        languages=checked.languages,
        specific_needs=sorted({n.value for n in data.specific_needs}) or None,
        no_document_reason=data.no_document_reason or "",
        registered_at=point,
        registered_by=actor.user,
    )


def _no_such_group() -> ValidationFailed:
    return ValidationFailed.on("group_token", _("no group with this token was pre-registered here"))


def _group_has_head() -> ValidationFailed:
    return ValidationFailed.on("relationship", _("this group already has a head"))


def _group_for_member(token: str, point: CrossingPoint) -> Group:
    group = Group.objects.select_for_update().filter(token=token, crossing_point=point).first()
    if group is None:
        raise _no_such_group()
    return group


def _membership_add(*, group: Group, person: Person, relationship: Relationship) -> None:
    """Add a person just inserted to a group (so never a duplicate membership)."""
    if (
        relationship == Relationship.HEAD
        and group.memberships.filter(relationship=Relationship.HEAD).exists()
    ):
        raise _group_has_head()
    GroupMembership.objects.create(group=group, person=person, relationship=relationship)


def _document_store(*, actor: Actor, person: Person, doc: ReadDocument) -> Document:
    document = _document_build(actor=actor, person=person, doc=doc)
    row_insert(document)
    return document


def _document_build(*, actor: Actor, person: Person, doc: ReadDocument) -> Document:
    return Document(
        person=person,
        kind=doc.kind,
        document_number=doc.document_number,
        issuing_state=doc.issuing_state,
        date_of_expiry=doc.date_of_expiry,
        mrz=doc.mrz,
        mrz_format=doc.mrz_format,
        failed_checks=list(doc.failed_checks),
        condition=doc.condition,
        recorded_by=actor.user,
    )


def photo_normalise(data: bytes) -> bytes:
    """Re-encode an uploaded photo: a bounded JPEG with no metadata (no GPS, no device serial).

    Re-encoding is the defence against malformed or hostile image files: only pixels survive.
    """
    limit = settings.HBM_MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise ValidationFailed.on("photo", _("is larger than %(kb)s KB") % {"kb": limit // 1024})
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > 40_000_000:
                raise ValidationFailed.on("photo", _("has too many pixels"))
            upright = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationFailed.on("photo", _("is not a readable JPEG, PNG or WebP image")) from exc
    upright.thumbnail((PHOTO_MAX_SIDE_PX, PHOTO_MAX_SIDE_PX))
    out = io.BytesIO()
    upright.save(out, format="JPEG", quality=82, optimize=True)
    return out.getvalue()


@transaction.atomic
def person_photo_set(*, actor: Actor, person: Person, data: bytes) -> Person:
    """Attach a photo (stored encrypted). ``person`` must come from ``access_person``."""
    person.photo = photo_normalise(data)
    due = person.duplicate_check_due()  # check again, now with the face
    person.save(update_fields=["photo", *due, "updated_at"])
    audit_record(actor=actor, event=AuditEvent.PHOTO_ADDED, subject=person)
    return person


@transaction.atomic
def person_document_add(*, actor: Actor, person: Person, doc: DocumentData) -> Document:
    """Add a document to a registered person. ``person`` must come from ``access_person``. The
    person is checked for duplicates again: the number may be one another record shows."""
    document = _document_store(actor=actor, person=person, doc=document_read(doc, field_name="document"))
    person.save(update_fields=[*person.duplicate_check_due(), "updated_at"])
    audit_record(
        actor=actor, event=AuditEvent.DOCUMENT_ADDED, subject=person, detail={"document": str(document.pk)}
    )
    return document
