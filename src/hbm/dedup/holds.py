"""Holds on review groups: several adjudicators work one queue without deciding the same records
twice (decision 0025).

Opening a group, or asking for the next one, *holds* its pairs for :data:`REVIEW_MINUTES`: the
others' "next group" passes it by, and their decision on any of its pairs is refused
(:class:`ReviewHeld`, a :class:`Conflict` naming who holds it and until when) until the holder
decides, lets go, or the time runs out. A hold is a claim on work, not on data: anyone who may see
the pairs still reads them, and nothing is audited for it — the reads and decisions around it are.
A hold lives on the pairs themselves (``MatchCandidate.reviewer``, ``review_until``), because
groups are computed on read and may be drawn differently a minute later; a decision clears it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from hbm.core.context import Actor
from hbm.core.errors import Conflict, NotFound
from hbm.core.time import now
from hbm.dedup.access import candidates_visible_to, refusal_record
from hbm.dedup.enums import CandidateStatus
from hbm.dedup.models import MatchCandidate
from hbm.dedup.selectors import pair_review_group, review_order_candidates, reviewer_name

REVIEW_MINUTES = 10


class ReviewHeld(Conflict):
    """Another adjudicator holds these records: their review comes first."""

    code = "review_held"


def review_hold_check(*, actor: Actor, candidates: Iterable[MatchCandidate]) -> None:
    """Refuse (:class:`ReviewHeld`) if another adjudicator holds one of these pairs now. Call it
    with the pairs locked, inside the decision's transaction."""
    at = now()
    for candidate in candidates:
        held = candidate.review_until is not None and candidate.review_until > at
        if held and candidate.reviewer_id not in (None, actor.user.pk):
            raise ReviewHeld(_held_message(candidate))


def _held_message(candidate: MatchCandidate) -> str:
    reviewer = candidate.reviewer
    name = reviewer_name(reviewer) if reviewer else "?"
    until = formats.time_format(timezone.localtime(candidate.review_until), "H:i")
    return _("%(name)s is reviewing these records until %(time)s: their decision comes first") % {
        "name": name,
        "time": until,
    }


def group_take(*, actor: Actor, candidate_ids: Sequence[uuid.UUID]) -> datetime:
    """Hold these open pairs for the actor for :data:`REVIEW_MINUTES` from now (a hold of theirs is
    renewed); returns when it ends. Refused, nothing changed: another's hold in force
    (:class:`ReviewHeld`); a pair decided since it was shown (:class:`Conflict`); a pair out of
    reach or missing (:class:`NotFound`, one ``access.refused`` entry)."""
    ids = list(dict.fromkeys(candidate_ids))
    with transaction.atomic():
        found = (
            candidates_visible_to(actor=actor)
            .select_for_update(of=("self",))
            .select_related("reviewer")
            .filter(pk__in=ids)
            .in_bulk()
        )
        if ids and len(found) == len(ids):
            return _hold(actor, list(found.values()))
    missing = next((pk for pk in ids if pk not in found), "none")
    refusal_record(actor=actor, kind="duplicate", record_id=missing)
    raise NotFound(_("no such candidate pair"))


def _hold(actor: Actor, candidates: list[MatchCandidate]) -> datetime:
    if any(candidate.status != CandidateStatus.OPEN for candidate in candidates):
        raise Conflict(_("part of this group was decided meanwhile: open the group again"))
    review_hold_check(actor=actor, candidates=candidates)
    until = now() + timedelta(minutes=REVIEW_MINUTES)
    MatchCandidate.objects.filter(pk__in=[c.pk for c in candidates]).update(
        reviewer=actor.user, review_until=until
    )
    return until


def group_release(*, actor: Actor, candidate_ids: Sequence[uuid.UUID]) -> int:
    """Let go of the actor's holds on these pairs (another's are left alone); returns how many."""
    return MatchCandidate.objects.filter(pk__in=list(candidate_ids), reviewer=actor.user).update(
        reviewer=None, review_until=None
    )


def review_next(*, actor: Actor) -> list[uuid.UUID] | None:
    """The group the actor holds already, if one waits (resumed, its hold renewed); otherwise the
    first group in review order that nobody else holds, held for the actor. Returns its pairs' ids
    in review order, to open it by (:func:`hbm.dedup.selectors.access_review_group` audits that
    read); ``None`` when every waiting group is held by others, or none waits.

    Walks the open pairs in review order and draws only the groups of the pairs it meets (a pair's
    group is the queue's own, found among the pairs its records connect to): the first free group
    costs a few queries however long the queue. Two adjudicators asking at once get two groups: a
    group taken or decided meanwhile is passed by, as a held one is."""
    seen: set[uuid.UUID] = set()
    for candidate in review_order_candidates(actor=actor):
        if candidate.pk in seen:
            continue
        ids, _records = pair_review_group(actor=actor, candidate=candidate)
        seen.update(ids)
        try:
            group_take(actor=actor, candidate_ids=ids)
        except (Conflict, NotFound):  # held by another, taken or decided meanwhile, or erased
            continue
        return ids
    return None
