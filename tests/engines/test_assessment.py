"""The HBM assessment: scores and priorities on a hand-computed questionnaire, the shipped
questionnaire in three languages, and answers that are refused or reported as not answered."""

from __future__ import annotations

from typing import Any

import pytest

from hbm.engines.assessment import (
    LANGUAGES,
    AnswerError,
    Priority,
    Questionnaire,
    Text,
    assess,
    default_questionnaire,
    load_questionnaire,
)


def text(word: str) -> str:
    return f"{{en: {word}, fr: {word}-fr, ar: {word}-ar}}"


def levels(indent: str = "          ") -> str:
    return "".join(f"\n{indent}{level}: {text(f'level{level}')}" for level in range(4))


def question(question_id: str, weight: float, criticality: str, target: int | None = None) -> str:
    target_line = f"\n        target: {target}" if target is not None else ""
    return f"""
      - id: {question_id}
        text: {text(question_id)}
        weight: {weight}
        criticality: {criticality}{target_line}
        levels:{levels()}
        recommendation: {text("fix-" + question_id)}"""


# A small questionnaire to compute by hand: pillar `law` (weight 3) with q1 (weight 2, critical ×3)
# and q2 (weight 1, normal ×1); pillar `kit` (weight 1) with q3 (weight 1, high ×2, target 2) and q4.
SMALL = f"""\
format: hbm-assessment/1
id: small
version: 1
title: {text("Small")}
sources:
  a: Source A
scale:
  max_level: 3
  names:{levels("    ")}
criticality:
  critical: 3
  high: 2
  normal: 1
priority:
  high: 4
  medium: 2
pillars:
  - id: law
    label: {text("Law")}
    weight: 3
    sources: [a]
    questions:{question("q1", 2, "critical")}{question("q2", 1, "normal")}
  - id: kit
    label: {text("Kit")}
    weight: 1
    sources: [a]
    questions:{question("q3", 1, "high", target=2)}{question("q4", 1, "normal")}
"""


@pytest.fixture(scope="module")
def small() -> Questionnaire:
    return load_questionnaire(SMALL, source="small.yaml")


# --- scores and priorities, by hand -------------------------------------------------------------


def test_pillar_and_overall_scores_match_the_hand_computation(small: Questionnaire) -> None:
    # given q1 at level 1, q2 at 1, q3 at 0 and q4 not answered
    result = assess(small, {"q1": 1, "q2": 1, "q3": 0, "q4": None})

    law, kit = result.pillars
    # law: 100 × (2×1 + 1×1) / (2×3 + 1×3) = 33.3…
    assert law.score == pytest.approx(100 * 3 / 9)
    # kit: only q3 is answered: 100 × 0 / 3
    assert kit.score == 0.0
    assert (kit.answered, kit.applicable, kit.not_answered) == (1, 2, ("q4",))
    # overall: (3 × 33.3… + 1 × 0) / (3 + 1) = 25
    assert result.overall == pytest.approx(25.0)


def test_gaps_are_ordered_by_gap_times_pillar_weight_times_criticality(small: Questionnaire) -> None:
    result = assess(small, {"q1": 1, "q2": 1, "q3": 0, "q4": None})

    found = [
        (gap.question.id, gap.level, gap.target, gap.priority_score, gap.priority) for gap in result.gaps
    ]
    assert found == [
        # (3 − 1)/3 × pillar 3 × critical 3 = 6: high (≥ 4)
        ("q1", 1, 3, pytest.approx(6.0), Priority.HIGH),
        # (3 − 1)/3 × 3 × normal 1 = 2: medium (≥ 2)
        ("q2", 1, 3, pytest.approx(2.0), Priority.MEDIUM),
        # (2 − 0)/3 × 1 × high 2 = 1.33: low
        ("q3", 0, 2, pytest.approx(4 / 3), Priority.LOW),
    ]
    assert result.gaps[0].levels_short == 2
    assert result.gaps[0].recommendation.en == "fix-q1"
    assert result.gaps[0].pillar.id == "law"


def test_a_level_at_its_target_is_no_gap_even_below_the_top_of_the_scale(small: Questionnaire) -> None:
    # q3's target is 2: level 2 closes it, though the scale goes to 3
    result = assess(small, {"q1": 3, "q2": 3, "q3": 2, "q4": 3})

    assert result.gaps == ()
    assert result.pillars[1].score == pytest.approx(100 * 5 / 6)


def test_equal_priority_scores_keep_the_questionnaire_order(small: Questionnaire) -> None:
    # q2 at 0 scores 3 × 1 × 1 = 3; q1 at 2 scores 1/3 × 3 × 3 = 3 as well: q1 comes first
    result = assess(small, {"q1": 2, "q2": 0})

    assert [gap.question.id for gap in result.gaps] == ["q1", "q2"]


def test_a_missing_answer_is_reported_not_scored_as_zero(small: Questionnaire) -> None:
    # given only q1, answered at the top level
    result = assess(small, {"q1": 3})

    # then `law` is 100 on what was answered, `kit` has no score, and the rest is listed
    assert [score.score for score in result.pillars] == [100.0, None]
    assert result.overall == 100.0
    assert result.not_answered == ("q2", "q3", "q4")
    assert not result.complete
    assert result.gaps == ()


def test_nothing_answered_gives_no_scores_at_all(small: Questionnaire) -> None:
    result = assess(small, {})

    assert result.overall is None
    assert result.chart() == [("law", "Law", None), ("kit", "Kit", None)]
    assert result.not_answered == ("q1", "q2", "q3", "q4")


def test_not_applicable_questions_are_neither_scored_nor_missing(small: Questionnaire) -> None:
    result = assess(small, {"q1": 3, "q2": 3, "q3": 0}, not_applicable=["q4"])

    assert result.not_applicable == ("q4",)
    assert result.not_answered == ()
    assert result.complete
    assert result.pillars[1].applicable == 1
    assert result.pillars[1].score == 0.0


def test_chart_data_lists_pillar_id_label_and_score_in_the_asked_language(small: Questionnaire) -> None:
    result = assess(small, {"q1": 1, "q2": 1, "q3": 0})

    assert result.chart("fr") == [("law", "Law-fr", pytest.approx(100 / 3)), ("kit", "Kit-fr", 0.0)]
    assert result.chart("ar")[0][1] == "Law-ar"
    with pytest.raises(ValueError, match="language"):
        result.chart("de")


# --- answers that are refused -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "field", "reason"),
    [
        ({"q9": 1}, "q9", "unknown question"),
        ({"q1": 4}, "q1", "must be a level from 0 to 3, not 4"),
        ({"q1": -1}, "q1", "must be a level from 0 to 3, not -1"),
        ({"q1": 1.5}, "q1", "must be a whole level from 0 to 3, not 1.5"),
        ({"q1": True}, "q1", "must be a whole level from 0 to 3, not True"),
        ({"q1": "2"}, "q1", "must be a whole level from 0 to 3, not '2'"),
    ],
)
def test_an_answer_outside_the_scale_or_an_unknown_question_is_refused(
    small: Questionnaire, answers: dict[str, Any], field: str, reason: str
) -> None:
    with pytest.raises(AnswerError) as refused:
        assess(small, answers)

    assert dict(refused.value.fields) == {field: reason}


def test_every_bad_answer_is_named_at_once(small: Questionnaire) -> None:
    with pytest.raises(AnswerError) as refused:
        assess(small, {"q1": 7, "q2": 1, "zz": 0, "q3": 2}, not_applicable=["q3", "nope"])

    assert dict(refused.value.fields) == {
        "nope": "unknown question (marked not applicable)",
        "q1": "must be a level from 0 to 3, not 7",
        "q3": "answered and marked not applicable: give one or the other",
        "zz": "unknown question",
    }


# --- the shipped questionnaire ------------------------------------------------------------------


def test_the_shipped_questionnaire_covers_the_hbm_pillars() -> None:
    questionnaire = default_questionnaire()

    assert [pillar.id for pillar in questionnaire.pillars] == [
        "policy_law",
        "procedures",
        "training",
        "equipment",
        "information_systems",
        "referral",
        "officer_pool",
        "coordination",
        "health",
        "reception",
        "coverage",
    ]
    info = {question.id for question in questionnaire.pillar("information_systems").questions}
    assert {"mobile_registration", "biometrics_without_documents"} <= info
    coverage = {question.id for question in questionnaire.pillar("coverage").questions}
    assert coverage == {"land_coverage", "sea_coverage", "air_coverage"}


def test_every_shipped_text_is_in_english_french_and_arabic() -> None:
    questionnaire = default_questionnaire()

    texts: list[Text] = [questionnaire.title, *questionnaire.level_names]
    for pillar in questionnaire.pillars:
        texts.append(pillar.label)
        for question in pillar.questions:
            assert len(question.levels) == questionnaire.max_level + 1 == 4
            texts.extend([question.text, question.recommendation, *question.levels])
    for found in texts:
        values = [found.get(language) for language in LANGUAGES]
        assert all(values), found
        assert len(set(values)) == 3 or values[0] in {"Coordination", "Initial"}, found
        # the Arabic text is in Arabic script
        assert any("\u0600" <= char <= "\u06ff" for char in found.ar), found


def test_every_shipped_pillar_names_its_sources() -> None:
    questionnaire = default_questionnaire()

    for pillar in questionnaire.pillars:
        assert pillar.sources, pillar.id
    assert any(
        "IOM" in source and "Humanitarian Border Management" in source
        for source in questionnaire.sources.values()
    )
    assert any("10-Point Plan" in source for source in questionnaire.sources.values())


def test_the_shipped_questionnaire_at_the_top_has_no_gaps_and_at_zero_lists_all() -> None:
    questionnaire = default_questionnaire()
    everything = [question.id for question in questionnaire.questions]

    best = assess(questionnaire, dict.fromkeys(everything, 3))
    assert best.overall == 100.0
    assert best.gaps == ()

    worst = assess(questionnaire, dict.fromkeys(everything, 0))
    assert worst.overall == 0.0
    assert len(worst.gaps) == len(everything)
    # a critical question in a pillar of weight 3 at level 0: 3/3 × 3 × 3 = 9, the highest
    top = worst.gaps[0]
    assert top.priority_score == 9.0
    assert top.question.criticality == "critical"
    assert top.pillar.weight == 3
    assert top.priority is Priority.HIGH
    assert [gap.priority_score for gap in worst.gaps] == sorted(
        (gap.priority_score for gap in worst.gaps), reverse=True
    )


def test_a_landlocked_country_marks_sea_coverage_not_applicable() -> None:
    questionnaire = default_questionnaire()
    answers = {question.id: 2 for question in questionnaire.questions if question.id != "sea_coverage"}

    result = assess(questionnaire, answers, not_applicable={"sea_coverage"})

    coverage = next(score for score in result.pillars if score.pillar.id == "coverage")
    assert (coverage.applicable, coverage.answered) == (2, 2)
    assert "sea_coverage" not in {gap.question.id for gap in result.gaps}
    assert result.overall == pytest.approx(100 * 2 / 3)
