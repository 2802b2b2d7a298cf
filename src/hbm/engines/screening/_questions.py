"""Reading the ``questions`` list shared by questionnaires and health checklists (two passes:
first every question without its skip logic, then the ``ask_if`` conditions, which may only look
back)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, Final

from hbm.engines.datafile import YNode
from hbm.engines.screening._conditions import ConditionScope, read_condition
from hbm.engines.screening._model import Option, Question, QuestionType
from hbm.engines.screening._reader import Reader, join

__all__ = ["QuestionDraft", "attach_conditions", "read_questions"]

_COMMON: Final = ("id", "type", "text", "guidance")
_BY_TYPE: Final = {
    QuestionType.CHOICE: ("options", "multiple"),
    QuestionType.NUMBER: ("min", "max", "integer"),
    QuestionType.DATE: ("past_only",),
    QuestionType.TEXT: ("max_length",),
    QuestionType.YES_NO: (),
}
_ALL_SPECIFIC: Final = tuple(key for keys in _BY_TYPE.values() for key in keys)


@dataclasses.dataclass(frozen=True, slots=True)
class QuestionDraft:
    """A question read without its ``ask_if``, and the node of that condition."""

    question: Question
    ask_if: YNode | None
    path: str


def read_questions(reader: Reader, node: YNode, path: str) -> tuple[list[QuestionDraft], frozenset[str]]:
    """The questions that could be read, and the ids of those that could not (their problems are
    recorded; conditions on them are not reported again)."""
    drafts: list[QuestionDraft] = []
    broken: set[str] = set()
    seen: dict[str, int] = {}
    for i, item in enumerate(reader.items(node, path)):
        item_path = join(path, i)
        top = reader.mapping(
            item, item_path, required=_COMMON, optional=[*_ALL_SPECIFIC, "required", "ask_if"]
        )
        if top is None:
            continue
        entries = top.entries
        question_id = reader.identifier(entries["id"], join(item_path, "id")) if "id" in entries else None
        if "id" in entries and not reader.unique(
            seen, question_id, entries["id"].line, join(item_path, "id"), "question id"
        ):
            question_id = None
        kind_name = (
            reader.choice(
                entries["type"], join(item_path, "type"), [t.value for t in QuestionType], "question type"
            )
            if "type" in entries
            else None
        )
        text = reader.text(entries["text"], join(item_path, "text")) if "text" in entries else None
        guidance = (
            reader.text(entries["guidance"], join(item_path, "guidance")) if "guidance" in entries else None
        )
        if kind_name is None:
            if question_id is not None:
                broken.add(question_id)
            continue
        kind = QuestionType(kind_name)
        for key in _ALL_SPECIFIC:
            if key in entries and key not in _BY_TYPE[kind]:
                owner = next(t for t, keys in _BY_TYPE.items() if key in keys)
                reader.add(
                    top.key_lines[key],
                    join(item_path, key),
                    f"{key!r} is only for {owner.value} questions, not {kind.value}",
                )
        required = (
            reader.boolean(entries["required"], join(item_path, "required"))
            if "required" in entries
            else False
        )
        specific = _read_specific(reader, kind, top.entries, top.line, item_path)
        if question_id is None or text is None or guidance is None or specific is None or required is None:
            if question_id is not None:
                broken.add(question_id)
            continue
        question = Question(
            id=question_id,
            type=kind,
            text=text,
            guidance=guidance,
            line=top.line,
            required=required,
        )
        question = dataclasses.replace(question, **specific)
        drafts.append(QuestionDraft(question, entries.get("ask_if"), item_path))
    return drafts, frozenset(broken - {draft.question.id for draft in drafts})


def _read_specific(
    reader: Reader, kind: QuestionType, entries: Mapping[str, YNode], line: int, path: str
) -> dict[str, Any] | None:
    values: dict[str, Any] = {}
    ok = True
    if kind is QuestionType.CHOICE:
        if "options" not in entries:
            reader.add(line, path, "a choice question needs 'options'")
            return None
        options = _read_options(reader, entries["options"], join(path, "options"))
        multiple = (
            reader.boolean(entries["multiple"], join(path, "multiple")) if "multiple" in entries else False
        )
        ok = options is not None and multiple is not None
        values.update(options=options, multiple=multiple)
    elif kind is QuestionType.NUMBER:
        for key, name in (("min", "minimum"), ("max", "maximum")):
            if key in entries:
                number = reader.number(entries[key], join(path, key))
                ok = ok and number is not None
                values[name] = number
        integer = reader.boolean(entries["integer"], join(path, "integer")) if "integer" in entries else False
        ok = ok and integer is not None
        values["integer"] = integer
        low, high = values.get("minimum"), values.get("maximum")
        if isinstance(low, float) and isinstance(high, float) and low > high:
            reader.add(entries["max"].line, join(path, "max"), f"max ({high:g}) is below min ({low:g})")
            ok = False
    elif kind is QuestionType.DATE and "past_only" in entries:
        past_only = reader.boolean(entries["past_only"], join(path, "past_only"))
        ok = past_only is not None
        values["past_only"] = past_only
    elif kind is QuestionType.TEXT and "max_length" in entries:
        length = reader.integer(entries["max_length"], join(path, "max_length"), minimum=1)
        ok = length is not None
        values["max_length"] = length
    return values if ok else None


def _read_options(reader: Reader, node: YNode, path: str) -> tuple[Option, ...] | None:
    options: list[Option] = []
    seen: dict[str, int] = {}
    ok = True
    for i, item in enumerate(reader.items(node, path)):
        item_path = join(path, i)
        top = reader.mapping(item, item_path, required=["value", "label"])
        if top is None:
            ok = False
            continue
        value = (
            reader.identifier(top.entries["value"], join(item_path, "value"))
            if "value" in top.entries
            else None
        )
        if "value" in top.entries:
            reader.unique(seen, value, top.entries["value"].line, join(item_path, "value"), "option value")
        label = (
            reader.text(top.entries["label"], join(item_path, "label")) if "label" in top.entries else None
        )
        if value is None or label is None:
            ok = False
            continue
        options.append(Option(value, label))
    return tuple(options) if ok and options else None


def attach_conditions(
    reader: Reader,
    drafts: list[QuestionDraft],
    facts: Mapping[str, frozenset[str]],
    broken: frozenset[str] = frozenset(),
) -> tuple[Question, ...]:
    """The questions with their ``ask_if`` read: each may refer to earlier questions only."""
    by_id = {draft.question.id: draft.question for draft in drafts}
    questions: list[Question] = []
    for position, draft in enumerate(drafts):
        question = draft.question
        if draft.ask_if is not None:
            earlier = frozenset(d.question.id for d in drafts[:position])
            scope = ConditionScope(by_id, earlier, facts, current=question.id, broken=broken)
            condition = read_condition(reader, draft.ask_if, join(draft.path, "ask_if"), scope)
            question = dataclasses.replace(question, ask_if=condition)
        questions.append(question)
    return tuple(questions)
