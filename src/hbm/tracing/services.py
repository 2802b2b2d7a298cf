"""Writes of family tracing: filing a request, searching for the sought person, checking a possible
match with the person found, consent, closing.

The search uses the de-duplication engines and what they derived (blocking keys, the face index):
a request is compared with every person sharing a blocking key or a near face, first in full and
then, each time ``hbm dedup work`` passes, with the persons checked since. Nothing the engines find
reaches the tracing caseworker: a screening officer who may see the person checks the match and
asks the person, and only a *yes* from the person (the enquirer said yes when filing) discloses
who and where (decision 0010).
"""

from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hbm.accounts.enums import Role
from hbm.accounts.models import User
from hbm.accounts.selectors import approving_supervisor
from hbm.audit.enums import AuditEvent
from hbm.audit.services import audit_record
from hbm.core.context import Actor
from hbm.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hbm.core.time import now, today
from hbm.dedup.enums import Modality
from hbm.dedup.faces import face_index
from hbm.dedup.models import BiometricTemplate, BlockingKey
from hbm.dedup.records import MATCH_RECORD_RELATED, match_record_of, match_records_of, match_scoring
from hbm.engines.biometrics import BiometricError, FaceEncoder, face_similarity
from hbm.engines.matching import MatchRecord, Score, blocking_keys, face_weight, is_child
from hbm.registration.enums import BirthDateAccuracy, Sex
from hbm.registration.models import Person
from hbm.registration.selectors import access_person, person_visible_filter
from hbm.registration.services import birth_date_check, latin_name_check, nationality_check, photo_normalise
from hbm.registration.values import MAX_AGE_YEARS, birth_date_from_estimated_age
from hbm.tracing.enums import (
    MATCH_TRANSITIONS,
    ConsentGivenBy,
    ConsentSide,
    MatchStatus,
    RequestOutcome,
    RequestStatus,
    SoughtRelationship,
)
from hbm.tracing.models import TracingConsent, TracingMatch, TracingRequest
from hbm.tracing.records import request_record

log = logging.getLogger(__name__)

# Who files and follows tracing requests (the "tracing caseworker" is the one who filed).
TRACER_ROLES = (Role.CASEWORKER, Role.SCREENING_OFFICER)
# Who checks a possible match with the person found: those who may see that person.
CHECKER_ROLES = (Role.SCREENING_OFFICER,)
# Who may approve a best-interests decision for a child recorded by someone else.
SUPERVISOR_ROLES = (Role.COORDINATOR, Role.SCREENING_OFFICER)
# At most this many matches of one request wait for an officer at once, the likeliest first:
# a common name must not flood the officers with every namesake.
MAX_PROPOSED = 10
FACE_NEIGHBOURS = 10
# A match is proposed from this many bits of evidence (a likelihood ratio of 256): both names
# alike and an age that fits reach about 12; one name alike with the other different stays below 4.
# Not the duplicate check's probability thresholds: their prior is for pairs of registrations, and
# here ranking and a human check matter more than a calibrated probability.
MIN_WEIGHT = 8.0
# Persons checked shortly before a pass began may commit after it: each pass looks back this far.
SEARCH_OVERLAP = timedelta(minutes=10)
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no I, L, O, U, 0, 1: read aloud safely
TEXT_LIMIT = 2000


# --- filing a request ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SoughtData:
    """The sought person as the enquirer knows them. Exactly one of ``date_of_birth``,
    ``birth_year`` and ``estimated_age`` (an age *today*)."""

    given_names_latin: str
    surname_latin: str
    sex: Sex
    given_names_original: str = ""
    surname_original: str = ""
    date_of_birth: date | None = None
    birth_year: int | None = None
    estimated_age: int | None = None
    nationality: str = ""
    place_of_birth: str = ""
    father_name: str = ""
    mother_name: str = ""


@dataclass(frozen=True, slots=True)
class TracingRequestData:
    sought: SoughtData
    relationship: SoughtRelationship
    enquirer_name: str
    enquirer_consent: bool
    enquirer_contact: str = ""
    enquirer_person_id: uuid.UUID | None = None
    separated_at_place: str = ""
    separated_on: date | None = None
    circumstances: str = ""
    photo: bytes | None = field(default=None, repr=False)


def tracing_request_create(
    *, actor: Actor, data: TracingRequestData, request_id: uuid.UUID | None = None
) -> TracingRequest:
    """File a tracing request; the one who files it is its tracing caseworker.

    The enquirer's consent (to the search, and to their name being told to the person found) is
    required and recorded with the request. A replay of the same ``request_id`` by the same
    caseworker returns the first request. Raises :class:`ValidationFailed` naming the field,
    :class:`PermissionDenied` for a role that does not trace, :class:`Conflict` for an id in use.
    """
    if not actor.user.has_role(*TRACER_ROLES):
        raise PermissionDenied(_("your role does not file tracing requests"))
    if request_id is not None and (replay := _replay_of(actor, request_id)) is not None:
        return replay
    checked = _request_check(actor, data)
    face, face_status = _face_of(checked.photo)
    try:
        with transaction.atomic():
            request = TracingRequest(
                id=request_id or uuid.uuid4(),
                reference=_reference_new(),
                organisation=actor.user.organisation,
                caseworker=actor.user,
                enquirer_person=checked.enquirer_person,
                enquirer={"name": data.enquirer_name.strip(), "contact": data.enquirer_contact.strip()},
                relationship=data.relationship,
                given_names_original=data.sought.given_names_original.strip(),
                surname_original=data.sought.surname_original.strip(),
                given_names_latin=data.sought.given_names_latin.strip().upper(),
                surname_latin=data.sought.surname_latin.strip().upper(),
                sex=data.sought.sex,
                date_of_birth=checked.birth,
                birth_date_accuracy=checked.accuracy,
                nationality=checked.nationality,
                place_of_birth=data.sought.place_of_birth.strip(),
                father_name=" ".join(data.sought.father_name.split()),
                mother_name=" ".join(data.sought.mother_name.split()),
                photo=checked.photo,
                face=face,
                face_status=face_status,
                separated_at_place=data.separated_at_place.strip(),
                separated_on=data.separated_on,
                circumstances=data.circumstances.strip(),
            )
            request.save(force_insert=True)
            TracingConsent.objects.create(
                request=request,
                side=ConsentSide.ENQUIRER,
                is_given=True,
                given_by=ConsentGivenBy.PERSON,
                recorded_by=actor.user,
            )
            audit_record(
                actor=actor,
                event=AuditEvent.TRACING_REQUEST_CREATED,
                subject=request,
                detail={
                    "reference": request.reference,
                    "enquirer_person": str(checked.enquirer_person.pk) if checked.enquirer_person else None,
                    "face": face_status,
                },
            )
    except IntegrityError as exc:
        if request_id is not None and (replay := _replay_of(actor, request_id)) is not None:
            return replay
        raise Conflict(_("this tracing request id is already in use")) from exc
    return request


def _replay_of(actor: Actor, request_id: uuid.UUID) -> TracingRequest | None:
    stored = TracingRequest.objects.filter(pk=request_id).first()
    if stored is None:
        return None
    if stored.caseworker_id != actor.user.pk:
        raise Conflict(_("this tracing request id is already in use"))
    return stored


@dataclass(frozen=True, slots=True)
class _CheckedRequest:
    birth: date
    accuracy: BirthDateAccuracy
    nationality: str
    enquirer_person: Person | None
    photo: bytes | None


def _request_check(actor: Actor, data: TracingRequestData) -> _CheckedRequest:
    if data.enquirer_consent is not True:
        raise ValidationFailed.on(
            "enquirer_consent",
            _("record the enquirer's consent to the search and to their name being told to the person found"),
        )
    if not data.enquirer_name.strip():
        raise ValidationFailed.on("enquirer_name", _("give the enquirer's name"))
    _length_check("enquirer_name", data.enquirer_name, 200)
    _length_check("enquirer_contact", data.enquirer_contact, 500)
    _length_check("circumstances", data.circumstances, TEXT_LIMIT)
    _length_check("separated_at_place", data.separated_at_place, 200)
    latin_name_check(data.sought.given_names_latin, data.sought.surname_latin)
    for name in ("given_names_latin", "surname_latin", "given_names_original", "surname_original"):
        _length_check(name, getattr(data.sought, name), 200)
    _length_check("place_of_birth", data.sought.place_of_birth, 200)
    for name in ("father_name", "mother_name"):
        _length_check(name, " ".join(getattr(data.sought, name).split()), 200)
    if data.separated_on is not None and data.separated_on > today():
        raise ValidationFailed.on("separated_on", _("is in the future"))
    birth, accuracy = _birth_of(data.sought)
    nationality = (
        nationality_check("nationality", data.sought.nationality) if data.sought.nationality.strip() else ""
    )
    enquirer = (
        _enquirer_person(actor, data.enquirer_person_id) if data.enquirer_person_id is not None else None
    )
    photo = photo_normalise(data.photo) if data.photo else None
    return _CheckedRequest(
        birth=birth, accuracy=accuracy, nationality=nationality, enquirer_person=enquirer, photo=photo
    )


def _length_check(field_name: str, value: str, limit: int) -> None:
    if len(value) > limit:
        raise ValidationFailed.on(field_name, _("is longer than %(limit)s characters") % {"limit": limit})


def _birth_of(sought: SoughtData) -> tuple[date, BirthDateAccuracy]:
    given = [v is not None for v in (sought.date_of_birth, sought.birth_year, sought.estimated_age)]
    if sum(given) != 1:
        raise ValidationFailed.on(
            "date_of_birth", _("give exactly one of: date of birth, year of birth, estimated age")
        )
    day = today()
    if sought.date_of_birth is not None:
        return birth_date_check(sought.date_of_birth), BirthDateAccuracy.EXACT
    if sought.birth_year is not None:
        if not day.year - MAX_AGE_YEARS <= sought.birth_year <= day.year:
            raise ValidationFailed.on(
                "birth_year",
                _("must be between %(low)s and %(high)s")
                % {"low": day.year - MAX_AGE_YEARS, "high": day.year},
            )
        return date(sought.birth_year, 1, 1), BirthDateAccuracy.YEAR
    assert sought.estimated_age is not None
    if not 0 <= sought.estimated_age <= MAX_AGE_YEARS:
        raise ValidationFailed.on(
            "estimated_age", _("must be between %(low)s and %(high)s") % {"low": 0, "high": MAX_AGE_YEARS}
        )
    return birth_date_from_estimated_age(sought.estimated_age, day), BirthDateAccuracy.ESTIMATED


def _enquirer_person(actor: Actor, person_id: uuid.UUID) -> Person:
    """A registered enquirer, if the one filing may see them (a screening officer at their post)."""
    try:
        return access_person(actor=actor, person_id=person_id, purpose="tracing enquirer")
    except NotFound as exc:
        raise ValidationFailed.on("enquirer_person_id", _("no such person")) from exc


def _face_of(photo: bytes | None) -> tuple[bytes | None, str]:
    """The photo's face template, or why there is none: a photo with no face or two faces leaves
    the request without one (the names still search)."""
    if photo is None:
        return None, "none"
    try:
        template = FaceEncoder().encode(photo)
    except BiometricError as exc:
        return None, exc.code
    return np.asarray(template.vector, dtype=np.float32).tobytes(), "encoded"


def _reference_new() -> str:
    """``TR-`` and 8 characters from an alphabet that reads aloud without confusion (≈ 6.6 × 10¹¹)."""
    return "TR-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def tracing_request_photo_set(*, actor: Actor, request_id: uuid.UUID, data: bytes) -> TracingRequest:
    """Add or replace the sought person's photo on one's own open request: re-encoded without
    metadata, stored encrypted, its face searched from the next pass on (in full)."""
    photo = photo_normalise(data)
    face, face_status = _face_of(photo)
    with transaction.atomic():
        request = _own_open_request(actor, request_id)
        request.photo, request.face, request.face_status, request.searched_until = (
            photo,
            face,
            face_status,
            None,
        )
        request.save(update_fields=["photo", "face", "face_status", "searched_until", "updated_at"])
        audit_record(
            actor=actor, event=AuditEvent.TRACING_PHOTO_ADDED, subject=request, detail={"face": face_status}
        )
        return request


def _own_open_request(actor: Actor, request_id: uuid.UUID) -> TracingRequest:
    """One's own request, locked; "not found" for anyone else's. Raises Conflict once closed."""
    request = (
        TracingRequest.objects.select_for_update().filter(pk=request_id, caseworker=actor.user).first()
        if actor.user.has_role(*TRACER_ROLES)
        else None
    )
    if request is None:
        raise NotFound(_("no such tracing request"))
    if request.status != RequestStatus.OPEN:
        raise Conflict(_("the tracing request is already closed"))
    return request


# --- searching ----------------------------------------------------------------------------------


def tracing_pending_search(*, limit: int = 50) -> int:
    """Search for the sought person of up to ``limit`` open requests, those searched longest ago
    first (never-searched ones before all). Returns the number of matches proposed."""
    pending = TracingRequest.objects.filter(status=RequestStatus.OPEN).order_by(
        "searched_until", "created_at"
    )
    return sum(tracing_request_search(request_id=pk) for pk in pending.values_list("pk", flat=True)[:limit])


def tracing_request_search(*, request_id: uuid.UUID) -> int:
    """Compare one open request with the persons sharing a blocking key (checked since its last
    search, or all on the first) and with the nearest faces; propose the likeliest, at most
    :data:`MAX_PROPOSED` waiting at once. A match an officer decided is never proposed again.
    Returns the number of matches proposed or updated."""
    request = TracingRequest.objects.filter(pk=request_id, status=RequestStatus.OPEN).first()
    if request is None:
        return 0
    started = now()
    record = request_record(request)
    candidates = Person.objects.filter(pk__in=_candidate_ids(request, record)).prefetch_related(
        *MATCH_RECORD_RELATED
    )
    decided = set(request.matches.exclude(status=MatchStatus.PROPOSED).values_list("person_id", flat=True))
    persons = [p for p in candidates if p.pk not in decided and p.pk != request.enquirer_person_id]
    faces = _face_similarities(request, persons)
    scored = [
        scoring
        for person, other in zip(persons, match_records_of(persons), strict=True)
        if (scoring := _score(record, person, other, faces.get(person.pk))) is not None
    ]
    proposed = _proposals_record(request, scored)
    TracingRequest.objects.filter(pk=request.pk).update(searched_until=started)
    return proposed


def _candidate_ids(request: TracingRequest, record: MatchRecord) -> set[uuid.UUID]:
    by_keys = BlockingKey.objects.filter(key__in=blocking_keys(record))
    if request.searched_until is not None:
        by_keys = by_keys.filter(person__dedup_checked_at__gte=request.searched_until - SEARCH_OVERLAP)
    found = set(by_keys.values_list("person_id", flat=True))
    if request.face is not None:
        hits = face_index().search(np.frombuffer(bytes(request.face), dtype=np.float32), FACE_NEIGHBOURS)
        found |= set(
            BiometricTemplate.objects.filter(pk__in=[h.id for h in hits]).values_list("person_id", flat=True)
        )
    return found


@dataclass(frozen=True, slots=True)
class _Scored:
    person: Person
    score: Score
    weight: float
    similarity: float | None
    child: bool


def _score(
    record: MatchRecord, person: Person, other: MatchRecord, similarity: float | None
) -> _Scored | None:
    """The person's evidence (``other``: their record; ``similarity``: their face's to the one
    sought, if both are known) against the sought person (biographic bits plus the face's), or
    ``None`` below :data:`MIN_WEIGHT` (a strong face match is never dismissed on names: people give
    other names)."""
    score = match_scoring().score(record, other)
    weight = float(score.weight) + (0.0 if similarity is None else face_weight(similarity))
    strong_face = similarity is not None and similarity >= STRONG_FACE_SIMILARITY
    if weight < MIN_WEIGHT and not strong_face:
        return None
    day = today()
    child = is_child(record, day) or is_child(other, day)
    return _Scored(person=person, score=score, weight=weight, similarity=similarity, child=child)


# The same rule as the duplicate check's (hbm.dedup.services): a distance of about 0.4.
STRONG_FACE_SIMILARITY = 0.98


def _face_similarities(request: TracingRequest, persons: Sequence[Person]) -> dict[uuid.UUID, float]:
    """How alike each person's face is to the one sought, for those with a template (one query);
    empty when the request has no face."""
    if request.face is None or not persons:
        return {}
    sought = np.frombuffer(bytes(request.face), dtype=np.float32)
    templates = BiometricTemplate.objects.filter(person__in=persons, modality=Modality.FACE)
    return {
        t.person_id: float(
            face_similarity(float(np.linalg.norm(sought - np.frombuffer(bytes(t.vector), dtype=np.float32))))
        )
        for t in templates
    }


def _proposals_record(request: TracingRequest, scored: list[_Scored]) -> int:
    """Upsert the best proposals; a new one only while fewer than MAX_PROPOSED wait."""
    recorded = 0
    with transaction.atomic():
        waiting = set(
            TracingMatch.objects.select_for_update()
            .filter(request=request, status=MatchStatus.PROPOSED)
            .values_list("person_id", flat=True)
        )
        for item in sorted(scored, key=lambda s: -s.weight):
            if item.person.pk not in waiting and len(waiting) >= MAX_PROPOSED:
                continue
            _proposal_upsert(request, item)
            waiting.add(item.person.pk)
            recorded += 1
    return recorded


def _proposal_upsert(request: TracingRequest, item: _Scored) -> None:
    contributions = [
        {"field": c.field, "level": c.level, "weight": round(c.weight, 3)} for c in item.score.contributions
    ]
    match, created = TracingMatch.objects.update_or_create(
        request=request,
        person=item.person,
        defaults={
            "weight": round(item.weight, 3),
            "biographic_weight": round(float(item.score.weight), 3),
            "face_similarity": item.similarity,
            "contributions": contributions,
            "involves_child": item.child,
        },
    )
    if created:
        audit_record(
            actor=None,
            event=AuditEvent.TRACING_MATCH_FOUND,
            subject=match,
            detail={"request": str(request.pk), "person": str(item.person.pk)},
        )


# --- checking a match with the person found -----------------------------------------------------


def _match_for_checker(actor: Actor, match_id: uuid.UUID) -> TracingMatch:
    """The match, locked, if the actor checks matches and may see its person; else not found."""
    if not actor.user.has_role(*CHECKER_ROLES):
        raise NotFound(_("no such tracing match"))
    match = (
        TracingMatch.objects.select_for_update()
        .filter(person_visible_filter(actor=actor), pk=match_id)
        .first()
    )
    if match is None:
        raise NotFound(_("no such tracing match"))
    return match


def _transition(match: TracingMatch, to: MatchStatus) -> None:
    if to not in MATCH_TRANSITIONS[MatchStatus(match.status)]:
        raise Conflict(
            _("this match is %(status)s: it cannot become %(to)s")
            % {"status": MatchStatus(match.status).label, "to": to.label}
        )
    match.status = to


def tracing_match_dismiss(*, actor: Actor, match_id: uuid.UUID, note: str = "") -> TracingMatch:
    """Not the sought person: the pair is never proposed again (unless reopened)."""
    with transaction.atomic():
        match = _match_for_checker(actor, match_id)
        _transition(match, MatchStatus.DISMISSED)
        _decided(actor, match, note)
        return match


def tracing_match_reopen(*, actor: Actor, match_id: uuid.UUID) -> TracingMatch:
    """Undo a dismissal made by mistake: the match waits again."""
    with transaction.atomic():
        match = _match_for_checker(actor, match_id)
        if match.request.status != RequestStatus.OPEN:
            raise Conflict(_("the tracing request is closed"))
        _transition(match, MatchStatus.PROPOSED)
        _decided(actor, match, "")
        return match


def _decided(actor: Actor, match: TracingMatch, note: str) -> None:
    _length_check("note", note, TEXT_LIMIT)
    match.decided_by, match.decided_at, match.note = actor.user, now(), note.strip()
    match.save(update_fields=["status", "decided_by", "decided_at", "note", "updated_at"])
    audit_record(
        actor=actor,
        event=AuditEvent.TRACING_MATCH_DECIDED,
        subject=match,
        detail={"status": str(match.status), "person": str(match.person_id)},
    )


@dataclass(frozen=True, slots=True)
class ConsentData:
    """The found person's answer. ``approved_by`` is the username of the supervisor who approved
    a best-interests decision (required then, and not the officer recording it)."""

    is_given: bool
    given_by: ConsentGivenBy
    reason: str = ""
    approved_by: str = ""
    note: str = ""


def tracing_match_consent(*, actor: Actor, match_id: uuid.UUID, data: ConsentData) -> TracingMatch:
    """Record the found person's answer. *Yes* discloses the match to the tracing caseworker (the
    enquirer said yes when filing); *no* closes it, and the caseworker never learns it existed."""
    with transaction.atomic():
        match = _match_for_checker(actor, match_id)
        request = match.request
        if request.status != RequestStatus.OPEN:
            raise Conflict(_("the tracing request is closed"))
        if not enquirer_consent_given(request=request):
            raise Conflict(_("the enquirer's consent was withdrawn"))
        approver = _consent_check(actor, match, data)
        _transition(match, MatchStatus.DISCLOSED if data.is_given else MatchStatus.REFUSED)
        TracingConsent.objects.create(
            request=request,
            match=match,
            side=ConsentSide.SOUGHT,
            is_given=data.is_given,
            given_by=data.given_by,
            reason=data.reason.strip(),
            approved_by=approver,
            recorded_by=actor.user,
        )
        audit_record(
            actor=actor,
            event=AuditEvent.TRACING_CONSENT_RECORDED,
            subject=match,
            detail={"given": data.is_given, "given_by": str(data.given_by), "person": str(match.person_id)},
        )
        _decided(actor, match, data.note)
        return match


def _consent_check(actor: Actor, match: TracingMatch, data: ConsentData) -> User | None:
    _length_check("reason", data.reason, TEXT_LIMIT)
    if data.given_by == ConsentGivenBy.PERSON:
        return None
    child = is_child(match_record_of(match.person), today())
    if not child:
        raise ValidationFailed.on("given_by", _("an adult decides for themself"))
    if data.given_by == ConsentGivenBy.GUARDIAN:
        return None
    if not data.reason.strip():
        raise ValidationFailed.on("reason", _("give the reason for the best-interests decision"))
    return approving_supervisor(username=data.approved_by, roles=SUPERVISOR_ROLES, actor=actor.user)


def enquirer_consent_given(*, request: TracingRequest) -> bool:
    """Whether the enquirer's latest word on sharing is *yes*."""
    latest = request.consents.filter(side=ConsentSide.ENQUIRER).order_by("-created_at").first()
    return latest is not None and latest.is_given


# --- closing ------------------------------------------------------------------------------------


def tracing_request_close(
    *, actor: Actor, request_id: uuid.UUID, outcome: RequestOutcome, note: str = ""
) -> TracingRequest:
    """Close a request (its caseworker only). Matches nobody asked about yet become void; a
    withdrawal is recorded as the enquirer taking back their consent."""
    _length_check("note", note, TEXT_LIMIT)
    with transaction.atomic():
        request = _own_open_request(actor, request_id)
        request.status, request.outcome, request.closed_at = RequestStatus.CLOSED, outcome, now()
        request.closing_note = note.strip()
        request.save(update_fields=["status", "outcome", "closed_at", "closing_note", "updated_at"])
        voided = request.matches.filter(status=MatchStatus.PROPOSED).update(
            status=MatchStatus.VOID, updated_at=now()
        )
        if outcome == RequestOutcome.WITHDRAWN:
            TracingConsent.objects.create(
                request=request,
                side=ConsentSide.ENQUIRER,
                is_given=False,
                given_by=ConsentGivenBy.PERSON,
                reason=note.strip(),
                recorded_by=actor.user,
            )
        audit_record(
            actor=actor,
            event=AuditEvent.TRACING_REQUEST_CLOSED,
            subject=request,
            detail={"outcome": str(outcome), "voided_matches": voided},
        )
        return request
