"""Small pure rules used by registration: ages, age bands, name folding, birth dates."""

from __future__ import annotations

import unicodedata
from datetime import date

from hbm.registration.enums import AgeBand

_AGE_BAND_LIMITS: tuple[tuple[int, AgeBand], ...] = (
    (4, AgeBand.AGE_0_4),
    (11, AgeBand.AGE_5_11),
    (17, AgeBand.AGE_12_17),
    (59, AgeBand.AGE_18_59),
)
MAX_AGE_YEARS = 120


def age_on(birth: date, day: date) -> int:
    """Completed years of age on ``day``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def age_band_of(age: int) -> AgeBand:
    for upper, band in _AGE_BAND_LIMITS:
        if age <= upper:
            return band
    return AgeBand.AGE_60_PLUS


def birth_date_from_estimated_age(age: int, on: date) -> date:
    """A conventional date of birth for an estimated age: 1 January of the implied year.

    1 January is the usual convention for unknown birth dates in registration systems; the record
    keeps ``birth_date_accuracy = estimated`` so no one mistakes it for a real date.
    """
    return date(on.year - age, 1, 1)


def search_name_of(surname: str, given_names: str) -> str:
    """Upper case, accents folded, single spaces: 'Müller, Zoë' → 'MULLER ZOE'."""
    text = f"{surname} {given_names}"
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(folded.upper().split())
