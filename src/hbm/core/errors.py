"""One exception hierarchy for every refusal; the API turns each into ``{code, message, fields}``."""

from __future__ import annotations


class HbmError(Exception):
    """Base of every expected refusal. ``fields`` maps a field path to its messages."""

    status = 400
    code = "error"

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class ValidationFailed(HbmError):
    """The input is well-formed but breaks a rule (a check digit, the mode's mandatory fields)."""

    status = 422
    code = "invalid"

    @classmethod
    def on(cls, field: str, message: str) -> ValidationFailed:
        """A failure of one named field."""
        return cls(f"{field}: {message}", fields={field: [message]})


class NotAuthenticated(HbmError):
    status = 401
    code = "not_authenticated"


class DeviceRevoked(NotAuthenticated):
    """The device's token was revoked (a lost or stolen device): it must say so, not just 401."""

    code = "device_revoked"


class PermissionDenied(HbmError):
    """The actor's role may not do this. Not used to hide whether a person exists: see NotFound."""

    status = 403
    code = "forbidden"


class NotFound(HbmError):
    """Missing, or not visible to this actor: the two are never distinguished."""

    status = 404
    code = "not_found"


class Conflict(HbmError):
    """The request collides with the current state (an illegal transition, a reused id)."""

    status = 409
    code = "conflict"
