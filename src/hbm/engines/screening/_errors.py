"""The exceptions of the screening engine: a definition, an answer or a transition that is refused.
``AnswerError``, ``Problem`` and ``DefinitionError`` are those of :mod:`hbm.engines.datafile`, shared
by the engines."""

from __future__ import annotations

from hbm.engines.datafile import AnswerError, DefinitionError, Problem

__all__ = ["AnswerError", "DefinitionError", "Problem", "TransitionError"]


class TransitionError(ValueError):
    """A referral status change that the lifecycle does not allow (or a closing without an outcome).
    ``current`` and ``new`` are the statuses as given; ``reason`` says why."""

    def __init__(self, current: str, new: str, reason: str) -> None:
        self.current = current
        self.new = new
        self.reason = reason
        super().__init__(f"{current} -> {new}: {reason}")
