"""Group tokens: generation, normalisation, and the error-detection guarantees of Luhn mod 32."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from stdnum import luhn

from hbm.engines.tokens import (
    TOKEN_ALPHABET,
    TOKEN_LENGTH,
    TokenError,
    token_format,
    token_generate,
    token_is_valid,
    token_normalise,
    token_validate,
)

# Luhn mod N misses the adjacent transposition of the characters of value 0 and N - 1 only.
UNDETECTED_PAIR = frozenset({TOKEN_ALPHABET[0], TOKEN_ALPHABET[-1]})


def _sample_tokens(count: int, seed: int = 20240229) -> list[str]:
    rng = random.Random(seed)
    return [token_generate(rng) for _ in range(count)]


def _with_check(body: str) -> str:
    return body + luhn.calc_check_digit(body, alphabet=TOKEN_ALPHABET)


def _swap(token: str, index: int) -> str:
    return token[:index] + token[index + 1] + token[index] + token[index + 2 :]


def test_alphabet_has_32_unambiguous_characters() -> None:
    assert len(TOKEN_ALPHABET) == len(set(TOKEN_ALPHABET)) == 32
    assert not set("01IO") & set(TOKEN_ALPHABET)
    assert {"2", "Z"} == UNDETECTED_PAIR


def test_generated_tokens_validate_and_are_canonical() -> None:
    for token in _sample_tokens(2000):
        assert len(token) == TOKEN_LENGTH
        assert set(token) <= set(TOKEN_ALPHABET)
        assert token_validate(token) == token


def test_generation_without_rng_uses_secrets_and_validates() -> None:
    tokens = {token_generate() for _ in range(200)}
    assert len(tokens) == 200
    assert all(token_is_valid(token) for token in tokens)


def test_seeded_generation_is_reproducible() -> None:
    assert _sample_tokens(5, seed=7) == _sample_tokens(5, seed=7)
    assert _sample_tokens(5, seed=7) != _sample_tokens(5, seed=8)


def test_generation_uses_the_whole_alphabet() -> None:
    seen = {char for token in _sample_tokens(500) for char in token[:-1]}
    assert seen == set(TOKEN_ALPHABET)


@pytest.mark.parametrize("token", _sample_tokens(6))
def test_every_single_substitution_is_rejected(token: str) -> None:
    for index in range(TOKEN_LENGTH):
        for char in TOKEN_ALPHABET.replace(token[index], ""):
            damaged = token[:index] + char + token[index + 1 :]
            with pytest.raises(TokenError) as caught:
                token_validate(damaged)
            assert caught.value.code == "check"


def _adjacent_pairs_in_body(body: str) -> Iterator[tuple[str, int]]:
    """Valid tokens with every ordered pair of distinct characters at every adjacent body position."""
    for index in range(len(body) - 1):
        for first in TOKEN_ALPHABET:
            for second in TOKEN_ALPHABET.replace(first, ""):
                yield _with_check(body[:index] + first + second + body[index + 2 :]), index


@pytest.mark.parametrize("token", _sample_tokens(3, seed=99))
def test_adjacent_transpositions_in_the_body_are_caught_except_2_z(token: str) -> None:
    missed: set[frozenset[str]] = set()
    checked = 0
    for valid, index in _adjacent_pairs_in_body(token[:-1]):
        swapped = _swap(valid, index)
        checked += 1
        if token_is_valid(swapped):
            missed.add(frozenset(valid[index : index + 2]))
    assert checked == 7 * 32 * 31
    assert missed == {UNDETECTED_PAIR}


def test_transposition_with_the_check_character_is_caught_except_2_z() -> None:
    missed: set[frozenset[str]] = set()
    for token in _sample_tokens(50):
        for last in TOKEN_ALPHABET:
            valid = _with_check(token[:7] + last)
            if valid[7] != valid[8] and token_is_valid(_swap(valid, 7)):
                missed.add(frozenset(valid[7:9]))
    assert missed == {UNDETECTED_PAIR}


def test_the_known_2_z_transposition_really_passes() -> None:
    valid = _with_check("ABCD2ZEF")
    assert token_is_valid(valid)
    assert token_is_valid(_swap(valid, 4))


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("abcd-efgh-j", "ABCDEFGHJ"),
        (" abcd efgh j ", "ABCDEFGHJ"),
        ("ABCD\u2013EFGH\u2013J", "ABCDEFGHJ"),
        ("a-b-c-d-e-f-g-h-j", "ABCDEFGHJ"),
        ("abcd\tefgh\nj", "ABCDEFGHJ"),
    ],
)
def test_normalise_uppercases_and_drops_separators(typed: str, canonical: str) -> None:
    assert token_normalise(typed) == canonical


def test_normalise_does_not_map_lookalikes() -> None:
    assert token_normalise("o0i1-l") == "O0I1L"


def test_validate_accepts_display_form_and_lowercase() -> None:
    token = _sample_tokens(1)[0]
    assert token_validate(token_format(token).lower()) == token
    assert token_validate(" " + token_format(token) + " ") == token


def test_format_groups_four_four_one() -> None:
    token = _with_check("7KQ2M9XH")
    assert token_format(token) == f"7KQ2-M9XH-{token[-1]}"
    assert token_format(token.lower()) == token_format(token)


def test_format_refuses_an_invalid_token() -> None:
    with pytest.raises(TokenError):
        token_format("ABCD-EFGH")


@pytest.mark.parametrize("text", ["", "ABCD-EFGH", "ABCD-EFGH-JK", "2" * 20])
def test_wrong_length_is_reported_as_such(text: str) -> None:
    with pytest.raises(TokenError, match=r"9 characters.*got \d+") as caught:
        token_validate(text)
    assert caught.value.code == "length"
    assert caught.value.position is None


@pytest.mark.parametrize(
    ("text", "char", "position"),
    [("ABCD-OFGH-J", "O", 5), ("0BCDEFGHJ", "0", 1), ("ABCDEFGH1", "1", 9), ("ABCDEFG!J", "!", 8)],
)
def test_character_outside_alphabet_is_named_with_its_position(text: str, char: str, position: int) -> None:
    with pytest.raises(TokenError) as caught:
        token_validate(text)
    assert caught.value.code == "character"
    assert caught.value.position == position
    assert f"{char!r} at position {position}" in str(caught.value)


def test_lookalike_message_explains_the_alphabet() -> None:
    with pytest.raises(TokenError, match="never use 0, 1, I or O"):
        token_validate("ABCDIFGHJ")


def test_failed_check_message_says_probably_mistyped() -> None:
    valid = _with_check("ABCDEFGH")
    damaged = valid[:-1] + ("2" if valid[-1] != "2" else "3")
    with pytest.raises(
        TokenError, match=r"(?i)check character does not match: the token was probably mistyped"
    ):
        token_validate(damaged)


def test_token_error_is_a_value_error() -> None:
    assert issubclass(TokenError, ValueError)
    assert not token_is_valid("nonsense")
