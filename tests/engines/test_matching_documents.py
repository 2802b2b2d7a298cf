"""Identity documents as matching evidence (decision 0026): the ``document`` field, its blocking
key, its cap, the stored model's version, and documents in the synthetic population."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from hbm.engines.matching import (
    FIELDS,
    BirthAccuracy,
    CandidatePairs,
    Featuriser,
    IdDocument,
    MatchModel,
    MatchRecord,
    blocking_keys,
    compare,
    document_number_form,
)
from hbm.engines.matching._model import DOCUMENT_CLOSE_MAX_BITS, DOCUMENT_MAX_BITS
from hbm.engines.synthetic import DOCUMENTS_HELD, population

DOCUMENT = [spec.name for spec in FIELDS].index("document")


def _olena(
    record_id: int, *documents: IdDocument, born: date = date(1990, 3, 4), sex: str = "F"
) -> MatchRecord:
    return MatchRecord(
        id=record_id,
        given="Olena",
        surname="Kovalenko",
        sex=sex,
        birth_date=born,
        nationality="UKR",
        documents=documents,
    )


def _document(a: MatchRecord, b: MatchRecord) -> tuple[str, float]:
    found = MatchModel.default().score(a, b).contributions[DOCUMENT]
    return found.level, found.weight


PASSPORT = IdDocument("passport", "UKR", "FE123456")


@pytest.mark.parametrize(
    ("written", "form"),
    [
        ("fe 123-456", "FE123456"),
        ("FE123456", "FE123456"),
        ("１２３４５６７", "1234567"),  # full-width digits
        ("١٢٣٤٥٦٧٨", "12345678"),  # Arabic-Indic digits, as typed on an Arabic keyboard
        ("12-3", ""),  # too short to tell people apart
        ("", ""),
    ],
)
def test_a_number_is_compared_in_one_form(written: str, form: str) -> None:
    assert document_number_form(written) == form


def test_one_number_on_both_records_is_strong_evidence_capped() -> None:
    level, bits = _document(_olena(1, PASSPORT), _olena(2, IdDocument("passport", "UKR", "fe 123 456")))
    assert level == "same"
    assert 8 < bits <= DOCUMENT_MAX_BITS


def test_the_state_unknown_on_one_side_still_lets_one_number_agree() -> None:
    assert _document(_olena(1, PASSPORT), _olena(2, IdDocument("passport", "", "FE123456")))[0] == "same"


def test_a_slip_in_the_number_is_close_and_weighs_less() -> None:
    level, bits = _document(_olena(1, PASSPORT), _olena(2, IdDocument("passport", "UKR", "FE123465")))
    assert level == "close"
    assert 0 < bits <= DOCUMENT_CLOSE_MAX_BITS


def test_another_number_of_one_states_passport_is_evidence_of_two_people() -> None:
    level, bits = _document(_olena(1, PASSPORT), _olena(2, IdDocument("passport", "UKR", "FE999111")))
    assert level == "different"
    assert bits < -3


def test_documents_of_another_kind_or_state_say_nothing() -> None:
    card = IdDocument("identity_card", "UKR", "987654321")
    assert _document(_olena(1, PASSPORT), _olena(2, card)) == ("null", 0.0)
    polish = IdDocument("passport", "POL", "EA7654321")
    assert _document(_olena(1, PASSPORT), _olena(2, polish)) == ("null", 0.0)
    assert _document(_olena(1, PASSPORT), _olena(2)) == ("null", 0.0)


def test_any_of_two_documents_may_agree() -> None:
    card = IdDocument("identity_card", "UKR", "987654321")
    renewed = IdDocument("passport", "UKR", "GH555000")
    assert _document(_olena(1, PASSPORT, card), _olena(2, renewed, card))[0] == "same"


def test_a_child_in_a_parents_passport_shares_its_number_and_weighs_nothing() -> None:
    mother, child = _olena(1, PASSPORT), _olena(2, PASSPORT, born=date(2016, 5, 1))
    assert _document(mother, child) == ("shared", 0.0)
    son = _olena(3, PASSPORT, sex="M")
    assert _document(mother, son) == ("shared", 0.0)


def test_one_number_does_not_link_records_whose_names_and_dates_disagree() -> None:
    other = MatchRecord(
        id=2,
        given="Iryna",
        surname="Bondar",
        sex="F",
        birth_date=date(1990, 1, 1),
        birth_accuracy=BirthAccuracy.YEAR,
        nationality="UKR",
        documents=(PASSPORT,),
    )
    assert MatchModel.default().score(_olena(1, PASSPORT), other).probability < 0.5


def test_the_same_document_meets_whatever_became_of_the_names() -> None:
    typed = IdDocument("passport", "UKR", "FE 123 456")
    a = _olena(1, PASSPORT)
    b = replace(_olena(2, typed), given="Helen", surname="Kowalenko", birth_date=None)
    assert set(blocking_keys(a)) & set(blocking_keys(b))
    assert not any("123456" in key for key in blocking_keys(a))  # a digest, not the number


def test_a_stored_model_of_version_4_reads_with_the_documents_configured_weights() -> None:
    model = MatchModel.default()
    stored = model.to_dict()
    assert stored["version"] == 5
    older = {**stored, "version": 4, "fields": {k: v for k, v in stored["fields"].items() if k != "document"}}
    assert MatchModel.from_dict(older) == model
    with pytest.raises(ValueError, match="lacks"):
        MatchModel.from_dict({**stored, "fields": older["fields"]})


def test_documents_are_held_at_the_stated_shares_and_change_nothing_else() -> None:
    with_documents, without = population(20_000, seed=3), population(20_000, seed=3, documents=0)
    assert all(not r.documents for r in without.records)
    assert [replace(r, documents=()) for r in with_documents.records] == list(without.records)
    assert np.array_equal(with_documents.person_ids, without.person_ids)
    adults = [r for r in with_documents.records if r.birth_date and r.birth_date.year <= 2000]
    for code in ("UKR", "SYR", "IND"):
        mine = [r for r in adults if r.nationality == code]
        held, _ = DOCUMENTS_HELD[code]
        # Shown at each registration with DOCUMENT_SHOWN (0.85) of the time.
        assert sum(bool(r.documents) for r in mine) / len(mine) == pytest.approx(held * 0.85, abs=0.05)


def test_the_population_has_every_document_level_and_true_pairs_mostly_agree() -> None:
    people = population(20_000, seed=5)
    featuriser = Featuriser()
    table, keys = featuriser.table(people.records)
    left, right = (np.concatenate(side) for side in zip(*CandidatePairs(keys).chunks(), strict=True))
    levels = compare(featuriser, table, left, right)[:, DOCUMENT]
    assert set(np.unique(levels).tolist()) == set(range(len(FIELDS[DOCUMENT].levels)))
    one_person = people.person_ids[left] == people.person_ids[right]
    compared = levels < FIELDS[DOCUMENT].null
    true_levels = np.bincount(levels[one_person & compared], minlength=5)
    assert true_levels[0] / true_levels.sum() > 0.85  # the same number, shown again


def test_documents_must_keep_every_share_a_probability() -> None:
    with pytest.raises(ValueError, match="documents"):
        population(10, documents=-0.1)
    with pytest.raises(ValueError, match="documents"):
        population(10, documents=2.0)
