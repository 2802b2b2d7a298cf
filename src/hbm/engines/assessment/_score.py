"""Scoring an assessment: a score per pillar and overall, and the gaps with their priorities.

- A pillar's score is 100 × Σ weight × level / Σ weight × top level over its *answered* questions.
  A question not answered is reported, never scored as 0; a pillar with none answered has no score.
- The overall score is the pillars' scores weighted by the pillars' weights, over the pillars that
  have a score.
- A gap is an answered question below its target level. Its priority score is
  (target − level) / top level × the pillar's weight × the question's criticality factor, banded
  high / medium / low by the questionnaire's thresholds.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from hbm.engines.assessment._errors import AnswerError
from hbm.engines.assessment._questionnaire import Pillar, Priority, Question, Questionnaire, Text

__all__ = ["Assessment", "Gap", "PillarScore", "assess"]


@dataclass(frozen=True, slots=True)
class PillarScore:
    """A pillar's ``score`` from 0 to 100 (``None`` when no applicable question was answered),
    how many applicable questions it has and how many were ``answered``, and which were not."""

    pillar: Pillar
    score: float | None
    answered: int
    applicable: int
    not_answered: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Gap:
    """An answered question below its target: the ``level`` given, the ``target``, the
    ``priority_score`` and its ``priority`` band, and the recommendation that closes it."""

    question: Question
    pillar: Pillar
    level: int
    target: int
    priority_score: float
    priority: Priority

    @property
    def levels_short(self) -> int:
        return self.target - self.level

    @property
    def recommendation(self) -> Text:
        return self.question.recommendation


@dataclass(frozen=True, slots=True)
class Assessment:
    """The result: a score per pillar in the questionnaire's order, the ``overall`` score (``None``
    when no pillar has one), the ``gaps`` from the highest priority score down (ties in the
    questionnaire's order), the questions ``not_answered`` and ``not_applicable``, and the answers."""

    questionnaire: Questionnaire
    pillars: tuple[PillarScore, ...]
    overall: float | None
    gaps: tuple[Gap, ...]
    not_answered: tuple[str, ...]
    not_applicable: tuple[str, ...]
    answers: Mapping[str, int]

    @property
    def complete(self) -> bool:
        """Whether every applicable question was answered."""
        return not self.not_answered

    def chart(self, language: str = "en") -> list[tuple[str, str, float | None]]:
        """Per-pillar scores for a chart: ``(pillar id, label in language, score or None)``."""
        return [(score.pillar.id, score.pillar.label.get(language), score.score) for score in self.pillars]


def assess(
    questionnaire: Questionnaire,
    answers: Mapping[str, int | None],
    *,
    not_applicable: Collection[str] = (),
) -> Assessment:
    """Score ``answers`` (question id → level, or ``None`` for not answered) against
    ``questionnaire``. ``not_applicable`` lists questions that do not apply (no sea border: the sea
    coverage question); they are neither scored nor reported as gaps.

    Raises :class:`AnswerError` naming every unknown question, every level that is not a whole
    number on the scale, and every question both answered and marked not applicable."""
    known = {question.id for question in questionnaire.questions}
    problems: dict[str, str] = {}
    levels: dict[str, int] = {}
    for question_id, level in answers.items():
        if question_id not in known:
            problems[question_id] = "unknown question"
        elif level is None:
            continue
        elif isinstance(level, bool) or not isinstance(level, int):
            problems[question_id] = (
                f"must be a whole level from 0 to {questionnaire.max_level}, not {level!r}"
            )
        elif not 0 <= level <= questionnaire.max_level:
            problems[question_id] = f"must be a level from 0 to {questionnaire.max_level}, not {level}"
        else:
            levels[question_id] = level
    excluded: set[str] = set()
    for question_id in not_applicable:
        if question_id not in known:
            problems[question_id] = "unknown question (marked not applicable)"
        elif question_id in levels:
            problems[question_id] = "answered and marked not applicable: give one or the other"
        else:
            excluded.add(question_id)
    if problems:
        raise AnswerError(problems)

    top = questionnaire.max_level
    pillar_scores: list[PillarScore] = []
    gaps: list[tuple[float, int, Gap]] = []
    order = 0
    for pillar in questionnaire.pillars:
        achieved = possible = 0.0
        answered = applicable = 0
        missing: list[str] = []
        for question in pillar.questions:
            order += 1
            if question.id in excluded:
                continue
            applicable += 1
            level = levels.get(question.id)
            if level is None:
                missing.append(question.id)
                continue
            answered += 1
            achieved += question.weight * level
            possible += question.weight * top
            if level < question.target:
                factor = questionnaire.criticality[question.criticality]
                score = (question.target - level) / top * pillar.weight * factor
                gap = Gap(question, pillar, level, question.target, score, questionnaire.priority(score))
                gaps.append((-score, order, gap))
        pillar_scores.append(
            PillarScore(
                pillar=pillar,
                score=100.0 * achieved / possible if possible else None,
                answered=answered,
                applicable=applicable,
                not_answered=tuple(missing),
            )
        )

    scored = [(score.pillar.weight, score.score) for score in pillar_scores if score.score is not None]
    overall = (
        math.fsum(weight * score for weight, score in scored) / math.fsum(w for w, _ in scored)
        if scored
        else None
    )
    return Assessment(
        questionnaire=questionnaire,
        pillars=tuple(pillar_scores),
        overall=overall,
        gaps=tuple(gap for _, _, gap in sorted(gaps, key=lambda entry: (entry[0], entry[1]))),
        not_answered=tuple(question_id for score in pillar_scores for question_id in score.not_answered),
        not_applicable=tuple(question.id for question in questionnaire.questions if question.id in excluded),
        answers=MappingProxyType(levels),
    )
