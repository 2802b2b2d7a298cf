"""The exceptions of the screening engine: a definition, an answer or a transition that is refused.
``Problem`` and ``DefinitionError`` are those of :mod:`hbm.engines.datafile`, shared by the engines."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from hbm.engines.datafile import DefinitionError, Problem

__all__ = ["AnswerError", "DefinitionError", "Problem", "TransitionError"]


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
