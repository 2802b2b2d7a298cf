"""The exceptions of the planning engine: a figures file that does not validate, an input refused."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["FiguresError", "PlanningInputError", "Problem"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a figures or overlay file: its ``line`` (1-based; 0 where there is no line,
    e.g. the file is empty), the ``path`` to the offending key (``items.toilets.figure.initial``) and
    the ``reason`` in words the author of the file can act on."""

    line: int
    path: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"line {self.line}: {where}{self.reason}"


class FiguresError(ValueError):
    """A figures file or a country overlay that does not validate.

    ``problems`` holds every problem found (not only the first), ordered by line; ``source`` names
    the file. ``str()`` gives one ``source:line: path: reason`` per problem."""

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems = tuple(sorted(problems, key=lambda p: (p.line, p.path, p.reason)))
        lines = [f"{source}:{p.line}: {p.path + ': ' if p.path else ''}{p.reason}" for p in self.problems]
        super().__init__("\n".join(lines))


class PlanningInputError(ValueError):
    """A planning input that cannot be computed. ``field`` names the offending field as a path
    (``arrivals_per_day[3]``), ``reason`` says why."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
