"""From a registered person to the matching engine's record, and the model's weights in use."""

from __future__ import annotations

import logging

import numpy as np
from django.db import transaction

from hbm.audit.enums import AuditEvent
from hbm.audit.services import audit_record
from hbm.dedup.models import MatchModelVersion
from hbm.engines.matching import BirthAccuracy, MatchModel, MatchRecord
from hbm.registration.models import GroupMembership, Person

ESTIMATE_SAMPLE = 200_000

logger = logging.getLogger(__name__)


def match_record_of(person: Person) -> MatchRecord:
    """The fields the engines compare: names in both scripts, sex, birth and its accuracy,
    nationality, place of birth, the groups the person travelled with and the given names of the
    people registered in them (a family registered twice meets itself)."""
    groups = [str(g) for g in person.memberships.values_list("group_id", flat=True)]
    relatives = (
        GroupMembership.objects.filter(group_id__in=groups)
        .exclude(person=person)
        .values_list("person__given_names_latin", flat=True)
        if groups
        else []
    )
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
        family=frozenset(groups),
        relatives=frozenset(name for name in relatives if name),
        crossing_point=str(person.registered_at_id),
    )


def match_model() -> MatchModel:
    """The newest estimated weights, or the configured defaults when none was estimated yet or
    the newest was estimated for another version of the comparison levels (``hbm dedup estimate``
    estimates them again)."""
    stored = MatchModelVersion.objects.values_list("parameters", flat=True).first()
    if not stored:
        return MatchModel.default()
    try:
        return MatchModel.from_dict(stored)
    except ValueError:
        logger.warning("the stored match model is of another version: using the defaults until re-estimated")
        return MatchModel.default()


def match_model_estimate() -> MatchModelVersion:
    """Estimate the weights from (a sample of) the population by EM and make them the ones in use."""
    persons = Person.objects.prefetch_related("memberships").order_by("?")[:ESTIMATE_SAMPLE]
    records = [match_record_of(p) for p in persons]
    model = MatchModel.estimate(records, rng=np.random.default_rng(0))
    with transaction.atomic():
        version = MatchModelVersion.objects.create(
            parameters=model.to_dict(), records=len(records), note="EM on the population"
        )
        audit_record(
            actor=None,
            event=AuditEvent.MATCH_MODEL_ESTIMATED,
            subject=version,
            detail={"records": len(records)},
        )
    return version
