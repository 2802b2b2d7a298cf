"""Checking answers against their questions and the skip logic: one error per offending field."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime

from hbm.engines.datafile import Reason, Refused, gettext_noop
from hbm.engines.screening._errors import AnswerError
from hbm.engines.screening._model import Answer, Answers, Facts, Question, QuestionType

__all__ = ["visible", "walk"]

NOT_ASKED = Reason(
    gettext_noop("not asked: the condition for this question does not hold, so it must have no answer")
)
REQUIRED = Reason(gettext_noop("an answer is required"))
UNKNOWN = Reason(gettext_noop("unknown question"))


def walk(
    questions: Sequence[Question],
    answers: Mapping[str, object],
    facts_of: Callable[[Answers], Facts],
    on: date | None,
    fact_questions: Mapping[str, frozenset[str]] | None = None,
) -> tuple[dict[str, Answer], tuple[str, ...]]:
    """The normalised answers and the ids of the questions asked, in order.

    ``None`` (or empty text) is no answer. Raises :class:`AnswerError` naming every offending
    question: unknown id, answered although not asked (data minimisation: nothing is kept that
    was not asked), a required question left unanswered, or a value that does not fit the type.
    Where an answer is refused, whether the questions that depend on it (directly or through a
    fact computed from it, ``fact_questions``) are asked cannot be known: their answers are checked
    against their type only, so that one mistake is reported once.
    """
    known = {question.id for question in questions}
    errors = {key: UNKNOWN for key in answers if key not in known}
    normalised: dict[str, Answer] = {}
    asked: list[str] = []
    undetermined: set[str] = set()
    for question in questions:
        raw = _given(question, answers)
        if question.ask_if is not None:
            depends = set(question.ask_if.questions())
            for fact in question.ask_if.facts():
                depends |= (fact_questions or {}).get(fact, frozenset())
            if depends & undetermined:
                undetermined.add(question.id)
                if raw is not None:
                    try:
                        _normalise(question, raw, on)
                    except Refused as error:
                        errors[question.id] = error.reason
                continue
            if not question.ask_if.holds(normalised, facts_of(normalised)):
                if raw is not None:
                    errors[question.id] = NOT_ASKED
                continue
        asked.append(question.id)
        if raw is None:
            if question.required:
                errors[question.id] = REQUIRED
            continue
        try:
            normalised[question.id] = _normalise(question, raw, on)
        except Refused as error:
            errors[question.id] = error.reason
            undetermined.add(question.id)
    if errors:
        raise AnswerError(errors)
    return normalised, tuple(asked)


def _given(question: Question, answers: Mapping[str, object]) -> object:
    raw = answers.get(question.id)
    if isinstance(raw, str) and question.type is QuestionType.TEXT and not raw.strip():
        return None
    return raw


def _normalise(question: Question, raw: object, on: date | None) -> Answer:
    kind = question.type
    if kind is QuestionType.YES_NO:
        if not isinstance(raw, bool):
            raise Refused(gettext_noop("expected yes or no (true/false), got %(value)s"), value=repr(raw))
        return raw
    if kind is QuestionType.CHOICE:
        return _choice(question, raw)
    if kind is QuestionType.NUMBER:
        return _number(question, raw)
    if kind is QuestionType.DATE:
        if isinstance(raw, datetime) or not isinstance(raw, date):
            raise Refused(gettext_noop("expected a date, got %(value)s"), value=repr(raw))
        if question.past_only and on is not None and raw > on:
            raise Refused(
                gettext_noop("%(date)s is after the day of the screening (%(day)s)"),
                date=raw.isoformat(),
                day=on.isoformat(),
            )
        return raw
    if not isinstance(raw, str):
        raise Refused(gettext_noop("expected text, got %(value)s"), value=repr(raw))
    text = raw.strip()
    if len(text) > question.max_length:
        raise Refused(
            gettext_noop("at most %(limit)s characters (%(given)s given)"),
            limit=question.max_length,
            given=len(text),
        )
    return text


def _choice(question: Question, raw: object) -> Answer:
    allowed = question.option_values
    if not question.multiple:
        if not isinstance(raw, str) or raw not in allowed:
            raise Refused(
                gettext_noop("%(value)s is not one of: %(options)s"),
                value=repr(raw),
                options=", ".join(allowed),
            )
        return raw
    if isinstance(raw, str) or not isinstance(raw, list | tuple | set | frozenset):
        raise Refused(gettext_noop("expected a list of options, got %(value)s"), value=repr(raw))
    chosen = list(raw)
    unknown = [value for value in chosen if value not in allowed]
    if unknown:
        raise Refused(
            gettext_noop("not options: %(values)s (options: %(options)s)"),
            values=", ".join(map(repr, unknown)),
            options=", ".join(allowed),
        )
    if len(set(chosen)) != len(chosen):
        raise Refused(gettext_noop("an option is chosen twice"))
    return tuple(value for value in allowed if value in chosen)


def _number(question: Question, raw: object) -> Answer:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        raise Refused(gettext_noop("expected a number, got %(value)s"), value=repr(raw))
    if question.integer and not float(raw).is_integer():
        raise Refused(gettext_noop("expected a whole number, got %(value)s"), value=repr(raw))
    if question.minimum is not None and raw < question.minimum:
        raise Refused(
            gettext_noop("%(value)s is below the minimum %(minimum)s"),
            value=f"{raw:g}",
            minimum=f"{question.minimum:g}",
        )
    if question.maximum is not None and raw > question.maximum:
        raise Refused(
            gettext_noop("%(value)s is above the maximum %(maximum)s"),
            value=f"{raw:g}",
            maximum=f"{question.maximum:g}",
        )
    return int(raw) if question.integer else raw


def visible(
    questions: Sequence[Question],
    answers: Mapping[str, object],
    facts_of: Callable[[Answers], Facts],
    on: date | None,
) -> tuple[str, ...]:
    """The ids of the questions to ask given ``answers`` so far (for a form that shows the next
    questions as it is filled in). Unlike :func:`walk` it refuses nothing: answers that do not
    fit, or to questions no longer asked, are left out of the skip logic."""
    normalised: dict[str, Answer] = {}
    asked: list[str] = []
    for question in questions:
        if question.ask_if is not None and not question.ask_if.holds(normalised, facts_of(normalised)):
            continue
        asked.append(question.id)
        raw = _given(question, answers)
        if raw is None:
            continue
        try:
            normalised[question.id] = _normalise(question, raw, on)
        except ValueError:
            continue
    return tuple(asked)
