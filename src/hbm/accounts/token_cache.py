"""Device tokens this worker verified a moment ago, so a busy device costs no query per request.

Looking a token up (token and user, one query) cost about 0.9 ms of CPU in a registration of about
4 ms (benchmarks/RESULTS.md). A token that ``device_token_authenticate`` accepted is remembered in
this process (``device_token_verified``) for ``settings.HBM_TOKEN_CACHE_SECONDS`` (5 s by default;
0 turns this off).

That number is the bound of decision 0013: a token revoked, or whose user was deactivated or given
another role, keeps working in another worker for at most that long after the change's commit, and
never longer. The worker that revokes a token forgets it at the commit, so there it stops at once.
Expiry runs on the monotonic clock: setting the wall clock back cannot stretch it.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from dataclasses import dataclass

from hbm.accounts.models import DeviceToken

# Only verified tokens are kept, so this bounds memory by the number of devices in use, not by
# what strangers send; past it the whole table is dropped (then refilled, one query per device).
MAX_ENTRIES = 10_000


@dataclass(frozen=True, slots=True)
class _Verified:
    token: DeviceToken
    expires: float  # on the monotonic clock


class VerifiedTokens:
    """A per-process table from a token's SHA-256 to the token (with its user) verified at most
    ``seconds`` ago. The raw token is never kept. Safe across threads: each operation is one dict
    operation, atomic under the GIL."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._entries: dict[str, _Verified] = {}
        self._clock = clock

    def get(self, key_hash: str) -> DeviceToken | None:
        """A copy of the token and its user, so nothing a request sets on them reaches the next."""
        entry = self._entries.get(key_hash)
        if entry is None:
            return None
        if self._clock() >= entry.expires:
            self._entries.pop(key_hash, None)
            return None
        token = copy.copy(entry.token)
        token.user = copy.copy(entry.token.user)
        return token

    def now(self) -> float:
        return self._clock()

    def put(self, key_hash: str, token: DeviceToken, *, looked_up_at: float, seconds: float) -> None:
        """Trust ``token`` until ``seconds`` after ``looked_up_at``, taken (with :meth:`now`) before
        the query that verified it: a revocation that query did not see committed after that."""
        if seconds <= 0:
            return
        if len(self._entries) >= MAX_ENTRIES:
            self._entries.clear()
        kept = copy.copy(token)
        kept.user = copy.copy(token.user)  # a shallow copy of the token would share its user
        self._entries[key_hash] = _Verified(kept, looked_up_at + seconds)

    def forget(self, key_hash: str) -> None:
        self._entries.pop(key_hash, None)

    def clear(self) -> None:
        self._entries.clear()


VERIFIED_TOKENS = VerifiedTokens()


def device_token_forget(*, key_hash: str) -> None:
    """Stop trusting a token in this worker at once (after its revocation commits)."""
    VERIFIED_TOKENS.forget(key_hash)
