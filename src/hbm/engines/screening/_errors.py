"""The exceptions of the screening engine: a definition, an answer or a transition that is refused."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["AnswerError", "DefinitionError", "Problem", "TransitionError"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a definition file: its ``line`` (1-based; 0 where the file has no line,
    e.g. it is empty), the ``path`` to the offending value (``questions[3].ask_if.equals``) and the
    ``reason`` in words the author of the file can act on."""

    line: int
    path: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"line {self.line}: {where}{self.reason}"


class DefinitionError(ValueError):
    """A questionnaire, health checklist, pathway or code file that does not validate.

    ``problems`` holds every problem found (not only the first), ordered by line; ``source`` names
    the file. ``str()`` gives one ``source:line: path: reason`` per problem.
    """

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems = tuple(sorted(problems, key=lambda p: (p.line, p.path, p.reason)))
        lines = [f"{source}:{p.line}: {p.path + ': ' if p.path else ''}{p.reason}" for p in self.problems]
        super().__init__("\n".join(lines))


class AnswerError(ValueError):
    """Answers that do not fit the questions. ``fields`` maps each offending question id (or the
    name of the argument) to the reason, every one found; the API layer returns them as field
    errors."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        self.fields: Mapping[str, str] = MappingProxyType(dict(sorted(fields.items())))
        super().__init__("; ".join(f"{name}: {reason}" for name, reason in self.fields.items()))


class TransitionError(ValueError):
    """A referral status change that the lifecycle does not allow (or a closing without an outcome).
    ``current`` and ``new`` are the statuses as given; ``reason`` says why."""

    def __init__(self, current: str, new: str, reason: str) -> None:
        self.current = current
        self.new = new
        self.reason = reason
        super().__init__(f"{current} -> {new}: {reason}")
