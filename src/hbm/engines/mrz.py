"""Machine-readable zones of travel documents (ICAO Doc 9303, Eighth Edition, 2021).

Reference followed:

* Part 3 §4.9 — check digits: weights 7-3-1 repeating, digits keep their value, ``A``..``Z`` are
  10..35, the filler ``<`` is 0, the result is the weighted sum modulo 10.
* Part 4 — TD3 (passports): 2 lines of 44 characters.
* Part 5 — TD1 (identity cards): 3 lines of 30 characters, including the §4.2.4 note on document
  numbers longer than 9 characters, which continue into the optional data field.
* Part 6 — TD2: 2 lines of 36 characters, with the same long-document-number note.
* Part 7 — visas MRV-A (2 x 44) and MRV-B (2 x 36), told apart from TD3/TD2 by the leading ``V``.

Contract of :func:`parse_mrz`:

* Input is text with one MRZ line per text line (``\\n`` or ``\\r\\n``). Surrounding whitespace and
  blank lines are ignored, lowercase letters are accepted and uppercased. Anything else that is
  not ``A``-``Z``, ``0``-``9`` or ``<`` is refused, spaces included: a space inside a line is
  usually a typing or OCR slip over a filler, and guessing could hide a wrong field boundary.
* :class:`MrzFormatError` is raised only when the text cannot be cut into fields: wrong number of
  lines, wrong line length, a character outside the MRZ alphabet, or a sex character other than
  ``F``, ``M``, ``X`` or ``<``. Check-digit failures never raise: they are reported in
  :attr:`MrzResult.checks` so that a damaged document can still be recorded.
* Years are two digits; the century rule is explicit and depends only on the ``today`` argument
  (see :func:`resolve_birth_date` and :func:`resolve_expiry_date`). A date that is not a calendar
  date (unknown day or month written ``<<`` or ``XX``, month 13, ...) gives ``None``; its raw
  six characters are kept and its check digit is still verified over those raw characters.
* Issuing state and nationality codes are not refused when unknown; see
  :func:`is_known_state_code`.

The ``build_td1``/``build_td2``/``build_td3`` helpers compose MRZ text from fields, computing every
check digit, so that test and demonstration data can be made valid (and then damaged on purpose).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

import pycountry

__all__ = [
    "CheckResult",
    "MrzFormat",
    "MrzFormatError",
    "MrzResult",
    "Sex",
    "build_td1",
    "build_td2",
    "build_td3",
    "check_digit",
    "is_known_state_code",
    "parse_mrz",
    "resolve_birth_date",
    "resolve_expiry_date",
]

MrzFormat = Literal["TD1", "TD2", "TD3", "MRVA", "MRVB"]
Sex = Literal["F", "M", "X"]

FILLER: Final = "<"
_VALUES: Final[dict[str, int]] = {
    **{c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")},
    FILLER: 0,
}
_WEIGHTS: Final = (7, 3, 1)
_ALLOWED_INPUT: Final = frozenset(_VALUES) | frozenset("abcdefghijklmnopqrstuvwxyz")
_SEX_CODES: Final[dict[str, Sex]] = {"F": "F", "M": "M", "X": "X", FILLER: "X"}

TD1_LINE: Final = 30
TD2_LINE: Final = 36
TD3_LINE: Final = 44
_DOCUMENT_NUMBER_LENGTH: Final = 9
_EXPIRY_WINDOW_YEARS: Final = 50

# ICAO codes that are not ISO 3166-1 alpha-3 (Doc 9303 Part 3 §5, parts B to D).
_ICAO_SPECIAL_CODES: Final = frozenset(
    {
        "D",  # Germany
        "EUE",  # European Union
        "GBD",  # British Overseas Territories Citizen
        "GBN",  # British National (Overseas)
        "GBO",  # British Overseas Citizen
        "GBP",  # British Protected Person
        "GBS",  # British Subject
        "UNO",  # United Nations Organization or one of its officials
        "UNA",  # specialized agency of the United Nations or one of its officials
        "UNK",  # resident of Kosovo, documents issued by UNMIK
        "XXA",  # stateless person (1954 Convention)
        "XXB",  # refugee (1951 Convention)
        "XXC",  # refugee other than under the 1951 Convention
        "XXX",  # unspecified nationality
        "XBA",  # African Development Bank
        "XIM",  # African Export-Import Bank
        "XCC",  # Caribbean Community
        "XCE",  # Council of Europe
        "XCO",  # Common Market for Eastern and Southern Africa
        "XDC",  # Southern African Development Community
        "XEC",  # Economic Community of West African States
        "XES",  # Organisation of Eastern Caribbean States
        "XOM",  # Sovereign Military Order of Malta
        "XPO",  # International Criminal Police Organization (INTERPOL)
    }
)


class MrzFormatError(ValueError):
    """Input that cannot be cut into MRZ fields.

    ``field`` names where the problem is: ``'text'`` (line count), ``'line_1'``..``'line_3'``, or, for
    the builders, the name of the offending argument. ``str(error)`` is a complete English sentence.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One verified check digit.

    ``name`` is one of ``'document_number'``, ``'date_of_birth'``, ``'date_of_expiry'``,
    ``'personal_number'`` or ``'composite'``; ``field`` is the MRZ text the digit is computed over,
    exactly as read (fillers included); ``expected`` is the digit computed from ``field`` and
    ``found`` the character printed on the document.
    """

    name: str
    field: str
    expected: str
    found: str
    is_valid: bool


@dataclass(frozen=True, slots=True)
class MrzResult:
    """A parsed MRZ.

    Text fields have fillers removed: trailing ``<`` are stripped, and in names every run of ``<``
    becomes one space. ``optional_data_2`` is only used by TD1 (middle line); for TD3 the
    ``optional_data`` field is the personal number. ``date_of_birth``/``date_of_expiry`` are
    ``None`` when the raw six characters are not a calendar date. ``expired`` is computed against
    the ``today`` given to :func:`parse_mrz` and is ``False`` when the expiry date is unreadable.
    """

    format: MrzFormat
    document_type: str
    issuing_state: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    date_of_birth: date | None
    date_of_birth_raw: str
    sex: Sex
    date_of_expiry: date | None
    date_of_expiry_raw: str
    optional_data: str
    optional_data_2: str
    raw_lines: tuple[str, ...]
    checks: tuple[CheckResult, ...]
    expired: bool
    issuing_state_known: bool
    nationality_known: bool

    @property
    def is_valid(self) -> bool:
        """True when every check digit matches (field plausibility is not judged here)."""
        return all(check.is_valid for check in self.checks)

    @property
    def failed_checks(self) -> tuple[str, ...]:
        """Names of the check digits that do not match, in MRZ order."""
        return tuple(check.name for check in self.checks if not check.is_valid)

    def is_expired(self, today: date) -> bool:
        """True when the document expired before ``today`` (it is valid through its expiry day)."""
        return self.date_of_expiry is not None and self.date_of_expiry < today


@dataclass(frozen=True, slots=True)
class _Zone:
    """The raw slices of an MRZ, before any interpretation."""

    format: MrzFormat
    document_type: str
    issuing_state: str
    name: str
    document_number: str
    document_number_check: str
    nationality: str
    date_of_birth: str
    date_of_birth_check: str
    sex: str
    date_of_expiry: str
    date_of_expiry_check: str
    optional_data: str
    optional_data_2: str
    personal_number_check: str | None
    composite_field: str | None
    composite_check: str | None


# --- check digits -------------------------------------------------------------------------------


def check_digit(value: str) -> str:
    """ICAO Doc 9303 Part 3 §4.9 check digit of ``value``, as a one-character string ``'0'``..``'9'``.

    ``value`` must use only ``0``-``9``, ``A``-``Z`` and ``<``; the empty string gives ``'0'``.
    Raises :class:`MrzFormatError` (``field='value'``) for any other character.
    """
    total = 0
    for index, char in enumerate(value):
        if char not in _VALUES:
            raise MrzFormatError("value", f"character {char!r} cannot be part of an MRZ check digit field.")
        total += _VALUES[char] * _WEIGHTS[index % 3]
    return str(total % 10)


def _check(name: str, field: str, found: str) -> CheckResult:
    expected = check_digit(field)
    return CheckResult(name=name, field=field, expected=expected, found=found, is_valid=expected == found)


def _personal_number_check(field: str, found: str) -> CheckResult:
    # Part 4 allows a filler as check digit when the personal number is all fillers.
    if found == FILLER and set(field) <= {FILLER}:
        return CheckResult(name="personal_number", field=field, expected=FILLER, found=found, is_valid=True)
    return _check("personal_number", field, found)


# --- country codes ------------------------------------------------------------------------------


def is_known_state_code(code: str) -> bool:
    """True when ``code`` is an ISO 3166-1 alpha-3 code or one of ICAO's own codes (Doc 9303 Part 3 §5).

    Trailing fillers are ignored (``'D<<'`` is Germany). The ICAO specimen state ``UTO`` (Utopia) is
    deliberately not known.
    """
    bare = code.upper().rstrip(FILLER)
    if bare in _ICAO_SPECIAL_CODES:
        return True
    return len(bare) == 3 and pycountry.countries.get(alpha_3=bare) is not None


# --- dates --------------------------------------------------------------------------------------


def _yymmdd(raw: str) -> tuple[int, int, int] | None:
    if len(raw) != 6 or not raw.isdigit():
        return None
    return int(raw[0:2]), int(raw[2:4]), int(raw[4:6])


def _calendar_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _shift_years(day: date, years: int) -> date:
    # 29 February shifted into a common year becomes 28 February, as dateutil's relativedelta does.
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def resolve_birth_date(raw: str, *, today: date) -> date | None:
    """Date of birth from ``YYMMDD``: the latest century that does not put the birth after ``today``.

    So with ``today`` = 2025-06-01, ``'250601'`` is 2025-06-01 and ``'250602'`` is 1925-06-02. Returns
    ``None`` when ``raw`` is not six digits forming a calendar date in such a century (unknown parts,
    month 13, 29 February of a common year...).
    """
    parts = _yymmdd(raw)
    if parts is None:
        return None
    yy, month, day = parts
    century = today.year - today.year % 100
    for year in (century + yy, century + yy - 100, century + yy - 200):
        candidate = _calendar_date(year, month, day)
        if candidate is not None and candidate <= today:
            return candidate
    return None


def resolve_expiry_date(raw: str, *, today: date) -> date | None:
    """Date of expiry from ``YYMMDD``: the only century that puts it in ``[today - 50y, today + 50y)``.

    Returns ``None`` when ``raw`` is not six digits forming a calendar date in that window.
    """
    parts = _yymmdd(raw)
    if parts is None:
        return None
    yy, month, day = parts
    low = _shift_years(today, -_EXPIRY_WINDOW_YEARS)
    high = _shift_years(today, _EXPIRY_WINDOW_YEARS)
    century = today.year - today.year % 100
    for year in (century + yy - 100, century + yy, century + yy + 100):
        candidate = _calendar_date(year, month, day)
        if candidate is not None and low <= candidate < high:
            return candidate
    return None


# --- input normalisation and format detection --------------------------------------------------


def _normalise_lines(text: str) -> tuple[str, ...]:
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    for number, line in enumerate(lines, start=1):
        _reject_illegal_characters(number, line)
    return tuple(line.upper() for line in lines)


def _reject_illegal_characters(number: int, line: str) -> None:
    for position, char in enumerate(line, start=1):
        if char.isspace():
            raise MrzFormatError(
                f"line_{number}",
                f"Line {number} contains a space at position {position}; "
                "MRZ lines have no spaces (the filler character is '<').",
            )
        if char not in _ALLOWED_INPUT:
            raise MrzFormatError(
                f"line_{number}",
                f"Line {number} contains the character {char!r} at position {position}; "
                "only A-Z, 0-9 and '<' may appear in an MRZ.",
            )


def _require_length(lines: tuple[str, ...], length: int, description: str) -> None:
    for number, line in enumerate(lines, start=1):
        if len(line) != length:
            raise MrzFormatError(
                f"line_{number}",
                f"Line {number} has {len(line)} characters; expected {length} for {description}.",
            )


def _detect_format(lines: tuple[str, ...]) -> MrzFormat:
    if len(lines) == 3:
        _require_length(lines, TD1_LINE, "a 3-line TD1 MRZ")
        return "TD1"
    if len(lines) != 2:
        raise MrzFormatError("text", f"An MRZ has 2 or 3 lines; got {len(lines)}.")
    width = len(lines[0])
    if width not in (TD2_LINE, TD3_LINE):
        raise MrzFormatError(
            "line_1",
            f"Line 1 has {width} characters; a 2-line MRZ has {TD3_LINE} (TD3 passport, MRV-A visa) "
            f"or {TD2_LINE} (TD2, MRV-B visa) characters per line.",
        )
    is_visa = lines[0].startswith("V")
    fmt: MrzFormat = ("MRVA" if is_visa else "TD3") if width == TD3_LINE else ("MRVB" if is_visa else "TD2")
    _require_length(lines, width, f"a 2-line {fmt} MRZ")
    return fmt


# --- slicing ------------------------------------------------------------------------------------


def _slice_td1(lines: tuple[str, ...]) -> _Zone:
    top, middle, bottom = lines
    return _Zone(
        format="TD1",
        document_type=top[0:2],
        issuing_state=top[2:5],
        name=bottom,
        document_number=top[5:14],
        document_number_check=top[14],
        nationality=middle[15:18],
        date_of_birth=middle[0:6],
        date_of_birth_check=middle[6],
        sex=middle[7],
        date_of_expiry=middle[8:14],
        date_of_expiry_check=middle[14],
        optional_data=top[15:30],
        optional_data_2=middle[18:29],
        personal_number_check=None,
        composite_field=top[5:30] + middle[0:7] + middle[8:15] + middle[18:29],
        composite_check=middle[29],
    )


def _slice_two_line(lines: tuple[str, ...], fmt: MrzFormat) -> _Zone:
    # TD2, TD3, MRV-A and MRV-B share the first 28 characters of the lower line.
    top, bottom = lines
    optional_end = {"TD3": 42, "TD2": 35}.get(fmt, len(bottom))
    has_composite = fmt in ("TD2", "TD3")
    return _Zone(
        format=fmt,
        document_type=top[0:2],
        issuing_state=top[2:5],
        name=top[5:],
        document_number=bottom[0:9],
        document_number_check=bottom[9],
        nationality=bottom[10:13],
        date_of_birth=bottom[13:19],
        date_of_birth_check=bottom[19],
        sex=bottom[20],
        date_of_expiry=bottom[21:27],
        date_of_expiry_check=bottom[27],
        optional_data=bottom[28:optional_end],
        optional_data_2="",
        personal_number_check=bottom[42] if fmt == "TD3" else None,
        composite_field=bottom[0:10] + bottom[13:20] + bottom[21:-1] if has_composite else None,
        composite_check=bottom[-1] if has_composite else None,
    )


def _split_long_document_number(number: str, check: str, optional: str) -> tuple[str, str, str]:
    """(document number, its check character, rest of the optional data) per Part 5 §4.2.4.

    A filler in the check-digit position means the number continues in the optional data, up to
    the first filler, and that its check digit is the last character before that filler.
    """
    if check != FILLER:
        return number, check, optional
    extension = optional.split(FILLER, 1)[0]
    if not extension:
        return number, check, optional
    return number + extension[:-1], extension[-1], optional[len(extension) + 1 :]


# --- interpretation -----------------------------------------------------------------------------


def _split_name(raw: str) -> tuple[str, str]:
    primary, _, secondary = raw.rstrip(FILLER).partition(FILLER * 2)
    return _fillers_to_spaces(primary), _fillers_to_spaces(secondary)


def _fillers_to_spaces(text: str) -> str:
    return " ".join(part for part in text.split(FILLER) if part)


def _parse_sex(zone: _Zone) -> Sex:
    sex = _SEX_CODES.get(zone.sex)
    if sex is None:
        raise MrzFormatError("line_2", f"Line 2 has sex {zone.sex!r}; only 'F', 'M', 'X' or '<' are allowed.")
    return sex


def _checks(zone: _Zone, number_field: str, number_check: str) -> tuple[CheckResult, ...]:
    checks = [
        _check("document_number", number_field, number_check),
        _check("date_of_birth", zone.date_of_birth, zone.date_of_birth_check),
        _check("date_of_expiry", zone.date_of_expiry, zone.date_of_expiry_check),
    ]
    if zone.personal_number_check is not None:
        checks.append(_personal_number_check(zone.optional_data, zone.personal_number_check))
    if zone.composite_field is not None and zone.composite_check is not None:
        checks.append(_check("composite", zone.composite_field, zone.composite_check))
    return tuple(checks)


def _interpret(zone: _Zone, lines: tuple[str, ...], today: date) -> MrzResult:
    number, number_check, optional = zone.document_number, zone.document_number_check, zone.optional_data
    if zone.format in ("TD1", "TD2"):
        number, number_check, optional = _split_long_document_number(number, number_check, optional)
    surname, given_names = _split_name(zone.name)
    date_of_expiry = resolve_expiry_date(zone.date_of_expiry, today=today)
    return MrzResult(
        format=zone.format,
        document_type=zone.document_type.rstrip(FILLER),
        issuing_state=zone.issuing_state.rstrip(FILLER),
        surname=surname,
        given_names=given_names,
        document_number=number.rstrip(FILLER),
        nationality=zone.nationality.rstrip(FILLER),
        date_of_birth=resolve_birth_date(zone.date_of_birth, today=today),
        date_of_birth_raw=zone.date_of_birth,
        sex=_parse_sex(zone),
        date_of_expiry=date_of_expiry,
        date_of_expiry_raw=zone.date_of_expiry,
        optional_data=optional.rstrip(FILLER),
        optional_data_2=zone.optional_data_2.rstrip(FILLER),
        raw_lines=lines,
        checks=_checks(zone, number, number_check),
        expired=date_of_expiry is not None and date_of_expiry < today,
        issuing_state_known=is_known_state_code(zone.issuing_state),
        nationality_known=is_known_state_code(zone.nationality),
    )


def parse_mrz(text: str, *, today: date) -> MrzResult:
    """Parse a TD1, TD2, TD3, MRV-A or MRV-B machine-readable zone and verify every check digit.

    ``today`` fixes the two-digit-year century rules and ``expired``; pass the local date of the
    crossing point. Raises :class:`MrzFormatError` only for structurally unparseable text; failed
    check digits are reported in the result (see the module docstring).
    """
    lines = _normalise_lines(text)
    fmt = _detect_format(lines)
    zone = _slice_td1(lines) if fmt == "TD1" else _slice_two_line(lines, fmt)
    return _interpret(zone, lines, today)


# --- builders -----------------------------------------------------------------------------------


def _encode(value: str, length: int, field: str, extra: str = "") -> str:
    """``value`` uppercased and padded with fillers; only ``A``-``Z``, ``0``-``9`` and ``extra`` allowed."""
    text = value.upper()
    bad = [char for char in text if not (char.isascii() and char.isalnum()) and char not in extra]
    if bad:
        raise MrzFormatError(field, f"{field} contains {bad[0]!r}; only A-Z and 0-9 are allowed.")
    if len(text) > length:
        raise MrzFormatError(field, f"{field} has {len(text)} characters; at most {length} fit.")
    return text.ljust(length, FILLER)


def _encode_name(surname: str, given_names: str, length: int) -> str:
    """Primary and secondary identifiers joined by ``<<``, cut to ``length`` (plain truncation).

    Spaces and hyphens become fillers and apostrophes are dropped (Part 3 §4.6); letters must
    already be transliterated to ``A``-``Z``. The full Part 3 truncation algorithm is not applied.
    """
    parts = [_name_part(surname, "surname")]
    if given_names.strip():
        parts.append(_name_part(given_names, "given_names"))
    return (FILLER * 2).join(parts)[:length].ljust(length, FILLER)


def _name_part(value: str, field: str) -> str:
    words = value.upper().replace("'", "").replace("-", " ").split()
    if not words:
        raise MrzFormatError(field, f"{field} is empty.")
    text = FILLER.join(words)
    bad = [char for char in text if not ("A" <= char <= "Z" or char == FILLER)]
    if bad:
        raise MrzFormatError(field, f"{field} contains {bad[0]!r}; transliterate names to A-Z first.")
    return text


def _encode_date(value: date | str, field: str) -> str:
    """A ``date`` as ``YYMMDD``; a string is taken as raw MRZ text (e.g. ``'7408<<'`` for unknown day)."""
    if isinstance(value, date):
        return value.strftime("%y%m%d")
    if len(value) != 6:
        raise MrzFormatError(field, f"{field} must have 6 characters (YYMMDD); got {len(value)}.")
    return _encode(value, 6, field, extra=FILLER)


def _encode_sex(value: str) -> str:
    # Part 4 writes an unspecified sex as a filler in the MRZ even when the VIZ shows 'X'.
    code = value.upper() or FILLER
    if code not in _SEX_CODES:
        raise MrzFormatError("sex", f"sex must be 'F', 'M', 'X' or '<'; got {value!r}.")
    return FILLER if code == "X" else code


def _encode_document_number(number: str, optional: str, optional_length: int) -> tuple[str, str]:
    """(9 characters + check digit, optional data field) with the long-number rule of Part 5 §4.2.4."""
    text = _encode_document_number_text(number, len(number))
    if len(text) <= _DOCUMENT_NUMBER_LENGTH:
        padded = text.ljust(_DOCUMENT_NUMBER_LENGTH, FILLER)
        return padded + check_digit(padded), _encode(optional, optional_length, "optional_data", FILLER)
    extension = text[_DOCUMENT_NUMBER_LENGTH:] + check_digit(text)
    overflow = extension + (FILLER + optional.upper() if optional else "")
    encoded_optional = _encode(overflow, optional_length, "optional_data", FILLER)
    return text[:_DOCUMENT_NUMBER_LENGTH] + FILLER, encoded_optional


def _encode_document_number_text(number: str, length: int) -> str:
    if not number:
        raise MrzFormatError("document_number", "document_number is empty.")
    return _encode(number, length, "document_number")


def build_td1(
    *,
    issuing_state: str,
    surname: str,
    given_names: str,
    document_number: str,
    nationality: str,
    date_of_birth: date | str,
    sex: str,
    date_of_expiry: date | str,
    optional_data: str = "",
    optional_data_2: str = "",
    document_type: str = "I",
) -> str:
    """A valid 3-line TD1 MRZ (Doc 9303 Part 5), lines joined by ``\\n``, every check digit computed.

    Document numbers longer than 9 characters continue in the optional data field (Part 5 §4.2.4).
    Raises :class:`MrzFormatError` (``field`` = the argument name) when a value does not fit.
    """
    number, optional = _encode_document_number(document_number, optional_data, 15)
    top = _encode(document_type, 2, "document_type") + _encode(issuing_state, 3, "issuing_state")
    top += number + optional
    middle = _encode_date(date_of_birth, "date_of_birth")
    middle += check_digit(middle) + _encode_sex(sex)
    expiry = _encode_date(date_of_expiry, "date_of_expiry")
    middle += expiry + check_digit(expiry) + _encode(nationality, 3, "nationality")
    middle += _encode(optional_data_2, 11, "optional_data_2")
    middle += check_digit(top[5:30] + middle[0:7] + middle[8:15] + middle[18:29])
    return "\n".join((top, middle, _encode_name(surname, given_names, TD1_LINE)))


def _lower_line_start(
    number: str, nationality: str, date_of_birth: date | str, sex: str, date_of_expiry: date | str
) -> str:
    birth = _encode_date(date_of_birth, "date_of_birth")
    expiry = _encode_date(date_of_expiry, "date_of_expiry")
    return (
        number
        + _encode(nationality, 3, "nationality")
        + birth
        + check_digit(birth)
        + _encode_sex(sex)
        + expiry
        + check_digit(expiry)
    )


def build_td2(
    *,
    issuing_state: str,
    surname: str,
    given_names: str,
    document_number: str,
    nationality: str,
    date_of_birth: date | str,
    sex: str,
    date_of_expiry: date | str,
    optional_data: str = "",
    document_type: str = "I",
) -> str:
    """A valid 2-line TD2 MRZ (Doc 9303 Part 6), lines joined by ``\\n``, every check digit computed.

    Document numbers longer than 9 characters continue in the optional data field.
    Raises :class:`MrzFormatError` (``field`` = the argument name) when a value does not fit.
    """
    number, optional = _encode_document_number(document_number, optional_data, 7)
    top = _encode(document_type, 2, "document_type") + _encode(issuing_state, 3, "issuing_state")
    top += _encode_name(surname, given_names, TD2_LINE - 5)
    bottom = _lower_line_start(number, nationality, date_of_birth, sex, date_of_expiry) + optional
    bottom += check_digit(bottom[0:10] + bottom[13:20] + bottom[21:35])
    return "\n".join((top, bottom))


def build_td3(
    *,
    issuing_state: str,
    surname: str,
    given_names: str,
    document_number: str,
    nationality: str,
    date_of_birth: date | str,
    sex: str,
    date_of_expiry: date | str,
    optional_data: str = "",
    document_type: str = "P",
) -> str:
    """A valid 2-line TD3 MRZ (Doc 9303 Part 4), lines joined by ``\\n``, every check digit computed.

    ``optional_data`` is the personal number (at most 14 characters); when it is empty its check
    digit is written as a filler, as Part 4 allows. Document numbers have at most 9 characters.
    Raises :class:`MrzFormatError` (``field`` = the argument name) when a value does not fit.
    """
    number = _encode_document_number_text(document_number, _DOCUMENT_NUMBER_LENGTH)
    personal = _encode(optional_data, 14, "optional_data", extra=FILLER)
    personal_check = FILLER if set(personal) == {FILLER} else check_digit(personal)
    top = _encode(document_type, 2, "document_type") + _encode(issuing_state, 3, "issuing_state")
    top += _encode_name(surname, given_names, TD3_LINE - 5)
    bottom = _lower_line_start(number + check_digit(number), nationality, date_of_birth, sex, date_of_expiry)
    bottom += personal + personal_check
    bottom += check_digit(bottom[0:10] + bottom[13:20] + bottom[21:43])
    return "\n".join((top, bottom))
