"""Retries that arrive at the same moment (two tabs, a retried batch) store one record, not two."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.audit.selectors import audit_chain_verify
from hbm.core.context import Actor
from hbm.crossings.models import CrossingPoint
from hbm.registration.enums import AgeBand, Sex
from hbm.registration.models import CountCell, Encounter, Group, Person
from hbm.registration.services import (
    CountData,
    EncounterData,
    IndividualData,
    count_record,
    group_preregister,
    person_register,
)

pytestmark = pytest.mark.django_db(transaction=True)
RETRIES = 4


def _at_once(submit: Callable[[], Any]) -> tuple[list[Any], list[BaseException]]:
    """Run ``submit`` in RETRIES threads released together, each on its own connection."""
    barrier = threading.Barrier(RETRIES)
    results: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(submit().pk)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(RETRIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def test_concurrent_retries_of_one_person_store_it_once(actor: Actor, crossing_point: CrossingPoint) -> None:
    key = uuid.uuid4()
    data = IndividualData(
        given_names_latin="Olena",
        surname_latin="Kovalenko",
        sex=Sex.FEMALE,
        nationality="UKR",
        estimated_age=34,
    )

    results, errors = _at_once(
        lambda: person_register(actor=actor, crossing_point_id=crossing_point.pk, data=data, person_id=key)
    )

    assert errors == []
    assert results == [key] * RETRIES
    assert Person.objects.count() == 1
    assert Encounter.objects.count() == 1
    assert AuditEntry.objects.filter(event=AuditEvent.PERSON_REGISTERED).count() == 1
    assert audit_chain_verify().is_intact


def test_concurrent_retries_of_one_group_and_one_count(actor: Actor, crossing_point: CrossingPoint) -> None:
    group_key, count_key = uuid.uuid4(), uuid.uuid4()

    groups, group_errors = _at_once(
        lambda: group_preregister(
            actor=actor,
            crossing_point_id=crossing_point.pk,
            size=3,
            head_name="Ahmad Karimi",
            nationality="AFG",
            data=EncounterData(),
            group_id=group_key,
        )
    )
    counts, count_errors = _at_once(
        lambda: count_record(
            actor=actor,
            crossing_point_id=crossing_point.pk,
            cells=[CountData(Sex.MALE, AgeBand.AGE_18_59, 7)],
            data=EncounterData(),
            encounter_id=count_key,
        )
    )

    assert (group_errors, count_errors) == ([], [])
    assert set(groups) == {group_key}
    assert set(counts) == {count_key}
    assert (Group.objects.count(), CountCell.objects.count(), Encounter.objects.count()) == (1, 1, 2)
    assert audit_chain_verify().is_intact
