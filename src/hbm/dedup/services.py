"""Writes of de-duplication: checking persons, recording candidate pairs, adjudicating, undoing.

Registration never waits for a duplicate check: a person whose ``dedup_checked_at`` is empty (new,
synced from a device, new photo, changed details) is picked up by :func:`dedup_pending_process`,
which ``hbm dedup work`` runs in a loop beside the server (and tests call directly). Several workers
may run at once: each claims its persons first (:func:`dedup_pending_claim`), so no person is
checked twice, and a claim expires, so a worker that stops mid-batch leaves nobody unchecked.
"""

from __future__ import annotations

import itertools
import logging
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hbm.audit.enums import AuditEvent
from hbm.audit.services import audit_record
from hbm.core.context import Actor
from hbm.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hbm.core.time import now, today
from hbm.dedup.access import candidates_visible_to, refusal_record
from hbm.dedup.config import child_links_confirmed, thresholds
from hbm.dedup.enums import CandidateStatus, Modality, Ruling, Verdict
from hbm.dedup.faces import face_index, face_similarities, face_similarity_of
from hbm.dedup.holds import review_hold_check
from hbm.dedup.models import Adjudication, BiometricTemplate, BlockingKey, MatchCandidate, TemplateChange
from hbm.dedup.records import MATCH_RECORD_RELATED, match_record_of, match_records_of, match_scoring
from hbm.dedup.selectors import links_among
from hbm.engines.biometrics import BiometricError, FaceEncoder
from hbm.engines.matching import LETTERS, MatchRecord, Score, blocking_keys, fuse, group_rulings, is_child
from hbm.registration.models import Person

log = logging.getLogger(__name__)
FACE_NEIGHBOURS = 5
# face_similarity 0.98 ≈ a distance of 0.4 between dlib templates, well inside dlib's 0.6 threshold
# (99.38 % on LFW) and below the closest impostor distance seen in 1 % of a million (0.483).
STRONG_FACE_SIMILARITY = 0.98
# A worker claims this many persons at a time, for this long: a batch takes seconds (about 0.1 s a
# person with a photo), so a claim still running after ten minutes belongs to a worker that stopped.
CLAIM_BATCH = 20
CLAIM_SECONDS = 600
# A human decision linking records where a child is involved carries at least this long a reason.
CHILD_LINK_REASON_MIN = 10


# --- the check ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    person_id: uuid.UUID
    candidates: int
    face: str  # "encoded", "none" (no photo), or a BiometricError code ("no_face", …)


def dedup_pending_process(*, limit: int = 200) -> list[CheckOutcome]:
    """Check up to ``limit`` persons waiting for a duplicate check (those a sweep marked last),
    oldest first, claiming them a few at a time so that other workers running at once take other
    persons."""
    outcomes: list[CheckOutcome] = []
    while len(outcomes) < limit:
        claimed = dedup_pending_claim(limit=min(CLAIM_BATCH, limit - len(outcomes)))
        if not claimed:
            break
        outcomes.extend(person_dedup_check(person_id=pk) for pk in claimed)
    return outcomes


def dedup_pending_claim(*, limit: int) -> list[uuid.UUID]:
    """Claim up to ``limit`` unchecked persons that no other worker holds, for ``CLAIM_SECONDS``; a
    claim older than that (its worker stopped) is taken over. Those waiting for a first check or for
    the check of a change come first, oldest first; then those a sweep marked (``dedup_swept``), so
    that a new arrival is checked within seconds while a sweep of everyone goes on.

    On PostgreSQL the rows are locked with ``FOR UPDATE SKIP LOCKED`` inside a short transaction:
    a worker claiming at the same moment skips them instead of waiting, and sees the claim once
    this one commits. SQLite has one writer at a time (``transaction_mode=IMMEDIATE``), so the
    same transaction is already exclusive there.
    """
    moment = now()
    with transaction.atomic():
        pending = (
            Person.objects.filter(dedup_checked_at__isnull=True)
            .filter(Q(dedup_claimed_until__isnull=True) | Q(dedup_claimed_until__lte=moment))
            .order_by("dedup_swept", "created_at")
        )
        if connection.features.has_select_for_update_skip_locked:
            pending = pending.select_for_update(skip_locked=True)
        claimed = list(pending.values_list("pk", flat=True)[:limit])
        Person.objects.filter(pk__in=claimed).update(
            dedup_claimed_until=moment + timedelta(seconds=CLAIM_SECONDS)
        )
    return claimed


def person_dedup_check(*, person_id: uuid.UUID) -> CheckOutcome:
    """Check one person against everyone: face template, blocking keys, scored candidate pairs.

    The person is marked checked only if it did not change while being checked (same ``version``
    and ``updated_at``: a new photo does not change the version); either way the claim ends, so a
    changed person is checked again in the next batch rather than when the claim expires.
    """
    person = Person.objects.get(pk=person_id)
    face = _face_template_refresh(person)
    record = match_record_of(person)
    keys = blocking_keys(record)
    with transaction.atomic():
        BlockingKey.objects.filter(person=person).delete()
        BlockingKey.objects.bulk_create(BlockingKey(person=person, key=k) for k in keys)
    found = _candidates_record(person, record, keys)
    unchanged = Person.objects.filter(pk=person.pk, version=person.version, updated_at=person.updated_at)
    if not unchanged.update(dedup_checked_at=now(), dedup_claimed_until=None, dedup_swept=False):
        Person.objects.filter(pk=person.pk).update(dedup_claimed_until=None)
    return CheckOutcome(person_id=person.pk, candidates=found, face=face)


def _face_template_refresh(person: Person) -> str:
    """Encode the person's photo (when there is one and no template yet). A photo with no face, two
    faces or an unreadable file leaves the person without a template: registration stands."""
    if person.photo is None:
        return "none"
    if BiometricTemplate.objects.filter(person=person, modality=Modality.FACE).exists():
        return "encoded"
    try:
        template = FaceEncoder().encode(bytes(person.photo))
    except BiometricError as exc:
        log.info("no face template for person %s: %s", person.pk, exc.code)
        return exc.code
    with transaction.atomic():
        stored = BiometricTemplate.objects.create(
            person=person,
            modality=Modality.FACE,
            vector=np.asarray(template.vector, dtype=np.float32).tobytes(),
            quality=template.quality,
        )
        TemplateChange.objects.create(template_id=stored.pk, modality=Modality.FACE, added=True)
    return "encoded"


def _candidate_ids(person: Person, keys: Sequence[str]) -> set[uuid.UUID]:
    by_keys = set(
        BlockingKey.objects.filter(key__in=keys).exclude(person=person).values_list("person_id", flat=True)
    )
    return by_keys | _face_neighbours(person)


def _face_neighbours(person: Person) -> set[uuid.UUID]:
    """Persons whose face is among the nearest to this person's (the 1:N search)."""
    template = BiometricTemplate.objects.filter(person=person, modality=Modality.FACE).first()
    if template is None:
        return set()
    hits = face_index().search(np.frombuffer(bytes(template.vector), dtype=np.float32), FACE_NEIGHBOURS + 1)
    ids = [hit.id for hit in hits if hit.id != template.pk]
    return set(
        BiometricTemplate.objects.filter(pk__in=ids)
        .exclude(person=person)
        .values_list("person_id", flat=True)
    )


def _pair(a: uuid.UUID, b: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    return (a, b) if a.hex < b.hex else (b, a)


def _candidates_record(person: Person, record: MatchRecord, keys: Sequence[str]) -> int:
    """Score the person against each candidate and keep the pairs that are not *distinct*. A pair a
    person already decided is never re-opened."""
    decided = _decided_pairs(person)
    candidates = Person.objects.filter(pk__in=_candidate_ids(person, keys)).prefetch_related(
        *MATCH_RECORD_RELATED
    )
    others = [other for other in candidates if _pair(person.pk, other.pk) not in decided]
    faces = face_similarities(person, others)
    scoring = match_scoring()
    limits = thresholds()
    day = today()
    distinct: list[uuid.UUID] = []
    for other, other_record in zip(others, match_records_of(others), strict=True):
        score = scoring.score(record, other_record)
        similarity = faces[other.pk]
        child = is_child(record, day) or is_child(other_record, day)
        fused = fuse(score, similarity, limits, child)
        verdict = _face_overrides(Verdict(fused.decision.value), similarity)
        if verdict == Verdict.DISTINCT:
            distinct.append(other.pk)
            continue
        _candidate_upsert(*_pair(person.pk, other.pk), verdict, score, fused.probability, similarity, child)
    _open_pairs_dismiss(person, distinct)
    return len(others) - len(distinct)


def _open_pairs_dismiss(person: Person, others: Sequence[uuid.UUID]) -> None:
    """Remove the open pairs of ``person`` with ``others``, which a check now scores *distinct*
    (their details changed since): one query, whatever their number."""
    if others:
        MatchCandidate.objects.filter(
            Q(person_low=person, person_high__in=others) | Q(person_high=person, person_low__in=others),
            status=CandidateStatus.OPEN,
        ).delete()


def _face_overrides(verdict: Verdict, similarity: float | None) -> Verdict:
    """A strong face match is never dismissed on biographic grounds: people register again under
    another name on purpose, and that is the case a face must catch. It goes to a person."""
    if verdict == Verdict.DISTINCT and similarity is not None and similarity >= STRONG_FACE_SIMILARITY:
        return Verdict.ADJUDICATE
    return verdict


def _decided_pairs(person: Person) -> set[tuple[uuid.UUID, uuid.UUID]]:
    rows = MatchCandidate.objects.filter(Q(person_low=person) | Q(person_high=person)).exclude(
        status=CandidateStatus.OPEN
    )
    return set(rows.values_list("person_low_id", "person_high_id"))


def _candidate_upsert(
    low: uuid.UUID,
    high: uuid.UUID,
    verdict: Verdict,
    score: Score,
    probability: float,
    similarity: float | None,
    child: bool,
) -> None:
    contributions = [
        {"field": c.field, "level": c.level, "weight": round(c.weight, 3)} for c in score.contributions
    ]
    with transaction.atomic():
        candidate, created = MatchCandidate.objects.select_for_update().update_or_create(
            person_low_id=low,
            person_high_id=high,
            defaults={
                "verdict": verdict,
                "biographic_weight": float(score.weight),
                "biographic_probability": float(probability),
                "face_similarity": similarity,
                "contributions": contributions,
                "involves_child": child,
            },
        )
        if created:
            audit_record(
                actor=None,
                event=AuditEvent.DUPLICATE_FOUND,
                subject=candidate,
                detail={"verdict": str(verdict), "persons": [str(low), str(high)]},
            )
        # The checks link a pair themselves only if nobody ever decided it: a link a person undid
        # waits for a person, however strong the evidence a re-check finds again.
        if (
            verdict == Verdict.SAME
            and candidate.status == CandidateStatus.OPEN
            and (created or not candidate.adjudications.exists())
        ):
            _ruling_apply(actor=None, candidate=candidate, ruling=Ruling.SAME, reason="")


# --- adjudication -------------------------------------------------------------------------------


def _ruling_apply(
    *, actor: Actor | None, candidate: MatchCandidate, ruling: Ruling, reason: str
) -> Adjudication:
    decision = Adjudication.objects.create(
        candidate=candidate, ruling=ruling, reason=reason, decided_by=actor.user if actor else None
    )
    candidate.status = _status_decided(candidate, ruling)
    candidate.reviewer, candidate.review_until = None, None
    candidate.save(update_fields=["status", "reviewer", "review_until", "updated_at"])
    audit_record(
        actor=actor,
        event=AuditEvent.DUPLICATE_DECIDED,
        subject=candidate,
        detail={
            "ruling": str(ruling),
            "adjudication": str(decision.pk),
            "automatic": actor is None,
            "to_confirm": candidate.status == CandidateStatus.CONFIRM,
        },
    )
    return decision


def _status_decided(candidate: MatchCandidate, ruling: Ruling) -> CandidateStatus:
    """*Distinct* is final; *same person* links the records, except where a child is involved and
    the deployment asks two judgements (decision 0031): then the link waits for a second adjudicator
    (the checks' own link, for one)."""
    if ruling == Ruling.DISTINCT:
        return CandidateStatus.DISTINCT
    if candidate.involves_child and child_links_confirmed():
        return CandidateStatus.CONFIRM
    return CandidateStatus.SAME


def candidate_adjudicate(
    *, actor: Actor, candidate_id: uuid.UUID, ruling: Ruling, reason: str = ""
) -> Adjudication:
    """*Same person* links the two records (every encounter stays); *distinct* is remembered so the
    pair never returns. Coordinators and screening officers decide the pairs whose two persons they
    may both see (:func:`hbm.dedup.access.candidates_visible_to`).

    Another role, a pair out of the actor's reach or a missing id: :class:`NotFound`, nothing
    changed, one ``access.refused`` entry (kind ``duplicate``). A pair already decided:
    :class:`Conflict`; one another adjudicator holds for review: :class:`~hbm.dedup.holds.ReviewHeld`.
    """
    with transaction.atomic():
        candidate = candidates_visible_to(actor=actor).select_for_update().filter(pk=candidate_id).first()
        if candidate is not None:
            if candidate.status != CandidateStatus.OPEN:
                raise Conflict(_("this pair was already decided: undo that decision first"))
            review_hold_check(actor=actor, candidates=[candidate])
            if ruling == Ruling.SAME:
                _child_link_reason_check([candidate], reason)
            return _ruling_apply(
                actor=actor, candidate=candidate, ruling=ruling, reason=reason.strip()[:1000]
            )
    refusal_record(actor=actor, kind="duplicate", record_id=candidate_id)
    raise NotFound(_("no such candidate pair"))


def group_adjudicate(
    *,
    actor: Actor,
    candidate_ids: Sequence[uuid.UUID],
    letters: Mapping[uuid.UUID, str],
    reason: str = "",
) -> list[Adjudication]:
    """Decide every pair of a review group from one answer: a letter per record, records with the
    same letter one person. Pairs between records of one letter are *same person*, the others
    *distinct*; records given one letter that no pair joins (each found like a third record, not
    like each other) get a pair of their own, scored as a check would, and decided *same person*.
    All or nothing: one decision per pair, each audited as a pair's decision is.

    ``candidate_ids``: the pairs the adjudicator was shown — pairs found since are left open.
    Refused, nothing changed: a pair out of reach or missing (:class:`NotFound`, one
    ``access.refused`` entry); a pair decided since it was shown, or letters that contradict a
    decision in force — records linked as one person given two letters, records decided distinct
    given one (:class:`Conflict`), a pair another adjudicator holds for review (``ReviewHeld``); a
    record without a letter, or a letter not A–H (:class:`ValidationFailed` on ``letters``).
    """
    ids = list(dict.fromkeys(candidate_ids))
    with transaction.atomic():
        found = candidates_visible_to(actor=actor).select_for_update().filter(pk__in=ids).in_bulk()
        if ids and len(found) == len(ids):
            candidates = [found[pk] for pk in ids]
            return _group_rulings_apply(actor, candidates, letters, reason.strip()[:1000])
    missing = next((pk for pk in ids if pk not in found), "none")
    refusal_record(actor=actor, kind="duplicate", record_id=missing)
    raise NotFound(_("no such candidate pair"))


def _group_rulings_apply(
    actor: Actor, candidates: list[MatchCandidate], letters: Mapping[uuid.UUID, str], reason: str
) -> list[Adjudication]:
    if any(candidate.status != CandidateStatus.OPEN for candidate in candidates):
        raise Conflict(_("part of this group was decided meanwhile: open the group again"))
    review_hold_check(actor=actor, candidates=candidates)
    letters = {person: letter.strip().upper() for person, letter in letters.items()}
    pairs = [(c.person_low_id, c.person_high_id) for c in candidates]
    persons = list(dict.fromkeys(p for pair in pairs for p in pair))
    for person in persons:
        if letters.get(person) not in set(LETTERS):
            raise ValidationFailed.on(
                "letters",
                _("give every record a person letter from A to H; %(id)s has none") % {"id": person},
            )
    _letters_agree_with_decisions(persons, letters)
    rulings = group_rulings(pairs, letters)
    _child_link_reason_check([candidates[i] for i in rulings.same], reason)
    decisions = [
        _ruling_apply(actor=actor, candidate=candidates[i], ruling=Ruling.SAME, reason=reason)
        for i in rulings.same
    ]
    decisions += [
        _ruling_apply(actor=actor, candidate=candidates[i], ruling=Ruling.DISTINCT, reason=reason)
        for i in rulings.distinct
    ]
    for a, b in rulings.unpaired:
        decided = _unpaired_same(actor, a, b, reason)
        if decided is not None:
            decisions.append(decided)
    return decisions


def _letters_agree_with_decisions(persons: list[uuid.UUID], letters: Mapping[uuid.UUID, str]) -> None:
    """Letters may not undo a decision in force: undoing is its own, audited, step."""
    named = Person.objects.in_bulk(persons)
    links = links_among(persons=named.values())
    for person, other in itertools.combinations(links, 2):
        if links[person] == links[other] and letters[person] != letters[other]:
            raise Conflict(
                _("%(a)s and %(b)s are linked as one person: give them one letter or undo the link")
                % {"a": _named(named[person]), "b": _named(named[other])}
            )
    decided = MatchCandidate.objects.filter(
        person_low__in=persons,
        person_high__in=persons,
        status__in=(CandidateStatus.DISTINCT, CandidateStatus.CONFIRM),
    ).values_list("person_low_id", "person_high_id", "status")
    for low, high, status in decided:
        names = {"a": _named(named[low]), "b": _named(named[high])}
        if status == CandidateStatus.DISTINCT and letters[low] == letters[high]:
            raise Conflict(
                _("%(a)s and %(b)s were decided distinct people: give them two letters, or undo that first")
                % names
            )
        if status == CandidateStatus.CONFIRM and letters[low] != letters[high]:
            raise Conflict(
                _(
                    "%(a)s and %(b)s were linked as one person, waiting for a second adjudicator: "
                    "give them one letter, or undo the link first"
                )
                % names
            )


def _named(person: Person) -> str:
    return f"{person.surname_latin}, {person.given_names_latin}".strip(", ")


def _unpaired_same(actor: Actor, a: uuid.UUID, b: uuid.UUID, reason: str) -> Adjudication | None:
    """Two records the adjudicator says are one person, that no open pair joins: score the pair as
    a check would, record it, decide it *same person*. ``None`` if they are linked already."""
    low, high = _pair(a, b)
    existing = MatchCandidate.objects.select_for_update().filter(person_low=low, person_high=high).first()
    if existing is None:
        first, second = Person.objects.get(pk=low), Person.objects.get(pk=high)
        record, other = match_record_of(first), match_record_of(second)
        score = match_scoring().score(record, other)
        similarity = face_similarity_of(first, second)
        child = is_child(record, today()) or is_child(other, today())
        fused = fuse(score, similarity, thresholds(), child)
        _candidate_upsert(low, high, Verdict.ADJUDICATE, score, fused.probability, similarity, child)
        existing = MatchCandidate.objects.select_for_update().get(person_low=low, person_high=high)
    if existing.status != CandidateStatus.OPEN:
        return None
    _child_link_reason_check([existing], reason)
    return _ruling_apply(actor=actor, candidate=existing, ruling=Ruling.SAME, reason=reason)


def _child_link_reason_check(linked: Sequence[MatchCandidate], reason: str) -> None:
    """A person who links a child's records says why (:data:`CHILD_LINK_REASON_MIN` characters or
    more): a wrong link can hand a child to another family's adults, and the reason is what a
    caseworker reviewing it later reads. Refused on ``reason`` (:class:`ValidationFailed`)."""
    if any(candidate.involves_child for candidate in linked) and len(reason.strip()) < CHILD_LINK_REASON_MIN:
        raise ValidationFailed.on(
            "reason",
            ngettext(
                "say what you checked to link a child's records (at least %(count)s character)",
                "say what you checked to link a child's records (at least %(count)s characters)",
                CHILD_LINK_REASON_MIN,
            )
            % {"count": CHILD_LINK_REASON_MIN},
        )


def candidate_confirm(*, actor: Actor, candidate_id: uuid.UUID) -> Adjudication:
    """Confirm the link of a child's records another adjudicator made (or the checks made alone):
    the records are one person from now on (decision 0031). To refuse it, undo the decision
    (:func:`adjudication_undo`): the pair is open again.

    The same people confirm as decide. Another role, a pair out of the actor's reach or a missing
    id: :class:`NotFound`, nothing changed, one ``access.refused`` entry. The adjudicator who made
    the link: :class:`PermissionDenied`, nothing changed. A pair that waits for no confirmation:
    :class:`Conflict` — except one this actor confirmed already, whose decision is returned as it
    is (a retried request gets the first answer).
    """
    with transaction.atomic():
        candidate = candidates_visible_to(actor=actor).select_for_update().filter(pk=candidate_id).first()
        if candidate is not None:
            decision = candidate.adjudications.filter(undone_at__isnull=True, ruling=Ruling.SAME).first()
            if decision is not None and decision.confirmed_by_id == actor.user.pk:
                return decision
            if candidate.status != CandidateStatus.CONFIRM or decision is None:
                raise Conflict(_("this pair does not wait for a confirmation"))
            if decision.decided_by_id == actor.user.pk:
                raise PermissionDenied(_("you linked these records: a second adjudicator confirms the link"))
            return _link_confirm(actor=actor, candidate=candidate, decision=decision)
    refusal_record(actor=actor, kind="duplicate", record_id=candidate_id)
    raise NotFound(_("no such candidate pair"))


def _link_confirm(*, actor: Actor, candidate: MatchCandidate, decision: Adjudication) -> Adjudication:
    decision.confirmed_by, decision.confirmed_at = actor.user, now()
    decision.save(update_fields=["confirmed_by", "confirmed_at", "updated_at"])
    candidate.status = CandidateStatus.SAME
    candidate.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        event=AuditEvent.DUPLICATE_CONFIRMED,
        subject=candidate,
        detail={"adjudication": str(decision.pk)},
    )
    return decision


def adjudication_undo(*, actor: Actor, adjudication_id: uuid.UUID) -> Adjudication:
    """Undo a decision (a link made in error, or *distinct* decided too fast): the pair is open
    again; the decision stays on record with who undid it. The same people undo as decide.

    Another role, a decision on a pair out of the actor's reach or a missing id: :class:`NotFound`,
    nothing changed, one ``access.refused`` entry (kind ``duplicate_decision``). A decision already
    undone is returned as it is — by whom and when it was undone — and nothing is written: a retried
    request (a dropped connection, a second click) gets the answer the first one got.
    """
    with transaction.atomic():
        decision = (
            Adjudication.objects.select_for_update()
            .filter(pk=adjudication_id, candidate__in=candidates_visible_to(actor=actor).values("pk"))
            .first()
        )
        if decision is not None:
            if decision.undone_at is not None:
                return decision
            return _decision_undo(actor=actor, decision=decision)
    refusal_record(actor=actor, kind="duplicate_decision", record_id=adjudication_id)
    raise NotFound(_("no such decision"))


def _decision_undo(*, actor: Actor, decision: Adjudication) -> Adjudication:
    decision.undone_at, decision.undone_by = now(), actor.user
    decision.save(update_fields=["undone_at", "undone_by", "updated_at"])
    MatchCandidate.objects.filter(pk=decision.candidate_id).update(
        status=CandidateStatus.OPEN, updated_at=now()
    )
    audit_record(
        actor=actor,
        event=AuditEvent.DUPLICATE_UNDONE,
        subject=decision.candidate,
        detail={"adjudication": str(decision.pk)},
    )
    return decision


# --- erasure and sweep --------------------------------------------------------------------------


def person_biometrics_erase(*, actor: Actor, person: Person) -> int:
    """Erase a person's templates: they leave every process's 1:N index at its next search."""
    with transaction.atomic():
        templates = list(BiometricTemplate.objects.filter(person=person))
        TemplateChange.objects.bulk_create(
            TemplateChange(template_id=t.pk, modality=t.modality, added=False) for t in templates
        )
        BiometricTemplate.objects.filter(pk__in=[t.pk for t in templates]).delete()
        audit_record(
            actor=actor,
            event=AuditEvent.BIOMETRICS_ERASED,
            subject=person,
            detail={"templates": len(templates)},
        )
    return len(templates)


def population_recheck(*, person_ids: Iterable[uuid.UUID] | None = None) -> int:
    """Mark persons for a new check (all, after a threshold change): the worker re-checks them in
    the background while registration goes on, after every person waiting for a first check or for
    the check of a change (``dedup_swept``). A person already waiting keeps their place."""
    persons = Person.objects.all() if person_ids is None else Person.objects.filter(pk__in=list(person_ids))
    return persons.exclude(dedup_checked_at__isnull=True).update(dedup_checked_at=None, dedup_swept=True)
