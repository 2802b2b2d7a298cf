"""The exceptions of the assessment engine: a questionnaire file or answers that are refused."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["AnswerError", "Problem", "QuestionnaireError"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a questionnaire file: its ``line`` (1-based; 0 where there is no line),
    the ``path`` to the offending key (``pillars[2].questions[0].levels.3.fr``) and the ``reason``."""

    line: int
    path: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"line {self.line}: {where}{self.reason}"


class QuestionnaireError(ValueError):
    """A questionnaire file that does not validate. ``problems`` holds every problem found, ordered
    by line; ``source`` names the file. ``str()`` gives one ``source:line: path: reason`` each."""

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems = tuple(sorted(problems, key=lambda p: (p.line, p.path, p.reason)))
        lines = [f"{source}:{p.line}: {p.path + ': ' if p.path else ''}{p.reason}" for p in self.problems]
        super().__init__("\n".join(lines))


class AnswerError(ValueError):
    """Answers that do not fit the questionnaire. ``fields`` maps each offending question id (or
    argument name) to the reason, every one found, so that an API can return them as field errors."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        self.fields: Mapping[str, str] = MappingProxyType(dict(sorted(fields.items())))
        super().__init__("; ".join(f"{name}: {reason}" for name, reason in self.fields.items()))
