"""What the matcher knows about one registration: :class:`MatchRecord`, and who counts as a child."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Final, TypeAlias
from uuid import UUID

__all__ = [
    "ADULT_AGE",
    "DOCUMENT_MIN_LENGTH",
    "ESTIMATED_AGE_TOLERANCE_YEARS",
    "BirthAccuracy",
    "IdDocument",
    "MatchRecord",
    "RecordId",
    "age_on",
    "document_number_form",
    "is_child",
]

RecordId: TypeAlias = int | str | UUID

ADULT_AGE: Final = 18
# An age estimated by an officer is taken to be right within this many years either way. Forensic
# age assessment reports errors of about ±2–3 years for adolescents and young adults (e.g. the
# European Asylum Support Office's *Practical guide on age assessment*, 2nd ed., 2018, §2.4):
# three years is the benefit-of-the-doubt margin.
ESTIMATED_AGE_TOLERANCE_YEARS: Final = 3


# A document number shorter than this (once spaces and dashes are gone) is not compared: too many
# people could hold it by chance, and a partial number typed from a damaged page looks like one.
DOCUMENT_MIN_LENGTH: Final = 5


def document_number_form(number: str) -> str:
    """A document number as compared: letters and digits only, upper case, compatibility forms
    folded (full-width digits, Arabic-Indic digits as typed on an Arabic keyboard). ``"fe 123-456"``
    and ``"FE123456"`` are one number; a number shorter than :data:`DOCUMENT_MIN_LENGTH` is ``""``."""
    folded = unicodedata.normalize("NFKC", number).upper()
    kept = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in folded if c.isalnum())
    return kept if len(kept) >= DOCUMENT_MIN_LENGTH else ""


@dataclass(frozen=True, slots=True)
class IdDocument:
    """An identity or travel document shown at a registration: its ``kind`` (``passport``,
    ``identity_card``, ``travel_document``, ``other``: the registration's own codes), the issuing
    ``state`` (ICAO/ISO 3166 alpha-3, ``""`` unknown) and its ``number`` as written (compared in
    :func:`document_number_form`)."""

    kind: str
    state: str
    number: str


class BirthAccuracy(StrEnum):
    """How much of ``birth_date`` is known.

    ``EXACT``: the whole date. ``YEAR``: the year only (the date is 1 January of it by convention).
    ``ESTIMATED``: an age estimated by an officer (the date is 1 January of the year it implies,
    right within :data:`ESTIMATED_AGE_TOLERANCE_YEARS`).
    """

    EXACT = "exact"
    YEAR = "year"
    ESTIMATED = "estimated"


@dataclass(frozen=True, slots=True)
class MatchRecord:
    """One registration as the biographic matcher sees it. Every field but ``id`` may be empty.

    ``given`` and ``surname`` in any script (the names engine transliterates); ``original`` is the
    whole name as the person writes it in their own script and ``language`` its ISO 639-3 code
    when known. ``sex`` is ``"M"``, ``"F"`` or ``""`` (unknown). ``nationality`` an ICAO/ISO 3166
    alpha-3 code (``XXA`` stateless). ``family`` holds the ids of the travelling groups the person
    was registered in; ``relatives`` the given names of the people registered with them (what lets
    a family registered twice meet itself). ``father`` and ``mother`` are the parents' names as the
    person gives them (any script, first name first): on Afghan, Iraqi and Syrian identity papers
    and in family tracing they are part of who someone is, and they tell apart namesakes born the
    same year. ``documents`` are the identity documents shown (:class:`IdDocument`): one number
    of one document on both records is strong evidence of one person, two numbers of one kind of
    one state's document strong evidence of two. ``crossing_point`` is not compared: it is kept so
    that results can be read.
    """

    id: RecordId
    given: str = ""
    surname: str = ""
    original: str = ""
    language: str | None = None
    sex: str = ""
    birth_date: date | None = None
    birth_accuracy: BirthAccuracy = BirthAccuracy.EXACT
    nationality: str = ""
    place_of_birth: str = ""
    family: frozenset[str] = field(default_factory=frozenset)
    relatives: frozenset[str] = field(default_factory=frozenset)
    father: str = ""
    mother: str = ""
    documents: tuple[IdDocument, ...] = ()
    crossing_point: str = ""


def age_on(birth_date: date, on: date) -> int:
    """Whole years between ``birth_date`` and ``on`` (negative if ``on`` is earlier)."""
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def is_child(record: MatchRecord, on: date) -> bool:
    """Whether ``record`` may be a child (under :data:`ADULT_AGE`) on ``on``, with the benefit of
    the doubt: a year-only date counts from 31 December of that year, an estimated age is lowered
    by :data:`ESTIMATED_AGE_TOLERANCE_YEARS`, and an unknown date of birth is not taken for a child
    (the registration form asks for an age whenever it can)."""
    if record.birth_date is None:
        return False
    born = record.birth_date
    if record.birth_accuracy is not BirthAccuracy.EXACT:
        born = date(born.year, 12, 31)
    age = age_on(born, on)
    if record.birth_accuracy is BirthAccuracy.ESTIMATED:
        age -= ESTIMATED_AGE_TOLERANCE_YEARS
    return age < ADULT_AGE
