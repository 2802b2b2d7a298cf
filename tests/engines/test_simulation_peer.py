"""The simulation against SimPy, an established discrete-event library, on one two-stage model:
identical waits when both get the same drawn inputs, and the same mean waits within sampling
error when SimPy draws its own (with Python's ``random``, code independent of the engine's).

The SimPy model is the idiomatic one: a process per group, a ``PriorityResource`` per stage with
as many desks as the largest shift, and a roster process per stage that holds the desks of the
officers off duty with top-priority requests (so a service in progress always finishes)."""

from __future__ import annotations

import math
import random
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from hbm.engines.simulation import Exponential, Lognormal, Scenario, Stage, replicate, sample
from hbm.engines.simulation._schedule import schedule

simpy = pytest.importorskip("simpy")

SCENARIO = Scenario(
    stages=(
        Stage("registration", Lognormal(3.0, 0.5), (6, 5, 2), per="person"),
        Stage("protection", Exponential(10.0), (2, 2, 1), share=0.1, share_specific_needs=1.0),
    ),
    arrivals_per_day=(1200.0, 1800.0, 1500.0),
    hourly_pattern=(0.5,) * 6 + (1.5,) * 12 + (1.0,) * 6,
    group_sizes=(0.4, 0.3, 0.2, 0.1),
    specific_needs_share=0.05,
    shift_hours=8,
    shift_start_hour=6,
)


@dataclass
class Group:
    arrival: float
    size: int
    has_needs: bool
    services: list[float | None]  # minutes at each stage, None where it does not go


def simpy_waits(scenario: Scenario, groups: Sequence[Group]) -> list[list[float]]:
    """SimPy's waits: ``[k]`` lists the waits at stage ``k`` of the groups that went there, in
    the order of ``groups``."""
    env = simpy.Environment()
    desks = [simpy.PriorityResource(env, capacity=max(stage.servers)) for stage in scenario.stages]
    waits: list[dict[int, float]] = [{} for _ in scenario.stages]
    shift_minutes = scenario.shift_hours * 60.0
    origin = scenario.roster_origin_minutes

    def roster(k: int) -> Generator[Any, Any, None]:
        servers = scenario.stages[k].servers
        held: list[Any] = []
        period = math.floor(-origin / shift_minutes)
        while True:
            want = max(servers) - servers[period % len(servers)]
            while len(held) < want:
                held.append(desks[k].request(priority=-1))
            while len(held) > want:
                pending = [request for request in held if not request.triggered]
                request = pending[-1] if pending else held[-1]
                held.remove(request)
                if request.triggered:
                    desks[k].release(request)
                else:
                    request.cancel()
            yield env.timeout(origin + (period + 1) * shift_minutes - env.now)
            period += 1

    def visit(index: int, group: Group) -> Generator[Any, Any, None]:
        for k, minutes in enumerate(group.services):
            if minutes is None:
                continue
            reached = env.now
            urgent = group.has_needs and scenario.stages[k].priority
            with desks[k].request(priority=0 if urgent else 1) as request:
                yield request
                waits[k][index] = env.now - reached
                yield env.timeout(minutes)

    def arrive() -> Generator[Any, Any, None]:
        for index, group in enumerate(groups):
            yield env.timeout(group.arrival - env.now)
            env.process(visit(index, group))

    for k in range(len(scenario.stages)):
        env.process(roster(k))
    env.process(arrive())
    env.run(until=scenario.horizon_minutes * 50)
    return [[stage_waits[i] for i in sorted(stage_waits)] for stage_waits in waits]


def groups_from_engine_sample(scenario: Scenario, seed: int) -> tuple[list[Group], list[list[float]]]:
    drawn = sample(scenario, seed=seed)
    groups = [
        Group(
            arrival=float(drawn.arrival_minutes[g]),
            size=int(drawn.group_sizes[g]),
            has_needs=bool(drawn.has_specific_needs[g]),
            services=[
                float(drawn.service_minutes[k, g]) if drawn.visits[k, g] else None
                for k in range(len(scenario.stages))
            ],
        )
        for g in range(drawn.groups)
    ]
    engine = []
    for done in schedule(drawn).stages:
        by_group = dict(zip(done.groups.tolist(), (done.start - done.ready).tolist(), strict=True))
        engine.append([by_group[g] for g in sorted(by_group)])
    return groups, engine


def groups_drawn_by_python(scenario: Scenario, rng: random.Random) -> list[Group]:
    """The scenario's random inputs drawn again from its description alone, with ``random``."""
    sizes = range(1, len(scenario.group_sizes) + 1)
    weights = scenario.group_sizes
    mean_size = sum(s * w for s, w in zip(sizes, weights, strict=True)) / sum(weights)
    pattern_total = sum(scenario.hourly_pattern)
    groups = []
    for day, persons in enumerate(scenario.arrivals_per_day):
        for hour, weight in enumerate(scenario.hourly_pattern):
            rate = persons * weight / pattern_total / mean_size / 60  # groups per minute
            minute = 0.0
            while True:  # a Poisson process restarted each hour (memoryless, so exact)
                minute += rng.expovariate(rate)
                if minute >= 60:
                    break
                groups.append((day * 1440 + hour * 60 + minute, rng.choices(sizes, weights)[0]))
    groups.sort()
    drawn = []
    for arrival, size in groups:
        has_needs = any(rng.random() < scenario.specific_needs_share for _ in range(size))
        services: list[float | None] = []
        for stage in scenario.stages:
            share = stage.visit_share_specific_needs if has_needs else stage.share
            if rng.random() >= share:
                services.append(None)
                continue
            units = size if stage.per == "person" else 1
            services.append(sum(_draw(stage, rng) for _ in range(units)))
        drawn.append(Group(arrival, size, has_needs, services))
    return drawn


def _draw(stage: Stage, rng: random.Random) -> float:
    service = stage.service
    if isinstance(service, Exponential):
        return rng.expovariate(1 / service.mean)
    assert isinstance(service, Lognormal)
    sigma2 = math.log1p(service.cv**2)
    return rng.lognormvariate(math.log(service.mean) - sigma2 / 2, math.sqrt(sigma2))


def test_on_the_same_inputs_simpy_gives_every_group_the_same_wait() -> None:
    groups, engine = groups_from_engine_sample(SCENARIO, seed=5)

    peer = simpy_waits(SCENARIO, groups)

    assert [len(w) for w in peer] == [len(w) for w in engine]
    assert len(engine[1]) > 100
    for k in range(len(SCENARIO.stages)):
        assert np.allclose(peer[k], engine[k], rtol=0, atol=1e-6)
    assert max(engine[0]) > 60  # the night shift's queue is part of what is compared


def test_with_its_own_random_draws_simpy_gives_the_same_mean_waits_within_sampling_error() -> None:
    replications = 40
    runs = replicate(SCENARIO, replications=replications, seed=31)
    rng = random.Random(20261124)
    peer: dict[str, list[list[float]]] = {"wait": [[], []], "groups": [[], []]}
    for _ in range(replications):
        groups = groups_drawn_by_python(SCENARIO, rng)
        waits = simpy_waits(SCENARIO, groups)
        for k in range(2):
            persons = [g.size for g in groups if g.services[k] is not None]
            peer["wait"][k].append(float(np.dot(waits[k], persons) / sum(persons)))
            peer["groups"][k].append(len(persons))

    for k, stage in enumerate(SCENARIO.stages):
        engine = {
            "wait": list(runs.stage(stage.name).mean_wait.values),
            "groups": [r.stage(stage.name).groups for r in runs.results],
        }
        for figure in ("wait", "groups"):
            ours, theirs = np.mean(engine[figure]), np.mean(peer[figure][k])
            error = math.sqrt(
                (np.var(engine[figure], ddof=1) + np.var(peer[figure][k], ddof=1)) / replications
            )
            assert error < 0.1 * theirs, (stage.name, figure)  # precise enough to mean something
            assert ours == pytest.approx(theirs, abs=3 * error), (stage.name, figure)
