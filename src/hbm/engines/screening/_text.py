"""Translatable text: one string per language, English as the fallback."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

__all__ = ["DEFAULT_LANGUAGES", "Text"]

# The languages of HBM's interface (issue 5: English, French and Arabic). A definition file may
# declare more (`languages: [en, fr, ar, uk]`); every text in it must then have all of them.
DEFAULT_LANGUAGES: Final = ("en", "fr", "ar")


@dataclass(frozen=True, slots=True)
class Text:
    """A text in several languages, as ``(language, text)`` pairs in the file's order."""

    translations: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, values: Mapping[str, str]) -> Text:
        """A text from ``{language: text}``."""
        return cls(tuple(values.items()))

    def get(self, language: str) -> str:
        """The text in ``language``, or in English where it has none."""
        fallback = ""
        for code, value in self.translations:
            if code == language:
                return value
            if code == "en":
                fallback = value
        return fallback

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.translations)

    def __str__(self) -> str:
        return self.get("en")
