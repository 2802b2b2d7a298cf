"""Protection and health screening at the border, and referral rules (pure Python; PyYAML reads the data).

Questionnaires, health checklists, referral pathways and UNHCR's specific-needs codes are
versioned, translatable **data** (YAML in ``data/``, each file naming its sources); this package
reads them with every problem reported by line, checks answers, and evaluates them. Why data and
not code, the file format, and what the engine does not do: decision record 0012.

Public API::

    first_contact_screening() -> Questionnaire        # the shipped protection screening
    load_questionnaire(text, source=…) -> Questionnaire
        # DefinitionError(source, problems=(Problem(line, path, reason), …)): every problem, by line
    screen(questionnaire, answers, on=date) -> Screening
        # .flags = (Flag(code, concern, urgency, rules, reasons), …); .treated_as_child, .age_in_doubt
    poe_health_checklist() / load_health_checklist(text) -> HealthChecklist
    screen_health(checklist, answers) -> HealthScreening
        # .outcome NEGATIVE | POSITIVE; .suspected = (SuspectedCase(disease, action, urgency, …), …)
    check_answers(form, answers, on=…) -> normalised answers   # AnswerError: .reasons, .fields (English)
    asked_questions(form, answers, on=…) -> ids to ask now      # skip logic for a form being filled in
    default_pathways() / load_pathways(text) -> Pathways
    suggest_referrals(pathways, flags=…, suspected=…, place=Place(crossing_point, area))
        -> (SuggestedReferral(service, urgency, deadline, flags, concerns, diseases, pathways), …)
    ReferralStatus, REFERRAL_TRANSITIONS, transition_check(current, new, outcome=…)   # TransitionError
    DEFAULT_DEADLINES, deadline_for(urgency, created_at), is_overdue(urgency=…, created_at=…, status=…, now=…)
    specific_needs() -> {code: SpecificNeed(code, category, label)}
    Urgency (LIFE_THREATENING > HIGH > MEDIUM > LOW), Text (en/fr/ar, .get(language))
    Condition: AllOf | AnyOf | Not | Fact | QuestionTest   # a question's ask_if, a rule's when
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from hbm.engines.screening._codes import SpecificNeed, load_specific_needs, specific_needs
from hbm.engines.screening._conditions import AllOf, AnyOf, Condition, Fact, Not, QuestionTest
from hbm.engines.screening._errors import AnswerError, DefinitionError, Problem, TransitionError
from hbm.engines.screening._health import (
    Disease,
    HealthAction,
    HealthChecklist,
    HealthOutcome,
    HealthScreening,
    SuspectedCase,
    health_answers,
    health_visible,
    load_health_checklist,
    poe_health_checklist,
    screen_health,
)
from hbm.engines.screening._model import Answer, Option, Question, QuestionType, Urgency
from hbm.engines.screening._questionnaire import (
    AGE_BASES,
    AgePolicy,
    Concern,
    Flag,
    Questionnaire,
    Rule,
    Screening,
    first_contact_screening,
    load_questionnaire,
    questionnaire_answers,
    questionnaire_visible,
    screen,
)
from hbm.engines.screening._referral import (
    DEFAULT_DEADLINES,
    REFERRAL_TRANSITIONS,
    Pathway,
    Pathways,
    Place,
    ReferralOutcome,
    ReferralStatus,
    ServiceType,
    SuggestedReferral,
    deadline_for,
    default_pathways,
    is_overdue,
    load_pathways,
    suggest_referrals,
    transition_check,
)
from hbm.engines.screening._text import Text


def check_answers(
    form: Questionnaire | HealthChecklist, answers: Mapping[str, object], *, on: date | None = None
) -> dict[str, Answer]:
    """The answers normalised (multiple choices as tuples in option order, blank text dropped),
    only for questions asked. Raises :class:`AnswerError` naming every offending question."""
    if isinstance(form, Questionnaire):
        return questionnaire_answers(form, answers, on=on)
    return health_answers(form, answers, on=on)


def asked_questions(
    form: Questionnaire | HealthChecklist, answers: Mapping[str, object], *, on: date | None = None
) -> tuple[str, ...]:
    """The ids of the questions to ask given the answers so far, in order (refuses nothing)."""
    if isinstance(form, Questionnaire):
        return questionnaire_visible(form, answers, on=on)
    return health_visible(form, answers, on=on)


__all__ = [
    "AGE_BASES",
    "DEFAULT_DEADLINES",
    "REFERRAL_TRANSITIONS",
    "AgePolicy",
    "AllOf",
    "Answer",
    "AnswerError",
    "AnyOf",
    "Concern",
    "Condition",
    "DefinitionError",
    "Disease",
    "Fact",
    "Flag",
    "HealthAction",
    "HealthChecklist",
    "HealthOutcome",
    "HealthScreening",
    "Not",
    "Option",
    "Pathway",
    "Pathways",
    "Place",
    "Problem",
    "Question",
    "QuestionTest",
    "QuestionType",
    "Questionnaire",
    "ReferralOutcome",
    "ReferralStatus",
    "Rule",
    "Screening",
    "ServiceType",
    "SpecificNeed",
    "SuggestedReferral",
    "SuspectedCase",
    "Text",
    "TransitionError",
    "Urgency",
    "asked_questions",
    "check_answers",
    "deadline_for",
    "default_pathways",
    "first_contact_screening",
    "is_overdue",
    "load_health_checklist",
    "load_pathways",
    "load_questionnaire",
    "load_specific_needs",
    "poe_health_checklist",
    "screen",
    "screen_health",
    "specific_needs",
    "suggest_referrals",
    "transition_check",
]
