"""The one exception of the simulation engine."""

from __future__ import annotations


class ScenarioError(ValueError):
    """A scenario (or an argument of :func:`simulate`, :func:`replicate`, :func:`staff`) that cannot
    be simulated. ``field`` names the offending field as a path (``stages[2].servers``), ``reason``
    says why in words a planner can act on."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
