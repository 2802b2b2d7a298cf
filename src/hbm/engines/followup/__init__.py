"""Follow-up in the migration cycle: the stages of each kind of follow-up and the steps between them.

Pure Python, no Django. Four kinds (issue 5, item 8; decision 0017):

- ``asylum``: intention expressed → application lodged → interviewed → refugee status | subsidiary
  protection | rejected; rejected → appealed | rejection final; appealed → a final decision.
- ``family_reunification``: requested → verifying (tracing and verification) → approved | refused;
  approved → travelled → reunited (or reunited where the family already is).
- ``avrr`` (assisted voluntary return and reintegration): interest expressed → counselled →
  approved | refused → departed → reintegration support → completed.
- ``relocation`` (relocation or transfer): proposed → accepted | refused; accepted → transferred.

Every open stage may also end in ``withdrawn`` (the person withdrew, left or could not be reached).
Closed stages are terminal: nothing follows them. Each open stage has a review period in days: a
follow-up still in that stage after it is *overdue* for the coordinator.

Public API::

    Kind, Stage, Lifecycle, LIFECYCLES, lifecycle(kind)
    step_check(kind, current, new, on=…, previous_on=…, today=…)   # StepError(field, reason)
    is_closed(kind, stage), review_due(kind, stage, since) -> date | None
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Final

__all__ = [
    "LIFECYCLES",
    "Kind",
    "Lifecycle",
    "Stage",
    "StepError",
    "is_closed",
    "lifecycle",
    "review_due",
    "step_check",
]


class Kind(StrEnum):
    ASYLUM = "asylum"
    FAMILY_REUNIFICATION = "family_reunification"
    AVRR = "avrr"
    RELOCATION = "relocation"


class Stage(StrEnum):
    """Every stage of every kind; a kind's :class:`Lifecycle` says which are its own."""

    # asylum
    INTENTION_EXPRESSED = "intention_expressed"
    APPLICATION_LODGED = "application_lodged"
    INTERVIEWED = "interviewed"
    REFUGEE_STATUS = "refugee_status"
    SUBSIDIARY_PROTECTION = "subsidiary_protection"
    REJECTED = "rejected"
    APPEALED = "appealed"
    REJECTION_FINAL = "rejection_final"
    # family reunification
    REQUESTED = "requested"
    VERIFYING = "verifying"
    TRAVELLED = "travelled"
    REUNITED = "reunited"
    # assisted voluntary return and reintegration
    INTEREST_EXPRESSED = "interest_expressed"
    COUNSELLED = "counselled"
    DEPARTED = "departed"
    REINTEGRATION_SUPPORT = "reintegration_support"
    COMPLETED = "completed"
    # relocation or transfer
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    TRANSFERRED = "transferred"
    # shared
    APPROVED = "approved"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class Lifecycle:
    """One kind's stages in order, where a follow-up may start, what may follow each open stage, and
    how many days an open stage may last before the follow-up is overdue. Closed stages are those
    with no review period: nothing may follow them."""

    kind: Kind
    stages: tuple[Stage, ...]
    entry: frozenset[Stage]
    transitions: Mapping[Stage, frozenset[Stage]]
    review_days: Mapping[Stage, int]

    @property
    def closed(self) -> frozenset[Stage]:
        return frozenset(s for s in self.stages if s not in self.review_days)

    def next_stages(self, stage: Stage | str) -> tuple[Stage, ...]:
        """What may follow ``stage``, in the lifecycle's order (empty for a closed stage)."""
        following = self.transitions.get(Stage(stage), frozenset())
        return tuple(s for s in self.stages if s in following)


def _lifecycle(
    kind: Kind, steps: Mapping[Stage, tuple[Stage, ...]], review_days: Mapping[Stage, int], entry: set[Stage]
) -> Lifecycle:
    """Every open stage may also end in ``withdrawn``; the order of stages is the order given."""
    order: list[Stage] = []
    for stage, following in steps.items():
        order.extend(s for s in (stage, *following) if s not in order)
    order.append(Stage.WITHDRAWN)
    transitions = {stage: frozenset((*steps.get(stage, ()), Stage.WITHDRAWN)) for stage in review_days}
    return Lifecycle(
        kind=kind,
        stages=tuple(order),
        entry=frozenset(entry),
        transitions=MappingProxyType(transitions),
        review_days=MappingProxyType(dict(review_days)),
    )


S = Stage
# Review periods are what a caseworker would look again after, not legal time limits: an asylum
# authority's own deadlines vary by country (a national overlay belongs in a later decision).
LIFECYCLES: Final[Mapping[Kind, Lifecycle]] = MappingProxyType(
    {
        Kind.ASYLUM: _lifecycle(
            Kind.ASYLUM,
            {
                S.INTENTION_EXPRESSED: (S.APPLICATION_LODGED,),
                S.APPLICATION_LODGED: (S.INTERVIEWED,),
                S.INTERVIEWED: (S.REFUGEE_STATUS, S.SUBSIDIARY_PROTECTION, S.REJECTED),
                S.REJECTED: (S.APPEALED, S.REJECTION_FINAL),
                S.APPEALED: (S.REFUGEE_STATUS, S.SUBSIDIARY_PROTECTION, S.REJECTION_FINAL),
            },
            {
                S.INTENTION_EXPRESSED: 14,
                S.APPLICATION_LODGED: 60,
                S.INTERVIEWED: 90,
                S.REJECTED: 30,
                S.APPEALED: 180,
            },
            {S.INTENTION_EXPRESSED, S.APPLICATION_LODGED},
        ),
        Kind.FAMILY_REUNIFICATION: _lifecycle(
            Kind.FAMILY_REUNIFICATION,
            {
                S.REQUESTED: (S.VERIFYING,),
                S.VERIFYING: (S.APPROVED, S.REFUSED),
                S.APPROVED: (S.TRAVELLED, S.REUNITED),
                S.TRAVELLED: (S.REUNITED,),
            },
            {S.REQUESTED: 30, S.VERIFYING: 60, S.APPROVED: 60, S.TRAVELLED: 14},
            {S.REQUESTED},
        ),
        Kind.AVRR: _lifecycle(
            Kind.AVRR,
            {
                S.INTEREST_EXPRESSED: (S.COUNSELLED,),
                S.COUNSELLED: (S.APPROVED, S.REFUSED),
                S.APPROVED: (S.DEPARTED,),
                S.DEPARTED: (S.REINTEGRATION_SUPPORT, S.COMPLETED),
                S.REINTEGRATION_SUPPORT: (S.COMPLETED,),
            },
            {
                S.INTEREST_EXPRESSED: 14,
                S.COUNSELLED: 30,
                S.APPROVED: 60,
                S.DEPARTED: 30,
                S.REINTEGRATION_SUPPORT: 180,
            },
            {S.INTEREST_EXPRESSED},
        ),
        Kind.RELOCATION: _lifecycle(
            Kind.RELOCATION,
            {S.PROPOSED: (S.ACCEPTED, S.REFUSED), S.ACCEPTED: (S.TRANSFERRED,)},
            {S.PROPOSED: 14, S.ACCEPTED: 30},
            {S.PROPOSED},
        ),
    }
)


class StepError(ValueError):
    """A step the lifecycle does not allow. ``field`` names the input at fault (``kind``,
    ``stage``, ``happened_on``); ``reason`` says why, in English (callers translate by field)."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


def lifecycle(kind: Kind | str) -> Lifecycle:
    """The lifecycle of ``kind``; :class:`StepError` on ``kind`` for an unknown one."""
    try:
        return LIFECYCLES[Kind(kind)]
    except ValueError:
        raise StepError("kind", f"unknown kind {kind!r}") from None


def step_check(
    kind: Kind | str,
    current: Stage | str | None,
    new: Stage | str,
    *,
    on: date,
    previous_on: date | None,
    today: date,
) -> None:
    """Raise :class:`StepError` unless a follow-up of ``kind`` may move from ``current`` (``None``:
    it starts) to ``new`` on the day ``on``. A step happens on a day that has come (``on`` ≤
    ``today``) and not before the step before it (``on`` ≥ ``previous_on``)."""
    cycle = lifecycle(kind)
    try:
        target = Stage(new)
    except ValueError:
        raise StepError("stage", f"unknown stage {new!r}") from None
    if target not in cycle.stages:
        raise StepError("stage", f"{target} is not a stage of {cycle.kind}")
    if current is None:
        if target not in cycle.entry:
            allowed = ", ".join(s for s in cycle.stages if s in cycle.entry)
            raise StepError("stage", f"a {cycle.kind} follow-up starts at {allowed}")
    else:
        source = Stage(current)
        if target not in cycle.transitions.get(source, frozenset()):
            allowed = ", ".join(cycle.next_stages(source)) or "none: it is closed"
            raise StepError("stage", f"not allowed (from {source}: {allowed})")
    if on > today:
        raise StepError("happened_on", "a step cannot be dated in the future")
    if previous_on is not None and on < previous_on:
        raise StepError("happened_on", f"a step cannot be dated before the step before it ({previous_on})")


def is_closed(kind: Kind | str, stage: Stage | str) -> bool:
    """Whether ``stage`` ends a follow-up of ``kind`` (nothing may follow it)."""
    return Stage(stage) in lifecycle(kind).closed


def review_due(kind: Kind | str, stage: Stage | str, since: date) -> date | None:
    """The day after which a follow-up in ``stage`` since ``since`` is overdue; ``None`` once closed."""
    days = lifecycle(kind).review_days.get(Stage(stage))
    return None if days is None else since + timedelta(days=days)
