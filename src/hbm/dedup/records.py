"""From a registered person to the matching engine's record, and the model's weights in use."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
from django.db import transaction

from hbm.audit.enums import AuditEvent
from hbm.audit.services import audit_record
from hbm.dedup.enums import Ruling
from hbm.dedup.models import Adjudication, MatchModelVersion
from hbm.engines.matching import BirthAccuracy, IdDocument, MatchModel, MatchRecord, Score, TermShares
from hbm.registration.models import GroupMembership, Person

ESTIMATE_SAMPLE = 200_000
TERMS_FIRST_AT: Final = 200
"""Persons registered before the worker first counts how common each name is by itself."""
LABELS_NEEDED: Final = 20
"""Pairs decided by people needed before they may overrule an estimate: fewer say too little."""

LabelledPair = tuple[MatchRecord, MatchRecord, bool]

MATCH_RECORD_RELATED: Final = ("memberships", "documents")
"""What :func:`match_record_of` reads beyond the person's row: prefetch it where many records are
built (``Person.objects.prefetch_related(*MATCH_RECORD_RELATED)``), so no query is made per person
for them."""

logger = logging.getLogger(__name__)


# Persons whose relatives one query reads (match_records_of): a few thousand group ids per query.
RELATIVES_CHUNK: Final = 1000


def match_record_of(person: Person) -> MatchRecord:
    """The fields the engines compare: names in both scripts, the parents' names, sex, birth and its
    accuracy, nationality, place of birth, the identity documents shown (those with a number), the
    groups the person travelled with and the given names of the people registered in them (a family
    registered twice meets itself). Memberships and documents are read through the prefetch cache
    when the caller filled it (:data:`MATCH_RECORD_RELATED`)."""
    return match_records_of([person])[0]


def match_records_of(persons: Iterable[Person]) -> list[MatchRecord]:
    """:func:`match_record_of` of each person, in order, reading the people registered in their
    groups with one query per :data:`RELATIVES_CHUNK` persons rather than one per person."""
    records: list[MatchRecord] = []
    every = list(persons)
    for start in range(0, len(every), RELATIVES_CHUNK):
        chunk = every[start : start + RELATIVES_CHUNK]
        groups = {
            person.pk: [membership.group_id for membership in person.memberships.all()] for person in chunk
        }
        members = _members_of({group for ids in groups.values() for group in ids})
        for person in chunk:
            relatives = {
                given
                for group in groups[person.pk]
                for member, given in members.get(group, ())
                if member != person.pk
            }
            records.append(_record(person, groups[person.pk], relatives))
    return records


def _members_of(groups: set[uuid.UUID]) -> dict[uuid.UUID, list[tuple[uuid.UUID, str]]]:
    """``{group: [(person, given names)]}`` of everyone registered in ``groups``."""
    members: dict[uuid.UUID, list[tuple[uuid.UUID, str]]] = {}
    if groups:
        rows = GroupMembership.objects.filter(group_id__in=groups).values_list(
            "group_id", "person_id", "person__given_names_latin"
        )
        for group, person, given in rows:
            members.setdefault(group, []).append((person, given))
    return members


def _record(person: Person, groups: Sequence[uuid.UUID], relatives: Iterable[str]) -> MatchRecord:
    original = " ".join(part for part in (person.given_names_original, person.surname_original) if part)
    return MatchRecord(
        id=str(person.pk),
        given=person.given_names_latin,
        surname=person.surname_latin,
        original=original,
        language=(person.languages or [None])[0],
        sex=person.sex if person.sex in ("F", "M") else "",
        birth_date=person.date_of_birth,
        birth_accuracy=BirthAccuracy(person.birth_date_accuracy),
        nationality=person.nationality,
        place_of_birth=person.place_of_birth,
        family=frozenset(str(group) for group in groups),
        relatives=frozenset(name for name in relatives if name),
        father=person.father_name,
        mother=person.mother_name,
        documents=documents_of(person),
        crossing_point=str(person.registered_at_id),
    )


def documents_of(person: Person) -> tuple[IdDocument, ...]:
    """The person's documents as the engine compares them (kind, issuing state, number as written),
    in the order recorded; a document recorded without a number says nothing about who holds it."""
    recorded = sorted(person.documents.all(), key=lambda document: document.created_at)
    return tuple(
        IdDocument(kind=document.kind, state=document.issuing_state, number=document.document_number)
        for document in recorded
        if document.document_number.strip()
    )


@dataclass(frozen=True, slots=True)
class Scoring:
    """The weights in use and, once they were estimated, how common each name, birth date and
    parent's name was in the population they were estimated from: agreeing on MOHAMMAD or on
    1 January then says less than agreeing on a rare name or day, as in the sweep."""

    model: MatchModel
    terms: TermShares | None = None

    def score(self, a: MatchRecord, b: MatchRecord) -> Score:
        return self.model.score(a, b, terms=self.terms)


_loaded: dict[uuid.UUID, Scoring] = {}  # the newest stored version, parsed once per process


def match_scoring() -> Scoring:
    """The newest estimated weights with their term shares, or the configured defaults (no term
    shares) when none was estimated yet or the newest was estimated for another version of the
    comparison levels (``hbm dedup estimate`` estimates them again)."""
    newest = MatchModelVersion.objects.values_list("pk", flat=True).first()
    if newest is None:
        return Scoring(MatchModel.default())
    cached = _loaded.get(newest)
    if cached is not None:
        return cached
    stored = MatchModelVersion.objects.values_list("parameters", flat=True).get(pk=newest)
    try:
        scoring = Scoring(MatchModel.from_dict(stored), _terms_of(stored))
    except ValueError:
        logger.warning("the stored match model is of another version: using the defaults until re-estimated")
        scoring = Scoring(MatchModel.default())
    _loaded.clear()
    _loaded[newest] = scoring
    return scoring


def _terms_of(stored: dict[str, object]) -> TermShares | None:
    terms = stored.get("terms")
    return TermShares.from_dict(terms) if isinstance(terms, dict) else None


def match_model() -> MatchModel:
    """The weights in use (see :func:`match_scoring`)."""
    return match_scoring().model


@dataclass(frozen=True, slots=True)
class LabelAgreement:
    """Of the ``labelled`` pairs people decided, how many each model calls as they did (probability
    ≥ 0.5 for *same person*, below for *distinct*): ``estimated`` the new weights, ``in_use`` the
    ones they would replace."""

    labelled: int
    estimated: int
    in_use: int

    @property
    def worse(self) -> bool:
        """The new weights contradict more of the people's decisions than the weights in use, on
        enough of them to tell (:data:`LABELS_NEEDED`)."""
        return self.labelled >= LABELS_NEEDED and self.estimated < self.in_use

    def as_dict(self) -> dict[str, int]:
        return {"labelled": self.labelled, "agreed": self.estimated, "agreed_in_use": self.in_use}


class EstimateRejected(Exception):
    """The estimated weights decide the adjudicated pairs worse than the weights in use."""

    def __init__(self, agreement: LabelAgreement) -> None:
        super().__init__(
            f"the estimated weights agree with {agreement.estimated} of {agreement.labelled} "
            f"adjudicated pairs, the weights in use with {agreement.in_use}: not stored"
        )
        self.agreement = agreement


def adjudicated_pairs() -> list[LabelledPair]:
    """The pairs people decided and nobody undid, as records with *same person* or not. Decisions
    the engines took alone (above the *same person* threshold) are left out: they would grade the
    weights by their own answers."""
    decided = (
        Adjudication.objects.filter(undone_at__isnull=True, decided_by__isnull=False)
        .select_related("candidate__person_low", "candidate__person_high")
        .prefetch_related(
            *(
                f"candidate__{side}__{related}"
                for side in ("person_low", "person_high")
                for related in MATCH_RECORD_RELATED
            )
        )
    )
    return [
        (
            match_record_of(adjudication.candidate.person_low),
            match_record_of(adjudication.candidate.person_high),
            adjudication.ruling == Ruling.SAME,
        )
        for adjudication in decided
    ]


def label_agreement(scoring: Scoring, pairs: Sequence[LabelledPair]) -> int:
    """How many of ``pairs`` ``scoring`` calls as the people did, at probability 0.5."""
    return sum((scoring.score(a, b).probability >= 0.5) == same for a, b, same in pairs)


def match_model_estimate(*, force: bool = False) -> tuple[MatchModelVersion, LabelAgreement]:
    """Estimate the weights from (a sample of) the population by EM and make them the ones in use —
    unless they decide the pairs people adjudicated worse than the weights in use
    (:class:`EstimateRejected`; ``force`` stores them anyway). EM always finds a "same person"
    class, even in a population with no duplicates; only people's decisions can say it found the
    wrong one."""
    population = Person.objects.count()
    persons = Person.objects.prefetch_related(*MATCH_RECORD_RELATED).order_by("?")[:ESTIMATE_SAMPLE]
    records = match_records_of(persons)
    model = MatchModel.estimate(records, rng=np.random.default_rng(0))
    terms = TermShares.of(records)
    estimated = Scoring(model, terms)
    labelled = adjudicated_pairs()
    agreement = LabelAgreement(
        labelled=len(labelled),
        estimated=label_agreement(estimated, labelled),
        in_use=label_agreement(match_scoring(), labelled),
    )
    if agreement.worse and not force:
        logger.warning("estimated match model not stored: %s", agreement.as_dict())
        raise EstimateRejected(agreement)
    note = "EM on the population"
    if agreement.labelled:
        note += f"; agrees with {agreement.estimated} of {agreement.labelled} adjudicated pairs"
    if agreement.worse:
        note += f" (the weights it replaced: {agreement.in_use}; stored by force)"
    with transaction.atomic():
        version = MatchModelVersion.objects.create(
            parameters={**model.to_dict(), "terms": terms.to_dict(), "terms_population": population},
            records=len(records),
            note=note,
        )
        audit_record(
            actor=None,
            event=AuditEvent.MATCH_MODEL_ESTIMATED,
            subject=version,
            detail={"records": len(records), **agreement.as_dict(), "forced": agreement.worse},
        )
    return version, agreement


def match_terms_refresh() -> MatchModelVersion:
    """Count again how common each name, birth date and parent's name is (on a sample of at most
    :data:`ESTIMATE_SAMPLE` persons) and store the counts with the weights in use, unchanged.

    Term frequencies need no duplicates to be right, unlike an estimate of the weights: a new
    deployment, or one where few register twice, gets them from its first registrations, and a
    population that changes (a new nationality arriving) gets them again without re-estimating."""
    population = Person.objects.count()
    persons = Person.objects.prefetch_related(*MATCH_RECORD_RELATED).order_by("?")[:ESTIMATE_SAMPLE]
    records = match_records_of(persons)
    terms = TermShares.of(records)
    in_use = match_scoring().model
    with transaction.atomic():
        version = MatchModelVersion.objects.create(
            parameters={**in_use.to_dict(), "terms": terms.to_dict(), "terms_population": population},
            records=len(records),
            note="term shares counted again; the weights in use kept",
        )
        audit_record(
            actor=None,
            event=AuditEvent.MATCH_TERMS_COUNTED,
            subject=version,
            detail={"records": len(records), "default_weights": in_use == MatchModel.default()},
        )
    return version


def match_terms_maintain() -> MatchModelVersion | None:
    """Count the term shares again when they are due (the background worker calls this after each
    batch it checked): never counted yet and :data:`TERMS_FIRST_AT` persons registered, or the
    population has doubled since they were counted. A deployment thus gets them from its first
    few hundred registrations and keeps them current as arrivals change, without anyone running
    ``hbm dedup terms``; the weights are never touched here."""
    population = Person.objects.count()
    stored = MatchModelVersion.objects.values_list("parameters", flat=True).first()
    counted_at = stored.get("terms_population") if isinstance(stored, dict) else None
    if match_scoring().terms is None or not isinstance(counted_at, int):
        due = population >= TERMS_FIRST_AT
    else:
        due = population >= 2 * max(counted_at, TERMS_FIRST_AT)
    return match_terms_refresh() if due else None
