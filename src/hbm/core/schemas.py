"""Base schemas for the API: inputs refuse unknown fields."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import ConfigDict, ModelWrapValidatorHandler, ValidationInfo, model_validator


class InSchema(Schema):
    """Every API input: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(
        cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo
    ) -> Any:
        """Validate once. Ninja's Schema validates a model that forbids extra fields twice (the
        values as given, then through its ORM attribute getter), and each nested input schema twice
        per pass. Inputs are parsed JSON, never ORM objects, so the first pass is the whole answer:
        the same values and the same errors, for about 5 % of a registration's CPU."""
        return handler(values)


class ErrorOut(Schema):
    """The one shape of every error: a code, a sentence, and messages per field path."""

    code: str
    message: str
    fields: dict[str, list[str]]
