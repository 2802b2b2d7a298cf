"""The HBM assessment questionnaire: pillars, questions with maturity levels, weights and
recommendations, in English, French and Arabic. It is data (``data/hbm_assessment.yaml``), checked
in full when loaded; every problem is reported with its key and line (:class:`QuestionnaireError`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cache
from importlib.resources import files
from types import MappingProxyType

from hbm.engines.assessment._errors import QuestionnaireError
from hbm.engines.datafile import Reader, YList, YMap, YNode, read

__all__ = [
    "LANGUAGES",
    "Pillar",
    "Priority",
    "Question",
    "Questionnaire",
    "Text",
    "default_questionnaire",
    "load_questionnaire",
]

FORMAT = "hbm-assessment/1"
LANGUAGES = ("en", "fr", "ar")


class Priority(StrEnum):
    """How soon a gap should be closed, from its priority score and the questionnaire's bands."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True, slots=True)
class Text:
    """One text in English, French and Arabic."""

    en: str
    fr: str
    ar: str

    def get(self, language: str) -> str:
        """The text in ``language`` (``en``, ``fr`` or ``ar``); ``ValueError`` for any other."""
        if language not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
        text: str = getattr(self, language)
        return text


@dataclass(frozen=True, slots=True)
class Question:
    """A question of a pillar. ``levels[n]`` describes maturity level n (0 … the scale's maximum);
    ``target`` is the level that closes the gap; ``criticality`` names a class whose factor the
    questionnaire gives; ``recommendation`` says what closes the gap."""

    id: str
    pillar: str
    text: Text
    weight: float
    criticality: str
    levels: tuple[Text, ...]
    target: int
    recommendation: Text


@dataclass(frozen=True, slots=True)
class Pillar:
    """A pillar: its ``label``, ``weight`` (in the overall score and in priorities), the full
    citations of its ``sources`` and its questions in order."""

    id: str
    label: Text
    weight: float
    sources: tuple[str, ...]
    questions: tuple[Question, ...]


@dataclass(frozen=True, slots=True)
class Questionnaire:
    """A validated questionnaire. ``level_names[n]`` names level n; ``criticality`` maps each class
    to its factor; a gap whose priority score is at least ``priority_high`` is high, at least
    ``priority_medium`` medium, else low. ``digest`` is the SHA-256 of the file's text, so that a
    stored assessment can tell an edit made without a new ``version``."""

    id: str
    version: int
    title: Text
    max_level: int
    level_names: tuple[Text, ...]
    criticality: Mapping[str, float]
    priority_high: float
    priority_medium: float
    sources: Mapping[str, str]
    pillars: tuple[Pillar, ...]
    digest: str = ""

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every question, pillar by pillar, in order."""
        return tuple(question for pillar in self.pillars for question in pillar.questions)

    def question(self, question_id: str) -> Question:
        """The question ``question_id``; ``KeyError`` when there is none."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def pillar(self, pillar_id: str) -> Pillar:
        """The pillar ``pillar_id``; ``KeyError`` when there is none."""
        for pillar in self.pillars:
            if pillar.id == pillar_id:
                return pillar
        raise KeyError(pillar_id)

    def priority(self, score: float) -> Priority:
        """The priority band of a gap's priority score."""
        if score >= self.priority_high:
            return Priority.HIGH
        if score >= self.priority_medium:
            return Priority.MEDIUM
        return Priority.LOW


def load_questionnaire(text: str, *, source: str = "questionnaire") -> Questionnaire:
    """A questionnaire from the text of a file in format ``hbm-assessment/1`` (see
    ``data/hbm_assessment.yaml``). Raises :class:`QuestionnaireError` listing every problem."""
    questionnaire = read(text, _read, source=source, error=QuestionnaireError)
    return replace(questionnaire, digest=hashlib.sha256(text.encode("utf-8")).hexdigest())


@cache
def default_questionnaire() -> Questionnaire:
    """The shipped questionnaire: 11 pillars after IOM's humanitarian border management approach."""
    text = files("hbm.engines.assessment").joinpath("data", "hbm_assessment.yaml").read_text(encoding="utf-8")
    return load_questionnaire(text, source="hbm_assessment.yaml")


def _read(root: YNode, reader: Reader) -> Questionnaire | None:
    top = reader.mapping(root, "", root.line)
    if top is None:
        return None
    required = ("format", "id", "version", "title", "sources", "scale", "criticality", "priority", "pillars")
    reader.keys(top, "", required=required)
    get = top.entries.get
    fmt = reader.text(get("format"), "format", top.line)
    if fmt is not None and fmt != FORMAT:
        reader.fail(top.key_lines["format"], "format", f"must be {FORMAT!r}, not {fmt!r}")
    questionnaire_id = reader.text(get("id"), "id", top.line)
    version = _whole(reader, get("version"), "version", top.line, minimum=1)
    title = _text(reader, get("title"), "title", _line(top, "title"))
    sources = _sources(reader, get("sources"), _line(top, "sources"))
    max_level, level_names = _scale(reader, get("scale"), _line(top, "scale"))
    criticality = _criticality(reader, get("criticality"), _line(top, "criticality"))
    bands = _priority(reader, get("priority"), _line(top, "priority"))
    pillars = _pillars(reader, get("pillars"), _line(top, "pillars"), sources, max_level, criticality)
    if (
        questionnaire_id is None
        or version is None
        or title is None
        or max_level is None
        or level_names is None
        or bands is None
        or pillars is None
    ):
        return None
    return Questionnaire(
        id=questionnaire_id,
        version=version,
        title=title,
        max_level=max_level,
        level_names=level_names,
        criticality=MappingProxyType(criticality),
        priority_high=bands[0],
        priority_medium=bands[1],
        sources=MappingProxyType(sources),
        pillars=pillars,
    )


def _line(table: YMap, key: str) -> int:
    return table.key_lines.get(key, table.line)


def _whole(reader: Reader, node: YNode | None, path: str, line: int, *, minimum: int) -> int | None:
    value = reader.number(node, path, line)
    if value is None:
        return None
    if value != int(value) or value < minimum:
        reader.fail(node.line if node is not None else line, path, f"must be a whole number ≥ {minimum}")
        return None
    return int(value)


def _text(reader: Reader, node: YNode | None, path: str, line: int) -> Text | None:
    """``{en: …, fr: …, ar: …}``: all three languages, each non-empty."""
    table = reader.mapping(node, path, line)
    if table is None:
        return None
    reader.keys(table, path, required=LANGUAGES, at=line)
    found = {
        lang: reader.text(table.entries[lang], f"{path}.{lang}", line)
        for lang in LANGUAGES
        if lang in table.entries
    }
    if any(found.get(lang) is None for lang in LANGUAGES):
        return None
    return Text(en=found["en"] or "", fr=found["fr"] or "", ar=found["ar"] or "")


def _sources(reader: Reader, node: YNode | None, line: int) -> dict[str, str]:
    table = reader.mapping(node, "sources", line)
    found: dict[str, str] = {}
    if table is None:
        return found
    for key, value, key_line in table.items():
        citation = reader.text(value, f"sources.{key}", key_line)
        if citation is not None:
            found[key] = citation
    return found


def _scale(reader: Reader, node: YNode | None, line: int) -> tuple[int | None, tuple[Text, ...] | None]:
    table = reader.mapping(node, "scale", line)
    if table is None:
        return None, None
    reader.keys(table, "scale", required=("max_level", "names"), at=line)
    max_level = _whole(reader, table.entries.get("max_level"), "scale.max_level", line, minimum=1)
    if max_level is None:
        return None, None
    names = _levels(reader, table.entries.get("names"), "scale.names", _line(table, "names"), max_level)
    return max_level, names


def _levels(
    reader: Reader, node: YNode | None, path: str, line: int, max_level: int
) -> tuple[Text, ...] | None:
    """``{0: text, 1: text, …, max_level: text}``: every level once, no other key."""
    table = reader.mapping(node, path, line)
    if table is None:
        return None
    expected = [str(level) for level in range(max_level + 1)]
    reader.keys(table, path, required=expected, at=line)
    texts = [
        _text(reader, table.entries[key], f"{path}.{key}", table.key_lines[key])
        for key in expected
        if key in table.entries
    ]
    if len(texts) != len(expected) or any(text is None for text in texts):
        return None
    return tuple(text for text in texts if text is not None)


def _criticality(reader: Reader, node: YNode | None, line: int) -> dict[str, float]:
    table = reader.mapping(node, "criticality", line)
    found: dict[str, float] = {}
    if table is None:
        return found
    if not table.entries:
        reader.fail(line, "criticality", "give at least one class with its factor")
    for key, value, key_line in table.items():
        factor = reader.number(value, f"criticality.{key}", key_line, positive=True)
        if factor is not None:
            found[key] = factor
    return found


def _priority(reader: Reader, node: YNode | None, line: int) -> tuple[float, float] | None:
    table = reader.mapping(node, "priority", line)
    if table is None:
        return None
    reader.keys(table, "priority", required=("high", "medium"), at=line)
    high = reader.number(table.entries.get("high"), "priority.high", line, positive=True)
    medium = reader.number(table.entries.get("medium"), "priority.medium", line)
    if high is None or medium is None:
        return None
    if medium >= high:
        reader.fail(_line(table, "medium"), "priority.medium", f"must be below priority.high ({high:g})")
        return None
    return high, medium


def _pillars(
    reader: Reader,
    node: YNode | None,
    line: int,
    sources: Mapping[str, str],
    max_level: int | None,
    criticality: Mapping[str, float],
) -> tuple[Pillar, ...] | None:
    if not isinstance(node, YList) or not node.items:
        reader.fail(
            node.line if node is not None else line, "pillars", "must be a list of at least one pillar"
        )
        return None
    pillars: list[Pillar] = []
    pillar_lines: dict[str, int] = {}
    question_lines: dict[str, int] = {}
    complete = True
    for index, entry in enumerate(node.items):
        path = f"pillars[{index}]"
        table = reader.mapping(entry, path, entry.line)
        if table is None:
            complete = False
            continue
        reader.keys(table, path, required=("id", "label", "weight", "sources", "questions"), at=table.line)
        pillar_id = reader.text(table.entries.get("id"), f"{path}.id", table.line)
        if pillar_id is not None and pillar_id in pillar_lines:
            reader.fail(
                _line(table, "id"),
                f"{path}.id",
                f"repeated pillar {pillar_id!r} (first on line {pillar_lines[pillar_id]})",
            )
        elif pillar_id is not None:
            pillar_lines[pillar_id] = _line(table, "id")
        label = _text(reader, table.entries.get("label"), f"{path}.label", _line(table, "label"))
        weight = reader.number(table.entries.get("weight"), f"{path}.weight", table.line, positive=True)
        cited = _cited(
            reader, table.entries.get("sources"), f"{path}.sources", _line(table, "sources"), sources
        )
        questions = _questions(
            reader,
            table.entries.get("questions"),
            f"{path}.questions",
            _line(table, "questions"),
            pillar_id or "",
            max_level,
            criticality,
            question_lines,
        )
        if pillar_id is None or label is None or weight is None or cited is None or questions is None:
            complete = False
            continue
        pillars.append(Pillar(id=pillar_id, label=label, weight=weight, sources=cited, questions=questions))
    return tuple(pillars) if complete else None


def _cited(
    reader: Reader, node: YNode | None, path: str, line: int, sources: Mapping[str, str]
) -> tuple[str, ...] | None:
    if not isinstance(node, YList) or not node.items:
        reader.fail(node.line if node is not None else line, path, "must be a list of at least one source id")
        return None
    found: list[str] = []
    for index, item in enumerate(node.items):
        key = reader.text(item, f"{path}[{index}]", item.line)
        if key is None:
            continue
        if key not in sources:
            known = ", ".join(sorted(sources)) or "none"
            reader.fail(item.line, f"{path}[{index}]", f"unknown source {key!r} (known: {known})")
            continue
        found.append(sources[key])
    return tuple(found) if len(found) == len(node.items) else None


def _questions(
    reader: Reader,
    node: YNode | None,
    path: str,
    line: int,
    pillar_id: str,
    max_level: int | None,
    criticality: Mapping[str, float],
    seen: dict[str, int],
) -> tuple[Question, ...] | None:
    if not isinstance(node, YList) or not node.items:
        reader.fail(node.line if node is not None else line, path, "must be a list of at least one question")
        return None
    questions: list[Question] = []
    complete = True
    for index, entry in enumerate(node.items):
        at = f"{path}[{index}]"
        table = reader.mapping(entry, at, entry.line)
        if table is None:
            complete = False
            continue
        reader.keys(
            table,
            at,
            required=("id", "text", "weight", "criticality", "levels", "recommendation"),
            optional=("target",),
            at=table.line,
        )
        get = table.entries.get
        question_id = reader.text(get("id"), f"{at}.id", table.line)
        if question_id is not None and question_id in seen:
            reader.fail(
                _line(table, "id"),
                f"{at}.id",
                f"repeated question {question_id!r} (first on line {seen[question_id]})",
            )
        elif question_id is not None:
            seen[question_id] = _line(table, "id")
        text = _text(reader, get("text"), f"{at}.text", _line(table, "text"))
        weight = reader.number(get("weight"), f"{at}.weight", table.line, positive=True)
        critical = (
            reader.choice(get("criticality"), f"{at}.criticality", table.line, criticality)
            if criticality
            else None
        )
        levels = None
        target: int | None = max_level
        if max_level is not None:
            levels = _levels(reader, get("levels"), f"{at}.levels", _line(table, "levels"), max_level)
            if "target" in table.entries:
                target = _whole(reader, get("target"), f"{at}.target", table.line, minimum=1)
                if target is not None and target > max_level:
                    reader.fail(
                        _line(table, "target"), f"{at}.target", f"must be at most the scale's {max_level}"
                    )
                    target = None
        recommendation = _text(
            reader, get("recommendation"), f"{at}.recommendation", _line(table, "recommendation")
        )
        if (
            question_id is None
            or text is None
            or weight is None
            or critical is None
            or levels is None
            or target is None
            or recommendation is None
        ):
            complete = False
            continue
        questions.append(
            Question(
                id=question_id,
                pillar=pillar_id,
                text=text,
                weight=weight,
                criticality=critical,
                levels=levels,
                target=target,
                recommendation=recommendation,
            )
        )
    return tuple(questions) if complete else None
