"""``hbm dedup estimate``: EM on the population, checked against the pairs people decided."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest

from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.core.context import Actor
from hbm.dedup.enums import CandidateStatus, Ruling, Verdict
from hbm.dedup.models import Adjudication, MatchCandidate, MatchModelVersion
from hbm.dedup.records import LABELS_NEEDED, adjudicated_pairs, match_model, match_scoring
from hbm.engines.matching import FIELDS, MatchModel
from hbm.registration.models import Person

pytestmark = pytest.mark.django_db

GIVEN = ("Olena", "Iryna", "Oksana", "Tetiana", "Nataliia", "Svitlana", "Mariia", "Yuliia", "Halyna", "Anna")
SURNAMES = ("Melnyk", "Bondar", "Tkachuk", "Kravets", "Moroz", "Savchuk", "Lytvyn", "Rudenko")


def _decided(actor: Actor, a: Person, b: Person, ruling: Ruling, *, by_person: bool = True) -> None:
    low, high = sorted((a, b), key=lambda person: person.pk)
    candidate = MatchCandidate.objects.create(
        person_low=low,
        person_high=high,
        verdict=Verdict.ADJUDICATE,
        biographic_weight=0.0,
        biographic_probability=0.5,
        status=CandidateStatus(ruling.value),
    )
    decider = actor.user if by_person else None
    Adjudication.objects.create(candidate=candidate, ruling=ruling, decided_by=decider)


@pytest.fixture
def registered_twice(register: Callable[..., Person], actor: Actor) -> list[tuple[Person, Person]]:
    """LABELS_NEEDED women each registered twice (the second time with a slip in the given name),
    every pair decided *same person* by an officer; and forty others registered once."""
    pairs = []
    for i in range(LABELS_NEEDED):
        given, surname = GIVEN[i % len(GIVEN)], SURNAMES[i % len(SURNAMES)]
        born = date(1970 + i, 1 + i % 12, 1 + i)
        first = register(given, surname, sex="F", nationality="UKR", date_of_birth=born)
        again = register(given + "a", surname, sex="F", nationality="UKR", date_of_birth=born)
        _decided(actor, first, again, Ruling.SAME)
        pairs.append((first, again))
    for i in range(40):
        born = date(1960 + i, 6, 15)
        register(GIVEN[i % 7], SURNAMES[i % 5], sex="F", nationality="UKR", date_of_birth=born)
    return pairs


def _evidence_free() -> MatchModel:
    """Weights that say nothing: m equal to u in every field, so every pair is at the prior."""
    default = MatchModel.default()
    return MatchModel(m=default.u, u=default.u, prior=default.prior)


def test_only_undone_free_decisions_by_people_grade_the_weights(
    register: Callable[..., Person], actor: Actor
) -> None:
    a, b, c, d = (register("Olena", "Melnyk", sex="F", date_of_birth=date(1980, 1, i)) for i in (1, 2, 3, 4))
    _decided(actor, a, b, Ruling.DISTINCT)
    _decided(actor, c, d, Ruling.SAME, by_person=False)  # the engines' own decision
    undone = MatchCandidate.objects.create(
        person_low=min(a, c, key=lambda p: p.pk),
        person_high=max(a, c, key=lambda p: p.pk),
        verdict=Verdict.ADJUDICATE,
        biographic_weight=0.0,
        biographic_probability=0.5,
    )
    Adjudication.objects.create(
        candidate=undone, ruling=Ruling.SAME, decided_by=actor.user, undone_at=undone.created_at
    )

    pairs = adjudicated_pairs()
    assert [(sorted((x.id, y.id)), same) for x, y, same in pairs] == [(sorted((str(a.pk), str(b.pk))), False)]


def test_an_estimate_that_contradicts_the_adjudicators_is_not_stored(
    registered_twice: list[tuple[Person, Person]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """EM always finds a "same person" class; here it found one that explains nothing (the
    estimate is replaced, the guard is what is tested): the configured weights call all
    LABELS_NEEDED pairs as the officers did, the estimate none, so it is refused."""
    from hbm.cli import main

    monkeypatch.setattr(MatchModel, "estimate", classmethod(lambda cls, records, rng: _evidence_free()))

    assert main(["dedup", "estimate"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out == {"stored": False, "labelled": LABELS_NEEDED, "agreed": 0, "agreed_in_use": LABELS_NEEDED}
    assert not MatchModelVersion.objects.exists()
    assert match_model() == MatchModel.default()

    assert main(["dedup", "estimate", "--force"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["stored"] is True
    assert out["agreed"] == 0
    assert match_model() == _evidence_free()
    entry = AuditEntry.objects.filter(event=AuditEvent.MATCH_MODEL_ESTIMATED).get()
    assert entry.detail["forced"] is True
    assert entry.detail["labelled"] == LABELS_NEEDED


def test_a_real_estimate_that_agrees_is_stored_with_its_agreement(
    registered_twice: list[tuple[Person, Person]], capsys: pytest.CaptureFixture[str]
) -> None:
    from hbm.cli import main

    assert main(["dedup", "estimate"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["stored"] is True
    assert out["records"] == Person.objects.count() == 2 * LABELS_NEEDED + 40
    assert out["labelled"] == LABELS_NEEDED
    assert out["agreed"] == out["agreed_in_use"] == LABELS_NEEDED
    version = MatchModelVersion.objects.get()
    assert f"agrees with {out['agreed']} of {LABELS_NEEDED}" in version.note
    stored = match_model()
    assert len(stored.m) == len(FIELDS)


def test_too_few_decisions_cannot_overrule_an_estimate(
    register: Callable[..., Person], actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hbm.dedup.records import match_model_estimate

    a = register("Olena", "Melnyk", sex="F", date_of_birth=date(1980, 1, 1))
    b = register("Olenaa", "Melnyk", sex="F", date_of_birth=date(1980, 1, 1))
    _decided(actor, a, b, Ruling.SAME)
    monkeypatch.setattr(MatchModel, "estimate", classmethod(lambda cls, records, rng: _evidence_free()))

    version, agreement = match_model_estimate()
    assert (agreement.labelled, agreement.estimated, agreement.in_use) == (1, 0, 1)
    assert not agreement.worse
    assert {
        k: v for k, v in version.parameters.items() if k not in ("terms", "terms_population")
    } == _evidence_free().to_dict()
    # Stored with the estimate: how common each value was in the population it was made from.
    assert version.parameters["terms"]["counts"][0] == {"MELNYK": 2, "OLENA": 2}
    assert match_scoring().terms is not None


def test_term_shares_are_counted_again_with_the_weights_in_use_kept(
    register: Callable[..., Person], capsys: pytest.CaptureFixture[str]
) -> None:
    """No duplicates are needed to know how common a name is: ``hbm dedup terms`` stores the counts
    with the weights in use (the configured ones here), audited, and the checks use them."""
    from hbm.cli import main

    for index in range(12):
        register(GIVEN[index % len(GIVEN)], "Melnyk" if index % 3 else "Bondar")
    assert match_scoring().terms is None

    assert main(["dedup", "terms"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["stored"] is True
    assert out["records"] == 12
    version = MatchModelVersion.objects.get()
    assert {
        k: v for k, v in version.parameters.items() if k not in ("terms", "terms_population")
    } == MatchModel.default().to_dict()
    scoring = match_scoring()
    assert scoring.model == MatchModel.default()
    assert scoring.terms is not None
    assert scoring.terms.counts[0]["MELNYK"] == 8
    entry = AuditEntry.objects.filter(event=AuditEvent.MATCH_TERMS_COUNTED).get()
    assert entry.detail == {"records": 12, "default_weights": True}


def test_the_worker_counts_term_shares_itself_from_the_first_registrations_and_as_they_double(
    register: Callable[..., Person], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nobody needs to remember ``hbm dedup terms``: the background worker counts them once enough
    people are registered, and again each time the population has doubled."""
    from hbm.dedup import records
    from hbm.dedup.records import match_terms_maintain

    monkeypatch.setattr(records, "TERMS_FIRST_AT", 4)
    for index in range(3):
        register(GIVEN[index], "Melnyk")
    assert match_terms_maintain() is None  # three registered: too few to say what is common
    register(GIVEN[3], "Melnyk")
    first = match_terms_maintain()
    assert first is not None
    assert first.parameters["terms_population"] == 4
    assert match_terms_maintain() is None
    for index in range(3):
        register(GIVEN[4 + index], "Bondar")
    assert match_terms_maintain() is None  # seven: not yet doubled
    register(GIVEN[7], "Bondar")
    again = match_terms_maintain()
    assert again is not None
    assert again.parameters["terms"]["counts"][0]["BONDAR"] == 4
    assert AuditEntry.objects.filter(event=AuditEvent.MATCH_TERMS_COUNTED).count() == 2
