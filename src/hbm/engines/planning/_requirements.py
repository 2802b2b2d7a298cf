"""Requirements of a reception site over a period: people present each day from arrivals and
length of stay, then each item's quantity per day, its peak and (for consumables) its total."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from hbm.engines.planning._errors import PlanningInputError
from hbm.engines.planning._figures import (
    SHARE_GROUPS,
    Figure,
    Figures,
    Group,
    Kind,
    Phase,
    Rate,
    ShareOf,
    Source,
    default_figures,
)

__all__ = [
    "MAX_DAYS",
    "MAX_STAY_DAYS",
    "Demographics",
    "ItemRequirement",
    "PlanningInput",
    "Requirements",
    "persons_present",
    "requirements",
]

MAX_DAYS = 3_660
"""Ten years of days: a longer period is refused rather than computed."""
MAX_STAY_DAYS = 3_660.0
_WHOLE_TOLERANCE = 1e-9


@dataclass(frozen=True, slots=True)
class Demographics:
    """Shares of the people present (each from 0 to 1; groups may overlap, e.g. an older person
    with a disability). ``None`` takes the default share of the figures file, with its source."""

    under_five: float | None = None
    pregnant: float | None = None
    older: float | None = None
    disability: float | None = None

    def share(self, group: Group) -> float | None:
        return {
            Group.UNDER_FIVE: self.under_five,
            Group.PREGNANT: self.pregnant,
            Group.OLDER: self.older,
            Group.DISABILITY: self.disability,
        }.get(group)


@dataclass(frozen=True, slots=True)
class PlanningInput:
    """What a reception site must plan for.

    ``arrivals_per_day``: persons arriving on each day of the period (e.g. a crossing point's
    throughput per day from the simulation, or a scenario's curve); the period has as many days.
    ``average_stay_days``: how long each person stays (> 0; fractions allowed: 1.5 is a day and a
    half). ``demographics``: shares of groups whose figures differ. ``initial_phase_days``: days
    during which the figures for the first phase of a crisis apply, after which the longer-term
    figures apply; ``None`` keeps the first-phase figures for the whole period, 0 uses the
    longer-term figures from the first day."""

    arrivals_per_day: Sequence[float]
    average_stay_days: float
    demographics: Demographics = field(default_factory=Demographics)
    initial_phase_days: int | None = None


@dataclass(frozen=True, slots=True)
class ItemRequirement:
    """One item over the period: ``per_day`` quantities (whole units where the figure says so),
    the ``phase`` whose figure applied each day, the ``peak`` and the first day it is reached,
    and ``total``: the sum over the period for a consumable, ``None`` for a capacity item (for it,
    the peak is what the period needs). ``figure`` is the figure applied, with its source."""

    figure: Figure
    per_day: tuple[float, ...]
    phase: tuple[Phase, ...]
    peak: float
    peak_day: int
    total: float | None

    @property
    def item(self) -> str:
        return self.figure.id

    @property
    def unit(self) -> str:
        return self.figure.unit

    @property
    def standard(self) -> str:
        return self.figure.standard

    @property
    def source(self) -> Source:
        return self.figure.source


@dataclass(frozen=True, slots=True)
class Requirements:
    """The result: ``present`` persons each day (a person there for part of a day counts for that
    part), the persons of each group present each day, the ``peak_present`` and its first day,
    ``present_after_period`` (still there when the period ends: their needs afterwards are not in
    the totals), the ``demographics`` applied and where each share came from, and one
    :class:`ItemRequirement` per item in the figures' order."""

    present: tuple[float, ...]
    groups: Mapping[Group, tuple[float, ...]]
    peak_present: float
    peak_day: int
    present_after_period: float
    demographics: Mapping[Group, float]
    demographic_sources: Mapping[Group, Source | None]
    items: tuple[ItemRequirement, ...]
    figures: Figures

    @property
    def days(self) -> int:
        return len(self.present)

    def item(self, item_id: str) -> ItemRequirement:
        """The requirement of one item; ``KeyError`` when the figures have no such item."""
        for found in self.items:
            if found.item == item_id:
                return found
        raise KeyError(item_id)


def persons_present(arrivals_per_day: Sequence[float], average_stay_days: float) -> tuple[float, ...]:
    """Persons present on each day of the period, from arrivals and a length of stay.

    A person arriving on day d with a stay of L days is counted on days d, d+1, … for L days in
    all: fully on each of the first ⌊L⌋ days and for the fraction L − ⌊L⌋ of the day after (a stay
    of 2.5 days counts 1, 1 and 0.5). So each arrival counts L person-days, and with steady
    arrivals of λ a day the site holds λ·L people, as Little's law says. People still there
    after the last day are not in the result (see :func:`requirements`)."""
    arrivals, stay = _checked(arrivals_per_day, average_stay_days)
    return _present(arrivals, stay, len(arrivals))


def requirements(planning: PlanningInput, figures: Figures | None = None) -> Requirements:
    """The requirements of ``planning`` under ``figures`` (default: :func:`default_figures`).

    Each item's quantity on a day is its rate × the persons of its basis present that day
    (everyone, or a group: persons × share), plus any adjustment for a group above the share the
    figure already assumes; items counted in whole units (toilets, staff) are rounded up each day;
    a derived item is its share of another item's day quantity, rounded up likewise. Raises
    :class:`PlanningInputError` for an input that cannot be computed."""
    figures = figures if figures is not None else default_figures()
    arrivals, stay = _checked(planning.arrivals_per_day, planning.average_stay_days)
    initial_days = planning.initial_phase_days
    if initial_days is not None and (
        isinstance(initial_days, bool) or not isinstance(initial_days, int) or initial_days < 0
    ):
        raise PlanningInputError("initial_phase_days", "must be a whole number of days ≥ 0, or None")
    shares, share_sources = _shares(planning.demographics, figures)

    days = len(arrivals)
    present = _present(arrivals, stay, days)
    after = _present((*arrivals, 0.0), stay, days + 1)[days]
    groups: dict[Group, tuple[float, ...]] = {Group.EVERYONE: present}
    for group in SHARE_GROUPS:
        groups[group] = tuple(persons * shares[group] for persons in present)
    phases = tuple(
        Phase.INITIAL if initial_days is None or day < initial_days else Phase.LONGER_TERM
        for day in range(days)
    )

    quantities: dict[str, tuple[float, ...]] = {}
    for figure in figures.items.values():
        if not isinstance(figure.rates, ShareOf):
            quantities[figure.id] = _direct(figure, figure.rates, groups, shares, phases)
    for figure in figures.items.values():
        if isinstance(figure.rates, ShareOf):
            share = figure.rates.share
            base = quantities[figure.rates.item]
            quantities[figure.id] = tuple(_whole(figure, quantity * share) for quantity in base)

    items = tuple(_summarise(figure, quantities[figure.id], phases) for figure in figures.items.values())
    peak_present = max(present)
    return Requirements(
        present=present,
        groups=MappingProxyType(groups),
        peak_present=peak_present,
        peak_day=present.index(peak_present),
        present_after_period=after,
        demographics=MappingProxyType(shares),
        demographic_sources=MappingProxyType(share_sources),
        items=items,
        figures=figures,
    )


def _checked(arrivals_per_day: Sequence[float], average_stay_days: float) -> tuple[tuple[float, ...], float]:
    if isinstance(arrivals_per_day, str | bytes):
        raise PlanningInputError("arrivals_per_day", "must be a sequence of numbers, one per day")
    arrivals = tuple(arrivals_per_day)
    if not arrivals:
        raise PlanningInputError("arrivals_per_day", "needs at least one day")
    if len(arrivals) > MAX_DAYS:
        raise PlanningInputError("arrivals_per_day", f"at most {MAX_DAYS} days, not {len(arrivals)}")
    checked: list[float] = []
    for day, value in enumerate(arrivals):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise PlanningInputError(f"arrivals_per_day[{day}]", f"must be a number, not {value!r}")
        if not math.isfinite(value) or value < 0:
            raise PlanningInputError(f"arrivals_per_day[{day}]", f"must be a finite number ≥ 0, not {value}")
        checked.append(float(value))
    stay = average_stay_days
    if isinstance(stay, bool) or not isinstance(stay, int | float):
        raise PlanningInputError("average_stay_days", f"must be a number, not {stay!r}")
    if not math.isfinite(stay) or stay <= 0 or stay > MAX_STAY_DAYS:
        raise PlanningInputError(
            "average_stay_days", f"must be more than 0 and at most {MAX_STAY_DAYS:g} days"
        )
    return tuple(checked), float(stay)


def _present(arrivals: Sequence[float], stay: float, days: int) -> tuple[float, ...]:
    """Person-days on each of ``days`` days: arrivals convolved with the stay's day weights."""
    full = math.floor(stay)
    weights = [1.0] * full
    if stay - full > 0:
        weights.append(stay - full)
    present = [0.0] * days
    for day, count in enumerate(arrivals):
        if count == 0:
            continue
        for offset, weight in enumerate(weights):
            if day + offset >= days:
                break
            present[day + offset] += count * weight
    return tuple(present)


def _shares(
    demographics: Demographics, figures: Figures
) -> tuple[dict[Group, float], dict[Group, Source | None]]:
    shares: dict[Group, float] = {Group.EVERYONE: 1.0}
    sources: dict[Group, Source | None] = {Group.EVERYONE: None}
    for group in SHARE_GROUPS:
        given = demographics.share(group)
        if given is None:
            default = figures.demographics[group]
            shares[group], sources[group] = default.share, default.source
            continue
        if isinstance(given, bool) or not isinstance(given, int | float) or not 0 <= given <= 1:
            raise PlanningInputError(
                f"demographics.{group.value}", f"must be a share from 0 to 1, not {given!r}"
            )
        shares[group], sources[group] = float(given), None
    return shares, sources


def _direct(
    figure: Figure,
    rates: Mapping[Phase, Rate],
    groups: Mapping[Group, tuple[float, ...]],
    shares: Mapping[Group, float],
    phases: Sequence[Phase],
) -> tuple[float, ...]:
    persons = groups[figure.basis]
    result: list[float] = []
    for day, phase in enumerate(phases):
        quantity = rates[phase].quantity(persons[day])
        for adjustment in figure.adjustments:
            above = max(0.0, shares[adjustment.group] - adjustment.baseline_share)
            quantity += persons[day] * above * adjustment.extra
        result.append(_whole(figure, quantity))
    return tuple(result)


def _whole(figure: Figure, quantity: float) -> float:
    if not figure.whole_units:
        return quantity
    # A quantity such as 20.000000000000004 toilets comes from floating-point arithmetic, not from
    # a 21st toilet being needed.
    return float(math.ceil(quantity - _WHOLE_TOLERANCE * max(1.0, abs(quantity))))


def _summarise(figure: Figure, per_day: tuple[float, ...], phases: tuple[Phase, ...]) -> ItemRequirement:
    peak = max(per_day)
    return ItemRequirement(
        figure=figure,
        per_day=per_day,
        phase=phases,
        peak=peak,
        peak_day=per_day.index(peak),
        total=math.fsum(per_day) if figure.kind is Kind.CONSUMABLE else None,
    )
