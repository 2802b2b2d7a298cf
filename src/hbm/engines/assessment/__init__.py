"""The HBM assessment: a scored questionnaire over the pillars of humanitarian border management,
with a gap report of prioritised recommendations (pure Python, no Django).

Public API::

    default_questionnaire() -> Questionnaire          # data/hbm_assessment.yaml (en, fr, ar); .digest
    load_questionnaire(text, source=…) -> Questionnaire
    assess(questionnaire, answers, not_applicable=()) -> Assessment
        Assessment.pillars (PillarScore: score 0–100 or None) · .overall · .gaps (Gap, by priority)
        · .not_answered · .not_applicable · .chart(language) -> [(pillar id, label, score)]
    Text(en, fr, ar).get(language) · Priority.HIGH / MEDIUM / LOW
    QuestionnaireError(source, problems) · Problem(line, path, reason)   # every problem, by line
    AnswerError(fields)                                # question id -> reason, every one found

How scores and priorities are computed: :mod:`hbm.engines.assessment._score`. Where the questions
come from: the header of ``data/hbm_assessment.yaml`` and decision record 0014.
"""

from hbm.engines.assessment._errors import AnswerError, Problem, QuestionnaireError
from hbm.engines.assessment._questionnaire import (
    LANGUAGES,
    Pillar,
    Priority,
    Question,
    Questionnaire,
    Text,
    default_questionnaire,
    load_questionnaire,
)
from hbm.engines.assessment._score import Assessment, Gap, PillarScore, assess

__all__ = [
    "LANGUAGES",
    "AnswerError",
    "Assessment",
    "Gap",
    "Pillar",
    "PillarScore",
    "Priority",
    "Problem",
    "Question",
    "Questionnaire",
    "QuestionnaireError",
    "Text",
    "assess",
    "default_questionnaire",
    "load_questionnaire",
]
