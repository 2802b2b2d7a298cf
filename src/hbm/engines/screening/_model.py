"""Questions, answers and urgency: what questionnaires and health checklists are made of."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, TypeAlias

from hbm.engines.screening._text import Text

if TYPE_CHECKING:
    from hbm.engines.screening._conditions import Condition

__all__ = ["Answer", "Answers", "Facts", "Option", "Question", "QuestionType", "Urgency"]

# A normalised answer: yes/no -> bool, choice -> str (one) or tuple[str, ...] (several, in the
# order of the options), number -> int | float, date -> date, text -> str.
Answer: TypeAlias = bool | str | int | float | date | tuple[str, ...]
Answers: TypeAlias = Mapping[str, Answer]
# What a condition may ask besides the answers: derived facts such as `child` (see the age policy).
Facts: TypeAlias = Callable[[str], bool]


class Urgency(StrEnum):
    """How soon a flagged need must be taken charge of. Each has a referral deadline
    (:data:`DEFAULT_DEADLINES`). Ordered: ``LIFE_THREATENING`` is the most urgent."""

    LIFE_THREATENING = "life_threatening"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """0 for the most urgent, 3 for the least: sort by it."""
        return _URGENCY_ORDER.index(self)

    @classmethod
    def most(cls, urgencies: list[Urgency] | tuple[Urgency, ...]) -> Urgency:
        """The most urgent of ``urgencies`` (not empty)."""
        return min(urgencies, key=lambda urgency: urgency.rank)


_URGENCY_ORDER = (Urgency.LIFE_THREATENING, Urgency.HIGH, Urgency.MEDIUM, Urgency.LOW)


class QuestionType(StrEnum):
    YES_NO = "yes_no"
    CHOICE = "choice"
    NUMBER = "number"
    DATE = "date"
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class Option:
    """One answer of a choice question: the stored ``value`` and its translated ``label``."""

    value: str
    label: Text


@dataclass(frozen=True, slots=True)
class Question:
    """One question. ``text`` is what the interviewer says or records; ``guidance`` how to ask it
    in a sensitive interview. ``ask_if`` (skip logic) refers only to earlier questions; a question
    whose ``ask_if`` does not hold is not asked and must have no answer.

    Type-specific: ``options``/``multiple`` (choice), ``minimum``/``maximum``/``integer``
    (number), ``past_only`` (date: not after the day of the screening), ``max_length`` (text).
    ``required``: a visible required question must be answered (most are not: nobody is made to
    answer a sensitive question).
    """

    id: str
    type: QuestionType
    text: Text
    guidance: Text
    line: int
    options: tuple[Option, ...] = ()
    multiple: bool = False
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    past_only: bool = False
    max_length: int = 1000
    required: bool = False
    ask_if: Condition | None = None

    @property
    def option_values(self) -> tuple[str, ...]:
        return tuple(option.value for option in self.options)
