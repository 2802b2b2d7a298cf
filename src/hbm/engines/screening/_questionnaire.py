"""Protection questionnaires: reading a definition, and screening one person's answers into flags."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Final

from hbm.engines.datafile import Reason, YMap, YNode, YScalar, gettext_noop
from hbm.engines.screening._answers import visible, walk
from hbm.engines.screening._codes import SpecificNeed, specific_needs
from hbm.engines.screening._conditions import Condition, ConditionScope, read_condition
from hbm.engines.screening._errors import AnswerError
from hbm.engines.screening._model import Answer, Answers, Facts, Question, QuestionType, Urgency
from hbm.engines.screening._questions import attach_conditions, read_questions
from hbm.engines.screening._reader import Reader, join, open_definition
from hbm.engines.screening._text import Text

__all__ = [
    "AGE_BASES",
    "AgePolicy",
    "Concern",
    "Flag",
    "Questionnaire",
    "Rule",
    "Screening",
    "first_contact_screening",
    "load_questionnaire",
    "screen",
]

# How an age is known. `document`: an identity document gives it; `stated`: the person (or their
# parent) says it; `estimated`: the officer's estimate; `unknown`: nobody knows.
AGE_BASES: Final = ("document", "stated", "estimated", "unknown")
QUESTIONNAIRE_FACTS: Final = ("child", "age_in_doubt", "older")


@dataclass(frozen=True, slots=True)
class AgePolicy:
    """Which questions give the age, and the benefit-of-the-doubt rule applied to them.

    ``basis`` names a choice question whose options are among :data:`AGE_BASES`; ``years`` a
    number question (age in years) and/or ``birth_date`` a date question; ``in_doubt`` a yes/no
    question "is there any reason to think the person may be under ``adult_age``?".

    A person is **treated as a child** (fact ``child``) when their age is under ``adult_age``;
    or it is estimated and the estimate less ``estimate_margin_years`` is under ``adult_age``;
    or it is unknown (basis ``unknown``, or no age recorded); or ``in_doubt`` is answered yes.
    ``age_in_doubt`` is a child by the benefit of the doubt only (not a documented, stated or
    clearly estimated child): the age must be assessed, and ``doubt_reason`` says so.
    ``older``: not a child and ``older_age`` or over.
    """

    basis: str
    doubt_reason: Text
    years: str | None = None
    birth_date: str | None = None
    in_doubt: str | None = None
    adult_age: int = 18
    older_age: int = 60
    estimate_margin_years: int = 3

    def questions(self) -> frozenset[str]:
        return frozenset(q for q in (self.basis, self.years, self.birth_date, self.in_doubt) if q is not None)


@dataclass(frozen=True, slots=True)
class AgeFacts:
    years: float | None
    child: bool
    in_doubt: bool
    older: bool


def assess_age(policy: AgePolicy, answers: Answers, on: date | None) -> AgeFacts:
    """The age facts of ``answers`` (see :class:`AgePolicy`)."""
    basis = answers.get(policy.basis)
    years: float | None = None
    born = answers.get(policy.birth_date) if policy.birth_date else None
    if isinstance(born, date):
        if on is None:
            raise AnswerError(
                {
                    "on": Reason(
                        gettext_noop(
                            "the day of the screening is needed to count an age from a date of birth"
                        )
                    )
                }
            )
        years = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    elif policy.years is not None:
        given = answers.get(policy.years)
        years = float(given) if isinstance(given, int | float) and not isinstance(given, bool) else None
    doubted = policy.in_doubt is not None and answers.get(policy.in_doubt) is True
    adult = policy.adult_age
    if years is None or basis == "unknown":
        return AgeFacts(None, child=True, in_doubt=True, older=False)
    if basis == "estimated":
        certain_child = years + policy.estimate_margin_years < adult
        child = years - policy.estimate_margin_years < adult
    else:
        certain_child = child = years < adult
    child = child or doubted
    return AgeFacts(
        years,
        child=child,
        in_doubt=child and not certain_child,
        older=not child and years >= policy.older_age,
    )


@dataclass(frozen=True, slots=True)
class Concern:
    """What a rule is about, in HBM's words (``trafficking``, ``asylum``): referral pathways can
    match it where UNHCR's codes are too coarse (a possible victim of trafficking is ``LP-AN``)
    or have no code (an uncomplicated pregnancy)."""

    id: str
    label: Text


@dataclass(frozen=True, slots=True)
class Rule:
    """When ``when`` holds, raise ``flag`` (a UNHCR code, or ``None`` where there is none) about
    ``concern`` at ``urgency``, with ``reason`` shown to the officer."""

    id: str
    when: Condition
    concern: str
    urgency: Urgency
    reason: Text
    line: int
    flag: str | None = None


@dataclass(frozen=True, slots=True)
class Questionnaire:
    """A versioned protection questionnaire (``id`` + ``version``; ``digest`` is the SHA-256 of
    its file, so that an edit without a new version can be told apart)."""

    id: str
    version: int
    title: Text
    languages: tuple[str, ...]
    sources: tuple[str, ...]
    questions: tuple[Question, ...]
    concerns: tuple[Concern, ...]
    rules: tuple[Rule, ...]
    digest: str
    introduction: Text | None = None
    age: AgePolicy | None = None

    def question(self, question_id: str) -> Question:
        """The question with this id (``KeyError`` if none)."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def concern(self, concern_id: str) -> Concern:
        for concern in self.concerns:
            if concern.id == concern_id:
                return concern
        raise KeyError(concern_id)

    def facts_of(self, on: date | None) -> _FactsOf:
        return _FactsOf(self.age, on)

    def fact_questions(self) -> dict[str, frozenset[str]]:
        """Each fact with the questions it is computed from."""
        used = self.age.questions() if self.age is not None else frozenset()
        return {name: used for name in QUESTIONNAIRE_FACTS}


class _FactsOf:
    """Builds the facts of a set of answers, computing the age once and only when asked."""

    __slots__ = ("age", "on")

    def __init__(self, age: AgePolicy | None, on: date | None) -> None:
        self.age = age
        self.on = on

    def __call__(self, answers: Answers) -> Facts:
        age, on = self.age, self.on

        @functools.cache
        def facts() -> AgeFacts:
            assert age is not None  # reading refuses facts in a questionnaire with no age section
            return assess_age(age, answers, on)

        def fact(name: str) -> bool:
            value = facts()
            return {"child": value.child, "age_in_doubt": value.in_doubt, "older": value.older}[name]

        return fact


@dataclass(frozen=True, slots=True)
class Flag:
    """A specific need raised by one or more rules: the UNHCR ``code`` (``None`` where UNHCR has
    none, e.g. an uncomplicated pregnancy), HBM's ``concern``, the most urgent ``urgency`` of the
    rules that raised it, their ids and their reasons."""

    code: str | None
    concern: str
    urgency: Urgency
    rules: tuple[str, ...]
    reasons: tuple[Text, ...]


@dataclass(frozen=True, slots=True)
class Screening:
    """The outcome of one protection screening: the flags, most urgent first, and how the age
    was treated (``treated_as_child``; ``age_in_doubt`` with ``age_note`` when only the benefit
    of the doubt makes the person a child and the age must be assessed)."""

    questionnaire: str
    version: int
    asked: tuple[str, ...]
    flags: tuple[Flag, ...]
    treated_as_child: bool
    age_in_doubt: bool
    age_note: Text | None = None

    @property
    def urgency(self) -> Urgency | None:
        """The most urgent flag's urgency, ``None`` when nothing was flagged."""
        return self.flags[0].urgency if self.flags else None

    @property
    def codes(self) -> tuple[str, ...]:
        """The UNHCR codes raised, each once, most urgent first."""
        return tuple(dict.fromkeys(flag.code for flag in self.flags if flag.code is not None))


def screen(questionnaire: Questionnaire, answers: Mapping[str, object], *, on: date) -> Screening:
    """Screen one person: check ``answers`` (raises :class:`AnswerError` with every field that
    does not fit) and raise the flags of every rule that holds. ``on`` is the day of the
    screening (ages from a date of birth count to it)."""
    facts_of = questionnaire.facts_of(on)
    normalised, asked = walk(questionnaire.questions, answers, facts_of, on, questionnaire.fact_questions())
    facts = facts_of(normalised)
    raised: dict[tuple[str | None, str], list[Rule]] = {}
    for rule in questionnaire.rules:
        if rule.when.holds(normalised, facts):
            raised.setdefault((rule.flag, rule.concern), []).append(rule)
    flags = [
        Flag(
            code=code,
            concern=concern,
            urgency=Urgency.most([rule.urgency for rule in rules]),
            rules=tuple(rule.id for rule in rules),
            reasons=tuple(rule.reason for rule in rules),
        )
        for (code, concern), rules in raised.items()
    ]
    flags.sort(key=lambda flag: (flag.urgency.rank, flag.code is None, flag.code or "", flag.concern))
    child = in_doubt = False
    if questionnaire.age is not None:
        age = assess_age(questionnaire.age, normalised, on)
        child, in_doubt = age.child, age.in_doubt
    note = questionnaire.age.doubt_reason if in_doubt and questionnaire.age is not None else None
    return Screening(questionnaire.id, questionnaire.version, asked, tuple(flags), child, in_doubt, note)


def questionnaire_answers(
    questionnaire: Questionnaire, answers: Mapping[str, object], *, on: date | None
) -> dict[str, Answer]:
    return walk(
        questionnaire.questions, answers, questionnaire.facts_of(on), on, questionnaire.fact_questions()
    )[0]


def questionnaire_visible(
    questionnaire: Questionnaire, answers: Mapping[str, object], *, on: date | None
) -> tuple[str, ...]:
    return visible(questionnaire.questions, answers, questionnaire.facts_of(on), on)


# Reading -----------------------------------------------------------------------------------------


def load_questionnaire(
    text: str, *, source: str = "<text>", codes: Mapping[str, SpecificNeed] | None = None
) -> Questionnaire:
    """The questionnaire defined by ``text`` (YAML, ``kind: questionnaire``; the format is in
    decision record 0012 and the shipped ``data/first_contact_protection.yaml``). Flag codes are
    checked against ``codes`` (default: the shipped UNHCR table).

    Raises :class:`DefinitionError` listing every problem with its line: unknown or missing keys,
    missing translations, bad types, duplicate ids, conditions on unknown or later questions,
    unknown flag codes.
    """
    codes = specific_needs() if codes is None else codes
    reader, top, digest = open_definition(
        text,
        source,
        "questionnaire",
        required=["id", "version", "title", "sources", "questions", "concerns", "rules"],
        optional=["introduction", "age"],
    )
    if top is None:
        reader.fail()
    e = top.entries
    questionnaire_id = reader.identifier(e["id"], "id") if "id" in e else None
    version = reader.integer(e["version"], "version", minimum=1) if "version" in e else None
    title = reader.text(e["title"], "title") if "title" in e else None
    introduction = reader.text(e["introduction"], "introduction") if "introduction" in e else None
    sources = reader.strings(e["sources"], "sources") if "sources" in e else ()
    drafts, broken = (
        read_questions(reader, e["questions"], "questions") if "questions" in e else ([], frozenset())
    )
    by_id = {draft.question.id: draft.question for draft in drafts}
    age = _read_age(reader, e["age"], by_id, broken) if "age" in e else None
    facts: dict[str, frozenset[str]] = {}
    if "age" in e:
        # Declared even when the section has problems, so that they are not reported again as
        # conditions on facts that do not exist.
        used = age.questions() if age is not None else _referenced(e["age"], by_id, broken)
        facts = {name: used for name in QUESTIONNAIRE_FACTS}
    questions = attach_conditions(reader, drafts, facts, broken)
    concerns, concern_ids = _read_concerns(reader, e["concerns"]) if "concerns" in e else ((), set())
    scope = ConditionScope(by_id, frozenset(by_id), facts, broken=broken)
    rules = _read_rules(reader, e["rules"], scope, concern_ids, codes) if "rules" in e else ()
    reader.raise_if_any()
    assert questionnaire_id is not None
    assert version is not None
    assert title is not None
    return Questionnaire(
        id=questionnaire_id,
        version=version,
        title=title,
        languages=reader.languages,
        sources=sources,
        questions=questions,
        concerns=concerns,
        rules=rules,
        digest=digest,
        introduction=introduction,
        age=age,
    )


def _referenced(node: YNode, questions: Mapping[str, Question], broken: frozenset[str]) -> frozenset[str]:
    """The question ids a section names (for facts whose section did not validate)."""
    if not isinstance(node, YMap):
        return frozenset()
    values = (child.value for child in node.entries.values() if isinstance(child, YScalar))
    return frozenset(v for v in values if isinstance(v, str) and (v in questions or v in broken))


def _read_age(
    reader: Reader, node: YNode, questions: Mapping[str, Question], broken: frozenset[str]
) -> AgePolicy | None:
    top = reader.mapping(
        node,
        "age",
        required=["basis", "doubt_reason"],
        optional=["years", "birth_date", "in_doubt", "adult_age", "older_age", "estimate_margin_years"],
    )
    if top is None:
        return None
    e = top.entries
    wanted = {
        "basis": QuestionType.CHOICE,
        "years": QuestionType.NUMBER,
        "birth_date": QuestionType.DATE,
        "in_doubt": QuestionType.YES_NO,
    }
    ids: dict[str, str | None] = {}
    ok = True
    for key, kind in wanted.items():
        if key not in e:
            ids[key] = None
            continue
        path = join("age", key)
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
        elif question is not None and key == "basis":
            wrong = [v for v in question.option_values if v not in AGE_BASES]
            if question.multiple or wrong:
                reader.add(
                    e[key].line, path,
                    f"question {question_id!r} must be a single choice among {', '.join(AGE_BASES)}",
                )  # fmt: skip
                question = None
        ok = ok and question is not None
        ids[key] = question_id if question is not None else None
    if "years" not in e and "birth_date" not in e:
        reader.add(top.line, "age", "needs 'years' or 'birth_date' (or both)")
        ok = False
    numbers = {}
    for key, default in (("adult_age", 18), ("older_age", 60), ("estimate_margin_years", 3)):
        numbers[key] = reader.integer(e[key], join("age", key), minimum=0) if key in e else default
        ok = ok and numbers[key] is not None
    reason = reader.text(e["doubt_reason"], join("age", "doubt_reason")) if "doubt_reason" in e else None
    basis = ids["basis"]
    if not ok or reason is None or basis is None:
        return None
    adult, older, margin = numbers["adult_age"], numbers["older_age"], numbers["estimate_margin_years"]
    assert adult is not None
    assert older is not None
    assert margin is not None
    return AgePolicy(
        basis=basis,
        doubt_reason=reason,
        years=ids["years"],
        birth_date=ids["birth_date"],
        in_doubt=ids["in_doubt"],
        adult_age=adult,
        older_age=older,
        estimate_margin_years=margin,
    )


def _read_concerns(reader: Reader, node: YNode) -> tuple[tuple[Concern, ...], set[str]]:
    """The concerns read, and every id declared (also those whose label has problems)."""
    concerns: list[Concern] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(reader.items(node, "concerns")):
        path = join("concerns", i)
        top = reader.mapping(item, path, required=["id", "label"])
        if top is None:
            continue
        concern_id = reader.identifier(top.entries["id"], join(path, "id")) if "id" in top.entries else None
        if "id" in top.entries:
            reader.unique(seen, concern_id, top.entries["id"].line, join(path, "id"), "concern")
        label = reader.text(top.entries["label"], join(path, "label")) if "label" in top.entries else None
        if concern_id is not None and label is not None:
            concerns.append(Concern(concern_id, label))
    return tuple(concerns), set(seen)


def _read_rules(
    reader: Reader,
    node: YNode,
    scope: ConditionScope,
    concerns: set[str],
    codes: Mapping[str, SpecificNeed],
) -> tuple[Rule, ...]:
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(reader.items(node, "rules")):
        path = join("rules", i)
        top = reader.mapping(
            item, path, required=["id", "when", "concern", "urgency", "reason"], optional=["flag"]
        )
        if top is None:
            continue
        e = top.entries
        rule_id = reader.identifier(e["id"], join(path, "id")) if "id" in e else None
        if "id" in e:
            reader.unique(seen, rule_id, e["id"].line, join(path, "id"), "rule id")
        when = read_condition(reader, e["when"], join(path, "when"), scope) if "when" in e else None
        concern = reader.identifier(e["concern"], join(path, "concern")) if "concern" in e else None
        if concern is not None and concern not in concerns:
            reader.add(
                e["concern"].line,
                join(path, "concern"),
                f"unknown concern {concern!r} (declare it under 'concerns')",
            )
            concern = None
        urgency = (
            reader.choice(e["urgency"], join(path, "urgency"), [u.value for u in Urgency], "urgency")
            if "urgency" in e
            else None
        )
        reason = reader.text(e["reason"], join(path, "reason")) if "reason" in e else None
        flag: str | None = None
        flag_ok = True
        if "flag" in e:
            flag = reader.string(e["flag"], join(path, "flag"))
            if flag is not None and flag not in codes:
                reader.add(e["flag"].line, join(path, "flag"), f"unknown specific-needs code {flag!r}")
                flag = None
            flag_ok = flag is not None
        if rule_id and when and concern and urgency and reason and flag_ok:
            rules.append(Rule(rule_id, when, concern, Urgency(urgency), reason, top.line, flag))
    return tuple(rules)


@functools.cache
def first_contact_screening() -> Questionnaire:
    """The shipped first-contact protection screening (``data/first_contact_protection.yaml``)."""
    text = (
        resources.files("hbm.engines.screening")
        .joinpath("data", "first_contact_protection.yaml")
        .read_text(encoding="utf-8")
    )
    return load_questionnaire(text, source="first_contact_protection.yaml")
