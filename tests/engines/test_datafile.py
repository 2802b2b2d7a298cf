"""The data-file reader the engines share: lines, repeated keys, every problem at once."""

from __future__ import annotations

import pytest

from hbm.engines import assessment, planning, screening
from hbm.engines.datafile import DefinitionError, Problem, Reader, YMap, YNode, YScalar, parse, read


def _count(root: YNode, reader: Reader) -> int | None:
    top = reader.mapping(root, "", root.line)
    if top is None:
        return None
    reader.keys(top, "", required=["count"])
    value = reader.number(top.entries.get("count"), "count", top.line, positive=True)
    return int(value) if value is not None else None


def test_every_value_knows_its_line_and_whole_number_keys_are_text() -> None:
    problems: list[Problem] = []
    root = parse("a: 1\nlevels:\n  3: three\n", problems)
    assert problems == []
    assert isinstance(root, YMap)
    levels = root.entries["levels"]
    assert isinstance(levels, YMap)
    assert (root.key_lines, levels.entries["3"]) == ({"a": 1, "levels": 2}, YScalar(3, "three"))


def test_a_repeated_key_keeps_the_first_value_and_is_a_problem() -> None:
    problems: list[Problem] = []
    root = parse("a: 1\nb: 2\na: 3\n", problems)
    assert isinstance(root, YMap)
    assert root.entries["a"] == YScalar(1, 1)
    assert problems == [Problem(3, "a", "repeated key 'a' (first on line 1)")]


def test_read_reports_every_problem_at_once_with_the_callers_error() -> None:
    with pytest.raises(planning.FiguresError) as refused:
        read("count: -2\nextra: 1\n", _count, source="f.yaml", error=planning.FiguresError)
    assert isinstance(refused.value, DefinitionError)
    assert str(refused.value) == (
        "f.yaml:1: count: must not be negative, not -2\n"
        "f.yaml:2: extra: unknown key 'extra' (known keys: count)"
    )
    assert read("count: 4\n", _count, source="f.yaml") == 4


def test_an_empty_file_is_said_on_the_line_the_caller_chooses() -> None:
    problems: list[Problem] = []
    assert parse("", problems, empty_line=1) is None
    assert problems == [Problem(1, "", "the file is empty")]


def test_each_engine_keeps_its_names_for_the_shared_classes() -> None:
    assert screening.Problem is planning.Problem is assessment.Problem is Problem
    assert screening.DefinitionError is DefinitionError
    assert issubclass(planning.FiguresError, DefinitionError)
    assert issubclass(assessment.QuestionnaireError, DefinitionError)
