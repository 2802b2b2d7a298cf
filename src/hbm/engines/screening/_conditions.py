"""Conditions on answers (skip logic, flag rules, case definitions): a small tree read from data.

In a file a condition is a mapping with one of::

    all: [condition, …]          any: [condition, …]          not: condition
    fact: child                  # a derived fact the file's kind provides (child, older, fever …)
    question: id  + one of
        answered: true|false
        equals: value            # yes/no, single choice, number, date
        in: [value, …]           # single choice
        includes: value | [value, …]          # multiple choice: any of them chosen
        count_at_least: n  (of: [value, …])  # multiple choice: at least n chosen (among `of`)
        at_least | at_most | less_than | more_than: value   # number or date

A question that was not answered (or not asked) satisfies only ``answered: false``; ``not``
turns that round, so ``not: {question: q, equals: true}`` holds when ``q`` is unanswered.
"""

from __future__ import annotations

import operator
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from hbm.engines.datafile import YMap, YNode, YScalar, describe
from hbm.engines.screening._model import Answer, Answers, Facts, Question, QuestionType
from hbm.engines.screening._reader import Reader, join

__all__ = ["Condition", "ConditionScope", "read_condition"]


class Condition(ABC):
    """A test on answers and facts. ``questions`` and ``facts`` name what it reads."""

    __slots__ = ()

    @abstractmethod
    def holds(self, answers: Answers, facts: Facts) -> bool: ...

    @abstractmethod
    def questions(self) -> frozenset[str]: ...

    @abstractmethod
    def facts(self) -> frozenset[str]: ...


@dataclass(frozen=True, slots=True)
class AllOf(Condition):
    items: tuple[Condition, ...]

    def holds(self, answers: Answers, facts: Facts) -> bool:
        return all(item.holds(answers, facts) for item in self.items)

    def questions(self) -> frozenset[str]:
        return frozenset().union(*(item.questions() for item in self.items))

    def facts(self) -> frozenset[str]:
        return frozenset().union(*(item.facts() for item in self.items))


@dataclass(frozen=True, slots=True)
class AnyOf(Condition):
    items: tuple[Condition, ...]

    def holds(self, answers: Answers, facts: Facts) -> bool:
        return any(item.holds(answers, facts) for item in self.items)

    def questions(self) -> frozenset[str]:
        return frozenset().union(*(item.questions() for item in self.items))

    def facts(self) -> frozenset[str]:
        return frozenset().union(*(item.facts() for item in self.items))


@dataclass(frozen=True, slots=True)
class Not(Condition):
    item: Condition

    def holds(self, answers: Answers, facts: Facts) -> bool:
        return not self.item.holds(answers, facts)

    def questions(self) -> frozenset[str]:
        return self.item.questions()

    def facts(self) -> frozenset[str]:
        return self.item.facts()


@dataclass(frozen=True, slots=True)
class Fact(Condition):
    name: str

    def holds(self, answers: Answers, facts: Facts) -> bool:
        return facts(self.name)

    def questions(self) -> frozenset[str]:
        return frozenset()

    def facts(self) -> frozenset[str]:
        return frozenset({self.name})


@dataclass(frozen=True, slots=True)
class QuestionTest(Condition):
    """``question`` compared by ``op`` (one of :data:`OPERATORS`) with ``value``."""

    question: str
    op: str
    value: object
    of: frozenset[str] | None = None

    def holds(self, answers: Answers, facts: Facts) -> bool:
        answer = answers.get(self.question)
        if self.op == "answered":
            return (answer is not None) is self.value
        if answer is None:
            return False
        return _TESTS[self.op](answer, self)

    def questions(self) -> frozenset[str]:
        return frozenset({self.question})

    def facts(self) -> frozenset[str]:
        return frozenset()


def _includes(answer: Answer, test: QuestionTest) -> bool:
    assert isinstance(answer, tuple)
    assert isinstance(test.value, frozenset)
    return not test.value.isdisjoint(answer)


def _count(answer: Answer, test: QuestionTest) -> bool:
    assert isinstance(answer, tuple)
    assert isinstance(test.value, int)
    chosen = [value for value in answer if test.of is None or value in test.of]
    return len(chosen) >= test.value


def _compare(compare: Callable[[Any, Any], Any]) -> Callable[[Answer, QuestionTest], bool]:
    return lambda answer, test: bool(compare(answer, test.value))


_TESTS: Final[dict[str, Callable[[Answer, QuestionTest], bool]]] = {
    "equals": lambda answer, test: answer == test.value,
    "in": lambda answer, test: isinstance(test.value, frozenset) and answer in test.value,
    "includes": _includes,
    "count_at_least": _count,
    "at_least": _compare(operator.ge),
    "at_most": _compare(operator.le),
    "less_than": _compare(operator.lt),
    "more_than": _compare(operator.gt),
}
OPERATORS: Final = ("answered", *_TESTS)


@dataclass(frozen=True, slots=True)
class ConditionScope:
    """What a condition at one place may refer to.

    ``questions``: every question of the file by id; ``available``: the ids it may use (for
    ``ask_if``, the questions before this one); ``facts``: the facts of the file's kind, each with
    the questions it is computed from (those must be available too); ``current``: the question
    whose ``ask_if`` this is; ``broken``: ids of questions that could not be read (already
    reported, so a condition on one is not reported again).
    """

    questions: Mapping[str, Question]
    available: frozenset[str]
    facts: Mapping[str, frozenset[str]]
    current: str | None = None
    broken: frozenset[str] = frozenset()


def read_condition(reader: Reader, node: YNode, path: str, scope: ConditionScope) -> Condition | None:
    """The condition in ``node``, or ``None`` with the problems recorded."""
    if not isinstance(node, YMap) or not node.entries:
        reader.add(
            node.line, path, f"expected a condition (a mapping such as 'question: …'), found {describe(node)}"
        )
        return None
    keys = set(node.entries)
    for combinator in ("all", "any"):
        if combinator in keys:
            if not reader.mapping(node, path, required=[combinator]):
                return None
            nodes = reader.items(node.entries[combinator], join(path, combinator))
            items = [
                read_condition(reader, item, join(join(path, combinator), i), scope)
                for i, item in enumerate(nodes)
            ]
            if not nodes or any(item is None for item in items):
                return None
            parts = tuple(item for item in items if item is not None)
            return AllOf(parts) if combinator == "all" else AnyOf(parts)
    if "not" in keys:
        if not reader.mapping(node, path, required=["not"]):
            return None
        inner = read_condition(reader, node.entries["not"], join(path, "not"), scope)
        return Not(inner) if inner is not None else None
    if "fact" in keys:
        return _read_fact(reader, node, path, scope)
    if "question" in keys:
        return _read_test(reader, node, path, scope)
    reader.add(
        node.line,
        path,
        f"a condition needs one of: all, any, not, fact, question (found {', '.join(sorted(keys))})",
    )
    return None


def _read_fact(reader: Reader, node: YMap, path: str, scope: ConditionScope) -> Condition | None:
    if not reader.mapping(node, path, required=["fact"]):
        return None
    value_node = node.entries["fact"]
    if not scope.facts:
        reader.add(
            value_node.line,
            join(path, "fact"),
            "this file has no facts (a questionnaire has them with an 'age' section)",
        )
        return None
    name = reader.choice(value_node, join(path, "fact"), scope.facts, "fact")
    if name is None:
        return None
    for question in sorted(scope.facts[name]):
        if question in scope.broken:
            return None
        if question not in scope.available:
            later = scope.questions[question].line
            reader.add(
                value_node.line, join(path, "fact"),
                f"fact {name!r} depends on question {question!r}, which comes later (line {later})",
            )  # fmt: skip
            return None
    return Fact(name)


def _read_test(reader: Reader, node: YMap, path: str, scope: ConditionScope) -> Condition | None:
    ops = [key for key in node.entries if key in OPERATORS]
    if len(ops) != 1:
        found = f"found {', '.join(ops)}" if ops else "found none"
        reader.add(
            node.line, path, f"a question condition needs exactly one of: {', '.join(OPERATORS)} ({found})"
        )
        reader.mapping(node, path, required=["question"], optional=[*OPERATORS, "of"])
        return None
    op = ops[0]
    if not reader.mapping(
        node, path, required=["question", op], optional=["of"] if op == "count_at_least" else ()
    ):
        return None
    question_node = node.entries["question"]
    question_id = reader.string(question_node, join(path, "question"))
    if question_id is None:
        return None
    question = scope.questions.get(question_id)
    if question is None and question_id in scope.broken:
        return None
    if question is None:
        reader.add(
            question_node.line, join(path, "question"), f"condition on unknown question {question_id!r}"
        )
        return None
    if question_id not in scope.available:
        if question_id == scope.current:
            reason = f"condition on question {question_id!r}, the question itself"
        else:
            reason = f"condition on question {question_id!r}, which comes later (line {question.line})"
        reader.add(question_node.line, join(path, "question"), reason)
        return None
    value_node = node.entries[op]
    value_path = join(path, op)
    if op == "answered":
        flag = reader.boolean(value_node, value_path)
        return QuestionTest(question_id, op, flag) if flag is not None else None
    kind = question.type
    multiple = kind is QuestionType.CHOICE and question.multiple
    allowed = {
        "equals": kind in (QuestionType.YES_NO, QuestionType.NUMBER, QuestionType.DATE)
        or (kind is QuestionType.CHOICE and not multiple),
        "in": kind is QuestionType.CHOICE and not multiple,
        "includes": multiple,
        "count_at_least": multiple,
    }.get(op, kind in (QuestionType.NUMBER, QuestionType.DATE))
    if not allowed:
        what = f"a {'multiple ' if multiple else ''}{kind.value} question"
        reader.add(value_node.line, value_path, f"{op!r} cannot test {what} ({question_id!r})")
        return None
    if op == "count_at_least":
        count = reader.integer(value_node, value_path, minimum=1)
        of = None
        if "of" in node.entries:
            values = _option_values(reader, node.entries["of"], join(path, "of"), question, as_list=True)
            if values is None:
                return None
            of = values
        return QuestionTest(question_id, op, count, of) if count is not None else None
    if op in ("in", "includes"):
        values = _option_values(reader, value_node, value_path, question, as_list=op == "in")
        return QuestionTest(question_id, op, values) if values is not None else None
    value = _value(reader, value_node, value_path, question)
    if value is None:
        return None
    return QuestionTest(question_id, op, value)


def _option_values(
    reader: Reader, node: YNode, path: str, question: Question, *, as_list: bool
) -> frozenset[str] | None:
    nodes = reader.items(node, path) if as_list or not isinstance(node, YScalar) else (node,)
    values: list[str] = []
    ok = bool(nodes)
    for i, item in enumerate(nodes):
        item_path = join(path, i) if len(nodes) > 1 or as_list else path
        value = reader.string(item, item_path)
        if value is not None and value not in question.option_values:
            reader.add(
                item.line,
                item_path,
                f"{value!r} is not an option of {question.id!r} ({', '.join(question.option_values)})",
            )
            value = None
        ok = ok and value is not None
        if value is not None:
            values.append(value)
    return frozenset(values) if ok else None


def _value(reader: Reader, node: YNode, path: str, question: Question) -> object:
    if question.type is QuestionType.YES_NO:
        return reader.boolean(node, path)
    if question.type is QuestionType.NUMBER:
        return reader.number(node, path)
    if question.type is QuestionType.DATE:
        return reader.day(node, path)
    value = reader.string(node, path)
    if value is not None and value not in question.option_values:
        reader.add(
            node.line,
            path,
            f"{value!r} is not an option of {question.id!r} ({', '.join(question.option_values)})",
        )
        return None
    return value
