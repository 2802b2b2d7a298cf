"""Group token numbers for wristbands and cards, with a Luhn mod N check character.

A token is 8 random characters followed by 1 check character, all from a 32-character alphabet
without the lookalikes ``0``/``O`` and ``1``/``I``: ``23456789ABCDEFGHJKLMNPQRSTUVWXYZ``. Tokens are
random rather than sequential so that any device can issue them offline without coordination.

Contract:

* Canonical form: 9 uppercase characters, e.g. ``'7KQ2M9XHD'``; display form ``'7KQ2-M9XH-D'``.
* The check character is the Luhn mod N algorithm (N = 32) over that alphabet, computed by the
  ``python-stdnum`` library (:mod:`stdnum.luhn`), not by hand. Luhn mod N detects every single
  substitution and every adjacent transposition except one pair: the characters of value 0 and
  N-1, here ``'2'`` and ``'Z'`` (``…2Z…`` and ``…Z2…`` have the same checksum), exactly as plain
  Luhn misses ``09``/``90``.
* Randomness: 8 characters of 32 are 40 bits. Uniqueness is the caller's job (a database unique
  constraint and a retry): among 100 000 tokens a collision has a probability of about 0.5 %.
* :func:`token_validate` raises :class:`TokenError` with ``code`` ``'length'``, ``'character'`` or
  ``'check'`` and an English message that says which.
"""

from __future__ import annotations

import random
import secrets
from typing import Final, Literal

from stdnum import luhn

__all__ = [
    "TOKEN_ALPHABET",
    "TOKEN_BODY_LENGTH",
    "TOKEN_LENGTH",
    "TokenError",
    "TokenErrorCode",
    "token_format",
    "token_generate",
    "token_is_valid",
    "token_normalise",
    "token_validate",
]

TOKEN_ALPHABET: Final = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # noqa: S105 -- an alphabet, not a secret
TOKEN_BODY_LENGTH: Final = 8
TOKEN_LENGTH: Final = TOKEN_BODY_LENGTH + 1

TokenErrorCode = Literal["length", "character", "check"]

# Word processors and phone keyboards substitute these for the hyphen people meant to type.
_SEPARATORS: Final = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2212")
_NEVER_USED: Final = frozenset("01IO")


class TokenError(ValueError):
    """A text that is not a valid token; ``code`` says why, ``position`` (1-based) where if known."""

    def __init__(self, code: TokenErrorCode, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.code: TokenErrorCode = code
        self.position = position


def token_generate(rng: random.Random | None = None) -> str:
    """A new token in canonical form (9 characters, the last one the check character).

    With no ``rng`` the characters come from :func:`secrets.choice`; pass a seeded
    :class:`random.Random` only for reproducible test or demonstration data.
    """
    choose = secrets.choice if rng is None else rng.choice
    body = "".join(choose(TOKEN_ALPHABET) for _ in range(TOKEN_BODY_LENGTH))
    return body + luhn.calc_check_digit(body, alphabet=TOKEN_ALPHABET)


def token_normalise(text: str) -> str:
    """``text`` uppercased without whitespace or dashes; nothing else is changed.

    Lookalikes are not mapped: ``O``, ``0``, ``I`` and ``1`` have no counterpart in the alphabet
    that a guess could safely pick, so :func:`token_validate` reports them instead.
    """
    return "".join(char for char in text.upper() if not char.isspace() and char not in _SEPARATORS)


def token_validate(text: str) -> str:
    """The canonical token for ``text`` (any case, with or without spaces and dashes).

    Raises :class:`TokenError` for a wrong length (``code='length'``), a character outside the
    alphabet (``code='character'``, naming the character and its position among the 9), or a check
    character that does not match (``code='check'``).
    """
    token = token_normalise(text)
    _require_length(token)
    _require_alphabet(token)
    if not luhn.is_valid(token, alphabet=TOKEN_ALPHABET):
        raise TokenError("check", "Check character does not match: the token was probably mistyped.")
    return token


def token_is_valid(text: str) -> bool:
    """True when :func:`token_validate` would accept ``text``."""
    try:
        token_validate(text)
    except TokenError:
        return False
    return True


def token_format(token: str) -> str:
    """Display form ``XXXX-XXXX-C`` of a valid token; raises :class:`TokenError` as :func:`token_validate`."""
    canonical = token_validate(token)
    return f"{canonical[0:4]}-{canonical[4:8]}-{canonical[8]}"


def _require_length(token: str) -> None:
    if len(token) != TOKEN_LENGTH:
        raise TokenError(
            "length",
            f"A token has {TOKEN_LENGTH} characters ({TOKEN_BODY_LENGTH} and a check character), "
            f"not counting spaces and dashes; got {len(token)}.",
        )


def _require_alphabet(token: str) -> None:
    for position, char in enumerate(token, start=1):
        if char in TOKEN_ALPHABET:
            continue
        hint = " (tokens never use 0, 1, I or O)" if char in _NEVER_USED else ""
        raise TokenError(
            "character",
            f"Character {char!r} at position {position} is not used in tokens{hint}.",
            position=position,
        )
