"""Identity documents reach the matching engine: one passport number shown twice finds a person
whose names were spelt another way; two numbers of one state's passport tell namesakes apart; a
child inscribed in a parent's passport is not taken for the parent."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hbm.accounts.models import User
from hbm.core.context import Actor
from hbm.dedup.models import BlockingKey, MatchCandidate
from hbm.dedup.records import match_model_estimate, match_record_of, match_scoring, match_terms_refresh
from hbm.dedup.services import dedup_pending_process
from hbm.registration.enums import DocumentKind, Sex
from hbm.registration.models import Person
from hbm.registration.services import DocumentData, person_document_add
from tests.dedup.builders import open_pair

pytestmark = pytest.mark.django_db


def _passport(number: str, state: str = "AFG") -> tuple[DocumentData, ...]:
    return (DocumentData(kind=DocumentKind.PASSPORT, document_number=number, issuing_state=state),)


def _document_contribution(a: Person, b: Person) -> tuple[str, float]:
    score = match_scoring().score(match_record_of(a), match_record_of(b))
    found = next(c for c in score.contributions if c.field == "document")
    return found.level, found.weight


def test_one_passport_number_typed_two_ways_finds_names_spelt_apart(register: Callable[..., Person]) -> None:
    first = register(
        "Mohammad",
        "Rahimi",
        nationality="AFG",
        date_of_birth=date(1988, 4, 2),
        documents=_passport("P 1234 5678"),
    )
    second = register(
        "Muhamad",
        "Rahimy",
        nationality="AFG",
        date_of_birth=None,
        birth_year=1988,
        documents=_passport("P12345678"),
    )

    dedup_pending_process()

    candidate = MatchCandidate.objects.get()
    assert {candidate.person_low_id, candidate.person_high_id} == {first.pk, second.pk}
    document = next(c for c in candidate.contributions if c["field"] == "document")
    assert document["level"] == "same"
    assert document["weight"] > 0
    # The number carries the pair: without it the same two records are far less likely one person.
    bare = [dataclasses.replace(match_record_of(p), documents=()) for p in (first, second)]
    assert match_scoring().score(*bare).probability < candidate.biographic_probability


def test_two_numbers_of_one_states_passport_weigh_against_namesakes(register: Callable[..., Person]) -> None:
    first = register(
        "Ahmad",
        "Karimi",
        nationality="AFG",
        date_of_birth=None,
        birth_year=1990,
        documents=_passport("P01234567"),
    )
    second = register(
        "Ahmad",
        "Karimi",
        nationality="AFG",
        date_of_birth=None,
        birth_year=1990,
        documents=_passport("P07654321"),
    )

    level, weight = _document_contribution(first, second)

    assert level == "different"
    assert weight < 0
    records = [match_record_of(p) for p in (first, second)]
    bare = [dataclasses.replace(record, documents=()) for record in records]
    assert match_scoring().score(*records).probability < match_scoring().score(*bare).probability


def test_a_child_in_a_parents_passport_is_not_evidence_of_one_person(register: Callable[..., Person]) -> None:
    father = register(
        "Mohammad",
        "Rahimi",
        nationality="AFG",
        date_of_birth=date(1984, 5, 1),
        documents=_passport("P12345678"),
    )
    daughter = register(
        "Mahsa",
        "Rahimi",
        sex=Sex.FEMALE,
        nationality="AFG",
        date_of_birth=date(2016, 9, 3),
        documents=_passport("P12345678"),
    )

    assert _document_contribution(father, daughter) == ("shared", 0.0)
    dedup_pending_process()
    assert not MatchCandidate.objects.filter(status="same").exists()


def test_a_document_added_after_registration_gets_the_person_checked_again(
    register: Callable[..., Person], actor: Actor
) -> None:
    person = register("Mohammad", "Rahimi", nationality="AFG")
    dedup_pending_process()
    assert Person.objects.get(pk=person.pk).dedup_checked_at is not None
    assert not BlockingKey.objects.filter(person=person, key__startswith="I:").exists()

    person_document_add(actor=actor, person=person, doc=_passport("P12345678")[0])

    assert Person.objects.get(pk=person.pk).dedup_checked_at is None
    dedup_pending_process()
    assert Person.objects.get(pk=person.pk).dedup_checked_at is not None
    assert BlockingKey.objects.filter(person=person, key__startswith="I:").count() == 1


def test_a_document_added_through_the_api_gets_the_person_checked_again(
    register: Callable[..., Person], officer: User, api: Any
) -> None:
    person = register("Mohammad", "Rahimi", nationality="AFG")
    dedup_pending_process()

    response = api(officer).post(
        f"/api/persons/{person.pk}/documents",
        {"kind": "passport", "document_number": "P12345678", "issuing_state": "AFG"},
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    assert Person.objects.get(pk=person.pk).dedup_checked_at is None


@pytest.mark.parametrize("build", [match_model_estimate, match_terms_refresh], ids=["estimate", "terms"])
def test_building_many_records_reads_documents_in_one_query(
    register: Callable[..., Person], build: Callable[[], Any]
) -> None:
    for index in range(12):
        register(
            f"Given{chr(65 + index)}", "Rahimi", nationality="AFG", documents=_passport(f"P0000{index:04d}")
        )

    with CaptureQueriesContext(connection) as queries:
        build()

    reads = [q["sql"] for q in queries.captured_queries if "registration_document" in q["sql"]]
    memberships = [q["sql"] for q in queries.captured_queries if "registration_groupmembership" in q["sql"]]
    assert len(reads) == 1
    assert len(memberships) == 1


def test_the_check_reads_the_candidates_documents_in_one_query(register: Callable[..., Person]) -> None:
    for index in range(6):
        register(
            "Mohammad",
            "Rahimi",
            nationality="AFG",
            date_of_birth=date(1988, 4, 2 + index),
            documents=_passport(f"P1234{index:04d}"),
        )
    dedup_pending_process()
    newest = register(
        "Mohammad",
        "Rahimi",
        nationality="AFG",
        date_of_birth=date(1988, 4, 2),
        documents=_passport("P12340000"),
    )

    with CaptureQueriesContext(connection) as queries:
        dedup_pending_process()

    assert (
        MatchCandidate.objects.filter(person_low=newest).count()
        + MatchCandidate.objects.filter(person_high=newest).count()
        == 6
    )
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "registration_document"' in q["sql"]]
    assert len(reads) == 2  # the person checked, then every candidate at once


def test_the_side_by_side_screen_lists_each_records_documents(
    register: Callable[..., Person], coordinator: User, api: Any
) -> None:
    register(
        "Mohammad",
        "Rahimi",
        nationality="AFG",
        date_of_birth=date(1988, 4, 2),
        documents=_passport("P 1234 5678"),
    )
    register(
        "Muhamad",
        "Rahimy",
        nationality="AFG",
        date_of_birth=date(1988, 4, 2),
        documents=_passport("P12345678"),
    )
    dedup_pending_process()
    candidate = MatchCandidate.objects.get()
    numbers = [p.documents.get().document_number for p in (candidate.person_low, candidate.person_high)]

    content = api(coordinator).get(f"/duplicates/{candidate.pk}/").content.decode()

    # One number typed two ways: the row agrees, as the engine's comparison does.
    assert (
        '<tr class="agree"><th scope="row">Identity documents</th>'
        f'<td dir="auto">Passport, Afghanistan (AFG), {numbers[0]}</td>'
        f'<td dir="auto">Passport, Afghanistan (AFG), {numbers[1]}</td></tr>'
    ) in content
    assert "same document number" in content.split('data-testid="contributions"', 1)[1]


def test_a_record_without_documents_shows_not_recorded_and_another_number_differs(
    register: Callable[..., Person], coordinator: User, api: Any
) -> None:
    first = register("Ahmad", "Karimi", nationality="AFG", documents=_passport("P01234567"))
    second = register("Ahmad", "Karimi", nationality="AFG", documents=_passport("P07654321"))
    third = register("Ahmad", "Karimi", nationality="AFG")
    shown = {
        first.pk: "Passport, Afghanistan (AFG), P01234567",
        second.pk: "Passport, Afghanistan (AFG), P07654321",
    }
    missing_on_one = open_pair(first, third, 0.9)
    differing = open_pair(first, second, 0.9)
    client = api(coordinator)

    partial = client.get(f"/duplicates/{missing_on_one.pk}/").content.decode()
    cells = [
        f'<td dir="auto">{shown[p]}</td>' if p in shown else '<td class="not-recorded">not recorded</td>'
        for p in (missing_on_one.person_low_id, missing_on_one.person_high_id)
    ]
    assert f'<tr class="partial"><th scope="row">Identity documents</th>{cells[0]}{cells[1]}</tr>' in partial
    differ = client.get(f"/duplicates/{differing.pk}/").content.decode()
    assert '<tr class="differ"><th scope="row">Identity documents</th>' in differ
    group = client.get(f"/duplicates/{differing.pk}/group/").content.decode()
    row = group.split('<th scope="row">Identity documents</th>', 1)[1].split("</tr>", 1)[0]
    assert row.count('<td class="not-recorded">not recorded</td>') == 1
    assert all(text in row for text in shown.values())


def test_documents_that_cannot_be_compared_are_no_sign_either_way(
    register: Callable[..., Person], coordinator: User, api: Any
) -> None:
    # An Afghan passport and a Pakistani one: one person may hold both, as the matcher says (no level).
    afghan = register("Ahmad", "Karimi", nationality="AFG", documents=_passport("P01234567"))
    pakistani = register("Ahmad", "Karimi", nationality="AFG", documents=_passport("P07654321", "PAK"))
    # A passport on both and an identity card on one only: the passport's number is shared.
    with_card = register(
        "Ahmad",
        "Karimi",
        nationality="AFG",
        documents=[
            *_passport("P01234567"),
            DocumentData(kind=DocumentKind.IDENTITY_CARD, document_number="12345678"),
        ],
    )
    client = api(coordinator)

    unrelated = client.get(f"/duplicates/{open_pair(afghan, pakistani, 0.9).pk}/").content.decode()
    shared = client.get(f"/duplicates/{open_pair(afghan, with_card, 0.9).pk}/").content.decode()

    assert '<tr class="partial"><th scope="row">Identity documents</th>' in unrelated
    assert '<tr class="agree"><th scope="row">Identity documents</th>' in shared
