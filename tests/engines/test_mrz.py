"""MRZ engine: ICAO Doc 9303 specimens, check digits, century rules, builders, and a peer library."""

from __future__ import annotations

import random
import string
from dataclasses import FrozenInstanceError
from datetime import date
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from mrz.checker.mrva import MRVACodeChecker
from mrz.checker.mrvb import MRVBCodeChecker
from mrz.checker.td1 import TD1CodeChecker
from mrz.checker.td2 import TD2CodeChecker
from mrz.checker.td3 import TD3CodeChecker

from hbm.engines.mrz import (
    CheckResult,
    MrzFormatError,
    MrzResult,
    build_td1,
    build_td2,
    build_td3,
    check_digit,
    is_known_state_code,
    parse_mrz,
    resolve_birth_date,
    resolve_expiry_date,
)

# Specimens of Doc 9303 (fictitious state Utopia, holder Anna Maria Eriksson).
TD3_SPECIMEN = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
TD1_SPECIMEN = (
    "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"
)
TD2_SPECIMEN = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6"
MRVA_SPECIMEN = "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL8988901C4XXX4009078F96121096ZE184226B<<<<<<"
MRVB_SPECIMEN = "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nL8988901C4XXX4009078F9612109<<<<<<<<"

BEFORE_EXPIRY = date(2011, 1, 1)
AFTER_EXPIRY = date(2025, 6, 1)

# (line index, column) of each check digit, per format.
CHECK_POSITIONS: dict[str, dict[str, tuple[int, int]]] = {
    "TD1": {
        "document_number": (0, 14),
        "date_of_birth": (1, 6),
        "date_of_expiry": (1, 14),
        "composite": (1, 29),
    },
    "TD2": {
        "document_number": (1, 9),
        "date_of_birth": (1, 19),
        "date_of_expiry": (1, 27),
        "composite": (1, 35),
    },
    "TD3": {
        "document_number": (1, 9),
        "date_of_birth": (1, 19),
        "date_of_expiry": (1, 27),
        "personal_number": (1, 42),
        "composite": (1, 43),
    },
    "MRVA": {"document_number": (1, 9), "date_of_birth": (1, 19), "date_of_expiry": (1, 27)},
}
SPECIMENS = {"TD1": TD1_SPECIMEN, "TD2": TD2_SPECIMEN, "TD3": TD3_SPECIMEN, "MRVA": MRVA_SPECIMEN}


def _replace(text: str, line: int, column: int, char: str) -> str:
    lines = text.split("\n")
    lines[line] = lines[line][:column] + char + lines[line][column + 1 :]
    return "\n".join(lines)


def _other_digit(char: str) -> str:
    return str((int(char) + 1) % 10) if char.isdigit() else "0"


# --- check digit --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "digit"),
    [
        ("L898902C3", "6"),
        ("740812", "2"),
        ("120415", "9"),
        ("ZE184226B<<<<<", "1"),
        ("D23145890", "7"),
        ("", "0"),
        ("<<<<", "0"),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "7"),
        ("0123456789", "7"),
    ],
)
def test_check_digit_known_values(value: str, digit: str) -> None:
    assert check_digit(value) == digit


def test_check_digit_refuses_characters_outside_the_mrz_alphabet() -> None:
    with pytest.raises(MrzFormatError) as caught:
        check_digit("AB-1")
    assert caught.value.field == "value"


# --- specimens ----------------------------------------------------------------------------------


def _assert_anna_maria(result: MrzResult) -> None:
    assert result.issuing_state == "UTO"
    assert result.surname == "ERIKSSON"
    assert result.given_names == "ANNA MARIA"
    assert result.nationality == "UTO"
    assert result.date_of_birth == date(1974, 8, 12)
    assert result.date_of_birth_raw == "740812"
    assert result.sex == "F"
    assert result.date_of_expiry == date(2012, 4, 15)
    assert result.date_of_expiry_raw == "120415"
    assert result.is_valid
    assert result.failed_checks == ()
    assert not result.expired
    assert not result.issuing_state_known
    assert not result.nationality_known


def test_td3_specimen() -> None:
    result = parse_mrz(TD3_SPECIMEN, today=BEFORE_EXPIRY)
    _assert_anna_maria(result)
    assert result.format == "TD3"
    assert result.document_type == "P"
    assert result.document_number == "L898902C3"
    assert result.optional_data == "ZE184226B"
    assert result.optional_data_2 == ""
    assert result.raw_lines == tuple(TD3_SPECIMEN.split("\n"))
    assert result.checks == (
        CheckResult("document_number", "L898902C3", "6", "6", True),
        CheckResult("date_of_birth", "740812", "2", "2", True),
        CheckResult("date_of_expiry", "120415", "9", "9", True),
        CheckResult("personal_number", "ZE184226B<<<<<", "1", "1", True),
        CheckResult("composite", "L898902C3674081221204159ZE184226B<<<<<1", "0", "0", True),
    )


def test_td1_specimen() -> None:
    result = parse_mrz(TD1_SPECIMEN, today=BEFORE_EXPIRY)
    _assert_anna_maria(result)
    assert result.format == "TD1"
    assert result.document_type == "I"
    assert result.document_number == "D23145890"
    assert result.optional_data == ""
    assert result.optional_data_2 == ""
    assert [check.name for check in result.checks] == [
        "document_number",
        "date_of_birth",
        "date_of_expiry",
        "composite",
    ]
    assert result.checks[-1].field == "D231458907<<<<<<<<<<<<<<<74081221204159<<<<<<<<<<<"
    assert result.checks[-1].expected == "6"


def test_td2_specimen() -> None:
    result = parse_mrz(TD2_SPECIMEN, today=BEFORE_EXPIRY)
    _assert_anna_maria(result)
    assert result.format == "TD2"
    assert result.document_type == "I"
    assert result.document_number == "D23145890"
    assert result.optional_data == ""
    assert result.checks[-1] == CheckResult("composite", "D23145890774081221204159<<<<<<<", "6", "6", True)


def test_mrv_a_and_mrv_b_specimens() -> None:
    for text, fmt, optional in ((MRVA_SPECIMEN, "MRVA", "6ZE184226B"), (MRVB_SPECIMEN, "MRVB", "")):
        result = parse_mrz(text, today=date(1995, 1, 1))
        assert result.format == fmt
        assert result.document_type == "V"
        assert (result.surname, result.given_names) == ("ERIKSSON", "ANNA MARIA")
        assert result.document_number == "L8988901C"
        assert result.nationality == "XXX"
        assert result.nationality_known
        assert result.date_of_birth == date(1940, 9, 7)
        assert result.date_of_expiry == date(1996, 12, 10)
        assert result.optional_data == optional
        assert [check.name for check in result.checks] == [
            "document_number",
            "date_of_birth",
            "date_of_expiry",
        ]
        assert result.is_valid


def test_result_is_frozen() -> None:
    result = parse_mrz(TD3_SPECIMEN, today=BEFORE_EXPIRY)
    with pytest.raises(FrozenInstanceError):
        result.surname = "X"  # type: ignore[misc]


# --- check-digit failures are reported, not raised ----------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "name"),
    [(fmt, name) for fmt, positions in CHECK_POSITIONS.items() for name in positions],
)
def test_each_corrupted_check_digit_is_reported_under_its_name(fmt: str, name: str) -> None:
    line, column = CHECK_POSITIONS[fmt][name]
    text = SPECIMENS[fmt]
    damaged = _replace(text, line, column, _other_digit(text.split("\n")[line][column]))
    result = parse_mrz(damaged, today=BEFORE_EXPIRY)
    # The composite digit covers the other check digits, so it fails with them.
    covered_by_composite = "composite" in CHECK_POSITIONS[fmt] and name != "composite"
    assert result.failed_checks == ((name, "composite") if covered_by_composite else (name,))
    assert not result.is_valid
    failed = next(check for check in result.checks if check.name == name)
    assert failed.found == damaged.split("\n")[line][column]
    assert failed.expected == text.split("\n")[line][column]


@pytest.mark.parametrize(
    ("line", "column", "name"),
    [
        (1, 2, "document_number"),
        (1, 15, "date_of_birth"),
        (1, 25, "date_of_expiry"),
        (1, 30, "personal_number"),
    ],
)
def test_corrupted_data_character_fails_its_check_and_the_composite(
    line: int, column: int, name: str
) -> None:
    original = TD3_SPECIMEN.split("\n")[line][column]
    damaged = _replace(TD3_SPECIMEN, line, column, "9" if original != "9" else "8")
    assert parse_mrz(damaged, today=BEFORE_EXPIRY).failed_checks == (name, "composite")


def test_letter_for_digit_with_the_same_value_mod_10_goes_undetected() -> None:
    # '0' is worth 0 and 'A' 10: every 7-3-1 check digit is blind to it (Part 3 §4.9 arithmetic).
    damaged = TD1_SPECIMEN.replace("D23145890", "D2314589A")
    assert damaged != TD1_SPECIMEN
    assert parse_mrz(damaged, today=BEFORE_EXPIRY).is_valid


def test_empty_personal_number_accepts_filler_or_zero_check_digit() -> None:
    filler = build_td3(
        issuing_state="UTO",
        surname="ERIKSSON",
        given_names="ANNA MARIA",
        document_number="L898902C3",
        nationality="UTO",
        date_of_birth=date(1974, 8, 12),
        sex="F",
        date_of_expiry=date(2012, 4, 15),
    )
    assert filler.split("\n")[1][42] == "<"
    zero = _replace(filler, 1, 42, "0")
    assert parse_mrz(filler, today=BEFORE_EXPIRY).is_valid
    assert parse_mrz(zero, today=BEFORE_EXPIRY).is_valid
    assert not parse_mrz(_replace(filler, 1, 42, "3"), today=BEFORE_EXPIRY).is_valid


def test_filler_check_digit_is_refused_when_personal_number_is_present() -> None:
    damaged = _replace(TD3_SPECIMEN, 1, 42, "<")
    result = parse_mrz(damaged, today=BEFORE_EXPIRY)
    assert "personal_number" in result.failed_checks


def test_expired_document_parses_with_all_checks_valid() -> None:
    result = parse_mrz(TD3_SPECIMEN, today=AFTER_EXPIRY)
    assert result.expired
    assert result.is_valid
    assert result.date_of_expiry == date(2012, 4, 15)
    assert not result.is_expired(date(2012, 4, 15))
    assert result.is_expired(date(2012, 4, 16))


# --- structural errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        (TD3_SPECIMEN[:-1], "line_2", r"Line 2 has 43 characters; expected 44"),
        (TD3_SPECIMEN.replace("P<UTO", "P<UT"), "line_1", r"Line 1 has 43 characters"),
        (TD2_SPECIMEN + "<", "line_2", r"Line 2 has 37 characters; expected 36"),
        (TD1_SPECIMEN + "<", "line_3", r"Line 3 has 31 characters; expected 30"),
        (TD1_SPECIMEN.replace("7408122F", "7408122"), "line_2", r"Line 2 has 29 characters; expected 30"),
        (TD3_SPECIMEN.split("\n")[0], "text", r"2 or 3 lines; got 1"),
        (TD1_SPECIMEN + "\n" + "<" * 30, "text", r"2 or 3 lines; got 4"),
        ("", "text", r"got 0"),
        (TD2_SPECIMEN.split("\n")[0] + "\n" + TD3_SPECIMEN.split("\n")[1], "line_2", r"expected 36"),
    ],
)
def test_wrong_shape_raises_naming_the_line(text: str, field: str, message: str) -> None:
    with pytest.raises(MrzFormatError, match=message) as caught:
        parse_mrz(text, today=BEFORE_EXPIRY)
    assert caught.value.field == field
    assert isinstance(caught.value, ValueError)


def test_space_inside_a_line_is_refused_naming_the_line() -> None:
    with pytest.raises(MrzFormatError, match=r"Line 2 contains a space at position 10") as caught:
        parse_mrz(_replace(TD3_SPECIMEN, 1, 9, " "), today=BEFORE_EXPIRY)
    assert caught.value.field == "line_2"


@pytest.mark.parametrize("char", ["é", "-", "«", "*"])
def test_characters_outside_the_alphabet_are_refused(char: str) -> None:
    with pytest.raises(MrzFormatError, match=r"Line 1 contains the character .* at position 2") as caught:
        parse_mrz(_replace(TD1_SPECIMEN, 0, 1, char), today=BEFORE_EXPIRY)
    assert caught.value.field == "line_1"


def test_unknown_sex_character_is_refused() -> None:
    with pytest.raises(MrzFormatError, match="sex 'Q'") as caught:
        parse_mrz(_replace(TD3_SPECIMEN, 1, 20, "Q"), today=BEFORE_EXPIRY)
    assert caught.value.field == "line_2"


def test_input_is_normalised() -> None:
    messy = "\n  " + TD3_SPECIMEN.lower().replace("\n", "  \r\n\r\n\t") + "  \n\n"
    assert parse_mrz(messy, today=BEFORE_EXPIRY) == parse_mrz(TD3_SPECIMEN, today=BEFORE_EXPIRY)


@pytest.mark.parametrize(("char", "sex"), [("F", "F"), ("M", "M"), ("X", "X"), ("<", "X")])
def test_sex_codes(char: str, sex: str) -> None:
    assert parse_mrz(_replace(TD3_SPECIMEN, 1, 20, char), today=BEFORE_EXPIRY).sex == sex


# --- dates and centuries ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "today", "expected"),
    [
        ("250601", date(2025, 6, 1), date(2025, 6, 1)),
        ("250602", date(2025, 6, 1), date(1925, 6, 2)),
        ("991231", date(2025, 6, 1), date(1999, 12, 31)),
        ("000101", date(2025, 6, 1), date(2000, 1, 1)),
        ("000229", date(2100, 3, 1), date(2000, 2, 29)),
        ("740812", date(1974, 8, 11), date(1874, 8, 12)),
        ("740812", date(2074, 8, 12), date(2074, 8, 12)),
        ("7408<<", date(2025, 6, 1), None),
        ("74XXXX", date(2025, 6, 1), None),
        ("741301", date(2025, 6, 1), None),
        ("010229", date(2025, 6, 1), None),
    ],
)
def test_birth_century_is_the_latest_not_in_the_future(raw: str, today: date, expected: date | None) -> None:
    assert resolve_birth_date(raw, today=today) == expected


@pytest.mark.parametrize(
    ("raw", "today", "expected"),
    [
        ("750531", date(2025, 6, 1), date(2075, 5, 31)),
        ("750601", date(2025, 6, 1), date(1975, 6, 1)),
        ("750602", date(2025, 6, 1), date(1975, 6, 2)),
        ("120415", date(2025, 6, 1), date(2012, 4, 15)),
        ("990101", date(2025, 6, 1), date(1999, 1, 1)),
        ("740228", date(2024, 2, 29), date(1974, 2, 28)),
        ("740227", date(2024, 2, 29), date(2074, 2, 27)),
        ("050101", date(2080, 1, 1), date(2105, 1, 1)),
        ("0004<<", date(2025, 6, 1), None),
    ],
)
def test_expiry_century_is_within_fifty_years(raw: str, today: date, expected: date | None) -> None:
    assert resolve_expiry_date(raw, today=today) == expected


def test_parse_uses_the_injected_today_for_centuries() -> None:
    assert parse_mrz(TD3_SPECIMEN, today=date(2070, 1, 1)).date_of_expiry == date(2112, 4, 15)
    assert parse_mrz(TD3_SPECIMEN, today=date(2070, 1, 1)).date_of_birth == date(1974, 8, 12)
    assert parse_mrz(TD3_SPECIMEN, today=date(2074, 8, 12)).date_of_birth == date(2074, 8, 12)


@pytest.mark.parametrize("raw", ["7408<<", "74XXXX", "74<<<<", "<<<<<<", "741399"])
def test_unknown_birth_date_parts_keep_raw_text_and_checks(raw: str) -> None:
    text = build_td3(
        issuing_state="UTO",
        surname="ERIKSSON",
        given_names="ANNA",
        document_number="L898902C3",
        nationality="UTO",
        date_of_birth=raw,
        sex="F",
        date_of_expiry=date(2012, 4, 15),
    )
    result = parse_mrz(text, today=BEFORE_EXPIRY)
    assert result.date_of_birth is None
    assert result.date_of_birth_raw == raw
    assert result.is_valid
    assert result.checks[1].field == raw
    damaged = _replace(text, 1, 19, _other_digit(text.split("\n")[1][19]))
    assert parse_mrz(damaged, today=BEFORE_EXPIRY).failed_checks == ("date_of_birth", "composite")


def test_unreadable_expiry_is_not_expired() -> None:
    result = parse_mrz(_replace(TD3_SPECIMEN, 1, 24, "<"), today=AFTER_EXPIRY)
    assert result.date_of_expiry is None
    assert not result.expired
    assert not result.is_expired(AFTER_EXPIRY)
    assert "date_of_expiry" in result.failed_checks


# --- country codes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "known"),
    [
        ("FRA", True),
        ("DEU", True),
        ("D", True),
        ("D<<", True),
        ("GBD", True),
        ("XXA", True),
        ("XXB", True),
        ("XXC", True),
        ("XXX", True),
        ("UNO", True),
        ("EUE", True),
        ("UTO", False),
        ("ZZZ", False),
        ("", False),
        ("FR", False),
    ],
)
def test_known_state_codes(code: str, known: bool) -> None:
    assert is_known_state_code(code) is known


def test_unknown_codes_are_reported_not_refused() -> None:
    text = TD3_SPECIMEN.replace("P<UTO", "P<ZZZ").replace("UTO7408", "D<<7408")
    result = parse_mrz(text, today=BEFORE_EXPIRY)
    assert (result.issuing_state, result.issuing_state_known) == ("ZZZ", False)
    assert (result.nationality, result.nationality_known) == ("D", True)


# --- builders and round trips -------------------------------------------------------------------


def test_builders_reproduce_the_specimens() -> None:
    common: dict[str, Any] = {
        "issuing_state": "UTO",
        "surname": "Eriksson",
        "given_names": "Anna Maria",
        "nationality": "UTO",
        "date_of_birth": date(1974, 8, 12),
        "sex": "F",
        "date_of_expiry": date(2012, 4, 15),
    }
    assert build_td3(document_number="L898902C3", optional_data="ZE184226B", **common) == TD3_SPECIMEN
    assert build_td1(document_number="D23145890", **common) == TD1_SPECIMEN
    assert build_td2(document_number="D23145890", **common) == TD2_SPECIMEN


def test_td1_long_document_number_round_trip() -> None:
    text = build_td1(
        issuing_state="BEL",
        surname="Dupont",
        given_names="Jean-Luc",
        document_number="ABC123456789",
        nationality="BEL",
        date_of_birth=date(1990, 2, 3),
        sex="M",
        date_of_expiry=date(2030, 1, 1),
        optional_data="XY12",
        optional_data_2="OPT2",
    )
    top = text.split("\n")[0]
    assert top[5:15] == "ABC123456<"
    assert top[15:19] == "789" + check_digit("ABC123456789")
    result = parse_mrz(text, today=date(2025, 1, 1))
    assert result.is_valid
    assert result.document_number == "ABC123456789"
    assert result.checks[0].field == "ABC123456789"
    assert (result.optional_data, result.optional_data_2) == ("XY12", "OPT2")
    assert (result.surname, result.given_names) == ("DUPONT", "JEAN LUC")


def test_td2_long_document_number_round_trip() -> None:
    text = build_td2(
        issuing_state="FRA",
        surname="Martin",
        given_names="",
        document_number="1234567890AB",
        nationality="FRA",
        date_of_birth=date(1990, 2, 3),
        sex="X",
        date_of_expiry=date(2030, 1, 1),
    )
    result = parse_mrz(text, today=date(2025, 1, 1))
    assert result.is_valid
    assert result.document_number == "1234567890AB"
    assert (result.surname, result.given_names, result.sex) == ("MARTIN", "", "X")


def test_long_document_number_with_a_corrupted_check_digit() -> None:
    text = build_td1(
        issuing_state="BEL",
        surname="Dupont",
        given_names="Jean",
        document_number="ABC123456789",
        nationality="BEL",
        date_of_birth=date(1990, 2, 3),
        sex="M",
        date_of_expiry=date(2030, 1, 1),
    )
    column = 18
    damaged = _replace(text, 0, column, _other_digit(text.split("\n")[0][column]))
    assert parse_mrz(damaged, today=date(2025, 1, 1)).failed_checks == ("document_number", "composite")


def test_filler_in_check_position_without_continuation_fails_document_number() -> None:
    damaged = _replace(TD1_SPECIMEN, 0, 14, "<")
    result = parse_mrz(damaged, today=BEFORE_EXPIRY)
    assert result.document_number == "D23145890"
    assert result.checks[0] == CheckResult("document_number", "D23145890", "7", "<", False)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"document_number": "1234567890"}, "document_number"),
        ({"document_number": ""}, "document_number"),
        ({"document_number": "AB-12"}, "document_number"),
        ({"surname": "Müller"}, "surname"),
        ({"surname": "  "}, "surname"),
        ({"sex": "Q"}, "sex"),
        ({"issuing_state": "FRAN"}, "issuing_state"),
        ({"date_of_birth": "7408"}, "date_of_birth"),
        ({"optional_data": "A" * 15}, "optional_data"),
    ],
)
def test_builder_refuses_values_that_do_not_fit(kwargs: dict[str, str], field: str) -> None:
    fields: dict[str, str | date] = {
        "issuing_state": "UTO",
        "surname": "Eriksson",
        "given_names": "Anna",
        "document_number": "L898902C3",
        "nationality": "UTO",
        "date_of_birth": date(1974, 8, 12),
        "sex": "F",
        "date_of_expiry": date(2012, 4, 15),
    }
    fields.update(kwargs)
    with pytest.raises(MrzFormatError) as caught:
        build_td3(**fields)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_builder_truncates_long_names() -> None:
    text = build_td1(
        issuing_state="UTO",
        surname="Wolfeschlegelsteinhausenbergerdorff",
        given_names="Hubert Blaine",
        document_number="D23145890",
        nationality="UTO",
        date_of_birth=date(1974, 8, 12),
        sex="M",
        date_of_expiry=date(2030, 1, 1),
    )
    result = parse_mrz(text, today=date(2025, 1, 1))
    assert result.surname == "WOLFESCHLEGELSTEINHAUSENBERGER"
    assert result.given_names == ""
    assert result.is_valid


# --- property: build then parse is the identity -------------------------------------------------

TODAY_RANGE = st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31))
WORD = st.text(alphabet=string.ascii_uppercase, min_size=1, max_size=7)
NAME = st.lists(WORD, min_size=1, max_size=3).map(" ".join)
ALNUM = string.ascii_uppercase + string.digits
CODES = st.sampled_from(["UTO", "D", "FRA", "SYR", "AFG", "UKR", "XXA", "XXB", "GBD", "ZZZ"])
NAME_WIDTH = {"TD1": 30, "TD2": 31, "TD3": 39}
OPTIONAL_WIDTH = {"TD1": 15, "TD2": 7, "TD3": 14}


def _optional_room(fmt: str, number: str) -> int:
    """Characters left for optional data once a long document number has spilled into it."""
    if len(number) <= 9:
        return OPTIONAL_WIDTH[fmt]
    return max(0, OPTIONAL_WIDTH[fmt] - (len(number) - 9 + 1) - 1)


@st.composite
def document_fields(draw: st.DrawFn, fmt: str) -> tuple[dict[str, Any], date]:
    today = draw(TODAY_RANGE)
    surname, given_names = draw(NAME), draw(st.one_of(st.just(""), NAME))
    assume(len(surname) + 2 + len(given_names) <= NAME_WIDTH[fmt])
    max_number = 9 if fmt == "TD3" else OPTIONAL_WIDTH[fmt] - 1 + 9
    number = draw(st.text(alphabet=ALNUM, min_size=1, max_size=max_number))
    fields: dict[str, Any] = {
        "issuing_state": draw(CODES),
        "nationality": draw(CODES),
        "surname": surname,
        "given_names": given_names,
        "document_number": number,
        "sex": draw(st.sampled_from("FMX")),
        "date_of_birth": draw(st.dates(min_value=date(today.year - 99, 1, 1), max_value=today)),
        "date_of_expiry": draw(
            st.dates(min_value=date(today.year - 49, 1, 1), max_value=date(today.year + 49, 12, 31))
        ),
        "optional_data": draw(st.text(alphabet=ALNUM, max_size=_optional_room(fmt, number))),
    }
    if fmt == "TD1":
        fields["optional_data_2"] = draw(st.text(alphabet=ALNUM, max_size=11))
    return fields, today


BUILDERS = {"TD1": build_td1, "TD2": build_td2, "TD3": build_td3}


@pytest.mark.parametrize("fmt", ["TD1", "TD2", "TD3"])
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_build_then_parse_is_identity(fmt: str, data: st.DataObject) -> None:
    fields, today = data.draw(document_fields(fmt))
    result = parse_mrz(BUILDERS[fmt](**fields), today=today)
    assert result.format == fmt
    assert result.is_valid, result.failed_checks
    parsed = {name: getattr(result, name) for name in fields}
    assert parsed == fields
    assert result.expired == (fields["date_of_expiry"] < today)


# --- peer comparison with the PyPI package `mrz` -------------------------------------------------

PEER_CHECKERS = {
    "TD1": TD1CodeChecker,
    "TD2": TD2CodeChecker,
    "TD3": TD3CodeChecker,
    "MRVA": MRVACodeChecker,
    "MRVB": MRVBCodeChecker,
}
PEER_CHECK_NAMES = {
    "document number hash": "document_number",
    "birth date hash": "date_of_birth",
    "expiry date hash": "date_of_expiry",
    "optional data hash": "personal_number",
    "final hash": "composite",
}
# Fields the peer also judges (country list, document code, dates, name shape) are kept inside what
# it accepts, so that any disagreement can only come from check digits.
PEER_SAFE_CODES = ["UTO", "D", "FRA", "BEL", "SYR", "AFG", "UKR", "SDN", "XXA", "GBD", "UNO"]
PEER_SAFE_TYPES = {"TD1": ["I", "ID", "IR", "A", "C"], "TD2": ["I", "ID", "A", "C"], "TD3": ["P", "PD", "PS"]}
# Positions the check digits cover, per format: (line, first column, stop column, digits only).
COVERED = {
    "TD1": [(0, 5, 30, False), (1, 0, 7, True), (1, 8, 15, True), (1, 18, 30, False)],
    "TD2": [(1, 0, 10, False), (1, 13, 20, True), (1, 21, 36, False)],
    "TD3": [(1, 0, 10, False), (1, 13, 20, True), (1, 21, 44, False)],
}


def _peer(text: str, fmt: str) -> tuple[bool, set[str]]:
    checker = PEER_CHECKERS[fmt](text)
    failed = {
        PEER_CHECK_NAMES[name] for name, ok in checker.report.fields if name in PEER_CHECK_NAMES and not ok
    }
    return bool(checker), failed


def _random_document(rng: random.Random, fmt: str) -> str:
    def word() -> str:
        return "".join(rng.choices(string.ascii_uppercase, k=rng.randint(2, 7)))

    birth = date(rng.randint(1930, 2015), rng.randint(1, 12), rng.randint(1, 28))
    return BUILDERS[fmt](
        document_type=rng.choice(PEER_SAFE_TYPES[fmt]),
        issuing_state=rng.choice(PEER_SAFE_CODES),
        nationality=rng.choice(PEER_SAFE_CODES),
        surname=word(),
        given_names=" ".join(word() for _ in range(rng.randint(1, 2))),
        document_number="".join(rng.choices(ALNUM, k=rng.randint(6, 9))),
        date_of_birth=birth,
        sex=rng.choice("FM<"),
        date_of_expiry=date(rng.randint(2016, 2060), rng.randint(1, 12), rng.randint(1, 28)),
        optional_data="".join(rng.choices(ALNUM, k=rng.randint(0, 7))),
    )


def _corrupt(rng: random.Random, text: str, fmt: str) -> str:
    line, start, stop, digits_only = rng.choice(COVERED[fmt])
    column = rng.randrange(start, stop)
    current = text.split("\n")[line][column]
    # Digit for digit in dates keeps the damage inside what the check digits are meant to catch.
    pool = string.digits if digits_only or current.isdigit() else ALNUM
    return _replace(text, line, column, rng.choice(pool.replace(current, "")))


def _peer_corpus() -> list[tuple[str, str]]:
    rng = random.Random(9303)
    corpus = [(fmt, SPECIMENS.get(fmt, MRVB_SPECIMEN)) for fmt in ("TD1", "TD2", "TD3", "MRVA", "MRVB")]
    for fmt in ("TD1", "TD2", "TD3"):
        for _ in range(35):
            valid = _random_document(rng, fmt)
            corpus += [(fmt, valid), (fmt, _corrupt(rng, valid, fmt))]
    return corpus


PEER_CORPUS = _peer_corpus()


def test_peer_corpus_is_large_and_mixed() -> None:
    verdicts = [parse_mrz(text, today=AFTER_EXPIRY).is_valid for _, text in PEER_CORPUS]
    assert len(PEER_CORPUS) >= 200
    assert 60 <= verdicts.count(False) <= 150


@pytest.mark.parametrize(("fmt", "text"), PEER_CORPUS)
def test_validity_verdict_agrees_with_peer(fmt: str, text: str) -> None:
    ours = parse_mrz(text, today=AFTER_EXPIRY)
    peer_valid, peer_failed = _peer(text, fmt)
    assert ours.format == fmt
    assert ours.is_valid == peer_valid
    assert set(ours.failed_checks) == peer_failed


class TestKnownPeerDifferences:
    """Where `mrz` 0.6.2 and Doc 9303 part ways; our engine follows Doc 9303."""

    def _long_number_td1(self) -> str:
        return build_td1(
            issuing_state="BEL",
            surname="Dupont",
            given_names="Jean",
            document_number="ABC123456789",
            nationality="BEL",
            date_of_birth=date(1990, 2, 3),
            sex="M",
            date_of_expiry=date(2030, 1, 1),
        )

    def test_peer_ignores_the_td1_long_document_number_rule(self) -> None:
        text = self._long_number_td1()
        assert parse_mrz(text, today=AFTER_EXPIRY).is_valid
        assert _peer(text, "TD1") == (False, {"document_number"})

    def test_peer_refuses_sex_x_in_the_mrz(self) -> None:
        text = _replace(TD3_SPECIMEN, 1, 20, "X")
        assert parse_mrz(text, today=AFTER_EXPIRY).is_valid
        assert _peer(text, "TD3") == (False, set())

    def test_peer_refuses_crew_member_certificates(self) -> None:
        text = TD1_SPECIMEN.replace("I<UTO", "ACUTO")
        assert parse_mrz(text, today=AFTER_EXPIRY).document_type == "AC"
        assert _peer(text, "TD1") == (False, set())
