"""Screening definitions: the shipped files validate, and a file that does not is refused with the
line and the reason of every problem."""

from __future__ import annotations

import textwrap

import pytest

from hbm.engines.screening import (
    DefinitionError,
    QuestionType,
    Urgency,
    default_pathways,
    first_contact_screening,
    load_health_checklist,
    load_pathways,
    load_questionnaire,
    load_specific_needs,
    poe_health_checklist,
    specific_needs,
)

# A small valid questionnaire; each test breaks one thing in it.
VALID = textwrap.dedent(
    """\
    format: hbm-screening/1
    kind: questionnaire
    id: tiny
    version: 3
    title: {en: Tiny, fr: Minuscule, ar: صغير}
    sources: [a test]
    age:
      basis: age_basis
      years: age_years
      doubt_reason: {en: Doubt, fr: Doute, ar: شك}
    concerns:
      - id: uasc
        label: {en: Child alone, fr: Enfant seul, ar: طفل وحيد}
    questions:
      - id: age_basis
        type: choice
        text: {en: Basis, fr: Base, ar: أساس}
        guidance: {en: Ask, fr: Demandez, ar: اسأل}
        options:
          - value: stated
            label: {en: Stated, fr: Déclaré, ar: مصرح}
          - value: estimated
            label: {en: Estimated, fr: Estimé, ar: مقدر}
      - id: age_years
        type: number
        integer: true
        min: 0
        max: 120
        text: {en: Age, fr: Âge, ar: العمر}
        guidance: {en: Years, fr: Années, ar: سنوات}
      - id: alone
        type: yes_no
        ask_if: {fact: child}
        text: {en: "Alone?", fr: "Seul ?", ar: وحيد؟}
        guidance: {en: Gently, fr: Doucement, ar: بلطف}
    rules:
      - id: alone-child
        when: {question: alone, equals: true}
        flag: SC-UC
        concern: uasc
        urgency: high
        reason: {en: Alone, fr: Seul, ar: وحيد}
    """
)


def line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    """The 1-based line of the ``occurrence``-th line containing ``fragment``."""
    hits = [number for number, line in enumerate(text.splitlines(), start=1) if fragment in line]
    return hits[occurrence - 1]


def refused(text: str) -> list[tuple[int, str, str]]:
    with pytest.raises(DefinitionError) as caught:
        load_questionnaire(text, source="tiny.yaml")
    return [(p.line, p.path, p.reason) for p in caught.value.problems]


def test_the_valid_example_loads_with_its_id_version_and_digest() -> None:
    tiny = load_questionnaire(VALID)
    assert (tiny.id, tiny.version, tiny.languages) == ("tiny", 3, ("en", "fr", "ar"))
    assert [q.id for q in tiny.questions] == ["age_basis", "age_years", "alone"]
    assert tiny.question("age_years").type is QuestionType.NUMBER
    assert tiny.rules[0].flag == "SC-UC"
    assert len(tiny.digest) == 64
    assert load_questionnaire(VALID.replace("Tiny", "Small")).digest != tiny.digest


# --- the shipped files ----------------------------------------------------------------------------


def test_the_shipped_files_validate() -> None:
    questionnaire, checklist, pathways = first_contact_screening(), poe_health_checklist(), default_pathways()
    assert (questionnaire.id, questionnaire.version) == ("first-contact-protection", 1)
    assert (checklist.id, checklist.version, checklist.fever_threshold_c) == ("poe-health", 1, 38.0)
    assert (pathways.id, pathways.version) == ("default-pathways", 1)
    assert questionnaire.sources
    assert checklist.sources
    assert all(disease.sources for disease in checklist.diseases)
    assert len(specific_needs()) == 78


def test_the_shipped_questionnaire_covers_every_need_of_the_issue() -> None:
    concerns = {rule.concern for rule in first_contact_screening().rules}
    assert concerns >= {
        "uasc", "trafficking", "violence_torture", "gbv", "medical", "disability",
        "pregnancy", "older_person", "single_caregiver", "asylum",
    }  # fmt: skip
    codes = {rule.flag for rule in first_contact_screening().rules}
    assert codes >= {
        "SC-UC",
        "SC-SC",
        "LP-AN",
        "CR-LW",
        "TR",
        "SV",
        "SM-CC",
        "DS-BD",
        "SM-DP",
        "WR-LC",
        "ER",
        "SP-PT",
        "LP-RR",
    }


def test_every_shipped_question_has_text_and_guidance_in_english_french_and_arabic() -> None:
    for question in first_contact_screening().questions + poe_health_checklist().questions:
        for text in (question.text, question.guidance, *(option.label for option in question.options)):
            assert text.languages == ("en", "fr", "ar")
            assert all(text.get(language).strip() for language in ("en", "fr", "ar"))
        assert question.text.get("fr") != question.text.get("en") or question.text.get("en") == "Mpox"
        assert any("\u0600" <= char <= "\u06ff" for char in question.text.get("ar"))


def test_the_shipped_disability_questions_are_the_washington_group_short_set() -> None:
    questionnaire = first_contact_screening()
    wg = [q for q in questionnaire.questions if q.id.startswith("wg_")]
    assert [q.text.get("en") for q in wg] == [
        "Do you have difficulty seeing, even if wearing glasses?",
        "Do you have difficulty hearing, even if using a hearing aid(s)?",
        "Do you have difficulty walking or climbing steps?",
        "Do you have difficulty remembering or concentrating?",
        "Do you have difficulty (with self-care such as) washing all over or dressing?",
        "Using your usual (customary) language, do you have difficulty communicating, for example "
        "understanding or being understood?",
    ]
    assert all(
        q.option_values == ("no_difficulty", "some_difficulty", "a_lot_of_difficulty", "cannot_do_at_all")
        for q in wg
    )


def test_the_codes_table_has_the_categories_and_their_needs() -> None:
    codes = specific_needs()
    assert {code for code, need in codes.items() if need.is_category} == {
        "CR", "SC", "WR", "ER", "SP", "DS", "SM", "FU", "LP", "TR", "SV"
    }  # fmt: skip
    assert codes["SC-UC"].category == "SC"
    assert codes["SC-UC"].label.get("en") == "Unaccompanied child"
    assert codes["TR-WV"].label.get("fr") == "Témoin de violences contre autrui"


# --- every kind of error, with its line -----------------------------------------------------------


def test_an_unknown_key_is_refused_on_its_line_with_a_suggestion() -> None:
    text = VALID.replace("    integer: true", "    integr: true")
    assert refused(text) == [
        (line_of(text, "integr:"), "questions[1].integr", "unknown key 'integr' (did you mean 'integer'?)")
    ]


def test_an_unknown_top_level_key_is_refused() -> None:
    text = VALID.replace("title:", "titel:")
    assert refused(text) == [
        (1, "", "missing key 'title'"),
        (line_of(text, "titel:"), "titel", "unknown key 'titel' (did you mean 'title'?)"),
    ]


def test_a_missing_key_is_refused_on_the_line_of_its_mapping() -> None:
    text = VALID.replace("    guidance: {en: Gently, fr: Doucement, ar: بلطف}\n", "")
    assert refused(text) == [(line_of(text, "- id: alone"), "questions[2]", "missing key 'guidance'")]


def test_a_missing_translation_is_refused() -> None:
    text = VALID.replace("text: {en: Age, fr: Âge, ar: العمر}", "text: {en: Age, fr: Âge}")
    assert refused(text) == [
        (line_of(text, "text: {en: Age"), "questions[1].text", "missing translation 'ar'")
    ]


def test_a_language_the_file_does_not_declare_is_refused() -> None:
    text = VALID.replace(
        "text: {en: Age, fr: Âge, ar: العمر}", "text: {en: Age, fr: Âge, ar: العمر, de: Alter}"
    )
    assert refused(text) == [
        (
            line_of(text, "de: Alter"),
            "questions[1].text.de",
            "unknown language 'de' (this file's languages: en, fr, ar)",
        )
    ]


def test_a_file_may_declare_more_languages_and_then_needs_them_everywhere() -> None:
    text = VALID.replace("kind: questionnaire\n", "kind: questionnaire\nlanguages: [en, fr, ar, uk]\n")
    problems = refused(text)
    assert len(problems) > 5
    assert all(reason == "missing translation 'uk'" for _, _, reason in problems)


def test_a_condition_on_an_unknown_question_is_refused() -> None:
    text = VALID.replace("{question: alone, equals: true}", "{question: alon, equals: true}")
    assert refused(text) == [
        (line_of(text, "question: alon,"), "rules[0].when.question", "condition on unknown question 'alon'")
    ]


def test_skip_logic_on_a_later_question_is_refused_with_both_lines() -> None:
    text = VALID.replace(
        "  - id: age_years\n    type: number\n",
        "  - id: age_years\n    type: number\n    ask_if: {question: alone, equals: false}\n",
    )
    assert refused(text) == [
        (
            line_of(text, "ask_if: {question: alone"),
            "questions[1].ask_if.question",
            f"condition on question 'alone', which comes later (line {line_of(text, '- id: alone')})",
        )
    ]


def test_skip_logic_on_the_question_itself_is_refused() -> None:
    text = VALID.replace("ask_if: {fact: child}", "ask_if: {question: alone, answered: true}")
    assert refused(text) == [
        (
            line_of(text, "ask_if:"),
            "questions[2].ask_if.question",
            "condition on question 'alone', the question itself",
        )
    ]


def test_skip_logic_on_a_fact_computed_from_a_later_question_is_refused() -> None:
    text = VALID.replace(
        "  - id: age_years\n    type: number\n",
        "  - id: age_years\n    type: number\n    ask_if: {fact: child}\n",
    )
    assert refused(text) == [
        (
            line_of(text, "ask_if: {fact: child}"),
            "questions[1].ask_if.fact",
            "fact 'child' depends on question 'age_years', which comes later "
            f"(line {line_of(text, '- id: age_years')})",
        )
    ]


def test_an_unknown_flag_code_is_refused() -> None:
    text = VALID.replace("flag: SC-UC", "flag: SC-XX")
    assert refused(text) == [
        (line_of(text, "flag: SC-XX"), "rules[0].flag", "unknown specific-needs code 'SC-XX'")
    ]


def test_duplicate_ids_are_refused_naming_the_first() -> None:
    text = VALID.replace("  - id: alone\n", "  - id: age_years\n").replace(
        "{question: alone, equals: true}", "{question: age_basis, equals: stated}"
    )
    first, second = line_of(text, "- id: age_years", 1), line_of(text, "- id: age_years", 2)
    assert refused(text) == [
        (second, "questions[2].id", f"duplicate question id 'age_years' (first on line {first})")
    ]


def test_duplicate_option_values_and_rule_ids_are_refused() -> None:
    text = VALID.replace("value: estimated", "value: stated")
    assert refused(text) == [
        (
            line_of(text, "value: stated", 2),
            "questions[0].options[1].value",
            f"duplicate option value 'stated' (first on line {line_of(text, 'value: stated')})",
        )
    ]
    rule = VALID[VALID.index("  - id: alone-child") :]
    text = VALID + rule
    assert (
        refused(text)[0][2]
        == f"duplicate rule id 'alone-child' (first on line {line_of(text, 'id: alone-child')})"
    )


def test_a_bad_question_type_is_refused() -> None:
    text = VALID.replace("type: yes_no", "type: yesno")
    assert refused(text) == [
        (
            line_of(text, "type: yesno"),
            "questions[2].type",
            "unknown question type 'yesno' (expected one of: yes_no, choice, number, date, text)",
        )
    ]


def test_a_key_of_another_question_type_is_refused() -> None:
    text = VALID.replace("type: yes_no\n", "type: yes_no\n    max: 3\n")
    assert refused(text) == [
        (line_of(text, "max: 3"), "questions[2].max", "'max' is only for number questions, not yes_no")
    ]


def test_a_value_of_the_wrong_type_is_refused() -> None:
    text = VALID.replace("equals: true}", "equals: 'yes'}")
    assert refused(text) == [
        (
            line_of(text, "equals: 'yes'"),
            "rules[0].when.equals",
            "expected true or false, found the text 'yes'",
        )
    ]
    text = VALID.replace("version: 3", "version: three")
    assert refused(text) == [
        (line_of(text, "version:"), "version", "expected a whole number, found the text 'three'")
    ]


def test_an_operator_that_cannot_test_the_question_is_refused() -> None:
    text = VALID.replace("{question: alone, equals: true}", "{question: alone, at_least: 3}")
    assert refused(text) == [
        (
            line_of(text, "at_least: 3"),
            "rules[0].when.at_least",
            "'at_least' cannot test a yes_no question ('alone')",
        )
    ]


def test_a_choice_value_that_is_not_an_option_is_refused() -> None:
    text = VALID.replace("{question: alone, equals: true}", "{question: age_basis, equals: document}")
    assert refused(text) == [
        (
            line_of(text, "equals: document"),
            "rules[0].when.equals",
            "'document' is not an option of 'age_basis' (stated, estimated)",
        )
    ]


def test_yaml_booleans_where_text_is_expected_are_refused_with_a_hint() -> None:
    text = VALID.replace("value: estimated", "value: no")
    assert refused(text) == [
        (
            line_of(text, "value: no"),
            "questions[0].options[1].value",
            "expected text, found the boolean false (YAML reads yes/no/on/off as booleans: quote it)",
        )
    ]


def test_a_repeated_yaml_key_is_refused_instead_of_silently_replacing_the_first() -> None:
    text = VALID.replace("version: 3\n", "version: 3\nversion: 4\n")
    assert refused(text) == [
        (
            line_of(text, "version: 4"),
            "version",
            f"repeated key 'version' (first on line {line_of(text, 'version: 3')})",
        )
    ]


def test_a_yaml_syntax_error_names_its_line() -> None:
    text = VALID.replace("sources: [a test]", "sources: [a test")
    (problem,) = refused(text)
    assert problem[0] > 0
    assert problem[2].startswith("not valid YAML:")
    assert refused("") == [(1, "", "the file is empty")]


def test_every_problem_is_reported_in_line_order_and_printed_with_the_source() -> None:
    text = (
        VALID.replace("type: yes_no", "type: yesno")
        .replace("flag: SC-UC", "flag: XX")
        .replace("version: 3", "version: 0")
    )
    with pytest.raises(DefinitionError) as caught:
        load_questionnaire(text, source="tiny.yaml")
    lines = [problem.line for problem in caught.value.problems]
    assert lines == sorted(lines)
    assert [p.path for p in caught.value.problems] == ["version", "questions[2].type", "rules[0].flag"]
    assert (
        str(caught.value).splitlines()[0]
        == f"tiny.yaml:{line_of(text, 'version: 0')}: version: must be at least 1"
    )


def test_an_age_section_must_name_questions_of_the_right_type() -> None:
    text = VALID.replace("  basis: age_basis", "  basis: age_years").replace(
        "  years: age_years", "  years: age_basis"
    )
    assert refused(text) == [
        (
            line_of(text, "  basis: age_years"),
            "age.basis",
            "question 'age_years' must be a choice question, not number",
        ),
        (
            line_of(text, "  years: age_basis"),
            "age.years",
            "question 'age_basis' must be a number question, not choice",
        ),
    ]


def test_a_rule_about_an_undeclared_concern_is_refused() -> None:
    text = VALID.replace("concern: uasc", "concern: trafficking")
    assert refused(text) == [
        (
            line_of(text, "concern: trafficking"),
            "rules[0].concern",
            "unknown concern 'trafficking' (declare it under 'concerns')",
        )
    ]


def test_the_wrong_kind_of_file_is_refused() -> None:
    with pytest.raises(DefinitionError) as caught:
        load_health_checklist(VALID, source="tiny.yaml")
    assert (2, "kind", "unknown kind 'questionnaire' (expected one of: health_checklist)") in [
        (p.line, p.path, p.reason) for p in caught.value.problems
    ]


# --- health checklists, pathways and code tables ----------------------------------------------------

HEALTH = textwrap.dedent(
    """\
    format: hbm-screening/1
    kind: health_checklist
    id: mini
    version: 1
    title: {en: Mini, fr: Mini, ar: مصغر}
    sources: [a test]
    fever: {threshold_c: 38.0, temperature: temperature_c}
    questions:
      - id: temperature_c
        type: number
        text: {en: T, fr: T, ar: ح}
        guidance: {en: G, fr: G, ar: إ}
    diseases:
      - id: febrile
        name: {en: Fever, fr: Fièvre, ar: حمى}
        sources: [a test]
        suspect_when: {fact: fever}
        action: refer
        urgency: medium
        advice: {en: A, fr: A, ar: ن}
    """
)


def test_a_health_checklist_is_refused_with_lines() -> None:
    assert load_health_checklist(HEALTH).diseases[0].urgency is Urgency.MEDIUM
    text = HEALTH.replace("threshold_c: 38.0", "threshold_c: 48.0").replace(
        "action: refer", "action: quarantine"
    )
    with pytest.raises(DefinitionError) as caught:
        load_health_checklist(text)
    assert [(p.line, p.path, p.reason) for p in caught.value.problems] == [
        (
            line_of(text, "threshold_c"),
            "fever.threshold_c",
            "48 °C is not a plausible fever threshold (35–42)",
        ),
        (
            line_of(text, "action:"),
            "diseases[0].action",
            "unknown action 'quarantine' (expected one of: isolate, refer)",
        ),
    ]


PATHWAYS = textwrap.dedent(
    """\
    format: hbm-screening/1
    kind: pathways
    id: mini
    version: 1
    title: {en: Mini, fr: Mini, ar: مصغر}
    sources: [a test]
    service_types:
      - id: child_protection
        label: {en: Child protection, fr: Protection de l'enfance, ar: حماية الطفل}
    pathways:
      - id: children
        flags: [SC]
        service: child_protection
    """
)


def test_pathways_are_refused_with_lines() -> None:
    assert load_pathways(PATHWAYS).pathways[0].flags == frozenset({"SC"})
    text = PATHWAYS.replace("flags: [SC]", "flags: [SC, ZZ]").replace(
        "service: child_protection", "service: shelter"
    )
    text += "  - id: nothing\n    service: child_protection\n"
    with pytest.raises(DefinitionError) as caught:
        load_pathways(text)
    assert [(p.line, p.path, p.reason) for p in caught.value.problems] == [
        (line_of(text, "flags: [SC, ZZ]"), "pathways[0].flags[1]", "unknown specific-needs code 'ZZ'"),
        (
            line_of(text, "service: shelter"),
            "pathways[0].service",
            "unknown service type 'shelter' (declare it under 'service_types')",
        ),
        (line_of(text, "- id: nothing"), "pathways[1]", "a pathway needs 'flags', 'concerns' or 'diseases'"),
    ]


def test_deadlines_must_be_positive_and_in_order_of_urgency() -> None:
    text = PATHWAYS.replace(
        "sources: [a test]\n",
        "sources: [a test]\ndeadlines_hours: {life_threatening: 48, high: 24, medium: 72, low: 0}\n",
    )
    with pytest.raises(DefinitionError) as caught:
        load_pathways(text)
    line = line_of(text, "deadlines_hours")
    assert [(p.line, p.path, p.reason) for p in caught.value.problems] == [
        (line, "deadlines_hours", "a more urgent need cannot have a later deadline than a less urgent one"),
        (line, "deadlines_hours.low", "a deadline must be more than 0 hours"),
    ]


def test_a_code_table_needs_codes_within_their_category() -> None:
    text = textwrap.dedent(
        """\
        format: hbm-screening/1
        kind: specific_needs_codes
        id: codes
        version: 1
        sources: [a test]
        categories:
          - code: SC
            label: {en: Separated, fr: Séparé, ar: منفصل}
            needs:
              - code: CR-UC
                label: {en: Unaccompanied, fr: Non accompagné, ar: غير مصحوب}
        """
    )
    with pytest.raises(DefinitionError) as caught:
        load_specific_needs(text)
    assert [(p.line, p.reason) for p in caught.value.problems] == [
        (line_of(text, "code: CR-UC"), "'CR-UC' is not a code of category 'SC' (SC-XX)")
    ]
