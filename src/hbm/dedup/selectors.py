"""Reads of de-duplication: the adjudication queue (pairs, or the groups of records an adjudicator
reviews together), one pair or one group side by side, a person's links. Each read of the queue,
of a pair or of a group is audited; a refused read leaves an ``access.refused`` entry and
nothing else. Who may see which pair: :mod:`hbm.dedup.access`."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from hbm.audit.enums import AuditEvent
from hbm.audit.services import audit_record
from hbm.core.context import Actor
from hbm.core.errors import NotFound, PermissionDenied
from hbm.dedup.access import ADJUDICATOR_ROLES, candidates_visible_to, refusal_record
from hbm.dedup.enums import CandidateStatus, Ruling
from hbm.dedup.models import Adjudication, MatchCandidate
from hbm.engines.matching import review_groups
from hbm.registration.models import Person

QUEUE_LIMIT = 200
# Children's pairs first, then the most likely: the order pairs are listed, grouped and reviewed in.
QUEUE_ORDER = ("-involves_child", "-biographic_probability", "created_at")


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
        .order_by(*QUEUE_ORDER)[:QUEUE_LIMIT]
    )
    shown = {str(p) for pair in pairs for p in (pair.person_low_id, pair.person_high_id)}
    with transaction.atomic():
        audit_record(
            actor=actor,
            event=AuditEvent.DUPLICATES_LISTED,
            detail={"status": str(status), "pairs": len(pairs), "persons": sorted(shown)},
        )
    return pairs


@dataclass(frozen=True, slots=True)
class ReviewGroup:
    """Records that open pairs join, to be reviewed together (:func:`hbm.engines.matching.review_groups`):
    the pairs in review order, the persons in the order the pairs name them."""

    pairs: tuple[MatchCandidate, ...]
    persons: tuple[Person, ...]

    @property
    def first(self) -> MatchCandidate:
        return self.pairs[0]

    @property
    def involves_child(self) -> bool:
        return any(pair.involves_child for pair in self.pairs)

    @property
    def probability(self) -> float:
        return max(pair.biographic_probability for pair in self.pairs)


@dataclass(frozen=True, slots=True)
class ReviewQueue:
    """The first :data:`QUEUE_LIMIT` groups waiting, and how many pairs and groups wait in all."""

    groups: tuple[ReviewGroup, ...]
    open_pairs: int
    open_groups: int


def _open_groups(actor: Actor) -> list[list[str]]:
    """Every open pair the actor may decide, gathered into review groups: pair ids per group, as the
    database writes them (text: at 80,000 open pairs making every id a UUID cost more than the
    query; only the groups shown are made UUIDs)."""
    rows = list(
        candidates_visible_to(actor=actor)
        .filter(status=CandidateStatus.OPEN)
        .order_by(*QUEUE_ORDER)
        .values_list(_text("pk"), _text("person_low_id"), _text("person_high_id"))
    )
    groups = review_groups([(low, high) for _, low, high in rows])
    return [[rows[index][0] for index in group] for group in groups]


def _text(field: str) -> Cast:
    return Cast(field, output_field=CharField())


def _groups_loaded(groups: list[list[str]]) -> list[ReviewGroup]:
    ids = [[uuid.UUID(pk) for pk in group] for group in groups]
    pairs = MatchCandidate.objects.select_related("person_low", "person_high").in_bulk(
        [pk for group in ids for pk in group]
    )
    loaded = []
    for group in ids:
        members = tuple(pairs[pk] for pk in group)
        persons = {p.pk: p for pair in members for p in (pair.person_low, pair.person_high)}
        loaded.append(ReviewGroup(pairs=members, persons=tuple(persons.values())))
    return loaded


def review_queue(*, actor: Actor) -> ReviewQueue:
    """Open pairs as review groups, the most urgent first (children's, then the most likely). One
    ``dedup.candidates_listed`` entry names the persons shown; another role is refused as by
    :func:`adjudication_queue`."""
    if not actor.user.has_role(*ADJUDICATOR_ROLES):
        refusal_record(actor=actor, kind="duplicates", record_id="list")
        raise PermissionDenied(_("your role does not decide duplicates"))
    every = _open_groups(actor)
    groups = _groups_loaded(every[:QUEUE_LIMIT])
    shown = sorted({str(person.pk) for group in groups for person in group.persons})
    with transaction.atomic():
        audit_record(
            actor=actor,
            event=AuditEvent.DUPLICATES_LISTED,
            detail={
                "status": "open",
                "pairs": sum(len(group.pairs) for group in groups),
                "groups": len(groups),
                "persons": shown,
            },
        )
    return ReviewQueue(
        groups=tuple(groups), open_pairs=sum(len(group) for group in every), open_groups=len(every)
    )


def access_review_group(*, actor: Actor, candidate_id: uuid.UUID) -> ReviewGroup | None:
    """The review group of one open pair, as the queue groups it, the read audited (one
    ``dedup.candidate_viewed`` entry naming every pair and person shown). ``None``: the pair is no
    longer open (decided since the queue was read). Out of reach or missing: as
    :func:`access_candidate`."""
    candidate = _candidate_in_reach(actor=actor, candidate_id=candidate_id)
    if candidate.status != CandidateStatus.OPEN:
        return None
    seed = {candidate.pk.hex, str(candidate.pk)}  # as SQLite and as PostgreSQL write it
    ids = next((group for group in _open_groups(actor) if seed & set(group)), [str(candidate.pk)])
    group = _groups_loaded([ids])[0]
    with transaction.atomic():
        audit_record(
            actor=actor,
            event=AuditEvent.DUPLICATE_VIEWED,
            subject=candidate,
            detail={
                "group": [str(pair.pk) for pair in group.pairs],
                "persons": [str(person.pk) for person in group.persons],
            },
        )
    return group


def review_group_links(*, group: ReviewGroup) -> dict[uuid.UUID, int]:
    """Records of the group already linked as one person: see :func:`links_among`."""
    return links_among(persons=group.persons)


def links_among(*, persons: Iterable[Person]) -> dict[uuid.UUID, int]:
    """Of these persons, those already linked as one person to another of them (decisions in force,
    through any record): each with the number of its linked set, from 0. The others are left out."""
    persons = list(persons)
    members = {person.pk for person in persons}
    sets: list[set[uuid.UUID]] = []
    for person in persons:
        if any(person.pk in linked for linked in sets):
            continue
        linked = (set(person_same_as(person=person)) & members) | {person.pk}
        if len(linked) > 1:
            sets.append(linked)
    return {pk: number for number, linked in enumerate(sets) for pk in linked}


def _candidate_in_reach(*, actor: Actor, candidate_id: uuid.UUID) -> MatchCandidate:
    """One pair the actor may decide, with both persons, the read not audited (the caller audits
    what it shows). Another role, a pair with a person out of the actor's reach, or a missing id:
    :class:`NotFound`, and only an ``access.refused`` entry is written."""
    candidate = (
        candidates_visible_to(actor=actor)
        .select_related("person_low", "person_high")
        .filter(pk=candidate_id)
        .first()
    )
    if candidate is None:
        refusal_record(actor=actor, kind="duplicate", record_id=candidate_id)
        raise NotFound(_("no such candidate pair"))
    return candidate


def access_candidate(*, actor: Actor, candidate_id: uuid.UUID) -> MatchCandidate:
    """One pair with both persons, for the side-by-side screen; the read is audited. Out of reach
    or missing: as :func:`_candidate_in_reach`."""
    candidate = _candidate_in_reach(actor=actor, candidate_id=candidate_id)
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
