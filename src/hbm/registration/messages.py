"""The officer-facing text of the engines' refusals, in the active language.

The engines are pure Python and speak English to programmers: :class:`~hbm.engines.tokens.TokenError`
carries a ``code`` and a ``position``, :class:`~hbm.engines.mrz.MrzFormatError` the ``field`` (line)
it concerns, a :class:`~hbm.engines.mrz.CheckResult` the digits it compared. Here each becomes one
translated sentence, evaluated when called (so in the language the request activated), with every
figure of the original: which character, which position, which digit was expected and found.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from hbm.crossings.enums import CrossingMode
from hbm.engines.mrz import TD1_LINE, TD2_LINE, TD3_LINE, CheckResult, MrzFormatError
from hbm.engines.tokens import TOKEN_LENGTH, TokenError, token_normalise

# The check digits of an MRZ, by the name the MRZ engine gives them.
MRZ_CHECK_NAMES: Mapping[str, Promise] = {
    "document_number": gettext_lazy("document number"),
    "date_of_birth": gettext_lazy("date of birth"),
    "date_of_expiry": gettext_lazy("date of expiry"),
    "personal_number": gettext_lazy("personal number"),
    "composite": gettext_lazy("whole zone"),
}
# What the engine accepts in an MRZ line as typed (lower case is upper-cased, nothing else is mapped).
_MRZ_INPUT = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789<")
_MRZ_SEX_CODES = frozenset("FMX<")
_MRZ_LINE_LENGTHS = (TD1_LINE, TD2_LINE, TD3_LINE)
# Where the sex is written on line 2: index 7 of a 3-line TD1, index 20 of every 2-line format.
_SEX_INDEX_BY_LINE_COUNT = {3: 7, 2: 20}


def mode_name(mode: str) -> str:
    """A crossing point's mode as it reads inside a sentence (``emergency``, ``urgence``, ``طوارئ``)."""
    return str(CrossingMode(mode).label).lower()


def token_error_text(raw: str, error: TokenError) -> str:
    """A token refusal naming the character or the length found in ``raw`` (what was typed)."""
    normalised = token_normalise(raw)
    if error.code == "length":
        return _(
            "A token has %(expected)s characters (8 and a check character), not counting spaces and "
            "dashes; this one has %(found)s."
        ) % {"expected": TOKEN_LENGTH, "found": len(normalised)}
    if error.code == "character" and error.position is not None:
        char = normalised[error.position - 1] if error.position <= len(normalised) else "?"
        return _(
            "The character “%(char)s” at position %(position)s is not used in tokens (tokens never use "
            "0, 1, I or O)."
        ) % {"char": char, "position": error.position}
    return _("The check character does not match: the token was probably mistyped.")


def check_digit_failed_text(check: CheckResult) -> str:
    """A failed MRZ check digit: the characters it covers, the digit computed and the one printed."""
    # Translators: "field" is the MRZ text the check digit covers, e.g. L898902C3.
    return _("check digit of %(field)s failed: expected %(expected)s, found %(found)s") % {
        "field": check.field,
        "expected": check.expected,
        "found": check.found,
    }


def list_text(items: Iterable[str]) -> str:
    """Items joined with the language's list separator (Arabic has its own comma)."""
    # Translators: what separates the items of a list ("a, b, c"); Arabic uses "، ".
    return pgettext("list separator", ", ").join(items)


def check_names_text(names: Iterable[str]) -> str:
    """The failed checks named in words, e.g. ``document number, date of birth``."""
    return list_text(str(MRZ_CHECK_NAMES.get(name, name)) for name in names)


def mrz_format_error_text(text: str, error: MrzFormatError) -> str:
    """Why an MRZ could not be cut into fields, pointing at the line and the character at fault.

    The engine says which line (``error.field``); the line is read again here, as the engine reads
    it (blank lines dropped, each line stripped), to name the character or the length at fault.
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if error.field == "text":
        return _("An MRZ has 2 or 3 lines; this one has %(found)s.") % {"found": len(lines)}
    number_text = error.field.removeprefix("line_")
    if not number_text.isdigit():
        return _("The MRZ cannot be read.")
    number = int(number_text)
    line = lines[number - 1] if 0 < number <= len(lines) else ""
    return (
        _line_character_text(number, line)
        or _line_length_text(number, line, lines)
        or _line_sex_text(number, lines)
        or _("Line %(line)s of the MRZ cannot be read.") % {"line": number}
    )


def _line_character_text(number: int, line: str) -> str:
    for position, char in enumerate(line, start=1):
        if char.isspace():
            return _(
                "Line %(line)s has a space at position %(position)s; MRZ lines have no spaces (the "
                "filler character is “<”)."
            ) % {"line": number, "position": position}
        if char not in _MRZ_INPUT:
            return _(
                "Line %(line)s has the character “%(char)s” at position %(position)s; only A–Z, 0–9 "
                "and “<” may appear in an MRZ."
            ) % {"line": number, "char": char, "position": position}
    return ""


def _line_length_text(number: int, line: str, lines: list[str]) -> str:
    expected = TD1_LINE if len(lines) == 3 else len(lines[0]) if lines else 0
    if len(line) == expected and expected in _MRZ_LINE_LENGTHS:
        return ""
    return ngettext(
        "Line %(line)s has %(found)s character; every line of an MRZ has %(td1)s characters (identity "
        "card, 3 lines), %(td2)s or %(td3)s (2 lines: card, visa or passport).",
        "Line %(line)s has %(found)s characters; every line of an MRZ has %(td1)s characters (identity "
        "card, 3 lines), %(td2)s or %(td3)s (2 lines: card, visa or passport).",
        len(line),
    ) % {"line": number, "found": len(line), "td1": TD1_LINE, "td2": TD2_LINE, "td3": TD3_LINE}


def _line_sex_text(number: int, lines: list[str]) -> str:
    index = _SEX_INDEX_BY_LINE_COUNT.get(len(lines))
    if number != 2 or index is None or len(lines[1]) <= index or lines[1][index].upper() in _MRZ_SEX_CODES:
        return ""
    return _(
        "Line 2 has “%(found)s” at position %(position)s, where the sex is written; only F, M, X or “<” "
        "may appear there."
    ) % {"found": lines[1][index], "position": index + 1}
