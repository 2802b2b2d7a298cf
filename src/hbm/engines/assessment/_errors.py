"""The exceptions of the assessment engine: a questionnaire file or answers that are refused."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from hbm.engines.datafile import DefinitionError, Problem

__all__ = ["AnswerError", "Problem", "QuestionnaireError"]


class QuestionnaireError(DefinitionError):
    """A questionnaire file that does not validate. ``problems`` holds every problem found, ordered
    by line; ``source`` names the file. ``str()`` gives one ``source:line: path: reason`` each."""


class AnswerError(ValueError):
    """Answers that do not fit the questionnaire. ``fields`` maps each offending question id (or
    argument name) to the reason, every one found, so that an API can return them as field errors."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        self.fields: Mapping[str, str] = MappingProxyType(dict(sorted(fields.items())))
        super().__init__("; ".join(f"{name}: {reason}" for name, reason in self.fields.items()))
