"""Protection screening: every flag path of the shipped questionnaire, the benefit of the doubt on
age, and answers refused field by field."""

from __future__ import annotations

from datetime import date

import pytest

from hbm.engines.screening import (
    AnswerError,
    Flag,
    Text,
    Urgency,
    asked_questions,
    check_answers,
    first_contact_screening,
    screen,
)

ON = date(2026, 6, 1)
ADULT_MAN = {"age_basis": "document", "birth_date": date(1990, 3, 4), "age_in_doubt": False, "sex": "male"}
ADULT_WOMAN = {**ADULT_MAN, "sex": "female"}
CHILD_GIRL = {"age_basis": "stated", "age_years": 15, "sex": "female"}
OLDER_MAN = {"age_basis": "document", "birth_date": date(1950, 1, 1), "age_in_doubt": False, "sex": "male"}
NONE_OF_WG = {
    f"wg_{d}": "no_difficulty"
    for d in ("seeing", "hearing", "walking", "remembering", "self_care", "communicating")
}


def flags_of(answers: dict[str, object]) -> tuple[Flag, ...]:
    return screen(first_contact_screening(), answers, on=ON).flags


def rules_raised(answers: dict[str, object]) -> set[str]:
    return {rule for flag in flags_of(answers) for rule in flag.rules}


# One set of answers per rule of the shipped questionnaire: each must raise its rule.
PATHS: dict[str, dict[str, object]] = {
    "medical-emergency": {**ADULT_MAN, "medical_danger_signs": True},
    "medical-regular-treatment": {**ADULT_MAN, "health_need": "regular_medicine"},
    "medical-ill-or-injured": {**ADULT_MAN, "health_need": "ill_or_injured"},
    "child-malnutrition": {**CHILD_GIRL, "child_malnutrition_signs": True},
    "mental-health-risk-to-self": {**ADULT_MAN, "distress": "risk_to_self"},
    "mental-health-severe-distress": {**ADULT_MAN, "distress": "severe_distress"},
    "pregnancy-danger-signs": {**ADULT_WOMAN, "pregnant": True, "pregnancy_danger_signs": True},
    "pregnancy-child": {**CHILD_GIRL, "pregnant": True},
    "pregnancy": {**ADULT_WOMAN, "pregnant": True, "pregnancy_danger_signs": False},
    "breastfeeding": {**ADULT_WOMAN, "breastfeeding": True},
    "child-unaccompanied": {**CHILD_GIRL, "child_accompanied_by": "alone"},
    "child-separated": {**CHILD_GIRL, "child_accompanied_by": "other_relative"},
    "child-headed-household": {
        **CHILD_GIRL,
        "child_accompanied_by": "other_children",
        "child_cares_for_children": True,
    },
    "child-spouse": {**CHILD_GIRL, "child_situation": ["married"]},
    "child-parent": {**CHILD_GIRL, "child_situation": ["has_child"]},
    "child-harm": {**CHILD_GIRL, "child_harm_concern": True},
    "child-functioning": {**CHILD_GIRL, "child_functioning": True},
    "family-tracing-child": {**CHILD_GIRL, "family_separated": True},
    "family-tracing": {**ADULT_MAN, "family_separated": True},
    "single-parent": {**ADULT_WOMAN, "sole_adult_caregiver": True, "caregiver_role": "parent"},
    "single-grandparent": {**OLDER_MAN, "sole_adult_caregiver": True, "caregiver_role": "grandparent"},
    "single-caregiver": {**ADULT_WOMAN, "sole_adult_caregiver": True, "caregiver_role": "other_caregiver"},
    "older-with-children": {**OLDER_MAN, "sole_adult_caregiver": True},
    "older-without-help": {**OLDER_MAN, "older_needs_daily_help": True, "older_has_helper": False},
    "older-alone": {**OLDER_MAN, "adult_travelling_with": "alone"},
    "disability-seeing": {**ADULT_MAN, "wg_seeing": "a_lot_of_difficulty"},
    "disability-hearing": {**ADULT_MAN, "wg_hearing": "cannot_do_at_all"},
    "disability-walking": {**ADULT_MAN, "wg_walking": "a_lot_of_difficulty"},
    "disability-walking-severe": {**ADULT_MAN, "wg_walking": "cannot_do_at_all"},
    "disability-communicating": {**ADULT_MAN, "wg_communicating": "a_lot_of_difficulty"},
    "disability-cognition-or-self-care": {**ADULT_MAN, "wg_self_care": "cannot_do_at_all"},
    "asylum": {**ADULT_MAN, "wishes_asylum": True},
    "safety-immediate-danger": {**ADULT_WOMAN, "feels_safe": False, "immediate_danger": True},
    "safety-unsafe": {**ADULT_WOMAN, "feels_safe": False},
    "gbv-forced-marriage": {**ADULT_WOMAN, "feels_safe": False, "safety_worries": ["forced_marriage"]},
    "gbv-honour-violence": {**ADULT_WOMAN, "feels_safe": False, "safety_worries": ["honour_violence"]},
    "gbv-fgm": {**ADULT_WOMAN, "feels_safe": False, "safety_worries": ["girl_at_risk_of_fgm"]},
    "gbv-survival-sex": {**ADULT_MAN, "feels_safe": False, "safety_worries": ["survival_sex"]},
    "sexual-violence-recent": {
        **ADULT_WOMAN,
        "harmed_or_threatened": True,
        "harm_disclosed": ["sexual_violence"],
        "sexual_violence_recent": True,
    },
    "sexual-violence": {**ADULT_WOMAN, "harmed_or_threatened": True, "harm_disclosed": ["sexual_violence"]},
    "violence-at-home": {**ADULT_WOMAN, "harmed_or_threatened": True, "harm_disclosed": ["violence_at_home"]},
    "torture": {**ADULT_MAN, "harmed_or_threatened": True, "harm_disclosed": ["tortured"]},
    "forced-to-harm-others": {
        **ADULT_MAN,
        "harmed_or_threatened": True,
        "harm_disclosed": ["forced_to_harm_others"],
    },
    "witnessed-violence": {
        **ADULT_MAN,
        "harmed_or_threatened": True,
        "harm_disclosed": ["witnessed_violence"],
    },
    "other-violence": {**ADULT_MAN, "harmed_or_threatened": True, "harm_disclosed": ["other_violence"]},
    "trafficking-child": {**CHILD_GIRL, "trafficking_indicators": ["debt"]},
    "trafficking-strong-signs": {
        **ADULT_WOMAN,
        "trafficking_indicators": ["debt", "documents_held_by_other"],
    },
    "trafficking-sign": {**ADULT_WOMAN, "trafficking_indicators": ["unclear_job_or_marriage_offer"]},
}


def test_every_rule_of_the_shipped_questionnaire_has_a_path_here() -> None:
    assert set(PATHS) == {rule.id for rule in first_contact_screening().rules}


@pytest.mark.parametrize("rule_id", sorted(PATHS))
def test_each_rule_is_raised_by_its_answers_with_its_code_and_urgency(rule_id: str) -> None:
    rule = next(rule for rule in first_contact_screening().rules if rule.id == rule_id)
    flags = flags_of(PATHS[rule_id])
    (flag,) = [flag for flag in flags if rule_id in flag.rules]
    assert (flag.code, flag.concern) == (rule.flag, rule.concern)
    assert rule.reason in flag.reasons
    assert flag.urgency.rank <= rule.urgency.rank


def test_an_adult_who_answers_no_to_everything_raises_nothing() -> None:
    answers = {
        **ADULT_MAN, **NONE_OF_WG, "medical_danger_signs": False, "family_separated": False,
        "adult_travelling_with": "family", "sole_adult_caregiver": False, "health_need": "none",
        "distress": "coping", "fears_return": False, "wishes_asylum": False, "feels_safe": True,
        "harmed_or_threatened": False, "trafficking_indicators": [], "anything_else": "  ",
    }  # fmt: skip
    result = screen(first_contact_screening(), answers, on=ON)
    assert result.flags == ()
    assert result.urgency is None
    assert (result.treated_as_child, result.age_in_doubt, result.age_note) == (False, False, None)
    assert (result.questionnaire, result.version) == ("first-contact-protection", 1)


def test_an_unaccompanied_girl_who_wants_her_family_found_gets_exactly_these_flags() -> None:
    result = screen(
        first_contact_screening(),
        {**CHILD_GIRL, "child_accompanied_by": "alone", "family_separated": True, "wishes_asylum": True},
        on=ON,
    )
    assert [(f.code, f.concern, f.urgency, f.rules) for f in result.flags] == [
        ("FU-TR", "family_tracing", Urgency.HIGH, ("family-tracing-child", "family-tracing")),
        ("LP-RR", "asylum", Urgency.HIGH, ("asylum",)),
        ("SC-UC", "uasc", Urgency.HIGH, ("child-unaccompanied",)),
    ]
    assert result.codes == ("FU-TR", "LP-RR", "SC-UC")
    assert (result.treated_as_child, result.age_in_doubt) == (True, False)


def test_flags_are_ordered_most_urgent_first_and_merged_per_code_and_concern() -> None:
    result = screen(
        first_contact_screening(), PATHS["sexual-violence-recent"] | {"medical_danger_signs": True}, on=ON
    )
    assert [(f.code, f.urgency) for f in result.flags] == [
        ("SM-CC", Urgency.LIFE_THREATENING),
        ("SV", Urgency.LIFE_THREATENING),
    ]
    assert result.flags[1].rules == ("sexual-violence-recent", "sexual-violence")
    assert result.urgency is Urgency.LIFE_THREATENING


def test_a_pregnancy_without_complications_raises_a_concern_without_a_unhcr_code() -> None:
    (flag,) = flags_of(PATHS["pregnancy"])
    assert (flag.code, flag.concern, flag.urgency) == (None, "pregnancy", Urgency.MEDIUM)
    assert screen(first_contact_screening(), PATHS["pregnancy"], on=ON).codes == ()


def test_one_sign_of_trafficking_is_medium_several_or_strong_ones_high() -> None:
    (weak,) = flags_of(PATHS["trafficking-sign"])
    (strong,) = flags_of(PATHS["trafficking-strong-signs"])
    (threat,) = flags_of({**ADULT_MAN, "trafficking_indicators": ["threats"]})
    assert (weak.code, weak.urgency) == ("LP-AN", Urgency.MEDIUM)
    assert (strong.code, strong.urgency, strong.rules) == (
        "LP-AN",
        Urgency.HIGH,
        ("trafficking-strong-signs", "trafficking-sign"),
    )
    assert threat.urgency is Urgency.HIGH


def test_a_child_with_an_unrelated_adult_is_unaccompanied_and_a_possible_trafficking_case() -> None:
    flags = flags_of({**CHILD_GIRL, "child_accompanied_by": "unrelated_adult"})
    assert [(f.code, f.concern) for f in flags] == [("CR-LW", "trafficking"), ("SC-UC", "uasc")]


# --- benefit of the doubt -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "child", "in_doubt"),
    [
        ({"age_basis": "estimated", "age_years": 19}, True, True),  # 19 - 3 < 18: may be a child
        ({"age_basis": "estimated", "age_years": 21}, False, False),  # 21 - 3 = 18: adult
        ({"age_basis": "estimated", "age_years": 16}, True, True),  # 16 + 3 >= 18: may be an adult
        ({"age_basis": "estimated", "age_years": 12}, True, False),  # 12 + 3 < 18: a child either way
        ({"age_basis": "unknown"}, True, True),
        ({"age_basis": "stated", "age_years": 17}, True, False),  # says they are a child: believed
        ({"age_basis": "stated", "age_years": 20, "age_in_doubt": False}, False, False),
        ({"age_basis": "stated", "age_years": 20, "age_in_doubt": True}, True, True),
        (
            {"age_basis": "document", "birth_date": date(2008, 6, 2), "age_in_doubt": False},
            True,
            False,
        ),  # 17 on ON
        (
            {"age_basis": "document", "birth_date": date(2008, 6, 1), "age_in_doubt": False},
            False,
            False,
        ),  # 18 today
        ({"age_basis": "document", "birth_date": date(1990, 1, 1), "age_in_doubt": True}, True, True),
    ],
)
def test_a_person_who_may_be_under_18_is_treated_as_a_child_until_assessed(
    age: dict[str, object], child: bool, in_doubt: bool
) -> None:
    result = screen(first_contact_screening(), age, on=ON)
    assert (result.treated_as_child, result.age_in_doubt) == (child, in_doubt)
    assert (result.age_note is not None) is in_doubt
    asked = asked_questions(first_contact_screening(), age, on=ON)
    assert ("child_accompanied_by" in asked) is child
    assert ("wg_seeing" in asked) is not child


def test_an_estimated_19_year_old_travelling_alone_is_an_unaccompanied_child() -> None:
    result = screen(
        first_contact_screening(),
        {"age_basis": "estimated", "age_years": 19, "child_accompanied_by": "alone"},
        on=ON,
    )
    assert result.codes == ("SC-UC",)
    assert result.age_in_doubt
    assert result.age_note is not None
    assert "benefit of the doubt" in result.age_note.get("en")
    assert "bénéfice du doute" in result.age_note.get("fr")


def test_an_older_person_is_60_or_over_and_not_a_child() -> None:
    older = screen(first_contact_screening(), PATHS["older-alone"], on=ON)
    assert older.codes == ("ER",)
    younger = {**ADULT_MAN, "adult_travelling_with": "alone"}
    assert screen(first_contact_screening(), younger, on=ON).flags == ()


# --- answers refused field by field ---------------------------------------------------------------


def test_answers_that_do_not_fit_are_refused_each_with_its_field() -> None:
    answers = {
        "sex": "male",
        "age_basis": "stated",
        "age_years": 30.5,
        "age_in_doubt": "no",
        "pregnant": True,  # not asked of a man
        "health_need": "hungry",
        "trafficking_indicators": ["debt", "debt"],
        "harmed_or_threatened": True,
        "harm_disclosed": "tortured",
        "anything_else": "x" * 501,
        "favourite_colour": "blue",
    }
    with pytest.raises(AnswerError) as caught:
        check_answers(first_contact_screening(), answers, on=ON)
    assert dict(caught.value.fields) == {
        "age_years": "expected a whole number, got 30.5",
        "age_in_doubt": "expected yes or no (true/false), got 'no'",
        "anything_else": "at most 500 characters (501 given)",
        "favourite_colour": "unknown question",
        "harm_disclosed": "expected a list of options, got 'tortured'",
        "health_need": "'hungry' is not one of: none, regular_medicine, ill_or_injured",
        "pregnant": "not asked: the condition for this question does not hold, so it must have no answer",
        "trafficking_indicators": "an option is chosen twice",
    }


def test_a_required_question_a_range_and_a_date_in_the_future_are_refused() -> None:
    with pytest.raises(AnswerError) as caught:
        screen(first_contact_screening(), {"medical_danger_signs": False}, on=ON)
    assert dict(caught.value.fields) == {"age_basis": "an answer is required"}
    with pytest.raises(AnswerError) as caught:
        screen(first_contact_screening(), {"age_basis": "stated", "age_years": 130}, on=ON)
    assert dict(caught.value.fields) == {"age_years": "130 is above the maximum 120"}
    with pytest.raises(AnswerError) as caught:
        screen(first_contact_screening(), {"age_basis": "document", "birth_date": date(2027, 1, 1)}, on=ON)
    assert dict(caught.value.fields) == {
        "birth_date": "2027-01-01 is after the day of the screening (2026-06-01)"
    }


def test_an_age_from_a_date_of_birth_needs_the_day_of_the_screening() -> None:
    with pytest.raises(AnswerError) as caught:
        check_answers(first_contact_screening(), ADULT_MAN)
    assert dict(caught.value.fields) == {
        "on": "the day of the screening is needed to count an age from a date of birth"
    }


def test_answers_are_normalised_and_only_asked_questions_are_kept() -> None:
    answers = {
        **ADULT_WOMAN,
        "trafficking_indicators": {"threats", "debt"},
        "anything_else": "   ",
        "pregnant": None,
    }
    assert check_answers(first_contact_screening(), answers, on=ON) == {
        "sex": "female",
        "age_basis": "document",
        "birth_date": date(1990, 3, 4),
        "age_in_doubt": False,
        "trafficking_indicators": ("debt", "threats"),
    }


def test_asked_questions_follow_the_skip_logic_as_the_form_is_filled_in() -> None:
    questionnaire = first_contact_screening()
    start = asked_questions(questionnaire, {})
    assert start[:3] == ("medical_danger_signs", "sex", "age_basis")
    assert "birth_date" not in start
    assert "age_years" not in start
    assert "pregnant" not in start
    woman = asked_questions(questionnaire, ADULT_WOMAN, on=ON)
    assert {"birth_date", "age_in_doubt", "pregnant", "breastfeeding", "wg_seeing"} <= set(woman)
    assert "pregnancy_danger_signs" not in woman
    assert "pregnancy_danger_signs" in asked_questions(
        questionnaire, {**ADULT_WOMAN, "pregnant": True}, on=ON
    )
    # An answer that does not fit is ignored by the skip logic, not refused.
    assert "pregnancy_danger_signs" not in asked_questions(
        questionnaire, {**ADULT_WOMAN, "pregnant": "yes"}, on=ON
    )


def test_texts_fall_back_to_english() -> None:
    text = Text.of({"en": "Child", "fr": "Enfant"})
    assert (text.get("fr"), text.get("ar"), str(text)) == ("Enfant", "Child", "Child")
