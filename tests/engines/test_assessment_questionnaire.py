"""The assessment questionnaire as data: a file that does not validate is refused with every
problem named by key and line."""

from __future__ import annotations

import pytest

from hbm.engines.assessment import Problem, QuestionnaireError, load_questionnaire
from tests.engines.test_assessment import SMALL


def refused(text: str) -> tuple[Problem, ...]:
    with pytest.raises(QuestionnaireError) as error:
        load_questionnaire(text, source="bad.yaml")
    assert error.value.source == "bad.yaml"
    return error.value.problems


def line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    """The 1-based line of the ``occurrence``-th line containing ``fragment``."""
    found = [number for number, line in enumerate(text.splitlines(), start=1) if fragment in line]
    return found[occurrence - 1]


def test_the_small_questionnaire_is_valid() -> None:
    questionnaire = load_questionnaire(SMALL)

    assert [question.id for question in questionnaire.questions] == ["q1", "q2", "q3", "q4"]
    assert questionnaire.question("q3").target == 2
    assert questionnaire.question("q1").target == 3  # the top of the scale by default
    assert questionnaire.sources == {"a": "Source A"}
    with pytest.raises(KeyError):
        questionnaire.question("q5")


@pytest.mark.parametrize(
    ("old", "new", "fragment", "path", "reason"),
    [
        # a text without its French
        (
            "text: {en: q2, fr: q2-fr, ar: q2-ar}",
            "text: {en: q2, ar: q2-ar}",
            "text: {en: q2,",
            "pillars[0].questions[1].text",
            "the key 'fr' is missing",
        ),
        # an unknown key
        (
            "weight: 1\n        criticality: normal",
            "weight: 1\n        colour: red\n        criticality: normal",
            "colour",
            "pillars[0].questions[1].colour",
            "unknown key 'colour'",
        ),
        # a negative weight
        (
            "    weight: 3\n",
            "    weight: -3\n",
            "weight: -3",
            "pillars[0].weight",
            "must not be negative, not -3",
        ),
        # a criticality class the questionnaire does not define
        (
            "criticality: high",
            "criticality: urgent",
            "criticality: urgent",
            "pillars[1].questions[0].criticality",
            "'urgent' is not one of critical, high, normal",
        ),
        # a target above the scale
        (
            "target: 2",
            "target: 5",
            "target: 5",
            "pillars[1].questions[0].target",
            "must be at most the scale's 3",
        ),
        # a source the questionnaire does not list
        (
            "    sources: [a]\n    questions:",
            "    sources: [b]\n    questions:",
            "sources: [b]",
            "pillars[0].sources[0]",
            "unknown source 'b' (known: a)",
        ),
        # bands the wrong way round
        ("  medium: 2", "  medium: 5", "medium: 5", "priority.medium", "must be below priority.high (4)"),
    ],
)
def test_a_questionnaire_with_a_wrong_value_is_refused_with_its_key_and_line(
    old: str, new: str, fragment: str, path: str, reason: str
) -> None:
    assert old in SMALL
    text = SMALL.replace(old, new, 1) if fragment != "- id: q2" else SMALL.replace(old, new)
    occurrence = 2 if fragment == "- id: q2" else 1

    problems = refused(text)

    assert any(
        p.path == path and reason in p.reason and p.line == line_of(text, fragment, occurrence)
        for p in problems
    ), problems


def test_a_level_missing_from_a_question_is_refused() -> None:
    text = SMALL.replace("          3: {en: level3, fr: level3-fr, ar: level3-ar}\n", "", 1)

    problems = refused(text)

    assert [(p.path, p.reason) for p in problems] == [
        ("pillars[0].questions[0].levels", "the key '3' is missing")
    ]
    assert problems[0].line == line_of(text, "levels:")


def test_a_level_beyond_the_scale_is_refused() -> None:
    text = SMALL.replace(
        "          3: {en: level3, fr: level3-fr, ar: level3-ar}\n",
        "          3: {en: level3, fr: level3-fr, ar: level3-ar}\n          4: {en: x, fr: x, ar: x}\n",
        1,
    )

    problems = refused(text)

    assert [(p.line, p.path) for p in problems] == [
        (line_of(text, "4: {en: x"), "pillars[0].questions[0].levels.4")
    ]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "the file is empty"),
        ("pillars: [\n", "not valid YAML"),
        ("format: hbm-assessment/2\n", "must be 'hbm-assessment/1'"),
    ],
)
def test_a_file_that_is_not_a_questionnaire_is_refused(text: str, reason: str) -> None:
    assert any(reason in p.reason for p in refused(text))


def test_the_message_names_file_line_and_key() -> None:
    text = SMALL.replace("    weight: 3\n", "    weight: -3\n", 1)

    with pytest.raises(QuestionnaireError) as error:
        load_questionnaire(text, source="bad.yaml")

    line = line_of(text, "weight: -3")
    assert str(error.value) == f"bad.yaml:{line}: pillars[0].weight: must not be negative, not -3"
