"""The random part of one replication, drawn from a seed: who arrives when, in which group, with
which needs, through which stages, needing how long at each.

Every random quantity has its own stream, a child of the replication's ``SeedSequence`` with a
fixed spawn key (arrivals 0, group sizes 1, specific needs 2, stage ``k`` 3 + k). So a change of
staffing leaves every arrival and service time as it was (common random numbers: the staffing
search compares rosters on identical people), and one seed reproduces every figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

from hbm.engines.simulation._errors import ScenarioError
from hbm.engines.simulation._model import (
    HOURS_PER_DAY,
    Deterministic,
    Exponential,
    Floats,
    Scenario,
    Stage,
)

Ints: TypeAlias = npt.NDArray[np.int64]
Bools: TypeAlias = npt.NDArray[np.bool_]
Seed: TypeAlias = int | np.random.SeedSequence | np.random.Generator

_ARRIVALS, _SIZES, _NEEDS, _FIRST_STAGE = 0, 1, 2, 3


@dataclass(frozen=True, slots=True, eq=False)
class Sample:
    """The random inputs of one replication of ``scenario`` (arrays are read-only).

    - ``arrival_minutes[g]``: when group ``g`` reaches the crossing point (sorted ascending);
    - ``group_sizes[g]``: its persons; ``specific_needs[g]``: how many of them have specific needs;
    - ``visits[k, g]``: whether it goes through stage ``k``;
    - ``service_minutes[k, g]``: one officer's time for the whole group at stage ``k`` (the sum of
      its members' times for a per-person stage; 0 where it does not go).

    ``seed`` and ``spawn_key`` rebuild it: ``sample(scenario, seed=SeedSequence(seed, spawn_key=…))``.
    """

    scenario: Scenario
    seed: int
    spawn_key: tuple[int, ...]
    arrival_minutes: Floats
    group_sizes: Ints
    specific_needs: Ints
    visits: Bools
    service_minutes: Floats

    @property
    def groups(self) -> int:
        return int(self.arrival_minutes.shape[0])

    @property
    def persons(self) -> int:
        return int(self.group_sizes.sum())

    @property
    def has_specific_needs(self) -> Bools:
        return self.specific_needs > 0


def seed_sequence(seed: Seed) -> np.random.SeedSequence:
    """``seed`` as a ``SeedSequence`` whose entropy is one integer ≥ 0 (so it can be stored).

    An injected ``Generator`` gives one integer (advancing it once), which becomes the stored seed:
    the result then says how to reproduce it without the generator."""
    if isinstance(seed, np.random.Generator):
        return np.random.SeedSequence(int(seed.integers(0, 2**63 - 1)))
    if isinstance(seed, np.random.SeedSequence):
        if not isinstance(seed.entropy, int):
            raise ScenarioError("seed", "a SeedSequence given as a seed must have one integer as entropy")
        return seed
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ScenarioError("seed", f"is a whole number ≥ 0, a SeedSequence or a Generator, not {seed!r}")
    return np.random.SeedSequence(int(seed))


def _stream(root: np.random.SeedSequence, index: int) -> np.random.Generator:
    # An explicit spawn key rather than root.spawn(): spawn() counts its calls, so the same root
    # would give other streams the second time.
    child = np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, index))
    return np.random.default_rng(child)


def _arrivals(scenario: Scenario, rng: np.random.Generator) -> Floats:
    """A Poisson process of groups whose rate is constant within each hour: the count of each hour
    is Poisson, the times within it uniform (the exact construction of such a process)."""
    pattern = np.asarray(scenario.hourly_pattern, dtype=np.float64)
    persons = np.outer(np.asarray(scenario.arrivals_per_day, dtype=np.float64), pattern / pattern.sum())
    counts = rng.poisson(persons.ravel() / scenario.mean_group_size)
    hour_starts = np.repeat(np.arange(scenario.days * HOURS_PER_DAY, dtype=np.float64) * 60.0, counts)
    times = hour_starts + rng.random(hour_starts.shape[0]) * 60.0
    times.sort()
    return times


def _sizes(scenario: Scenario, rng: np.random.Generator, groups: int) -> Ints:
    weights = np.asarray(scenario.group_sizes, dtype=np.float64)
    if len(weights) == 1:
        return np.ones(groups, dtype=np.int64)
    cumulative = np.cumsum(weights / weights.sum())
    cumulative[-1] = 1.0
    return np.searchsorted(cumulative, rng.random(groups), side="right").astype(np.int64) + 1


def _group_service(stage: Stage, rng: np.random.Generator, sizes: Ints) -> Floats:
    groups = sizes.shape[0]
    if stage.per == "group":
        return stage.service.draw(rng, groups)
    if isinstance(stage.service, Deterministic):
        return np.multiply(sizes, float(stage.service.minutes), dtype=np.float64)
    if isinstance(stage.service, Exponential):
        # The sum of m exponential times is Gamma(m) — one draw per group instead of m.
        return rng.gamma(sizes.astype(np.float64), stage.service.mean)
    per_person = stage.service.draw(rng, int(sizes.sum()))
    if groups == 0:
        return per_person
    offsets = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    return np.add.reduceat(per_person, offsets)


def _stage_draws(stage: Stage, rng: np.random.Generator, sizes: Ints, needy: Bools) -> tuple[Bools, Floats]:
    groups = sizes.shape[0]
    shares = (stage.share, stage.visit_share_specific_needs)
    if shares == (1.0, 1.0):
        visits = np.ones(groups, dtype=np.bool_)
    elif shares == (0.0, 0.0):
        visits = np.zeros(groups, dtype=np.bool_)
    else:
        visits = rng.random(groups) < np.where(needy, shares[1], shares[0])
    service = _group_service(stage, rng, sizes)
    service[~visits] = 0.0
    return visits, service


def sample(scenario: Scenario, *, seed: Seed = 0) -> Sample:
    """Draw the random inputs of one replication of ``scenario`` from ``seed``: an integer ≥ 0, a
    ``SeedSequence`` (replication ``i`` of :func:`replicate` uses ``SeedSequence(seed).spawn(n)[i]``,
    that is ``SeedSequence(seed, spawn_key=(i,))``) or a ``Generator`` (see :func:`seed_sequence`).
    Raises :class:`ScenarioError` for a bad seed."""
    root = seed_sequence(seed)
    arrivals = _arrivals(scenario, _stream(root, _ARRIVALS))
    sizes = _sizes(scenario, _stream(root, _SIZES), arrivals.shape[0])
    needs = _stream(root, _NEEDS).binomial(sizes, scenario.specific_needs_share).astype(np.int64)
    needy = needs > 0
    visits = np.empty((len(scenario.stages), arrivals.shape[0]), dtype=np.bool_)
    service = np.empty(visits.shape, dtype=np.float64)
    for index, stage in enumerate(scenario.stages):
        visits[index], service[index] = _stage_draws(stage, _stream(root, _FIRST_STAGE + index), sizes, needy)
    for array in (arrivals, sizes, needs, visits, service):
        array.flags.writeable = False
    return Sample(
        scenario=scenario,
        seed=int(root.entropy),  # type: ignore[arg-type]  # checked to be an int above
        spawn_key=tuple(int(k) for k in root.spawn_key),
        arrival_minutes=arrivals,
        group_sizes=sizes,
        specific_needs=needs,
        visits=visits,
        service_minutes=service,
    )
