"""Health screening at points of entry: a checklist per disease, with temperature, read from data.

A negative screening says only that: the Django side counts it and keeps no individual record. A
positive one names each suspected disease with the recommended action (isolation or medical
referral) and its urgency.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from importlib import resources

from hbm.engines.datafile import YNode
from hbm.engines.screening._answers import visible, walk
from hbm.engines.screening._conditions import Condition, ConditionScope, read_condition
from hbm.engines.screening._model import Answer, Answers, Facts, Question, QuestionType, Urgency
from hbm.engines.screening._questions import attach_conditions, read_questions
from hbm.engines.screening._reader import Reader, join, open_definition
from hbm.engines.screening._text import Text

__all__ = [
    "Disease",
    "HealthAction",
    "HealthChecklist",
    "HealthOutcome",
    "HealthScreening",
    "SuspectedCase",
    "load_health_checklist",
    "poe_health_checklist",
    "screen_health",
]


class HealthAction(StrEnum):
    """What a suspected case calls for. ``ISOLATE``: separate the person at once (infection
    control) and refer to health services; ``REFER``: a medical referral, no isolation."""

    ISOLATE = "isolate"
    REFER = "refer"


class HealthOutcome(StrEnum):
    NEGATIVE = "negative"
    POSITIVE = "positive"


@dataclass(frozen=True, slots=True)
class Disease:
    """One disease of a checklist: the case definition ``suspect_when`` (a condition on the
    checklist's answers and the fact ``fever``), the action and urgency of a suspected case,
    ``escalate_when`` raising it to ``escalate_to`` (e.g. cholera with severe dehydration is
    life-threatening). ``fever_threshold_c`` overrides the checklist's threshold for this disease
    (WHO's mpox definition uses > 38.5 °C). A ``fallback`` disease is suspected only when no other
    one is (fever alone: secondary assessment). ``enabled: false`` keeps it in the file unused."""

    id: str
    name: Text
    sources: tuple[str, ...]
    suspect_when: Condition
    action: HealthAction
    urgency: Urgency
    advice: Text
    line: int
    fever_threshold_c: float | None = None
    escalate_when: Condition | None = None
    escalate_to: Urgency | None = None
    fallback: bool = False
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class HealthChecklist:
    """A versioned point-of-entry health checklist. ``fever_threshold_c`` (°C, a measured
    temperature at or above it is a fever) is configurable: edit the file or
    ``checklist.with_threshold(37.5)``. ``temperature`` and ``fever_reported`` name the
    questions the fact ``fever`` reads."""

    id: str
    version: int
    title: Text
    languages: tuple[str, ...]
    sources: tuple[str, ...]
    fever_threshold_c: float
    temperature: str
    fever_reported: str | None
    questions: tuple[Question, ...]
    diseases: tuple[Disease, ...]
    digest: str

    def with_threshold(self, fever_threshold_c: float) -> HealthChecklist:
        """The same checklist with another fever threshold (diseases with their own keep it)."""
        return replace(self, fever_threshold_c=fever_threshold_c)

    def disease(self, disease_id: str) -> Disease:
        for disease in self.diseases:
            if disease.id == disease_id:
                return disease
        raise KeyError(disease_id)

    def has_fever(self, answers: Answers, threshold_c: float | None = None) -> bool:
        """A measured temperature at or above the threshold, or a fever the person reports."""
        threshold = self.fever_threshold_c if threshold_c is None else threshold_c
        temperature = answers.get(self.temperature)
        measured = (
            isinstance(temperature, int | float)
            and not isinstance(temperature, bool)
            and temperature >= threshold
        )
        reported = self.fever_reported is not None and answers.get(self.fever_reported) is True
        return measured or reported

    def facts_of(self, threshold_c: float | None = None) -> _FeverFacts:
        return _FeverFacts(self, threshold_c)

    def fact_questions(self) -> dict[str, frozenset[str]]:
        """The fact ``fever`` with the questions it reads."""
        return {"fever": frozenset(q for q in (self.temperature, self.fever_reported) if q is not None)}


class _FeverFacts:
    __slots__ = ("checklist", "threshold_c")

    def __init__(self, checklist: HealthChecklist, threshold_c: float | None) -> None:
        self.checklist = checklist
        self.threshold_c = threshold_c

    def __call__(self, answers: Answers) -> Facts:
        def fact(name: str) -> bool:
            assert name == "fever"
            return self.checklist.has_fever(answers, self.threshold_c)

        return fact


@dataclass(frozen=True, slots=True)
class SuspectedCase:
    """A disease suspected by its case definition, with what to do and how urgently."""

    disease: str
    name: Text
    action: HealthAction
    urgency: Urgency
    advice: Text


@dataclass(frozen=True, slots=True)
class HealthScreening:
    """The outcome of one health screening. ``NEGATIVE``: nothing suspected (count it, keep no
    record). ``POSITIVE``: the ``suspected`` cases, most urgent first; ``action`` is
    ``ISOLATE`` if any of them calls for isolation."""

    checklist: str
    version: int
    outcome: HealthOutcome
    suspected: tuple[SuspectedCase, ...]
    temperature_c: float | None
    has_fever: bool

    @property
    def action(self) -> HealthAction | None:
        if not self.suspected:
            return None
        isolate = any(case.action is HealthAction.ISOLATE for case in self.suspected)
        return HealthAction.ISOLATE if isolate else HealthAction.REFER

    @property
    def urgency(self) -> Urgency | None:
        return self.suspected[0].urgency if self.suspected else None


def screen_health(
    checklist: HealthChecklist, answers: Mapping[str, object], *, on: date | None = None
) -> HealthScreening:
    """Screen one traveller against every enabled disease of ``checklist``. Raises
    :class:`AnswerError` naming every answer that does not fit its question."""
    normalised, _ = walk(checklist.questions, answers, checklist.facts_of(), on, checklist.fact_questions())
    suspected: list[SuspectedCase] = []
    for disease in checklist.diseases:
        if not disease.enabled or disease.fallback:
            continue
        case = _suspect(checklist, disease, normalised)
        if case is not None:
            suspected.append(case)
    if not suspected:
        for disease in checklist.diseases:
            if (
                disease.enabled
                and disease.fallback
                and (case := _suspect(checklist, disease, normalised)) is not None
            ):
                suspected.append(case)
    suspected.sort(
        key=lambda case: (case.urgency.rank, case.action is not HealthAction.ISOLATE, case.disease)
    )
    temperature = normalised.get(checklist.temperature)
    return HealthScreening(
        checklist=checklist.id,
        version=checklist.version,
        outcome=HealthOutcome.POSITIVE if suspected else HealthOutcome.NEGATIVE,
        suspected=tuple(suspected),
        temperature_c=float(temperature) if isinstance(temperature, int | float) else None,
        has_fever=checklist.has_fever(normalised),
    )


def _suspect(
    checklist: HealthChecklist, disease: Disease, answers: dict[str, Answer]
) -> SuspectedCase | None:
    facts = checklist.facts_of(disease.fever_threshold_c)(answers)
    if not disease.suspect_when.holds(answers, facts):
        return None
    urgency = disease.urgency
    if (
        disease.escalate_when is not None
        and disease.escalate_to is not None
        and disease.escalate_when.holds(answers, facts)
    ):
        urgency = Urgency.most([urgency, disease.escalate_to])
    return SuspectedCase(disease.id, disease.name, disease.action, urgency, disease.advice)


def health_answers(
    checklist: HealthChecklist, answers: Mapping[str, object], *, on: date | None
) -> dict[str, Answer]:
    return walk(checklist.questions, answers, checklist.facts_of(), on, checklist.fact_questions())[0]


def health_visible(
    checklist: HealthChecklist, answers: Mapping[str, object], *, on: date | None
) -> tuple[str, ...]:
    return visible(checklist.questions, answers, checklist.facts_of(), on)


# Reading -----------------------------------------------------------------------------------------


def load_health_checklist(text: str, *, source: str = "<text>") -> HealthChecklist:
    """The checklist defined by ``text`` (YAML, ``kind: health_checklist``; see the shipped
    ``data/poe_health.yaml``). Raises :class:`DefinitionError` listing every problem with its line."""
    reader, top, digest = open_definition(
        text,
        source,
        "health_checklist",
        required=["id", "version", "title", "sources", "fever", "questions", "diseases"],
    )
    if top is None:
        reader.fail()
    e = top.entries
    checklist_id = reader.identifier(e["id"], "id") if "id" in e else None
    version = reader.integer(e["version"], "version", minimum=1) if "version" in e else None
    title = reader.text(e["title"], "title") if "title" in e else None
    sources = reader.strings(e["sources"], "sources") if "sources" in e else ()
    drafts, broken = (
        read_questions(reader, e["questions"], "questions") if "questions" in e else ([], frozenset())
    )
    by_id = {draft.question.id: draft.question for draft in drafts}
    fever = _read_fever(reader, e["fever"], by_id, broken) if "fever" in e else None
    facts: dict[str, frozenset[str]] = {}
    if "fever" in e:
        # Declared even when the section has problems, so that they are not reported twice.
        facts["fever"] = frozenset(q for q in (fever[1], fever[2]) if q) if fever is not None else frozenset()
    questions = attach_conditions(reader, drafts, facts, broken)
    scope = ConditionScope(by_id, frozenset(by_id), facts, broken=broken)
    diseases = _read_diseases(reader, e["diseases"], scope) if "diseases" in e else ()
    reader.raise_if_any()
    assert checklist_id is not None
    assert version is not None
    assert title is not None
    assert fever is not None
    return HealthChecklist(
        id=checklist_id,
        version=version,
        title=title,
        languages=reader.languages,
        sources=sources,
        fever_threshold_c=fever[0],
        temperature=fever[1],
        fever_reported=fever[2],
        questions=questions,
        diseases=diseases,
        digest=digest,
    )


def _read_fever(
    reader: Reader, node: YNode, questions: Mapping[str, Question], broken: frozenset[str]
) -> tuple[float, str, str | None] | None:
    top = reader.mapping(node, "fever", required=["threshold_c", "temperature"], optional=["reported"])
    if top is None:
        return None
    e = top.entries
    threshold = reader.number(e["threshold_c"], "fever.threshold_c") if "threshold_c" in e else None
    if threshold is not None and not 35.0 <= threshold <= 42.0:
        reader.add(
            e["threshold_c"].line,
            "fever.threshold_c",
            f"{threshold:g} °C is not a plausible fever threshold (35–42)",
        )
        threshold = None
    ids: dict[str, str | None] = {"temperature": None, "reported": None}
    ok = True
    for key, kind in (("temperature", QuestionType.NUMBER), ("reported", QuestionType.YES_NO)):
        if key not in e:
            continue
        path = join("fever", key)
        question_id = reader.string(e[key], path)
        question = questions.get(question_id) if question_id is not None else None
        if question_id is not None and question is None and question_id not in broken:
            reader.add(e[key].line, path, f"unknown question {question_id!r}")
        elif question is not None and question.type is not kind:
            reader.add(
                e[key].line,
                path,
                f"question {question_id!r} must be a {kind.value} question, not {question.type.value}",
            )
            question = None
        ok = ok and question is not None
        ids[key] = question_id if question is not None else None
    temperature = ids["temperature"]
    if threshold is None or temperature is None or not ok:
        return None
    return threshold, temperature, ids["reported"]


def _read_diseases(reader: Reader, node: YNode, scope: ConditionScope) -> tuple[Disease, ...]:
    diseases: list[Disease] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(reader.items(node, "diseases")):
        path = join("diseases", i)
        top = reader.mapping(
            item,
            path,
            required=["id", "name", "sources", "suspect_when", "action", "urgency", "advice"],
            optional=["fever_threshold_c", "escalate", "fallback", "enabled"],
        )
        if top is None:
            continue
        e = top.entries
        disease_id = reader.identifier(e["id"], join(path, "id")) if "id" in e else None
        if "id" in e:
            reader.unique(seen, disease_id, e["id"].line, join(path, "id"), "disease id")
        name = reader.text(e["name"], join(path, "name")) if "name" in e else None
        sources = reader.strings(e["sources"], join(path, "sources")) if "sources" in e else ()
        when = (
            read_condition(reader, e["suspect_when"], join(path, "suspect_when"), scope)
            if "suspect_when" in e
            else None
        )
        action = (
            reader.choice(e["action"], join(path, "action"), [a.value for a in HealthAction], "action")
            if "action" in e
            else None
        )
        urgency = _urgency(reader, e["urgency"], join(path, "urgency")) if "urgency" in e else None
        advice = reader.text(e["advice"], join(path, "advice")) if "advice" in e else None
        threshold = (
            reader.number(e["fever_threshold_c"], join(path, "fever_threshold_c"))
            if "fever_threshold_c" in e
            else None
        )
        flags = {
            key: reader.boolean(e[key], join(path, key)) if key in e else default
            for key, default in (("fallback", False), ("enabled", True))
        }
        escalate_when: Condition | None = None
        escalate_to: str | None = None
        escalate_ok = True
        if "escalate" in e:
            escalate = reader.mapping(e["escalate"], join(path, "escalate"), required=["when", "urgency"])
            escalate_ok = False
            if escalate is not None and "when" in escalate.entries and "urgency" in escalate.entries:
                escalate_when = read_condition(
                    reader, escalate.entries["when"], join(path, "escalate.when"), scope
                )
                escalate_to = _urgency(reader, escalate.entries["urgency"], join(path, "escalate.urgency"))
                escalate_ok = escalate_when is not None and escalate_to is not None
        fallback, enabled = flags["fallback"], flags["enabled"]
        complete = disease_id and name and sources and when and action and urgency and advice
        if not complete or not escalate_ok or fallback is None or enabled is None:
            continue
        assert disease_id
        assert name
        assert when
        assert action
        assert urgency
        assert advice
        diseases.append(
            Disease(
                id=disease_id,
                name=name,
                sources=sources,
                suspect_when=when,
                action=HealthAction(action),
                urgency=Urgency(urgency),
                advice=advice,
                line=top.line,
                fever_threshold_c=threshold,
                escalate_when=escalate_when,
                escalate_to=Urgency(escalate_to) if escalate_to else None,
                fallback=fallback,
                enabled=enabled,
            )
        )
    return tuple(diseases)


def _urgency(reader: Reader, node: YNode, path: str) -> str | None:
    return reader.choice(node, path, [u.value for u in Urgency], "urgency")


@functools.cache
def poe_health_checklist() -> HealthChecklist:
    """The shipped point-of-entry health checklist (``data/poe_health.yaml``)."""
    text = (
        resources.files("hbm.engines.screening")
        .joinpath("data", "poe_health.yaml")
        .read_text(encoding="utf-8")
    )
    return load_health_checklist(text, source="poe_health.yaml")
