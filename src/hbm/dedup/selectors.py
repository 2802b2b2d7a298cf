"""Reads of de-duplication: the adjudication queue (pairs, or the groups of records an adjudicator
reviews together), one pair or one group side by side, a person's links. Each read of the queue,
of a pair or of a group is audited; a refused read leaves an ``access.refused`` entry and
nothing else. Who may see which pair: :mod:`hbm.dedup.access`."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from django.db import transaction
from django.db.models import CharField, Count, Exists, F, Min, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from hbm.accounts.models import User
from hbm.audit.enums import AuditEvent
from hbm.audit.services import audit_record
from hbm.core.context import Actor
from hbm.core.errors import NotFound, PermissionDenied
from hbm.core.time import now
from hbm.crossings.models import CrossingPoint
from hbm.dedup.access import ADJUDICATOR_ROLES, candidates_visible_to, refusal_record
from hbm.dedup.enums import CandidateStatus, Ruling
from hbm.dedup.models import Adjudication, MatchCandidate
from hbm.engines.matching import connected_components, review_groups
from hbm.registration.models import Document, Person

QUEUE_LIMIT = 200
# Children's pairs first, then the most likely: the order pairs are listed, grouped and reviewed in.
QUEUE_ORDER = ("-involves_child", "-biographic_probability", "created_at", "pk")
# The same order for reading every open pair, written so that no index serves it: walking the
# review-order index row by row made SQLite's read of a screening officer's whole queue (every row
# checked for need to know) half as fast again as reading the table and sorting it (87,000 pairs).
WHOLE_QUEUE_ORDER = (
    "-involves_child",
    (F("biographic_probability") + 0).desc(),
    "created_at",
    "pk",
)


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

    def hold(self, at: datetime) -> Hold | None:
        """Who holds this group for review at ``at`` (decision 0025), if anyone: the latest hold
        in force on its pairs."""
        return pairs_hold(self.pairs, at)


@dataclass(frozen=True, slots=True)
class Hold:
    """A review hold in force: who, until when (see :mod:`hbm.dedup.holds`)."""

    reviewer: User
    until: datetime

    @property
    def name(self) -> str:
        return reviewer_name(self.reviewer)


def reviewer_name(user: User) -> str:
    """How a reviewer is named to colleagues: their full name, else their user name."""
    return user.get_full_name() or user.username


def pairs_hold(pairs: Iterable[MatchCandidate], at: datetime) -> Hold | None:
    """The hold in force at ``at`` on any of these pairs (the one lasting longest), or ``None``."""
    held = [
        Hold(reviewer=pair.reviewer, until=pair.review_until)
        for pair in pairs
        if pair.reviewer is not None and pair.review_until is not None and pair.review_until > at
    ]
    return max(held, key=lambda hold: hold.until, default=None)


@dataclass(frozen=True, slots=True)
class ReviewQueue:
    """The first :data:`QUEUE_LIMIT` groups waiting, how many pairs and groups wait in all, and how
    many links of a child's records wait for the reader to confirm them (decision 0031)."""

    groups: tuple[ReviewGroup, ...]
    open_pairs: int
    open_groups: int
    to_confirm: int = 0


# A pair's group is decided within the records open pairs connect it to: beyond this many such
# records the walk stops and the group is found among every open pair, as the queue finds it.
CONNECTED_LIMIT = 5_000

Row = tuple[str, str, str]
"""One open pair as the database writes it, in text: its id, its two persons' ids."""


def _open_pairs(actor: Actor) -> QuerySet[MatchCandidate]:
    return candidates_visible_to(actor=actor).filter(status=CandidateStatus.OPEN)


def _groups_among(pairs: QuerySet[MatchCandidate]) -> list[list[Row]]:
    """These pairs gathered into review groups, in review order, each pair as text (at 80,000
    open pairs making every id a UUID cost more than the query; only the groups shown are made
    UUIDs)."""
    rows: list[Row] = list(
        pairs.order_by(*WHOLE_QUEUE_ORDER).values_list(
            _text("pk"), _text("person_low_id"), _text("person_high_id")
        )
    )
    groups = review_groups([(low, high) for _, low, high in rows])
    return [[rows[index] for index in group] for group in groups]


def _open_groups(actor: Actor) -> list[list[Row]]:
    """Every open pair the actor may decide, gathered into review groups."""
    return _groups_among(_open_pairs(actor))


def review_order_candidates(*, actor: Actor, batch: int = 50) -> Iterator[MatchCandidate]:
    """Open pairs the actor may decide, in review order: first those the actor holds for review,
    then those nobody else holds now (decision 0025), read ``batch`` at a time through the
    review-order index — so that finding the next group to review costs the first few pairs, not
    the whole queue. Unaudited: for a service that picks one, which audits what it shows."""
    at = now()
    pairs = _open_pairs(actor).only("pk", "status", "person_low_id", "person_high_id").order_by(*QUEUE_ORDER)
    # The actor's own holds through the small index of held pairs (``reviewer IS NOT NULL`` names
    # its condition), unordered — ordering them in SQL made SQLite walk the review-order index
    # instead — then the few found in review order.
    mine = MatchCandidate.objects.filter(reviewer__isnull=False, reviewer=actor.user, review_until__gt=at)
    held = list(mine.filter(status=CandidateStatus.OPEN).order_by().values_list("pk", flat=True))
    if held:
        yield from pairs.filter(pk__in=held)
    free = pairs.exclude(Q(reviewer__isnull=False) & Q(review_until__gt=at) & ~Q(reviewer=actor.user))
    start = 0
    while chunk := list(free[start : start + batch]):
        yield from chunk
        start += batch


def _connected_persons(actor: Actor, candidate: MatchCandidate) -> set[uuid.UUID] | None:
    """The persons that open pairs the actor may see connect to this pair's two, one query per step
    outward; ``None`` past :data:`CONNECTED_LIMIT` of them."""
    pairs = _open_pairs(actor)
    persons = {candidate.person_low_id, candidate.person_high_id}
    frontier = set(persons)
    while frontier:
        if len(persons) > CONNECTED_LIMIT:
            return None
        touching = pairs.filter(Q(person_low__in=frontier) | Q(person_high__in=frontier))
        frontier = {p for pair in touching.values_list("person_low_id", "person_high_id") for p in pair}
        frontier -= persons
        persons |= frontier
    return persons


def _open_group_of(actor: Actor, candidate: MatchCandidate) -> list[Row]:
    """The review group of one open pair, as the queue groups it for this actor. Grouping never
    reaches across records that no open pair connects (:func:`hbm.engines.matching.review_groups`
    joins only the records of a pair), so the open pairs connected to this one, in review order,
    group it as every open pair would — without reading the whole queue. Only pairs the actor may
    see count, as in the queue: a record out of reach is neither shown nor counted."""
    persons = _connected_persons(actor, candidate)
    groups = (
        _open_groups(actor)
        if persons is None
        else _groups_among(_open_pairs(actor).filter(person_low__in=persons))
    )
    seed = {candidate.pk.hex, str(candidate.pk)}  # as SQLite and as PostgreSQL write it
    fallback = [(str(candidate.pk), str(candidate.person_low_id), str(candidate.person_high_id))]
    return next((group for group in groups if any(row[0] in seed for row in group)), fallback)


def _text(field: str) -> Cast:
    return Cast(field, output_field=CharField())


def _groups_loaded(groups: list[list[Row]]) -> list[ReviewGroup]:
    ids = [[uuid.UUID(pk) for pk, _, _ in group] for group in groups]
    pairs = MatchCandidate.objects.select_related("person_low", "person_high", "reviewer").in_bulk(
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
        groups=tuple(groups),
        open_pairs=sum(len(group) for group in every),
        open_groups=len(every),
        to_confirm=links_to_confirm(actor=actor).count(),
    )


def links_to_confirm_count() -> int:
    """Links of a child's records waiting for a second adjudicator, everywhere (decision 0031): a
    count for an administrator's command line (``hbm dedup status``)."""
    return MatchCandidate.objects.filter(status=CandidateStatus.CONFIRM).count()


def links_to_confirm(*, actor: Actor) -> QuerySet[MatchCandidate]:
    """Links of a child's records waiting for a second adjudicator that this actor may confirm: pairs
    they may decide, linked by someone else or by the checks alone (decision 0031). Unaudited: a
    count, or for a caller that audits what it shows."""
    own = Adjudication.objects.filter(candidate=OuterRef("pk"), undone_at__isnull=True, decided_by=actor.user)
    return candidates_visible_to(actor=actor).filter(status=CandidateStatus.CONFIRM).exclude(Exists(own))


def access_review_group(*, actor: Actor, candidate_id: uuid.UUID) -> ReviewGroup | None:
    """The review group of one open pair, as the queue groups it, the read audited (one
    ``dedup.candidate_viewed`` entry naming every pair and person shown). ``None``: the pair is no
    longer open (decided since the queue was read). Out of reach or missing: as
    :func:`access_candidate`."""
    candidate = _candidate_in_reach(actor=actor, candidate_id=candidate_id)
    if candidate.status != CandidateStatus.OPEN:
        return None
    group = _groups_loaded([_open_group_of(actor, candidate)])[0]
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


def review_group_size(*, actor: Actor, candidate: MatchCandidate) -> int:
    """How many records the review group of this pair joins, as the group screen would show it to
    this actor (:func:`access_review_group`): 2 when the pair is reviewed alone, 0 when it is no
    longer open. For a pair already read through :func:`access_candidate`; not audited, as it names
    nobody and counts only records the actor may see."""
    return pair_review_group(actor=actor, candidate=candidate)[1]


def pair_review_group(*, actor: Actor, candidate: MatchCandidate) -> tuple[list[uuid.UUID], int]:
    """The pairs of this pair's review group, in review order, as the queue groups them for the
    actor (found by walking the open pairs its records connect to), and how many records they join
    (as :func:`review_group_size`); ``([], 0)`` once the pair is decided. Unaudited: for a caller
    that audits what it shows."""
    if candidate.status != CandidateStatus.OPEN:
        return [], 0
    rows = _open_group_of(actor, candidate)
    return [uuid.UUID(pk) for pk, _, _ in rows], len({p for _, low, high in rows for p in (low, high)})


def review_group_links(*, group: ReviewGroup, waiting: bool = False) -> dict[uuid.UUID, int]:
    """Records of the group already linked as one person: see :func:`links_among`."""
    return links_among(persons=group.persons, waiting=waiting)


def links_among(*, persons: Iterable[Person], waiting: bool = False) -> dict[uuid.UUID, int]:
    """Of these persons, those already linked as one person to another of them (decisions in force,
    through any record; with ``waiting``, links of a child's records waiting for a second adjudicator
    too): each with the number of its linked set, from 0. The others are left out."""
    persons = list(persons)
    members = {person.pk for person in persons}
    sets: list[set[uuid.UUID]] = []
    for person in persons:
        if any(person.pk in linked for linked in sets):
            continue
        linked = (set(person_same_as(person=person, waiting=waiting)) & members) | {person.pk}
        if len(linked) > 1:
            sets.append(linked)
    return {pk: number for number, linked in enumerate(sets) for pk in linked}


def _candidate_in_reach(*, actor: Actor, candidate_id: uuid.UUID) -> MatchCandidate:
    """One pair the actor may decide, with both persons, the read not audited (the caller audits
    what it shows). Another role, a pair with a person out of the actor's reach, or a missing id:
    :class:`NotFound`, and only an ``access.refused`` entry is written."""
    candidate = (
        candidates_visible_to(actor=actor)
        .select_related("person_low", "person_high", "reviewer")
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


def documents_by_person(*, persons: Iterable[Person]) -> dict[uuid.UUID, list[Document]]:
    """The identity documents of persons the caller already read through an ``access_*`` selector
    (a pair or a review group side by side), each person's in the order recorded; a person with none
    is left out. One query; not audited, as the read that found the persons was."""
    found: dict[uuid.UUID, list[Document]] = {}
    for document in Document.objects.filter(person__in=list(persons)).order_by("created_at", "pk"):
        found.setdefault(document.person_id, []).append(document)
    return found


def candidate_decisions(*, candidate: MatchCandidate) -> QuerySet[Adjudication]:
    return candidate.adjudications.select_related("decided_by", "undone_by", "confirmed_by")


# A registration waiting longer than this for its duplicate check means the checks are falling
# behind (a checker stopped, or arrivals outrun it): the duplicates page says so.
CHECKS_BEHIND_AFTER = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class CheckBacklog:
    """How far the duplicate checks are behind, for everyone (counts only, no personal data):
    ``waiting`` persons new or changed, the oldest waiting since ``oldest_since``; ``swept`` persons
    a sweep still has to re-check (they come after, decision 0030)."""

    waiting: int
    oldest_since: datetime | None
    swept: int
    at: datetime

    @property
    def behind(self) -> bool:
        """Whether a new or changed person has waited longer than :data:`CHECKS_BEHIND_AFTER`."""
        return self.oldest_since is not None and self.at - self.oldest_since > CHECKS_BEHIND_AFTER


def check_backlog(*, actor: Actor) -> CheckBacklog:
    """Persons waiting for a duplicate check, through the queue's own index. For those who decide
    duplicates (another role is refused, audited), and an administrator's command line."""
    if not actor.user.has_role(*ADJUDICATOR_ROLES):
        refusal_record(actor=actor, kind="duplicates", record_id="checks")
        raise PermissionDenied(_("your role does not decide duplicates"))
    return check_backlog_read()


def check_backlog_if_behind(*, actor: Actor) -> CheckBacklog | None:
    """:func:`check_backlog` only when the checks are falling behind (``None`` otherwise, or for a
    role that does not decide duplicates: nothing to refuse, nothing audited). A page shown often
    (home) asks this: one ``EXISTS`` over the persons waiting that no sweep marked, rather than
    counting the rest of a sweep of a million at every load."""
    if not actor.user.has_role(*ADJUDICATOR_ROLES):
        return None
    late = now() - CHECKS_BEHIND_AFTER
    waiting = Person.objects.filter(dedup_checked_at__isnull=True, dedup_swept=False)
    if not waiting.filter(updated_at__lt=late).exists():
        return None
    return check_backlog_read()


def check_backlog_read() -> CheckBacklog:
    """:func:`check_backlog` without a reader (``hbm dedup status``)."""
    fresh = Q(dedup_swept=False)
    counts = Person.objects.filter(dedup_checked_at__isnull=True).aggregate(
        waiting=Count("pk", filter=fresh),
        oldest_since=Min("updated_at", filter=fresh),
        swept=Count("pk", filter=Q(dedup_swept=True)),
    )
    return CheckBacklog(
        waiting=counts["waiting"], oldest_since=counts["oldest_since"], swept=counts["swept"], at=now()
    )


# Possible duplicates of one person listed on their page, for those who decide them.
PERSON_PAIRS_SHOWN = 10


@dataclass(frozen=True, slots=True)
class DuplicateStatus:
    """Where one person stands with the duplicate check, as the reader may know it: ``checked_at``
    (``None`` while waiting, ``swept`` while a sweep re-checks them), ``waiting`` — how many
    possible duplicates of theirs wait for a decision, or for a link's confirmation (a count: who
    they are is for those who decide) — and ``pairs``, those among them the reader may decide, the
    likeliest first."""

    checked_at: datetime | None
    swept: bool
    waiting: int
    pairs: tuple[MatchCandidate, ...]


def person_duplicate_status(*, actor: Actor, person: Person) -> DuplicateStatus:
    """:class:`DuplicateStatus` of ``person``, who must come from ``access_person`` (which audits the
    read). The pairs are those :func:`~hbm.dedup.access.candidates_visible_to` gives the reader:
    none for a role that does not decide duplicates, and only pairs whose two persons they may see."""
    waiting = MatchCandidate.objects.filter(
        Q(person_low=person) | Q(person_high=person),
        status__in=(CandidateStatus.OPEN, CandidateStatus.CONFIRM),
    )
    pairs = (
        candidates_visible_to(actor=actor)
        .filter(pk__in=waiting.values("pk"))
        .select_related("person_low__registered_at", "person_high__registered_at")
        .order_by("-involves_child", "-biographic_probability")[:PERSON_PAIRS_SHOWN]
    )
    return DuplicateStatus(
        checked_at=person.dedup_checked_at,
        swept=person.dedup_swept,
        waiting=waiting.count(),
        pairs=tuple(pairs),
    )


def person_same_as(*, person: Person, waiting: bool = False) -> list[uuid.UUID]:
    """The persons linked to this one as the same person (active *same* decisions, transitively);
    with ``waiting``, through links of a child's records waiting for a second adjudicator too."""
    statuses = (CandidateStatus.SAME, CandidateStatus.CONFIRM) if waiting else (CandidateStatus.SAME,)
    linked: set[uuid.UUID] = set()
    frontier = {person.pk}
    while frontier:
        pairs = MatchCandidate.objects.filter(
            Q(person_low__in=frontier) | Q(person_high__in=frontier),
            status__in=statuses,
            adjudications__ruling=Ruling.SAME,
            adjudications__undone_at__isnull=True,
        ).values_list("person_low_id", "person_high_id")
        found = {p for pair in pairs for p in pair} - linked - {person.pk}
        linked |= found
        frontier = found
    return sorted(linked, key=lambda pk: pk.hex)


@dataclass(frozen=True, slots=True)
class RegisteredCount:
    """Registrations, and the persons they are (aggregates, no personal data): ``records`` made,
    ``persons`` once records linked as one person (decisions in force) are counted once, and
    ``waiting`` — pairs among these records still waiting for a decision or for a link's
    confirmation: each may join two records yet, so ``persons`` may still fall by as many."""

    records: int
    persons: int
    waiting: int


def registered_count(*, crossing_point: CrossingPoint | None = None) -> RegisteredCount:
    """:class:`RegisteredCount` of the persons registered at ``crossing_point`` (pairs between two of
    its records count; a person registered here and again elsewhere is one of its persons), or of
    everyone. For a reader of the point's figures (``access_crossing_point_for_figures``).

    The pairs are read joined to their two persons' crossing points, not through a list of the
    point's persons: at 87,000 open pairs that list made SQLite take 0.5 s, and the join 0.2 s."""
    persons = Person.objects.all()
    pairs = MatchCandidate.objects.all()
    if crossing_point is not None:
        persons = persons.filter(registered_at=crossing_point)
        pairs = pairs.filter(
            person_low__registered_at=crossing_point, person_high__registered_at=crossing_point
        )
    linked = pairs.filter(status=CandidateStatus.SAME).values_list("person_low_id", "person_high_id")
    records = persons.count()
    return RegisteredCount(
        records=records,
        persons=records - _linked_away(list(linked)),
        waiting=pairs.filter(status__in=(CandidateStatus.OPEN, CandidateStatus.CONFIRM)).count(),
    )


def _linked_away(pairs: list[tuple[uuid.UUID, uuid.UUID]]) -> int:
    """How many records these links make one with another: the records they join less the persons
    (connected components) those records are."""
    numbered = {pk: n for n, pk in enumerate(dict.fromkeys(p for pair in pairs for p in pair))}
    if not numbered:
        return 0
    left = np.array([numbered[low] for low, _ in pairs], dtype=np.int64)
    right = np.array([numbered[high] for _, high in pairs], dtype=np.int64)
    return len(numbered) - len(np.unique(connected_components(len(numbered), left, right)))
