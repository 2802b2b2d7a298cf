"""Service refusals as the officer reads them: each message next to the input it concerns.

Services raise :class:`~hbm.core.errors.HbmError` with messages already in the active language,
keyed by field paths (``documents.0.mrz.document_number``). This module only finds the form input
each path belongs to; the wording is the service's own.
"""

from __future__ import annotations

from collections.abc import Mapping

from django import forms

from hbm.core.errors import HbmError

# A token typed on a form is checked there with the same words the services use.
from hbm.registration.messages import token_error_text as token_error_text


def form_field_of(field_path: str, fields: Mapping[str, object], aliases: Mapping[str, str]) -> str | None:
    """The form field a service field path belongs to, ``None`` for the form as a whole.

    ``documents.0.mrz.document_number`` → ``mrz``; ``documents.0.issuing_state`` → ``issuing_state``;
    ``documents`` → ``aliases['documents']``; ``languages.2`` → ``languages``.
    """
    parts = field_path.split(".")
    name = parts[2] if parts[0] == "documents" and len(parts) >= 3 else parts[0]
    name = aliases.get(name, name)
    return name if name in fields else None


def service_errors_apply(
    form: forms.Form, error: HbmError, *, aliases: Mapping[str, str] | None = None
) -> None:
    """Put every message of a service refusal on the form: by field where one matches, else on top."""
    if not error.fields:
        form.add_error(None, error.message)
        return
    for field_path, messages in error.fields.items():
        target = form_field_of(field_path, form.fields, aliases or {})
        for message in messages:
            form.add_error(target, message)
