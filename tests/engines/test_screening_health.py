"""Point-of-entry health screening: each default disease from its case definition, the fever
threshold, negative and positive outcomes."""

from __future__ import annotations

import dataclasses

import pytest

from hbm.engines.screening import (
    AnswerError,
    HealthAction,
    HealthOutcome,
    Urgency,
    poe_health_checklist,
    screen_health,
)

NOT_ASKED = "not asked: the condition for this question does not hold, so it must have no answer"
WELL = {"temperature_c": 36.8, "fever_reported": False, "symptoms": []}


def suspected(answers: dict[str, object]) -> list[tuple[str, HealthAction, Urgency]]:
    result = screen_health(poe_health_checklist(), answers)
    return [(case.disease, case.action, case.urgency) for case in result.suspected]


def test_the_defaults_are_ebola_tuberculosis_cholera_mpox_and_measles_with_a_fever_fallback() -> None:
    checklist = poe_health_checklist()
    assert [d.id for d in checklist.diseases] == [
        "ebola_vhf",
        "tuberculosis",
        "cholera",
        "mpox",
        "measles",
        "fever_unexplained",
    ]
    assert [d.id for d in checklist.diseases if d.fallback] == ["fever_unexplained"]
    assert checklist.disease("mpox").fever_threshold_c == 38.5


def test_a_well_traveller_is_negative_and_nothing_else_is_said() -> None:
    result = screen_health(poe_health_checklist(), WELL)
    assert (result.outcome, result.suspected, result.action, result.urgency) == (
        HealthOutcome.NEGATIVE,
        (),
        None,
        None,
    )
    assert (result.temperature_c, result.has_fever) == (36.8, False)
    assert screen_health(poe_health_checklist(), {}).outcome is HealthOutcome.NEGATIVE


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        # Ebola / VHF: fever with contact; fever, a stay in an affected area and three symptoms;
        # unexplained bleeding with a link.
        (
            {"temperature_c": 38.4, "vhf_contact_21_days": True},
            [("ebola_vhf", HealthAction.ISOLATE, Urgency.LIFE_THREATENING)],
        ),
        (
            {
                "temperature_c": 38.1,
                "vhf_area_21_days": True,
                "symptoms": ["headache", "vomiting", "hiccups"],
            },
            [("ebola_vhf", HealthAction.ISOLATE, Urgency.LIFE_THREATENING)],
        ),
        (
            {"symptoms": ["unexplained_bleeding"], "vhf_area_21_days": True},
            [("ebola_vhf", HealthAction.ISOLATE, Urgency.LIFE_THREATENING)],
        ),
        # Tuberculosis: cough of two weeks; cough with night sweats; coughing blood is seen the same day.
        (
            {"symptoms": ["cough"], "cough_two_weeks": True},
            [("tuberculosis", HealthAction.REFER, Urgency.MEDIUM)],
        ),
        (
            {"symptoms": ["cough", "night_sweats"], "cough_two_weeks": False},
            [("tuberculosis", HealthAction.REFER, Urgency.MEDIUM)],
        ),
        ({"symptoms": ["cough", "coughing_blood"]}, [("tuberculosis", HealthAction.REFER, Urgency.HIGH)]),
        # Cholera: watery diarrhoea from an outbreak area; with severe dehydration it is life-threatening.
        (
            {"symptoms": ["watery_diarrhoea"], "cholera_area_5_days": True},
            [("cholera", HealthAction.ISOLATE, Urgency.HIGH)],
        ),
        (
            {"symptoms": ["watery_diarrhoea", "severe_dehydration"], "age_years": 30},
            [("cholera", HealthAction.ISOLATE, Urgency.LIFE_THREATENING)],
        ),
        # Mpox: lesions; or contact with its own fever threshold (> 38.5 °C).
        ({"symptoms": ["blisters_or_sores"]}, [("mpox", HealthAction.ISOLATE, Urgency.HIGH)]),
        (
            {"temperature_c": 38.6, "mpox_contact_21_days": True},
            [("mpox", HealthAction.ISOLATE, Urgency.HIGH)],
        ),
        # Measles: fever and a flat rash.
        (
            {"fever_reported": True, "symptoms": ["flat_red_rash"]},
            [("measles", HealthAction.ISOLATE, Urgency.HIGH)],
        ),
    ],
)
def test_each_case_definition_suspects_its_disease(
    answers: dict[str, object], expected: list[tuple[str, HealthAction, Urgency]]
) -> None:
    assert suspected(answers) == expected
    assert screen_health(poe_health_checklist(), answers).outcome is HealthOutcome.POSITIVE


def test_malaria_like_symptoms_without_a_link_to_an_outbreak_are_not_ebola() -> None:
    answers = {
        "temperature_c": 39.0,
        "symptoms": ["headache", "vomiting", "unusual_tiredness", "muscle_or_joint_pain"],
    }
    assert suspected(answers) == [("fever_unexplained", HealthAction.REFER, Urgency.MEDIUM)]


def test_cholera_outside_an_outbreak_needs_age_two_or_more_and_severe_dehydration() -> None:
    watery = {"symptoms": ["watery_diarrhoea"]}
    assert suspected(watery) == []
    infant = {"symptoms": ["watery_diarrhoea", "severe_dehydration"], "age_years": 1}
    assert suspected(infant) == []
    unknown_age = {"symptoms": ["watery_diarrhoea", "severe_dehydration"]}
    assert suspected(unknown_age) == [("cholera", HealthAction.ISOLATE, Urgency.LIFE_THREATENING)]


def test_the_fever_threshold_is_configurable_and_mpox_keeps_its_own() -> None:
    checklist = poe_health_checklist()
    warm = {"temperature_c": 37.8}
    assert screen_health(checklist, warm).outcome is HealthOutcome.NEGATIVE
    lower = checklist.with_threshold(37.5)
    result = screen_health(lower, warm)
    assert (result.outcome, result.has_fever) == (HealthOutcome.POSITIVE, True)
    assert [case.disease for case in result.suspected] == ["fever_unexplained"]
    exactly = screen_health(checklist, {"temperature_c": 38.0})
    assert exactly.has_fever  # at or above the threshold
    contact = {"temperature_c": 38.2, "mpox_contact_21_days": True}
    assert [case.disease for case in screen_health(checklist, contact).suspected] == ["fever_unexplained"]
    assert [case.disease for case in screen_health(lower.with_threshold(38.0), contact).suspected] == [
        "fever_unexplained"
    ]


def test_several_suspected_diseases_come_most_urgent_first_and_isolation_wins() -> None:
    answers = {
        "temperature_c": 38.9,
        "vhf_contact_21_days": True,
        "symptoms": ["cough", "flat_red_rash"],
        "cough_two_weeks": True,
    }
    result = screen_health(poe_health_checklist(), answers)
    assert [(c.disease, c.urgency) for c in result.suspected] == [
        ("ebola_vhf", Urgency.LIFE_THREATENING),
        ("measles", Urgency.HIGH),
        ("tuberculosis", Urgency.MEDIUM),
    ]
    assert (result.action, result.urgency) == (HealthAction.ISOLATE, Urgency.LIFE_THREATENING)
    assert result.suspected[0].advice.get("fr").startswith("Isolez")


def test_a_disabled_disease_is_not_screened() -> None:
    checklist = poe_health_checklist()
    without_measles = dataclasses.replace(
        checklist,
        diseases=tuple(
            dataclasses.replace(d, enabled=False) if d.id == "measles" else d for d in checklist.diseases
        ),
    )
    answers = {"fever_reported": True, "symptoms": ["flat_red_rash"]}
    assert [c.disease for c in screen_health(without_measles, answers).suspected] == ["fever_unexplained"]


def test_health_answers_are_refused_field_by_field() -> None:
    with pytest.raises(AnswerError) as caught:
        screen_health(
            poe_health_checklist(), {"temperature_c": 50, "symptoms": ["sneezing"], "cough_two_weeks": True}
        )
    # Whether `cough_two_weeks` is asked depends on the refused symptoms: it is not reported.
    assert dict(caught.value.fields) == {
        "symptoms": "not options: 'sneezing' (options: headache, vomiting, loss_of_appetite, "
        "diarrhoea, watery_diarrhoea, severe_dehydration, unusual_tiredness, stomach_pain, "
        "muscle_or_joint_pain, back_pain, difficulty_swallowing, difficulty_breathing, hiccups, "
        "unexplained_bleeding, cough, coughing_blood, night_sweats, weight_loss, flat_red_rash, "
        "blisters_or_sores, swollen_lymph_nodes)",
        "temperature_c": "50 is above the maximum 45",
    }
    with pytest.raises(AnswerError) as caught:
        screen_health(poe_health_checklist(), {"symptoms": ["vomiting"], "cough_two_weeks": True})
    assert dict(caught.value.fields) == {"cough_two_weeks": NOT_ASKED}
