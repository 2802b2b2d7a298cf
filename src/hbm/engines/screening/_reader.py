"""Reading a definition tree with every problem collected: each helper checks one shape, records
what is wrong with the line and path, and returns ``None`` so that reading can go on."""

from __future__ import annotations

import difflib
import hashlib
import math
import re
from collections.abc import Collection, Iterable
from datetime import date, datetime
from typing import Final, NoReturn

from hbm.engines.datafile import DefinitionError, Problem, YList, YMap, YNode, YScalar, describe, join, parse
from hbm.engines.screening._text import DEFAULT_LANGUAGES, Text

__all__ = ["FORMAT", "Reader", "join", "open_definition"]

FORMAT: Final = "hbm-screening/1"
IDENTIFIER: Final = re.compile(r"[a-z][a-z0-9_]*(?:-[a-z0-9_]+)*")


class Reader:
    """Collects :class:`Problem` s while a definition is read. ``languages`` are the ones every
    text must have (the file's ``languages``, by default English, French and Arabic)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.languages: tuple[str, ...] = DEFAULT_LANGUAGES

    def add(self, line: int, path: str, reason: str) -> None:
        self.problems.append(Problem(line, path, reason))

    def raise_if_any(self) -> None:
        if self.problems:
            raise DefinitionError(self.source, self.problems)

    def fail(self) -> NoReturn:
        """Raise the problems found (there is at least one)."""
        assert self.problems
        raise DefinitionError(self.source, self.problems)

    # Shapes -------------------------------------------------------------------------------------

    def mapping(
        self, node: YNode, path: str, *, required: Collection[str], optional: Collection[str] = ()
    ) -> YMap | None:
        """``node`` as a mapping with exactly these keys allowed (unknown and missing keys are
        problems; the mapping is still returned when only keys are wrong)."""
        if not isinstance(node, YMap):
            self.add(node.line, path, f"expected a mapping (key: value), found {describe(node)}")
            return None
        allowed = [*required, *optional]
        for key in node.entries:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else f" (allowed: {', '.join(allowed)})"
                self.add(node.key_lines[key], join(path, key), f"unknown key {key!r}{hint}")
        for key in required:
            if key not in node.entries:
                self.add(node.line, path, f"missing key {key!r}")
        return node

    def items(self, node: YNode, path: str, *, allow_empty: bool = False) -> tuple[YNode, ...]:
        if not isinstance(node, YList):
            self.add(node.line, path, f"expected a list, found {describe(node)}")
            return ()
        if not node.items and not allow_empty:
            self.add(node.line, path, "the list is empty")
        return node.items

    def scalar(self, node: YNode, path: str) -> object:
        if not isinstance(node, YScalar):
            self.add(node.line, path, f"expected a single value, found {describe(node)}")
            return None
        return node.value

    def string(self, node: YNode, path: str) -> str | None:
        value = self.scalar(node, path)
        if isinstance(node, YScalar) and not isinstance(value, str):
            hint = " (YAML reads yes/no/on/off as booleans: quote it)" if isinstance(value, bool) else ""
            self.add(node.line, path, f"expected text, found {describe(node)}{hint}")
            return None
        if isinstance(value, str) and not value.strip():
            self.add(node.line, path, "the text is empty")
            return None
        return value if isinstance(value, str) else None

    def identifier(self, node: YNode, path: str) -> str | None:
        value = self.string(node, path)
        if value is not None and not IDENTIFIER.fullmatch(value):
            self.add(node.line, path, f"{value!r} is not an identifier (lower-case letters, digits, _ and -)")
            return None
        return value

    def boolean(self, node: YNode, path: str) -> bool | None:
        value = self.scalar(node, path)
        if isinstance(node, YScalar) and not isinstance(value, bool):
            self.add(node.line, path, f"expected true or false, found {describe(node)}")
            return None
        return value if isinstance(value, bool) else None

    def integer(self, node: YNode, path: str, *, minimum: int | None = None) -> int | None:
        value = self.scalar(node, path)
        if isinstance(node, YScalar) and (isinstance(value, bool) or not isinstance(value, int)):
            self.add(node.line, path, f"expected a whole number, found {describe(node)}")
            return None
        if isinstance(value, int) and minimum is not None and value < minimum:
            self.add(node.line, path, f"must be at least {minimum}")
            return None
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def number(self, node: YNode, path: str) -> float | None:
        value = self.scalar(node, path)
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            if isinstance(node, YScalar):
                self.add(node.line, path, f"expected a number, found {describe(node)}")
            return None
        return float(value)

    def day(self, node: YNode, path: str) -> date | None:
        value = self.scalar(node, path)
        if isinstance(value, datetime) or not isinstance(value, date):
            if isinstance(node, YScalar):
                self.add(node.line, path, f"expected a date (YYYY-MM-DD), found {describe(node)}")
            return None
        return value

    def choice(self, node: YNode, path: str, allowed: Iterable[str], what: str) -> str | None:
        value = self.string(node, path)
        options = list(allowed)
        if value is not None and value not in options:
            listed = f" (expected one of: {', '.join(options)})" if len(options) <= 12 else ""
            self.add(node.line, path, f"unknown {what} {value!r}{listed}")
            return None
        return value

    def strings(self, node: YNode, path: str, *, allow_empty: bool = False) -> tuple[str, ...]:
        values = [
            self.string(item, join(path, i))
            for i, item in enumerate(self.items(node, path, allow_empty=allow_empty))
        ]
        return tuple(v for v in values if v is not None)

    def text(self, node: YNode, path: str) -> Text | None:
        """A translatable text: a mapping with one non-empty text per language of the file."""
        if not isinstance(node, YMap):
            self.add(
                node.line,
                path,
                f"expected a text in each language ({', '.join(self.languages)}), found {describe(node)}",
            )
            return None
        values: dict[str, str] = {}
        for language, value in node.entries.items():
            child = join(path, language)
            if language not in self.languages:
                self.add(
                    node.key_lines[language], child,
                    f"unknown language {language!r} (this file's languages: {', '.join(self.languages)})",
                )  # fmt: skip
                continue
            text = self.string(value, child)
            if text is not None:
                values[language] = text.strip()
        missing = [language for language in self.languages if language not in node.entries]
        for language in missing:
            self.add(node.line, path, f"missing translation {language!r}")
        if len(values) != len(self.languages):
            return None
        return Text(tuple((language, values[language]) for language in self.languages))

    def unique(self, seen: dict[str, int], value: str | None, line: int, path: str, what: str) -> bool:
        """Record ``value`` as used on ``line``; a second use is a problem naming the first (and
        ``False`` is returned)."""
        if value is None:
            return True
        if value in seen:
            self.add(line, path, f"duplicate {what} {value!r} (first on line {seen[value]})")
            return False
        seen[value] = line
        return True


def open_definition(
    text: str, source: str, kind: str, *, required: Collection[str], optional: Collection[str] = ()
) -> tuple[Reader, YMap | None, str]:
    """Parse ``text`` and check the header every definition file shares (``format``, ``kind``,
    ``languages``). Returns the reader (problems so far), the top mapping and the digest (SHA-256
    of the text, to tell two files with one version apart)."""
    reader = Reader(source)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    root = parse(text, reader.problems, empty_line=1)
    if root is None:
        return reader, None, digest
    top = reader.mapping(root, "", required=["format", "kind", *required], optional=["languages", *optional])
    if top is None:
        return reader, None, digest
    if "format" in top.entries:
        reader.choice(top.entries["format"], "format", [FORMAT], "format")
    if "kind" in top.entries:
        reader.choice(top.entries["kind"], "kind", [kind], "kind")
    if "languages" in top.entries:
        node = top.entries["languages"]
        languages = reader.strings(node, "languages")
        if languages and "en" not in languages:
            reader.add(
                node.line, "languages", "English ('en') must be one of the languages: it is the fallback"
            )
        if len(set(languages)) != len(languages):
            reader.add(node.line, "languages", "a language is listed twice")
        if languages:
            reader.languages = tuple(dict.fromkeys(languages))
    return reader, top, digest
