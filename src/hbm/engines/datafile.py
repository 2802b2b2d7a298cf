"""Reading the engines' YAML data files with line numbers, every problem collected (pure Python).

The screening definitions (decision 0012), the planning figures and overlays and the assessment
questionnaire (decision 0014) are YAML written by people who do not read Python. A file that does
not validate is refused with *every* problem, each with its line, the path to the offending value
and a reason its author can act on. This module is what those readers share:

    parse(text, problems) -> YNode | None      # YScalar / YList / YMap, each knowing its line
    describe(node) -> "a list", "the number 3" …
    Reader().mapping / keys / text / number / boolean / choice   # typed reads that collect problems
    read(text, build, source=…, error=DefinitionError)  # parse, build, raise every problem at once
    Problem(line, path, reason) · DefinitionError(source, problems)

PyYAML's composer keeps the marks of every node; its constructor drops them and lets a repeated key
silently replace the first, so the tree is built from the composed nodes, and a repeated key is a
problem (the first value is kept).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TypeAlias, TypeVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

__all__ = [
    "AnswerError",
    "DefinitionError",
    "Problem",
    "Reader",
    "Reason",
    "Refused",
    "YList",
    "YMap",
    "YNode",
    "YScalar",
    "describe",
    "gettext_noop",
    "join",
    "parse",
    "read",
]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a data file: its ``line`` (1-based; 0 where the file has no line, e.g. it
    is empty), the ``path`` to the offending value (``questions[3].ask_if.equals``,
    ``items.toilets.figure.initial``) and the ``reason`` in words the author of the file can act on."""

    line: int
    path: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"line {self.line}: {where}{self.reason}"


class DefinitionError(ValueError):
    """A data file that does not validate.

    ``problems`` holds every problem found (not only the first), ordered by line; ``source`` names
    the file. ``str()`` gives one ``source:line: path: reason`` per problem.
    """

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems = tuple(sorted(problems, key=lambda p: (p.line, p.path, p.reason)))
        lines = [f"{source}:{p.line}: {p.path + ': ' if p.path else ''}{p.reason}" for p in self.problems]
        super().__init__("\n".join(lines))


def gettext_noop(text: str) -> str:
    """``text`` unchanged, marked for the translation catalogues (Django's ``makemessages`` reads
    calls by this name): an engine names its reasons in English without importing Django, and the
    web and the API translate them (:class:`Reason`)."""
    return text


@dataclass(frozen=True, slots=True)
class Reason:
    """Why one answer is refused, in words an officer can act on: ``text``, an English sentence
    with ``%(name)s`` placeholders (a catalogue entry: see :func:`gettext_noop`), and ``values``,
    what fills them in (a value as given, an option code — never translated). ``str()`` is the
    English sentence; a user interface translates ``text`` first, then fills it in."""

    text: str
    values: Mapping[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.text % dict(self.values) if self.values else self.text


class Refused(ValueError):
    """One answer that does not fit its question, and the :class:`Reason`."""

    def __init__(self, text: str, **values: object) -> None:
        self.reason = Reason(text, {name: str(value) for name, value in values.items()})
        super().__init__(str(self.reason))


class AnswerError(ValueError):
    """Answers that do not fit a questionnaire defined in a data file (screening, assessment).
    ``reasons`` maps each offending question id (or the name of the argument) to its
    :class:`Reason`, every one found, so that an API returns them as field errors in the user's
    language; ``fields`` gives the same in English."""

    def __init__(self, reasons: Mapping[str, Reason | str]) -> None:
        self.reasons: Mapping[str, Reason] = MappingProxyType(
            {name: _reason(reason) for name, reason in sorted(reasons.items())}
        )
        self.fields: Mapping[str, str] = MappingProxyType(
            {name: str(reason) for name, reason in self.reasons.items()}
        )
        super().__init__("; ".join(f"{name}: {reason}" for name, reason in self.fields.items()))


def _reason(reason: Reason | str) -> Reason:
    return reason if isinstance(reason, Reason) else Reason(reason)


@dataclass(frozen=True, slots=True)
class YScalar:
    line: int
    value: object


@dataclass(frozen=True, slots=True)
class YList:
    line: int
    items: tuple[YNode, ...]


@dataclass(frozen=True, slots=True)
class YMap:
    """A mapping with text keys in the file's order; ``key_lines`` gives the line of each key."""

    line: int
    entries: dict[str, YNode] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)

    def items(self) -> Iterator[tuple[str, YNode, int]]:
        """Each key, its value and the key's line, in the file's order."""
        for key, node in self.entries.items():
            yield key, node, self.key_lines[key]


YNode: TypeAlias = YScalar | YList | YMap


def join(path: str, key: str | int) -> str:
    """The path of ``key`` (a list index when an int) below ``path``: ``a.b``, ``a[2]``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def describe(node: YNode) -> str:
    """What a node is, for messages: ``a list``, ``a mapping``, ``the number 3``, ``no value``."""
    if isinstance(node, YMap):
        return "a mapping"
    if isinstance(node, YList):
        return "a list"
    value = node.value
    if value is None:
        return "no value"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    return f"the {type(value).__name__} {value}"


def parse(text: str, problems: list[Problem], *, empty_line: int = 0) -> YNode | None:
    """The tree of ``text``, or ``None`` when it is empty (said on line ``empty_line``) or not YAML
    at all (said in ``problems``). Repeated keys and keys that are not text are added to
    ``problems``; the first value of a repeated key is kept. A whole-number key is read as text
    (``3:`` is the key ``"3"``)."""
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            problems.append(Problem(empty_line, "", "the file is empty"))
            return None
        return _convert(root, loader, "", problems)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 0
        problems.append(Problem(line, "", f"not valid YAML: {error.problem or error.context}"))
        return None
    except yaml.YAMLError as error:
        problems.append(Problem(0, "", f"not valid YAML: {error}"))
        return None
    finally:
        loader.dispose()


def _convert(node: Node, loader: yaml.SafeLoader, path: str, problems: list[Problem]) -> YNode:
    line = node.start_mark.line + 1
    if isinstance(node, ScalarNode):
        return YScalar(line, loader.construct_object(node, deep=True))
    if isinstance(node, SequenceNode):
        return YList(
            line, tuple(_convert(item, loader, join(path, i), problems) for i, item in enumerate(node.value))
        )
    if isinstance(node, MappingNode):
        result = YMap(line)
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            key = loader.construct_object(key_node, deep=True) if isinstance(key_node, ScalarNode) else None
            if isinstance(key, int) and not isinstance(key, bool):
                key = str(key)
            if not isinstance(key, str):
                shown = key_node.value if isinstance(key_node, ScalarNode) else "a list or mapping"
                hint = " (YAML reads yes/no/on/off as booleans: quote it)" if isinstance(key, bool) else ""
                problems.append(Problem(key_line, path, f"a key must be text, not {shown!r}{hint}"))
                continue
            child = join(path, key)
            if key in result.entries:
                first = result.key_lines[key]
                problems.append(Problem(key_line, child, f"repeated key {key!r} (first on line {first})"))
                continue
            result.entries[key] = _convert(value_node, loader, child, problems)
            result.key_lines[key] = key_line
        return result
    raise TypeError(f"unexpected YAML node {node!r}")  # pragma: no cover - the composer makes only these


def read(
    text: str,
    build: Callable[[YNode, Reader], T | None],
    *,
    source: str,
    error: Callable[[str, Sequence[Problem]], DefinitionError] = DefinitionError,
) -> T:
    """Parse ``text`` and ``build`` the result from its tree with a fresh :class:`Reader`. Raises
    ``error(source, problems)`` (a :class:`DefinitionError`) listing every problem when parsing or
    building found any, or when ``build`` returned ``None``."""
    reader = Reader()
    root = parse(text, reader.problems)
    result = build(root, reader) if root is not None else None
    if reader.problems or result is None:
        raise error(source, reader.problems)
    return result


class Reader:
    """Typed reading of a tree: each helper returns the value or ``None`` and, when the value is
    wrong, adds a :class:`Problem` naming the key and its line. Every problem in a file is
    collected before anything is refused, so its author fixes them all in one pass."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, line: int, path: str, reason: str) -> None:
        self.problems.append(Problem(line, path, reason))

    def mapping(self, node: YNode | None, path: str, line: int) -> YMap | None:
        if isinstance(node, YMap):
            return node
        self.fail(node.line if node is not None else line, path, f"must be a mapping, not {_what(node)}")
        return None

    def keys(
        self,
        node: YMap,
        path: str,
        *,
        required: Collection[str] = (),
        optional: Collection[str] = (),
        fixed: Collection[str] = (),
        at: int | None = None,
    ) -> None:
        """Refuse a key outside ``required`` and ``optional`` (``fixed`` keys are known but may not
        be given here, e.g. an overlay changing a figure's unit), and a missing required key (said
        on line ``at``, the line of the mapping's own key, where given)."""
        for key, _value, key_line in node.items():
            if key in fixed:
                self.fail(key_line, join(path, key), f"{key!r} cannot be changed here")
            elif key not in required and key not in optional:
                known = ", ".join(sorted([*required, *optional]))
                self.fail(key_line, join(path, key), f"unknown key {key!r} (known keys: {known})")
        for key in required:
            if key not in node.entries:
                self.fail(at if at is not None else node.line, path, f"the key {key!r} is missing")

    def text(self, node: YNode | None, path: str, line: int) -> str | None:
        if isinstance(node, YScalar) and isinstance(node.value, str) and node.value.strip():
            return node.value.strip()
        self.fail(node.line if node is not None else line, path, f"must be text, not {_what(node)}")
        return None

    def number(
        self,
        node: YNode | None,
        path: str,
        line: int,
        *,
        positive: bool = False,
        at_most: float | None = None,
    ) -> float | None:
        """A finite number ≥ 0 (> 0 when ``positive``; ≤ ``at_most`` when given)."""
        where = node.line if node is not None else line
        raw = node.value if isinstance(node, YScalar) else None
        if not isinstance(raw, int | float) or isinstance(raw, bool):
            self.fail(where, path, f"must be a number, not {_what(node)}")
            return None
        value = float(raw)
        if not math.isfinite(value):
            self.fail(where, path, f"must be a finite number, not {raw}")
        elif value < 0:
            self.fail(where, path, f"must not be negative, not {raw}")
        elif positive and value == 0:
            self.fail(where, path, "must be more than 0")
        elif at_most is not None and value > at_most:
            self.fail(where, path, f"must be at most {at_most:g}, not {raw}")
        else:
            return value
        return None

    def boolean(self, node: YNode | None, path: str, line: int) -> bool | None:
        if isinstance(node, YScalar) and isinstance(node.value, bool):
            return node.value
        self.fail(node.line if node is not None else line, path, f"must be true or false, not {_what(node)}")
        return None

    def choice(self, node: YNode | None, path: str, line: int, choices: Collection[str]) -> str | None:
        value = self.text(node, path, line)
        if value is not None and value not in choices:
            self.fail(
                node.line if node is not None else line,
                path,
                f"{value!r} is not one of {', '.join(sorted(choices))}",
            )
            return None
        return value


def _what(node: YNode | None) -> str:
    if node is None:
        return "nothing"
    if isinstance(node, YList):
        return "a list"
    return describe(node)
