"""Base schemas for the API: inputs refuse unknown fields."""

from __future__ import annotations

from ninja import Schema
from pydantic import ConfigDict


class InSchema(Schema):
    """Every API input: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ErrorOut(Schema):
    """The one shape of every error: a code, a sentence, and messages per field path."""

    code: str
    message: str
    fields: dict[str, list[str]]
