"""The fewest officers per stage and shift that keep the 90th-percentile wait under a target.

**What is met.** For each stage with a target, and each shift ``s`` of the day: of the persons who
reach the stage during shift ``s`` (on any day), 90 % wait at most the target (nearest rank,
pooled over the replications). Per shift, not per stage: a roster that is generous by day and
leaves the night queue to the morning would meet a per-stage percentile and still keep people
waiting all night.

**How it searches** (documented in decision 0009), for ``replications`` samples drawn once —
the same people for every roster tried (common random numbers):

1. Stage by stage, in route order. A stage's waits depend on the stages before it (they shape its
   arrivals) and never on those after it (the waiting area is unbounded), so once stage ``k`` is
   settled its departures are the next stage's fixed input. Fewest officers upstream is also
   what downstream wants: fewer desks release people more evenly.
2. Within a stage, start from the officers the average day's work needs in each shift (work
   reaching the stage in that shift over the shift's minutes, rounded up).
3. *Raise*: for each shift whose percentile is over the target, the fewest officers that bring
   that shift under it, the others fixed: doubling, then bisection. More officers in one shift
   never lengthen another shift's waits (less is carried over), so a shift met stays met.
4. *Trim*: for each shift in turn, the fewest officers that keep **every** shift of the stage
   under the target, the others fixed (bisection); repeat until a whole pass changes nothing.
5. *Exchange*: a queue left at the end of a shift is the next shift's work, so an officer can be
   worth more in the shift before. For each shift and each neighbour, take a block of officers
   (an eighth of the shift's count, halving down to 2) and give the neighbour the fewest that
   keep every shift under the target (bisection); keep the move if it saves any. Then trim again;
   repeat until nothing is saved.

The result is a local minimum: taking one officer away from any shift breaks the target, and no
block tried moves between neighbouring shifts for less. It is not proven the global minimum — an
exhaustive search over every roster grows as (officers)^(shifts) and is never run. The search
assumes waits do not grow when officers are added (true of first-come-first-served queues; with
priority it holds for the pooled percentile in practice). A stage costs O(shifts · log(officers))
simulations of that stage alone per phase, each on the samples' people at that stage only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from hbm.engines.simulation._errors import ScenarioError
from hbm.engines.simulation._model import MAX_OFFICERS, Floats, Scenario
from hbm.engines.simulation._results import wait_stats
from hbm.engines.simulation._sample import Ints, Sample, sample, seed_sequence
from hbm.engines.simulation._schedule import StageSchedule, _stage

MAX_STAFFING_REPLICATIONS = 100
_MAX_RAISE_SWEEPS = 20
_MAX_EXCHANGE_PASSES = 20


@dataclass(frozen=True, slots=True)
class StageStaffing:
    """One stage: the officers found per shift (``servers``), the target it was held to (``None``:
    no target, the scenario's officers kept), the 90th-percentile wait per shift they give
    (minutes), and ``work_officers``: the officers an average day's work in each shift would keep
    busy all shift (a floor any roster that keeps up must reach on average)."""

    name: str
    target_p90_wait: float | None
    servers: tuple[int, ...]
    p90_wait_by_shift: tuple[float, ...]
    work_officers: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class Staffing:
    """The roster :func:`staff` found: ``scenario`` with those officers, per stage the details,
    ``officer_shifts_per_day`` (officers summed over stages and shifts), and how it was found:
    ``replications`` samples from ``seed`` (replication ``i``: ``SeedSequence(seed).spawn(n)[i]``,
    as in :func:`replicate`) and ``evaluations`` simulations of a single stage."""

    scenario: Scenario
    seed: int
    replications: int
    stages: tuple[StageStaffing, ...]
    officer_shifts_per_day: int
    evaluations: int

    def stage(self, name: str) -> StageStaffing:
        for stage in self.stages:
            if stage.name == name:
                return stage
        raise KeyError(name)


def _targets(scenario: Scenario, target: float | Mapping[str, float]) -> tuple[float | None, ...]:
    names = [stage.name for stage in scenario.stages]
    if isinstance(target, Mapping):
        unknown = sorted(set(target) - set(names))
        if unknown:
            raise ScenarioError("target_p90_wait", f"no stage called {', '.join(map(repr, unknown))}")
        chosen: list[float | None] = [target.get(name) for name in names]
    else:
        chosen = [target] * len(names)
    for name, minutes in zip(names, chosen, strict=True):
        if minutes is None:
            continue
        if isinstance(minutes, bool) or not isinstance(minutes, int | float) or not math.isfinite(minutes):
            raise ScenarioError("target_p90_wait", f"minutes for stage {name!r}, not {minutes!r}")
        if minutes < 0:
            raise ScenarioError("target_p90_wait", f"at least 0 minutes for stage {name!r}, not {minutes!r}")
    return tuple(None if m is None else float(m) for m in chosen)


def _check(replications: int, max_officers: int) -> None:
    if (
        isinstance(replications, bool)
        or not isinstance(replications, int)
        or not 1 <= replications <= MAX_STAFFING_REPLICATIONS
    ):
        raise ScenarioError(
            "replications", f"between 1 and {MAX_STAFFING_REPLICATIONS}, not {replications!r}"
        )
    if isinstance(max_officers, bool) or not isinstance(max_officers, int) or max_officers < 1:
        raise ScenarioError("max_officers", f"at least 1, not {max_officers!r}")
    if max_officers > MAX_OFFICERS:
        raise ScenarioError("max_officers", f"at most {MAX_OFFICERS}, not {max_officers}")


class _StageSearch:
    """Simulates one stage for any roster on the fixed inputs of every replication."""

    def __init__(self, scenario: Scenario, index: int, samples: list[Sample], ready: list[Floats]) -> None:
        self.scenario = scenario
        self.index = index
        self.samples = samples
        self.ready = ready
        self.shift_minutes = scenario.shift_hours * 60.0
        self.origin = scenario.roster_origin_minutes
        self.shifts = scenario.shifts_per_day
        self.cache: dict[tuple[int, ...], tuple[float, ...]] = {}
        self.evaluations = 0

    def has_visitors(self) -> bool:
        return any(bool(drawn.visits[self.index].any()) for drawn in self.samples)

    def _shift_of(self, minutes: Floats) -> Ints:
        return np.floor((minutes - self.origin) / self.shift_minutes).astype(np.int64)

    def work_officers(self) -> tuple[float, ...]:
        """Per shift: officer-minutes of work reaching the stage in that shift on an average
        simulated day, over the shift's minutes."""
        work = np.zeros(self.shifts)
        for drawn, ready in zip(self.samples, self.ready, strict=True):
            went = drawn.visits[self.index]
            shift = self._shift_of(ready[went]) % self.shifts
            work += np.bincount(shift, drawn.service_minutes[self.index][went], self.shifts)
        days = self.scenario.days * len(self.samples)
        return tuple(float(w) / days / self.shift_minutes for w in work)

    def _run(self, drawn: Sample, ready: Floats, roster: tuple[int, ...]) -> StageSchedule:
        urgent = drawn.has_specific_needs
        if not self.scenario.stages[self.index].priority:
            urgent = np.zeros(drawn.groups, dtype=np.bool_)
        return _stage(
            ready,
            drawn.visits[self.index],
            urgent,
            drawn.service_minutes[self.index],
            np.asarray(roster, dtype=np.int64),
            self.shift_minutes,
            self.origin,
        )

    def departures(self, roster: tuple[int, ...]) -> list[Floats]:
        """Each replication's times of leaving this stage with ``roster`` (reaching it, for a group
        that skips it): the next stage's input."""
        ends = []
        for drawn, ready in zip(self.samples, self.ready, strict=True):
            after = ready.copy()
            if drawn.visits[self.index].any():
                done = self._run(drawn, ready, roster)
                after[done.groups] = done.end
            ends.append(after)
        return ends

    def p90_by_shift(self, roster: tuple[int, ...]) -> tuple[float, ...]:
        """Pooled nearest-rank 90th-percentile wait of the persons reaching the stage in each shift
        (``roster`` must have an officer in some shift)."""
        if roster in self.cache:
            return self.cache[roster]
        self.evaluations += 1
        waits, persons, shifts = [], [], []
        for drawn, ready in zip(self.samples, self.ready, strict=True):
            if drawn.visits[self.index].any():
                done = self._run(drawn, ready, roster)
                waits.append(done.start - done.ready)
                persons.append(drawn.group_sizes[done.groups])
                shifts.append(self._shift_of(done.ready) % self.shifts)
        all_waits = np.concatenate(waits)
        all_persons = np.concatenate(persons)
        all_shifts = np.concatenate(shifts)
        found = tuple(
            wait_stats(all_waits[all_shifts == s], all_persons[all_shifts == s]).p90
            for s in range(self.shifts)
        )
        self.cache[roster] = found
        return found


def _with(roster: list[int], shift: int, officers: int) -> tuple[int, ...]:
    changed = list(roster)
    changed[shift] = officers
    return tuple(changed)


def _raise(search: _StageSearch, roster: list[int], target: float, max_officers: int) -> None:
    """Raise each shift over the target to the fewest officers that bring it under (in place)."""
    name = search.scenario.stages[search.index].name
    for _ in range(_MAX_RAISE_SWEEPS):
        over = [s for s, p90 in enumerate(search.p90_by_shift(tuple(roster))) if p90 > target]
        if not over:
            return
        for shift in over:
            if search.p90_by_shift(tuple(roster))[shift] <= target:
                continue
            low, high = roster[shift], max(1, 2 * roster[shift])
            while search.p90_by_shift(_with(roster, shift, min(high, max_officers)))[shift] > target:
                if high >= max_officers:
                    p90 = search.p90_by_shift(_with(roster, shift, max_officers))[shift]
                    raise ScenarioError(
                        "target_p90_wait",
                        f"stage {name!r}: even {max_officers} officers in shift "
                        f"{search.scenario.shift_label(shift)} leave a 90th-percentile wait of {p90:,.1f} "
                        f"minutes (target {target:g}); raise max_officers or the target",
                    )
                low, high = high, 2 * high
            high = min(high, max_officers)
            while high - low > 1:
                middle = (low + high) // 2
                if search.p90_by_shift(_with(roster, shift, middle))[shift] > target:
                    low = middle
                else:
                    high = middle
            roster[shift] = high
    raise ScenarioError("target_p90_wait", f"stage {name!r}: the search did not settle; report this scenario")


def _meets(search: _StageSearch, roster: tuple[int, ...], target: float) -> bool:
    return max(roster) >= 1 and all(p90 <= target for p90 in search.p90_by_shift(roster))


def _trim(search: _StageSearch, roster: list[int], target: float) -> None:
    """Lower each shift to the fewest officers that keep every shift under the target (in place)."""
    changed = True
    while changed:
        changed = False
        for shift in range(len(roster)):
            if roster[shift] == 0 or not _meets(search, _with(roster, shift, roster[shift] - 1), target):
                continue
            low, high = -1, roster[shift] - 1  # high meets; low is below any count
            while high - low > 1:
                middle = (low + high) // 2
                if _meets(search, _with(roster, shift, middle), target):
                    high = middle
                else:
                    low = middle
            roster[shift] = high
            changed = True


def _smallest_compensation(
    search: _StageSearch, roster: list[int], taken: int, given: int, delta: int, target: float
) -> int | None:
    """The fewest officers ``ε < delta`` to add to shift ``given`` when shift ``taken`` loses
    ``delta``, such that every shift meets the target; ``None`` if even ``delta − 1`` do not."""
    moved = list(roster)
    moved[taken] -= delta

    def meets_with(extra: int) -> bool:
        return _meets(search, _with(moved, given, roster[given] + extra), target)

    if not meets_with(delta - 1):
        return None
    low, high = -1, delta - 1  # high meets
    while high - low > 1:
        middle = (low + high) // 2
        if meets_with(middle):
            high = middle
        else:
            low = middle
    return high


def _exchange(search: _StageSearch, roster: list[int], target: float) -> bool:
    """Move a block of officers from a shift to a neighbouring one when fewer are needed there to
    keep every shift under the target (a queue left at the end of a shift is the next shift's
    work, so an officer can be worth more in the shift before or after). Blocks of
    ``count // 8`` halving down to 2 officers. In place; says whether anything was saved."""
    shifts = len(roster)
    saved = False
    for taken in range(shifts):
        for given in sorted({(taken + 1) % shifts, (taken - 1) % shifts} - {taken}):
            delta = 2 ** max(1, (roster[taken] // 8).bit_length() - 1)
            while delta >= 2:
                if roster[taken] >= delta:
                    extra = _smallest_compensation(search, roster, taken, given, delta, target)
                    if extra is not None:
                        roster[taken] -= delta
                        roster[given] += extra
                        saved = True
                        break
                delta //= 2
    return saved


def staff(
    scenario: Scenario,
    *,
    target_p90_wait: float | Mapping[str, float],
    replications: int = 3,
    seed: int | np.random.Generator = 0,
    max_officers: int = 1000,
) -> Staffing:
    """The fewest officers per stage and shift such that, in every shift, 90 % of the persons
    reaching the stage wait at most ``target_p90_wait`` minutes (one figure for every stage, or
    a mapping from stage name to minutes; stages left out keep the scenario's officers). The
    search and its guarantee are in this module's docstring.

    Raises :class:`ScenarioError` for a bad target, seed or count, or when a stage cannot meet
    its target with ``max_officers`` officers in a shift (the message names the stage and shift).
    """
    targets = _targets(scenario, target_p90_wait)
    _check(replications, max_officers)
    if isinstance(seed, np.random.SeedSequence):
        raise ScenarioError("seed", "give an integer or a Generator: replications spawn their own sequences")
    root = seed_sequence(seed)
    samples = [sample(scenario, seed=child) for child in root.spawn(replications)]
    ready = [drawn.arrival_minutes.copy() for drawn in samples]
    found: list[StageStaffing] = []
    evaluations = 0
    for index, stage in enumerate(scenario.stages):
        search = _StageSearch(scenario, index, samples, ready)
        target = targets[index]
        roster = list(stage.servers)
        if target is not None and search.has_visitors():
            roster = [min(max_officers, math.ceil(w - 1e-9)) for w in search.work_officers()]
            if max(roster) == 0:
                roster[0] = 1
            _raise(search, roster, target, max_officers)
            _trim(search, roster, target)
            for _ in range(_MAX_EXCHANGE_PASSES):
                if not _exchange(search, roster, target):
                    break
                _trim(search, roster, target)
        elif target is not None:
            # Nobody in the samples goes here: no officer, or one in the first shift when the
            # scenario routes people here at all (a used stage needs someone to be valid).
            roster = [1 if stage.is_used and s == 0 else 0 for s in range(scenario.shifts_per_day)]
        final = tuple(roster)
        p90s = search.p90_by_shift(final) if search.has_visitors() else (0.0,) * len(final)
        found.append(
            StageStaffing(
                name=stage.name,
                target_p90_wait=target,
                servers=final,
                p90_wait_by_shift=p90s,
                work_officers=search.work_officers(),
            )
        )
        evaluations += search.evaluations
        if search.has_visitors():
            ready = search.departures(final)
    staffed = scenario.with_servers([stage.servers for stage in found])
    return Staffing(
        scenario=staffed,
        seed=int(root.entropy),  # type: ignore[arg-type]  # seed_sequence gives one integer
        replications=replications,
        stages=tuple(found),
        officer_shifts_per_day=sum(sum(stage.servers) for stage in found),
        evaluations=evaluations,
    )
