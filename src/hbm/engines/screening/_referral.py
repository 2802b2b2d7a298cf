"""Referral pathways (flag -> service type, by place and urgency), the referral lifecycle and
deadlines. Pathways are data a country edits (``data/referral_pathways.yaml``)."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from importlib import resources
from types import MappingProxyType
from typing import Final

from hbm.engines.datafile import YNode
from hbm.engines.screening._codes import SpecificNeed, specific_needs
from hbm.engines.screening._errors import TransitionError
from hbm.engines.screening._health import SuspectedCase
from hbm.engines.screening._model import Urgency
from hbm.engines.screening._questionnaire import Flag
from hbm.engines.screening._reader import Reader, join, open_definition
from hbm.engines.screening._text import Text

__all__ = [
    "DEFAULT_DEADLINES",
    "REFERRAL_TRANSITIONS",
    "Pathway",
    "Pathways",
    "Place",
    "ReferralOutcome",
    "ReferralStatus",
    "ServiceType",
    "SuggestedReferral",
    "deadline_for",
    "default_pathways",
    "is_overdue",
    "load_pathways",
    "suggest_referrals",
    "transition_check",
]


class ReferralStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"


# pending -> sent -> accepted | declined; accepted -> in_progress -> closed (with an outcome).
# Declined and closed are final: a declined referral is followed by a new one to another service,
# so that each referral's history stays what happened to it.
REFERRAL_TRANSITIONS: Final[Mapping[ReferralStatus, frozenset[ReferralStatus]]] = MappingProxyType(
    {
        ReferralStatus.PENDING: frozenset({ReferralStatus.SENT}),
        ReferralStatus.SENT: frozenset({ReferralStatus.ACCEPTED, ReferralStatus.DECLINED}),
        ReferralStatus.ACCEPTED: frozenset({ReferralStatus.IN_PROGRESS}),
        ReferralStatus.DECLINED: frozenset(),
        ReferralStatus.IN_PROGRESS: frozenset({ReferralStatus.CLOSED}),
        ReferralStatus.CLOSED: frozenset(),
    }
)
# Until a service accepts, nobody has taken charge: only these can be overdue.
AWAITING_ACCEPTANCE: Final = frozenset({ReferralStatus.PENDING, ReferralStatus.SENT})


class ReferralOutcome(StrEnum):
    """Why a referral was closed."""

    SERVICE_PROVIDED = "service_provided"
    PERSON_DECLINED_SERVICE = "person_declined_service"
    PERSON_NOT_REACHED = "person_not_reached"
    TRANSFERRED = "transferred"
    NO_LONGER_NEEDED = "no_longer_needed"


def transition_check(
    current: ReferralStatus | str, new: ReferralStatus | str, *, outcome: ReferralOutcome | str | None = None
) -> None:
    """Raise :class:`TransitionError` unless a referral may go from ``current`` to ``new``
    (:data:`REFERRAL_TRANSITIONS`). Closing needs an ``outcome`` (a :class:`ReferralOutcome`),
    and only closing takes one. Statuses and outcomes may be given as their values."""
    try:
        source, target = ReferralStatus(current), ReferralStatus(new)
    except ValueError:
        raise TransitionError(str(current), str(new), "unknown status") from None
    if target not in REFERRAL_TRANSITIONS[source]:
        allowed = ", ".join(sorted(REFERRAL_TRANSITIONS[source])) or "none: it is final"
        raise TransitionError(source, target, f"not allowed (from {source}: {allowed})")
    if target is ReferralStatus.CLOSED:
        if outcome is None:
            raise TransitionError(source, target, "closing needs an outcome")
        try:
            ReferralOutcome(outcome)
        except ValueError:
            raise TransitionError(source, target, f"unknown outcome {outcome!r}") from None
    elif outcome is not None:
        raise TransitionError(source, target, "only closing takes an outcome")


DEFAULT_DEADLINES: Final[Mapping[Urgency, timedelta]] = MappingProxyType(
    {
        Urgency.LIFE_THREATENING: timedelta(hours=1),
        Urgency.HIGH: timedelta(hours=24),
        Urgency.MEDIUM: timedelta(hours=72),
        Urgency.LOW: timedelta(days=7),
    }
)


def _aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime (with a time zone)")


def deadline_for(
    urgency: Urgency | str,
    created_at: datetime,
    *,
    deadlines: Mapping[Urgency, timedelta] = DEFAULT_DEADLINES,
) -> datetime:
    """When a referral of ``urgency`` made at ``created_at`` must have been accepted. Raises
    ``ValueError`` for a naive datetime or an unknown urgency."""
    _aware(created_at, "created_at")
    return created_at + deadlines[Urgency(urgency)]


def is_overdue(
    *,
    urgency: Urgency | str,
    created_at: datetime,
    status: ReferralStatus | str,
    now: datetime,
    deadlines: Mapping[Urgency, timedelta] = DEFAULT_DEADLINES,
) -> bool:
    """Whether the referral is past its deadline with nobody having taken charge (still pending
    or sent). Accepted, declined, in-progress and closed referrals are never overdue."""
    _aware(now, "now")
    if ReferralStatus(status) not in AWAITING_ACCEPTANCE:
        return False
    return now > deadline_for(urgency, created_at, deadlines=deadlines)


# Pathways ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Place:
    """Where the person is screened: a crossing point and/or an area (ids as the deployment
    names them)."""

    crossing_point: str | None = None
    area: str | None = None


@dataclass(frozen=True, slots=True)
class ServiceType:
    id: str
    label: Text


@dataclass(frozen=True, slots=True)
class Pathway:
    """One rule: a flag whose code is in ``flags`` (a category such as ``SC`` covers its needs)
    or whose concern is in ``concerns``, or a suspected disease in ``diseases``, goes to
    ``service``; limited to ``urgencies`` and to ``crossing_points``/``areas`` when given."""

    id: str
    service: str
    line: int
    flags: frozenset[str] = frozenset()
    concerns: frozenset[str] = frozenset()
    diseases: frozenset[str] = frozenset()
    urgencies: frozenset[Urgency] = frozenset()
    crossing_points: frozenset[str] = frozenset()
    areas: frozenset[str] = frozenset()

    def specificity(self, place: Place) -> int | None:
        """How closely the pathway fits ``place``: 2 for its crossing point, 1 for its area, 0
        for anywhere; ``None`` when it does not apply there."""
        if self.crossing_points:
            return 2 if place.crossing_point in self.crossing_points else None
        if self.areas:
            return 1 if place.area in self.areas else None
        return 0


@dataclass(frozen=True, slots=True)
class Pathways:
    """A versioned set of pathway rules with its service types and deadlines per urgency."""

    id: str
    version: int
    title: Text
    languages: tuple[str, ...]
    sources: tuple[str, ...]
    service_types: tuple[ServiceType, ...]
    pathways: tuple[Pathway, ...]
    deadlines: Mapping[Urgency, timedelta]
    digest: str


@dataclass(frozen=True, slots=True)
class SuggestedReferral:
    """A referral the screening officer is offered (nothing is sent without their decision): one
    per service type, at the most urgent urgency of what led to it, with its ``deadline`` (time
    to acceptance) and the flags, concerns, diseases and pathway rules behind it."""

    service: str
    urgency: Urgency
    deadline: timedelta
    flags: tuple[str, ...]
    concerns: tuple[str, ...]
    diseases: tuple[str, ...]
    pathways: tuple[str, ...]


def suggest_referrals(
    pathways: Pathways,
    *,
    flags: Sequence[Flag] = (),
    suspected: Sequence[SuspectedCase] = (),
    place: Place | None = None,
) -> tuple[SuggestedReferral, ...]:
    """The referrals the pathway rules suggest for these flags and suspected cases at ``place``.

    For each flag (and each suspected case) the matching rules are those that apply at ``place``
    and to its urgency; of them only the most specific place level is kept (a rule for this
    crossing point replaces the area's, which replaces the national ones), so a country can
    override a pathway locally. Suggestions are merged per service type, most urgent first.
    """
    place = place or Place()
    merged: dict[str, _Suggestion] = {}

    def add(
        rules: list[Pathway], urgency: Urgency, flag: str | None, concern: str | None, disease: str | None
    ) -> None:
        levels = [(rule.specificity(place), rule) for rule in rules]
        applicable = [(level, rule) for level, rule in levels if level is not None]
        if not applicable:
            return
        best = max(level for level, _ in applicable)
        for level, rule in applicable:
            if level == best:
                merged.setdefault(rule.service, _Suggestion()).add(urgency, flag, concern, disease, rule.id)

    for flag in flags:
        rules = [
            rule
            for rule in pathways.pathways
            if (_code_matches(flag.code, rule.flags) or flag.concern in rule.concerns)
            and (not rule.urgencies or flag.urgency in rule.urgencies)
        ]
        add(rules, flag.urgency, flag.code, flag.concern, None)
    for case in suspected:
        rules = [
            rule
            for rule in pathways.pathways
            if case.disease in rule.diseases and (not rule.urgencies or case.urgency in rule.urgencies)
        ]
        add(rules, case.urgency, None, None, case.disease)
    suggestions = []
    for service, entry in merged.items():
        urgency = Urgency.most(entry.urgencies)
        suggestions.append(
            SuggestedReferral(
                service=service,
                urgency=urgency,
                deadline=pathways.deadlines[urgency],
                flags=tuple(entry.flags),
                concerns=tuple(entry.concerns),
                diseases=tuple(entry.diseases),
                pathways=tuple(entry.pathways),
            )
        )
    order = {service.id: i for i, service in enumerate(pathways.service_types)}
    suggestions.sort(key=lambda s: (s.urgency.rank, order.get(s.service, len(order)), s.service))
    return tuple(suggestions)


@dataclass(slots=True)
class _Suggestion:
    """What leads to one service type, gathered in order without repeats."""

    urgencies: list[Urgency] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    concerns: list[str] = field(default_factory=list)
    diseases: list[str] = field(default_factory=list)
    pathways: list[str] = field(default_factory=list)

    def add(
        self, urgency: Urgency, flag: str | None, concern: str | None, disease: str | None, pathway: str
    ) -> None:
        for bucket, value in (
            (self.urgencies, urgency), (self.flags, flag), (self.concerns, concern),
            (self.diseases, disease), (self.pathways, pathway),
        ):  # fmt: skip
            if value is not None and value not in bucket:
                bucket.append(value)  # type: ignore[arg-type]


def _code_matches(code: str | None, wanted: frozenset[str]) -> bool:
    if code is None:
        return False
    return code in wanted or code.split("-")[0] in wanted


def load_pathways(
    text: str, *, source: str = "<text>", codes: Mapping[str, SpecificNeed] | None = None
) -> Pathways:
    """The pathway rules defined by ``text`` (YAML, ``kind: pathways``; see the shipped
    ``data/referral_pathways.yaml``). Raises :class:`DefinitionError` listing every problem."""
    codes = specific_needs() if codes is None else codes
    reader, top, digest = open_definition(
        text,
        source,
        "pathways",
        required=["id", "version", "title", "sources", "service_types", "pathways"],
        optional=["deadlines_hours"],
    )
    if top is None:
        reader.fail()
    e = top.entries
    pathways_id = reader.identifier(e["id"], "id") if "id" in e else None
    version = reader.integer(e["version"], "version", minimum=1) if "version" in e else None
    title = reader.text(e["title"], "title") if "title" in e else None
    sources = reader.strings(e["sources"], "sources") if "sources" in e else ()
    deadlines = _read_deadlines(reader, e["deadlines_hours"]) if "deadlines_hours" in e else DEFAULT_DEADLINES
    services, service_ids = (
        _read_services(reader, e["service_types"]) if "service_types" in e else ((), set())
    )
    rules = _read_rules(reader, e["pathways"], service_ids, codes) if "pathways" in e else ()
    reader.raise_if_any()
    assert pathways_id is not None
    assert version is not None
    assert title is not None
    return Pathways(
        pathways_id, version, title, reader.languages, sources, services, rules, deadlines, digest
    )


def _read_deadlines(reader: Reader, node: YNode) -> Mapping[Urgency, timedelta]:
    names = [u.value for u in Urgency]
    top = reader.mapping(node, "deadlines_hours", required=names)
    deadlines = dict(DEFAULT_DEADLINES)
    if top is None:
        return MappingProxyType(deadlines)
    for name in names:
        if name in top.entries:
            hours = reader.number(top.entries[name], join("deadlines_hours", name))
            if hours is not None and hours <= 0:
                reader.add(
                    top.entries[name].line,
                    join("deadlines_hours", name),
                    "a deadline must be more than 0 hours",
                )
            elif hours is not None:
                deadlines[Urgency(name)] = timedelta(hours=hours)
    ordered = [deadlines[u] for u in Urgency]
    if ordered != sorted(ordered):
        reader.add(
            top.line,
            "deadlines_hours",
            "a more urgent need cannot have a later deadline than a less urgent one",
        )
    return MappingProxyType(deadlines)


def _read_services(reader: Reader, node: YNode) -> tuple[tuple[ServiceType, ...], set[str]]:
    """The service types read, and every id declared (also those whose label has problems)."""
    services: list[ServiceType] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(reader.items(node, "service_types")):
        path = join("service_types", i)
        top = reader.mapping(item, path, required=["id", "label"])
        if top is None:
            continue
        service_id = reader.identifier(top.entries["id"], join(path, "id")) if "id" in top.entries else None
        if "id" in top.entries:
            reader.unique(seen, service_id, top.entries["id"].line, join(path, "id"), "service type")
        label = reader.text(top.entries["label"], join(path, "label")) if "label" in top.entries else None
        if service_id is not None and label is not None:
            services.append(ServiceType(service_id, label))
    return tuple(services), set(seen)


def _read_rules(
    reader: Reader, node: YNode, services: set[str], codes: Mapping[str, SpecificNeed]
) -> tuple[Pathway, ...]:
    rules: list[Pathway] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(reader.items(node, "pathways")):
        path = join("pathways", i)
        top = reader.mapping(
            item,
            path,
            required=["id", "service"],
            optional=["flags", "concerns", "diseases", "urgencies", "crossing_points", "areas"],
        )
        if top is None:
            continue
        e = top.entries
        rule_id = reader.identifier(e["id"], join(path, "id")) if "id" in e else None
        if "id" in e:
            reader.unique(seen, rule_id, e["id"].line, join(path, "id"), "pathway id")
        service = reader.identifier(e["service"], join(path, "service")) if "service" in e else None
        if service is not None and service not in services:
            reader.add(
                e["service"].line,
                join(path, "service"),
                f"unknown service type {service!r} (declare it under 'service_types')",
            )
            service = None
        lists: dict[str, frozenset[str]] = {}
        ok = True
        for key in ("flags", "concerns", "diseases", "crossing_points", "areas", "urgencies"):
            if key not in e:
                lists[key] = frozenset()
                continue
            before = len(reader.problems)
            values = []
            for j, item_node in enumerate(reader.items(e[key], join(path, key))):
                value_path = join(join(path, key), j)
                if key == "flags":
                    value = reader.choice(item_node, value_path, codes, "specific-needs code")
                elif key == "urgencies":
                    value = reader.choice(item_node, value_path, [u.value for u in Urgency], "urgency")
                elif key in ("concerns", "diseases"):
                    value = reader.identifier(item_node, value_path)
                else:
                    value = reader.string(item_node, value_path)
                if value is not None:
                    values.append(value)
            ok = ok and len(reader.problems) == before
            lists[key] = frozenset(values)
        if not (lists["flags"] or lists["concerns"] or lists["diseases"]):
            reader.add(top.line, path, "a pathway needs 'flags', 'concerns' or 'diseases'")
            ok = False
        if rule_id is None or service is None or not ok:
            continue
        rules.append(
            Pathway(
                id=rule_id,
                service=service,
                line=top.line,
                flags=lists["flags"],
                concerns=lists["concerns"],
                diseases=lists["diseases"],
                urgencies=frozenset(Urgency(u) for u in lists["urgencies"]),
                crossing_points=lists["crossing_points"],
                areas=lists["areas"],
            )
        )
    return tuple(rules)


@functools.cache
def default_pathways() -> Pathways:
    """The shipped default pathways (``data/referral_pathways.yaml``), to be edited per country."""
    text = (
        resources.files("hbm.engines.screening")
        .joinpath("data", "referral_pathways.yaml")
        .read_text(encoding="utf-8")
    )
    return load_pathways(text, source="referral_pathways.yaml")
