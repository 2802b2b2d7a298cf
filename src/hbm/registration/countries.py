"""Country and language names for the pages, in the officer's language, from pycountry's catalogues.

pycountry ships the ISO 3166-1 and ISO 639-3 names with their translations (the Debian iso-codes
project), so the names come with the package and need no network. Codes stay the stored value; the
name is only shown.
"""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry
from django.utils import translation
from django.utils.translation import gettext_lazy as _

# ICAO Doc 9303 codes registration accepts besides ISO 3166-1 (see registration.services).
SPECIAL_NATIONALITIES = {
    "XXA": _("Stateless person"),
    "XXB": _("Refugee (1951 Convention)"),
    "XXC": _("Refugee (other than the 1951 Convention)"),
    "XXX": _("Nationality unspecified"),
    "UNK": _("Kosovo (UNMIK document)"),
}

# The languages offered first in the languages field: those of the people who crossed into
# Europe, the Middle East and Africa in recent crises. Any other ISO 639-3 code is accepted too.
COMMON_LANGUAGES = (
    "ara", "apc", "arz", "ary", "ckb", "kmr", "fas", "prs", "pus", "urd", "hin", "ben", "pan", "tam",
    "sin", "nep", "tir", "amh", "orm", "som", "aar", "swa", "hau", "ful", "yor", "ibo", "lin", "wol",
    "bam", "kin", "lug", "sag", "ukr", "rus", "bel", "ron", "pol", "hun", "bul", "srp", "hrv", "bos",
    "mkd", "sqi", "ell", "tur", "aze", "kat", "hye", "uzb", "tgk", "tuk", "kaz", "kir", "rom", "eng",
    "fra", "spa", "por", "deu", "ita", "zho", "vie", "mya", "heb", "kab", "tzm",
)  # fmt: skip


def _language_code() -> str:
    return (translation.get_language() or "en").split("-")[0]


@lru_cache(maxsize=16)
def _catalogue(domain: str, language: str) -> gettext.NullTranslations:
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)


def country_name(code: str) -> str:
    """The name of an ISO 3166-1 alpha-3 or ICAO special code in the active language; the code if
    unknown."""
    code = (code or "").upper()
    if code in SPECIAL_NATIONALITIES:
        return str(SPECIAL_NATIONALITIES[code])
    country = pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
    if country is None:
        return code
    return _catalogue("iso3166-1", _language_code()).gettext(country.name)


def language_name(code: str) -> str:
    """The name of an ISO 639-3 code in the active language; the code if unknown."""
    code = (code or "").lower()
    language = pycountry.languages.get(alpha_3=code) if len(code) == 3 else None
    if language is None:
        return code
    return _catalogue("iso639-3", _language_code()).gettext(language.name)


@lru_cache(maxsize=8)
def _nationality_options(language: str) -> tuple[tuple[str, str], ...]:
    with translation.override(language):
        special = [(code, str(label)) for code, label in SPECIAL_NATIONALITIES.items()]
        countries = sorted(
            ((c.alpha_3, country_name(c.alpha_3)) for c in pycountry.countries), key=lambda pair: pair[1]
        )
    return tuple(countries + special)


def nationality_options() -> tuple[tuple[str, str], ...]:
    """(code, name) of every country, then the ICAO special codes, for a <datalist>."""
    return _nationality_options(_language_code())


@lru_cache(maxsize=8)
def _language_options(language: str) -> tuple[tuple[str, str], ...]:
    with translation.override(language):
        known = [code for code in COMMON_LANGUAGES if pycountry.languages.get(alpha_3=code) is not None]
        return tuple(sorted(((code, language_name(code)) for code in known), key=lambda pair: pair[1]))


def language_options() -> tuple[tuple[str, str], ...]:
    """(code, name) of the common languages, for a <datalist>."""
    return _language_options(_language_code())
