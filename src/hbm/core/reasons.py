"""An engine's reasons for refusing an answer, in the user's language.

Engines are pure Python and name their reasons in English (:class:`~hbm.engines.datafile.Reason`:
a catalogue sentence and the values that fill it in); the services that show them translate here.
"""

from __future__ import annotations

from django.utils.translation import gettext

from hbm.engines.datafile import AnswerError, Reason


def reason_text(reason: Reason) -> str:
    """``reason`` in the active language: its sentence translated, then filled in (values — a value
    as given, an option code — stay as they are)."""
    text = gettext(reason.text)
    return text % dict(reason.values) if reason.values else text


def answer_reasons(error: AnswerError, prefix: str = "answers.") -> dict[str, str]:
    """Each refused answer of ``error`` by its field path (``prefix`` + question id), in the active
    language."""
    return {f"{prefix}{name}": reason_text(reason) for name, reason in error.reasons.items()}
