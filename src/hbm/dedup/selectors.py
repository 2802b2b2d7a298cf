"""Reads of de-duplication: the adjudication queue, one pair side by side, a person's links. Each
read of the queue or of a pair is audited; a refused read leaves an ``access.refused`` entry and
nothing else. Who may see which pair: :mod:`hbm.dedup.access`."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from hbm.audit.enums import AuditEvent
from hbm.audit.services import audit_record
from hbm.core.context import Actor
from hbm.core.errors import NotFound, PermissionDenied
from hbm.dedup.access import ADJUDICATOR_ROLES, candidates_visible_to, refusal_record
from hbm.dedup.enums import CandidateStatus, Ruling
from hbm.dedup.models import Adjudication, MatchCandidate
from hbm.registration.models import Person

QUEUE_LIMIT = 200


def adjudication_queue(
    *, actor: Actor, status: CandidateStatus = CandidateStatus.OPEN
) -> list[MatchCandidate]:
    """Pairs to decide, the most likely first; children's pairs first among equals. The list names
    persons: each read is one ``dedup.candidates_listed`` entry naming the status asked for and the
    persons shown. A role that does not adjudicate is refused (:class:`PermissionDenied`, an
    ``access.refused`` entry)."""
    if not actor.user.has_role(*ADJUDICATOR_ROLES):
        refusal_record(actor=actor, kind="duplicates", record_id="list")
        raise PermissionDenied(_("your role does not decide duplicates"))
    pairs = list(
        candidates_visible_to(actor=actor)
        .filter(status=status)
        .select_related("person_low", "person_high")
        .order_by("-involves_child", "-biographic_probability", "created_at")[:QUEUE_LIMIT]
    )
    shown = {str(p) for pair in pairs for p in (pair.person_low_id, pair.person_high_id)}
    with transaction.atomic():
        audit_record(
            actor=actor,
            event=AuditEvent.DUPLICATES_LISTED,
            detail={"status": str(status), "pairs": len(pairs), "persons": sorted(shown)},
        )
    return pairs


def access_candidate(*, actor: Actor, candidate_id: uuid.UUID) -> MatchCandidate:
    """One pair with both persons, for the side-by-side screen; the read is audited. Another role, a
    pair with a person out of the actor's reach, or a missing id: :class:`NotFound`, and only an
    ``access.refused`` entry is written."""
    candidate = (
        candidates_visible_to(actor=actor)
        .select_related("person_low", "person_high")
        .filter(pk=candidate_id)
        .first()
    )
    if candidate is None:
        refusal_record(actor=actor, kind="duplicate", record_id=candidate_id)
        raise NotFound(_("no such candidate pair"))
    with transaction.atomic():
        audit_record(
            actor=actor,
            event=AuditEvent.DUPLICATE_VIEWED,
            subject=candidate,
            detail={"persons": [str(candidate.person_low_id), str(candidate.person_high_id)]},
        )
    return candidate


def candidate_decisions(*, candidate: MatchCandidate) -> QuerySet[Adjudication]:
    return candidate.adjudications.select_related("decided_by", "undone_by")


def person_same_as(*, person: Person) -> list[uuid.UUID]:
    """The persons linked to this one as the same person (active *same* decisions, transitively)."""
    linked: set[uuid.UUID] = set()
    frontier = {person.pk}
    while frontier:
        pairs = MatchCandidate.objects.filter(
            Q(person_low__in=frontier) | Q(person_high__in=frontier),
            status=CandidateStatus.SAME,
            adjudications__ruling=Ruling.SAME,
            adjudications__undone_at__isnull=True,
        ).values_list("person_low_id", "person_high_id")
        found = {p for pair in pairs for p in pair} - linked - {person.pk}
        linked |= found
        frontier = found
    return sorted(linked, key=lambda pk: pk.hex)
