"""The exceptions of the assessment engine: a questionnaire file or answers that are refused.
``AnswerError`` is that of :mod:`hbm.engines.datafile`, shared with the screening engine."""

from __future__ import annotations

from hbm.engines.datafile import AnswerError, DefinitionError, Problem

__all__ = ["AnswerError", "Problem", "QuestionnaireError"]


class QuestionnaireError(DefinitionError):
    """A questionnaire file that does not validate. ``problems`` holds every problem found, ordered
    by line; ``source`` names the file. ``str()`` gives one ``source:line: path: reason`` each."""
