"""Typed reading of a line-numbered YAML tree: each helper returns the value or ``None`` and, when
the value is wrong, adds a :class:`Problem` naming the key and its line. Every problem in a file is
collected before anything is refused, so its author fixes them all in one pass.

The same as :mod:`hbm.engines.planning._read`: an engine does not import another engine's internals.
The copies (screening, planning, assessment) belong in one module shared by the engines."""

from __future__ import annotations

import math
from collections.abc import Collection

from hbm.engines.assessment._errors import Problem
from hbm.engines.assessment._yaml import YList, YMap, YNode, YScalar, describe

__all__ = ["Reader"]


class Reader:
    """Collects the problems of one file."""

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
                self.fail(key_line, _join(path, key), f"{key!r} cannot be changed here")
            elif key not in required and key not in optional:
                known = ", ".join(sorted([*required, *optional]))
                self.fail(key_line, _join(path, key), f"unknown key {key!r} (known keys: {known})")
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


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
