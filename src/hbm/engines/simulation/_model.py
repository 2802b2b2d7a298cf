"""What a planner describes: service-time distributions, stages and a scenario (frozen dataclasses).

Units, everywhere in the engine: **minutes** for times, **persons** for people, **groups** for the
parties that arrive and queue together (a family, or one person alone). Every input is checked
when it is built and an impossible one raises :class:`ScenarioError` naming the field. A service
time's mean (a triangular one's ``high``) is at most a day and a lognormal's ``cv`` at most 10: a
longer "service" is not a desk, and the bound keeps every simulated time countable.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal, TypeAlias

import numpy as np
import numpy.typing as npt

from hbm.engines.simulation._errors import ScenarioError

Floats: TypeAlias = npt.NDArray[np.float64]
Unit: TypeAlias = Literal["group", "person"]

MINUTES_PER_DAY = 1440
HOURS_PER_DAY = 24
MAX_DAYS = 366
MAX_GROUP_SIZE = 50
MAX_STAGES = 16
MAX_OFFICERS = 10_000
# A desk service longer than a day is not a queue at a desk (a stay in quarantine is a reception
# matter); bounding means and spread keeps every simulated time a number the kernel can count in.
MAX_SERVICE_MINUTES = float(MINUTES_PER_DAY)
MAX_CV = 10.0
# One replication keeps a few float arrays per group and stage; this bounds its memory (about
# 2 GB at the limit) and its time (about 10 s), however large a surge a planner types in.
MAX_EXPECTED_PERSONS = 10_000_000


def _finite(value: float, field_name: str, *, minimum: float = 0.0, positive: bool = False) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ScenarioError(field_name, f"must be a finite number, not {value!r}")
    if value < minimum or (positive and value <= 0):
        bound = f"greater than {minimum:g}" if positive else f"at least {minimum:g}"
        raise ScenarioError(field_name, f"must be {bound}, not {value!r}")


def _service_minutes(value: float, field_name: str, *, positive: bool = False) -> None:
    _finite(value, field_name, positive=positive)
    if value > MAX_SERVICE_MINUTES:
        raise ScenarioError(
            field_name, f"a desk service of at most {MAX_SERVICE_MINUTES:g} minutes (a day), not {value!r}"
        )


def _share(value: float, field_name: str) -> None:
    _finite(value, field_name)
    if value > 1:
        raise ScenarioError(field_name, f"is a share between 0 and 1, not {value!r}")


# --- service-time distributions (minutes per unit of the stage) ----------------------------------------


@dataclass(frozen=True, slots=True)
class Exponential:
    """Exponentially distributed service time with mean ``mean`` minutes (coefficient of variation 1)."""

    mean: float

    def __post_init__(self) -> None:
        _service_minutes(self.mean, "mean", positive=True)

    def draw(self, rng: np.random.Generator, count: int) -> Floats:
        return rng.exponential(self.mean, count)


@dataclass(frozen=True, slots=True)
class Lognormal:
    """Lognormal service time given by its ``mean`` (minutes) and coefficient of variation ``cv``
    (standard deviation / mean): ``sigma² = ln(1 + cv²)``, ``mu = ln(mean) − sigma²/2``."""

    mean: float
    cv: float

    def __post_init__(self) -> None:
        _service_minutes(self.mean, "mean", positive=True)
        _finite(self.cv, "cv")
        if self.cv > MAX_CV:
            raise ScenarioError("cv", f"a coefficient of variation of at most {MAX_CV:g}, not {self.cv!r}")

    def draw(self, rng: np.random.Generator, count: int) -> Floats:
        sigma2 = math.log1p(self.cv * self.cv)
        return rng.lognormal(math.log(self.mean) - sigma2 / 2, math.sqrt(sigma2), count)


@dataclass(frozen=True, slots=True)
class Deterministic:
    """Always ``minutes`` minutes."""

    minutes: float

    @property
    def mean(self) -> float:
        return self.minutes

    def __post_init__(self) -> None:
        _service_minutes(self.minutes, "minutes")

    def draw(self, rng: np.random.Generator, count: int) -> Floats:
        return np.full(count, float(self.minutes))


@dataclass(frozen=True, slots=True)
class Triangular:
    """Triangular service time between ``low`` and ``high`` minutes, most often ``mode``."""

    low: float
    mode: float
    high: float

    @property
    def mean(self) -> float:
        return (self.low + self.mode + self.high) / 3

    def __post_init__(self) -> None:
        _finite(self.low, "low")
        _finite(self.mode, "mode", minimum=self.low)
        _service_minutes(self.high, "high", positive=True)
        _finite(self.high, "high", minimum=self.mode)
        if self.high <= self.low:
            raise ScenarioError("high", f"must be greater than low ({self.low!r}), not {self.high!r}")

    def draw(self, rng: np.random.Generator, count: int) -> Floats:
        return rng.triangular(self.low, self.mode, self.high, count)


ServiceTime: TypeAlias = Exponential | Lognormal | Deterministic | Triangular


# --- a stage ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stage:
    """One step every group (or a share of them) goes through, served by officers.

    - ``service``: the time one officer spends on one **unit**: ``per="group"`` — one time for the
      whole group (group pre-registration, about 3 minutes per family); ``per="person"`` — one time
      per member, drawn independently and added up for the group (individual registration,
      about 3 minutes per person).
    - ``servers``: officers on duty in each shift of the day (``Scenario.shift_hours`` long, the
      first starting at ``Scenario.shift_start_hour``). At a change of shift an officer who is
      serving finishes that service; no new service starts while as many services are in
      progress as the new shift has officers.
    - ``share``: the share of groups without specific needs who go through this stage (the rest
      skip it); ``share_specific_needs``: the same for groups with at least one person with
      specific needs (``None``: the same share).
    - ``priority``: groups with specific needs are served before the others waiting here
      (non-preemptive: a service already started is never interrupted); first come first served
      within each class.
    - ``source``: where the service time comes from (a published figure, or "assumption").
    """

    name: str
    service: ServiceTime
    servers: tuple[int, ...]
    per: Unit = "group"
    share: float = 1.0
    share_specific_needs: float | None = None
    priority: bool = True
    source: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ScenarioError("name", "a stage needs a name")
        if not isinstance(self.service, Exponential | Lognormal | Deterministic | Triangular):
            raise ScenarioError("service", f"is not a service-time distribution: {self.service!r}")
        if self.per not in ("group", "person"):
            raise ScenarioError("per", f"is 'group' or 'person', not {self.per!r}")
        if not isinstance(self.servers, tuple) or not self.servers:
            raise ScenarioError("servers", "give a tuple with the officers on duty in each shift")
        for officers in self.servers:
            if isinstance(officers, bool) or not isinstance(officers, int | np.integer):
                raise ScenarioError("servers", f"officers are whole numbers, not {officers!r}")
            if not 0 <= officers <= MAX_OFFICERS:
                raise ScenarioError("servers", f"must be between 0 and {MAX_OFFICERS}, not {officers}")
        _share(self.share, "share")
        if self.share_specific_needs is not None:
            _share(self.share_specific_needs, "share_specific_needs")

    @property
    def visit_share_specific_needs(self) -> float:
        return self.share if self.share_specific_needs is None else self.share_specific_needs

    @property
    def is_used(self) -> bool:
        return self.share > 0 or self.visit_share_specific_needs > 0


# --- a scenario -------------------------------------------------------------------------------------------

FLAT_DAY: tuple[float, ...] = (1.0,) * HOURS_PER_DAY


@dataclass(frozen=True, slots=True)
class Scenario:
    """One crossing point over ``len(arrivals_per_day)`` days.

    - ``arrivals_per_day``: expected **persons** arriving on each day (the surge curve). Within a day
      they arrive as a Poisson process of groups whose rate follows ``hourly_pattern`` (24 relative
      weights, hour 0 = midnight to 1 am; flat by default).
    - ``group_sizes``: relative frequency of groups of 1, 2, 3, … persons.
    - ``specific_needs_share``: share of persons with specific needs; a group with at least one such
      person counts as a group with specific needs (priority, routing).
    - ``shift_hours``: length of a shift (a divisor of 24); the first shift starts at
      ``shift_start_hour``. Each stage's ``servers`` has one entry per shift. The roster repeats
      every day, also after the last day while people are still being served.
    - ``waiting_area_capacity``: persons the waiting area holds; ``None`` for no limit. Nobody is
      turned away: time and persons over capacity are reported.
    """

    stages: tuple[Stage, ...]
    arrivals_per_day: tuple[float, ...]
    hourly_pattern: tuple[float, ...] = FLAT_DAY
    group_sizes: tuple[float, ...] = (1.0,)
    specific_needs_share: float = 0.0
    shift_hours: int = 8
    shift_start_hour: int = 6
    waiting_area_capacity: int | None = None
    name: str = ""

    def __post_init__(self) -> None:
        _check_roster(self)
        _check_stages(self)
        _check_arrivals(self)
        if self.waiting_area_capacity is not None:
            capacity = self.waiting_area_capacity
            if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 0:
                raise ScenarioError("waiting_area_capacity", f"is a number of persons ≥ 0, not {capacity!r}")

    @property
    def days(self) -> int:
        return len(self.arrivals_per_day)

    @property
    def shifts_per_day(self) -> int:
        return HOURS_PER_DAY // self.shift_hours

    @property
    def horizon_minutes(self) -> float:
        return float(self.days * MINUTES_PER_DAY)

    @property
    def mean_group_size(self) -> float:
        weights = np.asarray(self.group_sizes, dtype=np.float64)
        return float(np.dot(weights, np.arange(1, len(weights) + 1)) / weights.sum())

    @property
    def expected_persons(self) -> float:
        return float(sum(self.arrivals_per_day))

    @property
    def roster_origin_minutes(self) -> float:
        """Where shift 0 of day −1 starts (minutes, ≤ 0): shift ``p`` counted from here covers
        ``[origin + p·L, origin + (p+1)·L)`` and is shift ``p mod shifts_per_day`` of its day.
        It lies a day before day 0 so every simulated time falls in a shift with an index ≥ 0."""
        return float(self.shift_start_hour * 60 - MINUTES_PER_DAY)

    def shift_label(self, shift: int) -> str:
        """``"06:00–14:00"`` for shift ``shift`` (0-based) of the day."""
        begin = (self.shift_start_hour + shift * self.shift_hours) % HOURS_PER_DAY
        end = (begin + self.shift_hours) % HOURS_PER_DAY
        return f"{begin:02d}:00–{end:02d}:00"

    def with_servers(self, servers: Sequence[Sequence[int]]) -> Scenario:
        """The same scenario with each stage's officers per shift replaced by ``servers[k]``."""
        stages = tuple(
            replace(stage, servers=tuple(int(c) for c in row))
            for stage, row in zip(self.stages, servers, strict=True)
        )
        return replace(self, stages=stages)


def _check_roster(scenario: Scenario) -> None:
    hours = scenario.shift_hours
    if isinstance(hours, bool) or not isinstance(hours, int) or hours <= 0 or HOURS_PER_DAY % hours:
        raise ScenarioError("shift_hours", f"must divide 24 hours (1, 2, 3, 4, 6, 8, 12, 24), not {hours!r}")
    start = scenario.shift_start_hour
    if isinstance(start, bool) or not isinstance(start, int) or not 0 <= start < HOURS_PER_DAY:
        raise ScenarioError("shift_start_hour", f"is an hour from 0 to 23, not {start!r}")


def _check_stages(scenario: Scenario) -> None:
    if not isinstance(scenario.stages, tuple) or not scenario.stages:
        raise ScenarioError("stages", "a crossing point needs at least one stage")
    if len(scenario.stages) > MAX_STAGES:
        raise ScenarioError("stages", f"at most {MAX_STAGES} stages, not {len(scenario.stages)}")
    names = [stage.name for stage in scenario.stages]
    for index, stage in enumerate(scenario.stages):
        where = f"stages[{index}]"
        if not isinstance(stage, Stage):
            raise ScenarioError(where, f"is not a Stage: {stage!r}")
        if stage.name in names[:index]:
            raise ScenarioError(f"{where}.name", f"two stages are called {stage.name!r}")
        if len(stage.servers) != scenario.shifts_per_day:
            raise ScenarioError(
                f"{where}.servers",
                f"stage {stage.name!r} gives {len(stage.servers)} shifts; shifts of "
                f"{scenario.shift_hours} h make {scenario.shifts_per_day} a day",
            )
        if stage.is_used and max(stage.servers) == 0:
            raise ScenarioError(
                f"{where}.servers",
                f"stage {stage.name!r} has groups to serve but no officer in any shift:"
                " nobody would ever pass",
            )


def _check_arrivals(scenario: Scenario) -> None:
    days = scenario.arrivals_per_day
    if not isinstance(days, tuple) or not days:
        raise ScenarioError("arrivals_per_day", "give the expected arrivals of at least one day")
    if len(days) > MAX_DAYS:
        raise ScenarioError("arrivals_per_day", f"at most {MAX_DAYS} days, not {len(days)}")
    for day, persons in enumerate(days):
        _finite(persons, f"arrivals_per_day[{day}]")
    if scenario.expected_persons > MAX_EXPECTED_PERSONS:
        raise ScenarioError(
            "arrivals_per_day",
            f"{scenario.expected_persons:,.0f} persons in all is more than the engine simulates in one "
            f"replication ({MAX_EXPECTED_PERSONS:,}); split the period",
        )
    pattern = scenario.hourly_pattern
    if not isinstance(pattern, tuple) or len(pattern) != HOURS_PER_DAY:
        raise ScenarioError("hourly_pattern", "give 24 relative weights, one per hour of the day")
    for hour, weight in enumerate(pattern):
        _finite(weight, f"hourly_pattern[{hour}]")
    if sum(pattern) <= 0:
        raise ScenarioError("hourly_pattern", "at least one hour must have arrivals")
    sizes = scenario.group_sizes
    if not isinstance(sizes, tuple) or not 1 <= len(sizes) <= MAX_GROUP_SIZE:
        raise ScenarioError("group_sizes", f"give the frequency of groups of 1 … at most {MAX_GROUP_SIZE}")
    for index, weight in enumerate(sizes):
        _finite(weight, f"group_sizes[{index}]")
    if sum(sizes) <= 0:
        raise ScenarioError("group_sizes", "at least one group size must have a frequency above 0")
    _share(scenario.specific_needs_share, "specific_needs_share")
