"""Every registration is checked; likely duplicates wait for a person's decision, which is audited
and can be undone; a pair decided distinct never returns."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from hbm.accounts.models import User
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.core.context import Actor
from hbm.core.errors import Conflict, NotFound
from hbm.dedup.enums import CandidateStatus, Ruling, Verdict
from hbm.dedup.models import Adjudication, MatchCandidate
from hbm.dedup.selectors import person_same_as
from hbm.dedup.services import (
    adjudication_undo,
    candidate_adjudicate,
    dedup_pending_process,
    population_recheck,
)
from hbm.registration.models import Person
from tests.dedup.conftest import registered_twice

pytestmark = pytest.mark.django_db


@pytest.fixture
def likely_pair(register: Callable[..., Person]) -> tuple[Person, Person]:
    first = register("Mohammed", "Al-Hassan")
    second = register("Muhammad", "Alhassan")
    dedup_pending_process()
    return first, second


def test_a_spelling_variant_with_the_same_birth_becomes_a_candidate(
    likely_pair: tuple[Person, Person],
) -> None:
    candidate = MatchCandidate.objects.get()

    assert {candidate.person_low_id, candidate.person_high_id} == {p.pk for p in likely_pair}
    assert candidate.biographic_probability > 0.5
    assert {c["field"] for c in candidate.contributions} >= {"given", "surname", "birth_date", "sex"}
    assert Person.objects.filter(dedup_checked_at__isnull=True).count() == 0
    assert AuditEntry.objects.filter(event=AuditEvent.DUPLICATE_FOUND).count() == 1


def test_different_people_are_not_candidates(register: Callable[..., Person]) -> None:
    register("Olena", "Kovalenko", sex="F", nationality="UKR", date_of_birth=date(1985, 6, 1))
    register("Ahmad", "Karimi", nationality="AFG", date_of_birth=date(2001, 1, 9))

    dedup_pending_process()

    assert not MatchCandidate.objects.exists()


def _coordinator_actor(coordinator: User) -> Actor:
    return Actor(user=coordinator, device="test")


def test_same_person_links_the_records_keeping_both_and_can_be_undone(
    likely_pair: tuple[Person, Person], coordinator: User, api: Any
) -> None:
    actor = _coordinator_actor(coordinator)
    candidate = MatchCandidate.objects.get()

    decision = candidate_adjudicate(
        actor=actor, candidate_id=candidate.pk, ruling=Ruling.SAME, reason="same photo"
    )

    first, second = likely_pair
    assert person_same_as(person=first) == [second.pk]
    assert Person.objects.count() == 2  # linked, not merged: every encounter stays
    page = api(coordinator).get(f"/persons/{first.pk}/").content.decode()
    assert f'href="/persons/{second.pk}/"' in page.split('data-testid="same-as"', 1)[1]
    adjudication_undo(actor=actor, adjudication_id=decision.pk)
    assert person_same_as(person=first) == []
    assert MatchCandidate.objects.get().status == CandidateStatus.OPEN
    events = list(AuditEntry.objects.filter(event__startswith="dedup.").values_list("event", flat=True))
    assert events.count(AuditEvent.DUPLICATE_DECIDED) == 1
    assert events.count(AuditEvent.DUPLICATE_UNDONE) == 1


def test_a_pair_decided_distinct_never_returns(likely_pair: tuple[Person, Person], coordinator: User) -> None:
    actor = _coordinator_actor(coordinator)
    candidate_adjudicate(actor=actor, candidate_id=MatchCandidate.objects.get().pk, ruling=Ruling.DISTINCT)

    population_recheck()
    dedup_pending_process()

    candidate = MatchCandidate.objects.get()
    assert candidate.status == CandidateStatus.DISTINCT
    assert Adjudication.objects.count() == 1


def test_a_decided_pair_cannot_be_decided_again_without_undo(
    likely_pair: tuple[Person, Person], coordinator: User
) -> None:
    actor = _coordinator_actor(coordinator)
    candidate = MatchCandidate.objects.get()
    candidate_adjudicate(actor=actor, candidate_id=candidate.pk, ruling=Ruling.DISTINCT)

    with pytest.raises(Conflict):
        candidate_adjudicate(actor=actor, candidate_id=candidate.pk, ruling=Ruling.SAME)


def test_a_border_officer_does_not_adjudicate(likely_pair: tuple[Person, Person], actor: Actor) -> None:
    with pytest.raises(NotFound):
        candidate_adjudicate(actor=actor, candidate_id=MatchCandidate.objects.get().pk, ruling=Ruling.SAME)


def test_the_api_queue_and_pair_are_for_adjudicators_who_may_see_both_persons(
    likely_pair: tuple[Person, Person], coordinator: User, make_user: Any, api: Any
) -> None:
    from tests.api.conftest import assert_matches_openapi

    candidate = MatchCandidate.objects.get()
    stranger = make_user("screening_officer", username="elsewhere", posted=False)

    queue = api(coordinator).get("/api/dedup/candidates")
    detail = api(coordinator).get(f"/api/dedup/candidates/{candidate.pk}")

    assert_matches_openapi(queue)
    assert_matches_openapi(detail)
    assert [c["id"] for c in queue.json()] == [str(candidate.pk)]
    assert len(detail.json()["persons"]) == 2
    assert AuditEntry.objects.filter(event=AuditEvent.DUPLICATE_VIEWED).count() == 1
    assert api(stranger).get("/api/dedup/candidates").json() == []
    assert api(stranger).get(f"/api/dedup/candidates/{candidate.pk}").status_code == 404


def _written_since(before: int) -> list[tuple[str, Any, Any]]:
    return [(e.event, e.actor, e.detail) for e in AuditEntry.objects.filter(seq__gt=before)]


@pytest.mark.parametrize("role", ["border_officer", "caseworker", "health_officer", "auditor"])
def test_the_queue_is_refused_to_a_role_that_does_not_adjudicate_and_the_refusal_audited(
    likely_pair: tuple[Person, Person], make_user: Any, api: Any, role: str
) -> None:
    from tests.api.conftest import assert_matches_openapi

    asking = make_user(role, username=f"q-{role}")
    for url in ("/api/dedup/candidates", "/duplicates/"):
        before = AuditEntry.objects.count()

        response = api(asking).get(url)

        assert response.status_code == 403
        assert "Hassan" not in response.content.decode()
        assert _written_since(before) == [
            (AuditEvent.ACCESS_REFUSED, asking, {"kind": "duplicates", "id": "list"})
        ]
        if url.startswith("/api/"):
            assert_matches_openapi(response)
        else:
            assert 'data-status="403"' in response.content.decode()


@pytest.mark.parametrize(("role", "posted"), [("screening_officer", False), ("border_officer", True)])
def test_a_pair_out_of_reach_is_not_found_and_the_refusal_audited(
    likely_pair: tuple[Person, Person], make_user: Any, api: Any, role: str, posted: bool
) -> None:
    candidate = MatchCandidate.objects.get()
    asking = make_user(role, username=f"p-{role}", posted=posted)
    for url in (f"/api/dedup/candidates/{candidate.pk}", f"/duplicates/{candidate.pk}/"):
        before = AuditEntry.objects.count()

        response = api(asking).get(url)

        assert response.status_code == 404
        assert "Hassan" not in response.content.decode()
        assert _written_since(before) == [
            (AuditEvent.ACCESS_REFUSED, asking, {"kind": "duplicate", "id": str(candidate.pk)})
        ]


def test_the_side_by_side_page_shows_both_records_and_the_breakdown(
    likely_pair: tuple[Person, Person], coordinator: User, api: Any
) -> None:
    candidate = MatchCandidate.objects.get()
    client = api(coordinator)

    content = client.get(f"/duplicates/{candidate.pk}/").content.decode()
    decided = client.post(f"/duplicates/{candidate.pk}/decide", {"ruling": "same"}, follow=True)

    assert "Mohammed" in content
    assert "Muhammad" in content
    assert 'data-testid="contributions"' in content
    # Each weight is isolated left to right: in Arabic a negative one would read "3.32-" otherwise.
    assert content.count('<bdi dir="ltr">') == len(candidate.contributions)
    assert decided.status_code == 200
    assert MatchCandidate.objects.get().status == CandidateStatus.SAME


def test_a_ruling_that_is_neither_choice_is_refused_by_name_and_nothing_is_decided(
    likely_pair: tuple[Person, Person], coordinator: User, api: Any
) -> None:
    candidate = MatchCandidate.objects.get()
    client = api(coordinator)
    client.cookies["django_language"] = "fr"

    refused = client.post(f"/duplicates/{candidate.pk}/decide", {"ruling": "maybe"}, follow=True)

    assert refused.status_code == 200
    assert "ruling\xa0: choisissez «\xa0Même personne\xa0» ou «\xa0Personnes distinctes\xa0»" in (
        refused.content.decode()
    )
    assert MatchCandidate.objects.get().status == CandidateStatus.OPEN
    assert not Adjudication.objects.exists()


def test_the_command_line_checks_what_waits_and_sweeps_everyone_again(
    register: Callable[..., Person], capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from hbm.cli import main

    register("Mohammed", "Al-Hassan")
    register("Muhammad", "Alhassan")

    assert main(["dedup", "work", "--once"]) == 0
    assert json.loads(capsys.readouterr().out) == {"checked": 2, "candidates": 1, "tracing_matches": 0}
    assert main(["dedup", "sweep", "--now"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert out == [{"marked_for_recheck": 2}, {"checked": 2}]
    assert MatchCandidate.objects.count() == 1


def test_a_registration_synced_from_the_field_app_is_checked_too(
    likely_pair: tuple[Person, Person], officer: User, crossing_point: Any
) -> None:
    from tests.field.conftest import enrol, person_record

    device = enrol(officer, "tablet")
    record = person_record(crossing_point, given_names_latin="Mohamed", surname_latin="El Hassan")
    record["payload"].pop("estimated_age")
    record["payload"]["date_of_birth"] = "1990-03-14"
    record["payload"].update(sex="M", nationality="SYR")
    device.sync([record])

    dedup_pending_process()

    synced = Person.objects.get(pk=record["id"])
    assert synced.dedup_checked_at is not None
    pairs = MatchCandidate.objects.filter(person_low=synced) | MatchCandidate.objects.filter(
        person_high=synced
    )
    assert pairs.count() == 2


@pytest.mark.django_db
def test_a_model_stored_for_older_comparison_levels_gives_way_to_the_defaults() -> None:
    """After an upgrade that changed the levels, the worker keeps checking (on the configured
    weights) instead of failing on every person until someone re-estimates."""
    from hbm.dedup.models import MatchModelVersion
    from hbm.dedup.records import match_model
    from hbm.engines.matching import MatchModel

    old = MatchModel.default().to_dict() | {"version": 2}
    MatchModelVersion.objects.create(parameters=old, records=10, note="before the upgrade")
    assert match_model() == MatchModel.default()


def test_the_background_check_weighs_a_common_surname_less_once_term_shares_are_stored(
    register: Callable[..., Person],
) -> None:
    """With an estimate, the server's checks adjust for how common each name was in the population
    (as the sweep and the benchmarks do): HADDAD borne by one in fifty says less."""
    from hbm.dedup.models import MatchModelVersion
    from hbm.engines.matching import MatchModel, MatchRecord, TermShares

    def surname_bits() -> float:
        candidate = MatchCandidate.objects.get()
        return next(float(c["weight"]) for c in candidate.contributions if c["field"] == "surname")

    # Born the same year, one date stated, one estimated: a pair for a person to decide (a pair
    # decided, even by the engine, is never scored again).
    register("Mohammed", "Haddad", date_of_birth=None, birth_year=1990)
    register("Muhammad", "Haddad", date_of_birth=date(1990, 6, 2))
    dedup_pending_process()
    assert MatchCandidate.objects.get().status == CandidateStatus.OPEN
    plain = surname_bits()

    common = [MatchRecord(i, f"Given{i}", "Haddad" if i % 50 == 0 else f"Family{i}") for i in range(1000)]
    parameters = MatchModel.default().to_dict() | {"terms": TermShares.of(common).to_dict()}
    MatchModelVersion.objects.create(parameters=parameters, records=1000, note="one in fifty are Haddad")
    population_recheck()
    dedup_pending_process()

    assert surname_bits() < plain - 0.9


def test_after_the_blocking_keys_changed_everyone_is_checked_again_and_stores_the_new_keys(
    register: Callable[..., Person],
) -> None:
    """Decision 0011: the data migration marks every checked person unchecked (twice is harmless);
    the next checks store the new rules' keys."""
    import importlib

    from django.apps import apps

    from hbm.dedup.models import BlockingKey

    migration = importlib.import_module("hbm.dedup.migrations.0002_recheck_for_new_blocking_keys")
    person = register("Larysa", "Kharchenko", sex="F", nationality="UKR", date_of_birth=date(1985, 6, 1))
    dedup_pending_process()
    BlockingKey.objects.filter(person=person).delete()
    BlockingKey.objects.create(person=person, key="D:1985-06-01:K")  # as the old rules stored it

    migration.recheck_everyone(apps, None)
    migration.recheck_everyone(apps, None)

    assert Person.objects.filter(dedup_checked_at__isnull=False).count() == 0
    dedup_pending_process()
    keys = set(BlockingKey.objects.filter(person=person).values_list("key", flat=True))
    assert {key[:2] for key in keys} == {"N:", "S:", "G:", "D:"}
    assert len(keys) == 5  # the exact date with either name's initial


def test_every_field_and_level_of_the_engine_has_a_label_in_every_language() -> None:
    from django.utils import translation

    from hbm.dedup.labels import FIELD_LABELS, LEVEL_LABELS
    from hbm.engines.matching import FIELDS

    for spec in FIELDS:
        assert spec.name in FIELD_LABELS
        assert set(spec.levels) == set(LEVEL_LABELS[spec.name])
    labels = [label for group in (FIELD_LABELS, *LEVEL_LABELS.values()) for label in group.values()]
    with translation.override("en"):
        english = [str(label) for label in labels]
    for language in ("fr", "ar"):
        with translation.override(language):
            same_as_english = [
                str(label) for label, text in zip(labels, english, strict=True) if str(label) == text
            ]
        assert same_as_english == [], language


def test_a_link_the_checks_made_and_a_person_undid_is_not_made_again_by_a_re_check(
    register: Callable[..., Person], coordinator: User
) -> None:
    """Two adults' records linked by the checks alone; a coordinator undoes it. A sweep checks them
    again and finds the same evidence: the pair waits for a person, not for the machine's link."""
    pair = registered_twice(register, "Andrii", date(1984, 2, 29))
    assert (pair.verdict, pair.status) == (Verdict.SAME, CandidateStatus.SAME)
    adjudication_undo(
        actor=Actor(user=coordinator, device="test"), adjudication_id=pair.adjudications.get().pk
    )

    population_recheck()
    dedup_pending_process()

    pair.refresh_from_db()
    assert (pair.verdict, pair.status) == (Verdict.SAME, CandidateStatus.OPEN)
    assert pair.adjudications.count() == 1
