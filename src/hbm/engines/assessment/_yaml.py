"""YAML with line numbers: a data file is read into a small tree whose every value knows its line,
so that a refusal can name the line. PyYAML's composer keeps the marks; its constructor drops them
and lets a repeated key silently replace the first, so the tree is built from the composed nodes.

The same as :mod:`hbm.engines.planning._yaml`: an engine does not import another engine's internals.
The copies (screening, planning, assessment) belong in one module shared by the engines."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from hbm.engines.assessment._errors import Problem

__all__ = ["YList", "YMap", "YNode", "YScalar", "describe", "parse"]


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


YNode = YScalar | YList | YMap


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


def parse(text: str, problems: list[Problem]) -> YNode | None:
    """The tree of ``text``, or ``None`` when it is empty or not YAML at all (said in ``problems``).
    Repeated keys and keys that are not text are added to ``problems``; the first value is kept."""
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            problems.append(Problem(0, "", "the file is empty"))
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
            line, tuple(_convert(item, loader, f"{path}[{i}]", problems) for i, item in enumerate(node.value))
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
            child = f"{path}.{key}" if path else key
            if key in result.entries:
                first = result.key_lines[key]
                problems.append(Problem(key_line, child, f"repeated key {key!r} (first on line {first})"))
                continue
            result.entries[key] = _convert(value_node, loader, child, problems)
            result.key_lines[key] = key_line
        return result
    raise TypeError(f"unexpected YAML node {node!r}")  # pragma: no cover - the composer makes only these
