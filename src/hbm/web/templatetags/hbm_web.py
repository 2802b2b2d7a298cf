"""Template helpers of the officers' pages: names of codes, tokens, mode badges, enum labels."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.db import models

from hbm.audit.enums import event_label
from hbm.crossings.enums import CrossingKind, CrossingMode
from hbm.engines.tokens import TokenError, token_format
from hbm.registration.countries import country_name, language_name
from hbm.registration.enums import (
    BirthDateAccuracy,
    DocumentCondition,
    DocumentKind,
    NoDocumentReason,
    Relationship,
    Sex,
    Tier,
)

register = template.Library()

_ENUMS: dict[str, type[models.TextChoices]] = {
    "mode": CrossingMode,
    "kind": CrossingKind,
    "tier": Tier,
    "sex": Sex,
    "relationship": Relationship,
    "document_kind": DocumentKind,
    "condition": DocumentCondition,
    "accuracy": BirthDateAccuracy,
    "no_document_reason": NoDocumentReason,
}


@register.filter
def country(code: str) -> str:
    """``UKR`` → ``Ukraine`` in the active language."""
    return country_name(code)


@register.filter
def language(code: str) -> str:
    return language_name(code)


@register.filter
def token(value: str) -> str:
    """A stored token in its display form ``XXXX-XXXX-C`` (as stored if it is not a valid token)."""
    try:
        return token_format(value)
    except TokenError:
        return value


@register.filter
def label(value: Any, vocabulary: str) -> str:
    """The translated label of a stored enum value: ``{{ encounter.tier|label:"tier" }}``."""
    enum = _ENUMS[vocabulary]
    try:
        return str(enum(value).label)
    except ValueError:
        return str(value)


@register.filter
def audit_event(code: str) -> str:
    """An audit event's label in the reader's language (the code itself for an unknown one)."""
    return str(event_label(code))


@register.inclusion_tag("web/_mode_badge.html")
def mode_badge(mode: str) -> dict[str, str]:
    """The mode of a crossing point as a coloured badge (emergency red, recovery amber)."""
    return {"mode": mode, "label": label(mode, "mode")}


@register.filter
def field_type(bound_field: Any) -> str:
    """``checkbox``, ``radioselect``, ``select``, ``textarea`` …, for the field template's layout."""
    return str(bound_field.widget_type)


@register.filter
def as_json(value: Any) -> str:
    """An audit entry's detail as compact JSON (identifiers and field names only, never values)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))
