"""De-duplication API: the adjudication queue, one pair side by side, decisions and their undoing."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from hbm.accounts.enums import Role
from hbm.core.errors import PermissionDenied
from hbm.core.http import actor_from_request
from hbm.core.schemas import ErrorOut
from hbm.core.time import now
from hbm.crossings.selectors import access_crossing_point_for_figures
from hbm.dedup.enums import CandidateStatus
from hbm.dedup.holds import group_release, group_take, review_next
from hbm.dedup.models import Adjudication, MatchCandidate
from hbm.dedup.schemas import (
    AdjudicateIn,
    AdjudicationOut,
    CandidateOut,
    CandidateSummaryOut,
    CheckBacklogOut,
    DuplicateStatusOut,
    RegisteredCountOut,
    ReviewGroupDecideIn,
    ReviewGroupOut,
    ReviewHoldIn,
    ReviewHoldOut,
    ReviewQueueOut,
    ReviewReleasedOut,
)
from hbm.dedup.selectors import (
    Hold,
    ReviewGroup,
    access_candidate,
    access_review_group,
    adjudication_queue,
    candidate_decisions,
    check_backlog,
    pairs_hold,
    person_duplicate_status,
    registered_count,
    review_group_size,
    review_queue,
    reviewer_name,
)
from hbm.dedup.services import adjudication_undo, candidate_adjudicate, candidate_confirm, group_adjudicate
from hbm.registration.api import person_out
from hbm.registration.selectors import access_person

router = Router(tags=["de-duplication"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _summary(candidate: MatchCandidate) -> dict[str, Any]:
    return {
        "id": candidate.pk,
        "person_low": candidate.person_low_id,
        "person_high": candidate.person_high_id,
        "verdict": candidate.verdict,
        "status": candidate.status,
        "biographic_probability": candidate.biographic_probability,
        "face_similarity": candidate.face_similarity,
        "involves_child": candidate.involves_child,
        "created_at": candidate.created_at,
    }


def adjudication_out(decision: Adjudication) -> dict[str, Any]:
    return {
        "id": decision.pk,
        "ruling": decision.ruling,
        "reason": decision.reason,
        "decided_by": decision.decided_by.get_username() if decision.decided_by else None,
        "created_at": decision.created_at,
        "undone_at": decision.undone_at,
        "undone_by": decision.undone_by.get_username() if decision.undone_by else None,
        "confirmed_at": decision.confirmed_at,
        "confirmed_by": decision.confirmed_by.get_username() if decision.confirmed_by else None,
    }


@router.get("/candidates", response={200: list[CandidateSummaryOut], **ERRORS})
def candidates(request: HttpRequest, status: CandidateStatus = CandidateStatus.OPEN) -> list[dict[str, Any]]:
    """Pairs of persons the engines found alike, to decide (coordinators, screening officers; only
    pairs whose two persons they may both see). Each read is audited, a refusal too."""
    return [_summary(c) for c in adjudication_queue(actor=actor_from_request(request), status=status)]


@router.get("/candidates/{candidate_id}", response={200: CandidateOut, **ERRORS})
def candidate(request: HttpRequest, candidate_id: uuid.UUID) -> dict[str, Any]:
    """One pair side by side: both persons, the score's per-field contributions, past decisions. The
    read is audited; a pair out of reach is not found, and the refusal audited."""
    actor = actor_from_request(request)
    pair = access_candidate(actor=actor, candidate_id=candidate_id)
    return {
        **_summary(pair),
        "biographic_weight": pair.biographic_weight,
        "contributions": pair.contributions,
        "persons": [person_out(pair.person_low, actor), person_out(pair.person_high, actor)],
        "decisions": [adjudication_out(d) for d in candidate_decisions(candidate=pair)],
        "group_records": review_group_size(actor=actor, candidate=pair),
        **_hold_out(pairs_hold([pair], now())),
    }


def _hold_out(hold: Hold | None) -> dict[str, Any]:
    return {"held_by": hold.name if hold else None, "held_until": hold.until if hold else None}


@router.post("/candidates/{candidate_id}/decide", response={200: AdjudicationOut, **ERRORS})
def decide(request: HttpRequest, candidate_id: uuid.UUID, payload: AdjudicateIn) -> dict[str, Any]:
    """*same*: link the two records (every encounter kept); *distinct*: the pair never returns. A
    pair out of reach is not found, and the refusal audited."""
    decision = candidate_adjudicate(
        actor=actor_from_request(request),
        candidate_id=candidate_id,
        ruling=payload.ruling,
        reason=payload.reason,
    )
    return adjudication_out(decision)


@router.post("/candidates/{candidate_id}/confirm", response={200: AdjudicationOut, **ERRORS})
def confirm(request: HttpRequest, candidate_id: uuid.UUID) -> dict[str, Any]:
    """Confirm the link of a child's records that another adjudicator (or the checks alone) made: the
    records are one person from now on (decision 0031). The adjudicator who made it: 403; a pair
    that waits for no confirmation: 409; to refuse the link, undo its decision. A pair out of reach
    is not found, and the refusal audited."""
    return adjudication_out(candidate_confirm(actor=actor_from_request(request), candidate_id=candidate_id))


def _group_out(group: ReviewGroup) -> dict[str, Any]:
    return {
        "pairs": [_summary(pair) for pair in group.pairs],
        "persons": [person.pk for person in group.persons],
        "probability": group.probability,
        "involves_child": group.involves_child,
        **_hold_out(group.hold(now())),
    }


@router.get("/groups", response={200: ReviewQueueOut, **ERRORS})
def groups(request: HttpRequest) -> dict[str, Any]:
    """Open pairs gathered into review groups: the records they join, at most eight, reviewed
    together and decided with one answer. Same readers as ``/candidates``; each read is audited."""
    queue = review_queue(actor=actor_from_request(request))
    return {
        "open_pairs": queue.open_pairs,
        "open_groups": queue.open_groups,
        "to_confirm": queue.to_confirm,
        "groups": [_group_out(group) for group in queue.groups],
    }


@router.get("/persons/{person_id}", response={200: DuplicateStatusOut, **ERRORS})
def person_status(request: HttpRequest, person_id: uuid.UUID) -> dict[str, Any]:
    """Where one person stands with the duplicate check: when last checked, whether a sweep re-checks
    them, how many possible duplicates of theirs wait for a decision, and those the caller may
    decide. Anyone who may see the person may ask (the read is audited as any read of them); only
    screening officers and coordinators are given the pairs."""
    actor = actor_from_request(request)
    person = access_person(actor=actor, person_id=person_id, purpose="duplicate check")
    status = person_duplicate_status(actor=actor, person=person)
    return {
        "checked_at": status.checked_at,
        "being_rechecked": status.swept,
        "waiting": status.waiting,
        "pairs": [_summary(pair) for pair in status.pairs],
    }


@router.get("/registered", response={200: RegisteredCountOut, **ERRORS})
def registered(request: HttpRequest, crossing_point: uuid.UUID | None = None) -> dict[str, int]:
    """How many persons the registrations are, records linked as one person counted once (counts
    only): at one crossing point, for its staff and coordinators; everywhere, for coordinators."""
    user = request.user
    if crossing_point is None:
        if not user.has_role(Role.COORDINATOR):  # type: ignore[union-attr]
            raise PermissionDenied(_("give a crossing point: the national count is for coordinators"))
        count = registered_count()
    else:
        point = access_crossing_point_for_figures(user=user, crossing_point_id=crossing_point)  # type: ignore[arg-type]
        count = registered_count(crossing_point=point)
    return {"records": count.records, "persons": count.persons, "waiting": count.waiting}


@router.get("/checks", response={200: CheckBacklogOut, **ERRORS})
def checks(request: HttpRequest) -> dict[str, Any]:
    """How far the duplicate checks are behind, everywhere (counts only): persons new or changed
    waiting, since when the longest has waited, and what a sweep still has to re-check. Same
    readers as ``/groups``."""
    backlog = check_backlog(actor=actor_from_request(request))
    return {
        "waiting": backlog.waiting,
        "oldest_since": backlog.oldest_since,
        "behind": backlog.behind,
        "swept": backlog.swept,
    }


@router.post("/groups/decide", response={200: list[AdjudicationOut], **ERRORS})
def decide_group(request: HttpRequest, payload: ReviewGroupDecideIn) -> list[dict[str, Any]]:
    """Decide every pair of a group with a letter per record: one letter, one person (*same*);
    different letters, *distinct*. Records given one letter that no pair joins get a pair of their
    own, decided *same*. All or nothing; a pair decided since it was read: 409; a record without a
    letter: 422 naming ``letters``; a pair out of reach: 404, the refusal audited."""
    decisions = group_adjudicate(
        actor=actor_from_request(request),
        candidate_ids=payload.pairs,
        letters=payload.letters,
        reason=payload.reason,
    )
    return [adjudication_out(d) for d in decisions]


@router.post("/groups/next", response={200: ReviewGroupOut, 204: None, **ERRORS})
def next_group(request: HttpRequest) -> Status[dict[str, Any] | None]:
    """The first group in review order that nobody else is reviewing, held for the caller for ten
    minutes so that other adjudicators are given other groups (decision 0025); the read is audited
    as opening the group is. 204 when every waiting group is being reviewed by someone else, or
    none waits."""
    actor = actor_from_request(request)
    taken = review_next(actor=actor)
    group = access_review_group(actor=actor, candidate_id=taken[0]) if taken else None
    return Status(200, _group_out(group)) if group else Status(204, None)


@router.post("/groups/take", response={200: ReviewHoldOut, **ERRORS})
def take_group(request: HttpRequest, payload: ReviewHoldIn) -> dict[str, Any]:
    """Hold a group's pairs for review (again: renewed) for ten minutes. Another adjudicator's hold
    in force: 409 with code ``review_held`` naming them; a pair decided since it was read: 409; a
    pair out of reach: 404, the refusal audited."""
    actor = actor_from_request(request)
    until = group_take(actor=actor, candidate_ids=payload.pairs)
    return {"held_by": reviewer_name(actor.user), "held_until": until}


@router.post("/groups/release", response={200: ReviewReleasedOut, **ERRORS})
def release_group(request: HttpRequest, payload: ReviewHoldIn) -> dict[str, int]:
    """End the caller's own holds on these pairs (others' are left to lapse)."""
    return {"released": group_release(actor=actor_from_request(request), candidate_ids=payload.pairs)}


@router.post("/adjudications/{adjudication_id}/undo", response={200: AdjudicationOut, **ERRORS})
def undo(request: HttpRequest, adjudication_id: uuid.UUID) -> dict[str, Any]:
    """Undo a decision: the pair is open again; the decision stays on record. A decision on a pair
    out of reach is not found, and the refusal audited."""
    return adjudication_out(
        adjudication_undo(actor=actor_from_request(request), adjudication_id=adjudication_id)
    )
