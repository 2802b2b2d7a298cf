"""The exceptions of the planning engine: a figures file that does not validate, an input refused."""

from __future__ import annotations

from hbm.engines.datafile import DefinitionError, Problem

__all__ = ["FiguresError", "PlanningInputError", "Problem"]


class FiguresError(DefinitionError):
    """A figures file or a country overlay that does not validate.

    ``problems`` holds every problem found (not only the first), ordered by line; ``source`` names
    the file. ``str()`` gives one ``source:line: path: reason`` per problem."""


class PlanningInputError(ValueError):
    """A planning input that cannot be computed. ``field`` names the offending field as a path
    (``arrivals_per_day[3]``), ``reason`` says why."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
