"""Who is acting, from which device: carried from the request into every service and audit row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hbm.accounts.models import User


@dataclass(frozen=True, slots=True)
class Actor:
    """The person acting and the device they act from.

    ``device`` is a device token's label ("token:<id> <name>") for API clients, "browser" for
    sessions and "cli" for commands; ``address`` the client IP when known.
    """

    user: User
    device: str = "browser"
    address: str | None = None
