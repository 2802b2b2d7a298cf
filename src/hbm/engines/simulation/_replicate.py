"""Replications with independent random streams, and Student t confidence intervals over them.

Replication ``i`` draws from ``SeedSequence(seed).spawn(n)[i]``: the streams are independent (the
guarantee of NumPy's ``SeedSequence``), replication ``i`` is the same whatever ``n`` is, and
``seed`` alone reproduces every figure. Each figure of :class:`Replications` is the mean over the
replications with a two-sided interval ``mean ± t(1 − α/2, n − 1) · s / √n`` — the replications are
independent and identically distributed, so this is the textbook interval for a mean (Law,
*Simulation Modeling and Analysis*, 5th ed., section 9.4.1).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from hbm.engines.simulation._errors import ScenarioError
from hbm.engines.simulation._model import Scenario
from hbm.engines.simulation._results import Result, summarise
from hbm.engines.simulation._sample import sample, seed_sequence
from hbm.engines.simulation._schedule import schedule

MAX_REPLICATIONS = 1000


def _t_two_sided_share(t: float, df: int) -> float:
    """``P(|T| ≤ t)`` for Student's t with ``df`` degrees of freedom, exactly, by the finite series
    of Abramowitz and Stegun 26.7.3 (odd ``df``) and 26.7.4 (even ``df``)."""
    theta = math.atan(t / math.sqrt(df))
    cos2 = math.cos(theta) ** 2
    if df % 2 == 0:
        term, total = 1.0, 1.0
        for k in range(2, df - 1, 2):
            term *= cos2 * (k - 1) / k
            total += term
        return math.sin(theta) * total
    if df == 1:
        return 2 * theta / math.pi
    term, total = 1.0, 1.0
    for k in range(3, df - 1, 2):
        term *= cos2 * (k - 1) / k
        total += term
    return 2 / math.pi * (theta + math.sin(theta) * math.cos(theta) * total)


def t_quantile(probability: float, df: int) -> float:
    """The ``probability`` quantile (0.5 < probability < 1) of Student's t with ``df`` ≥ 1 degrees of
    freedom, by bisection on the exact distribution function (to about 1e-12)."""
    if not 0.5 < probability < 1 or df < 1:
        raise ValueError(f"t_quantile needs 0.5 < probability < 1 and df ≥ 1, not {probability!r}, {df!r}")
    share = 2 * probability - 1
    low, high = 0.0, 1.0
    while _t_two_sided_share(high, df) < share:
        low, high = high, high * 2
    for _ in range(200):
        middle = (low + high) / 2
        if _t_two_sided_share(middle, df) < share:
            low = middle
        else:
            high = middle
        if high - low <= 1e-12 * high:
            break
    return (low + high) / 2


@dataclass(frozen=True, slots=True)
class Estimate:
    """One figure over the replications: ``mean`` with the confidence interval ``[low, high]``
    (``mean ± half_width``), and each replication's ``values``."""

    mean: float
    half_width: float
    low: float
    high: float
    values: tuple[float, ...]


def estimate(values: Sequence[float], confidence: float) -> Estimate:
    """The mean of ``values`` (at least two) with its two-sided ``confidence`` t interval."""
    floats = tuple(float(v) for v in values)
    mean = statistics.fmean(floats)
    if any(math.isinf(v) for v in floats):
        return Estimate(mean, math.inf, -math.inf, math.inf, floats)
    half = (
        t_quantile((1 + confidence) / 2, len(floats) - 1) * statistics.stdev(floats) / math.sqrt(len(floats))
    )
    return Estimate(mean, half, mean - half, mean + half, floats)


@dataclass(frozen=True, slots=True)
class StageEstimates:
    """One stage over the replications (minutes, persons): mean and p90 wait, the most persons
    waiting for it at the end of an hour of the simulated days, the share of the roster's
    officer-minutes spent serving; ``waiting_by_hour[h]``: persons waiting at the end of hour
    ``h``, averaged over the replications."""

    name: str
    mean_wait: Estimate
    p90_wait: Estimate
    peak_waiting: Estimate
    utilisation: Estimate
    waiting_by_hour: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class Replications:
    """``len(results)`` replications of ``scenario`` from ``seed`` (replication ``i``:
    ``SeedSequence(seed).spawn(n)[i]``), each figure with its ``confidence`` interval.

    ``departures_by_day[d]``: persons leaving through the last stage on day ``d`` (throughput);
    ``waiting_by_hour``: persons waiting in all queues at the end of each hour, averaged;
    ``overloaded``: in how many replications some stage got more work than its roster can do.
    Every replication's full :class:`Result` is in ``results``."""

    scenario: Scenario
    seed: int
    confidence: float
    results: tuple[Result, ...]
    stages: tuple[StageEstimates, ...]
    total_wait_mean: Estimate
    total_wait_p90: Estimate
    time_in_system_mean: Estimate
    time_in_system_p90: Estimate
    departures_by_day: tuple[Estimate, ...]
    waiting_by_hour: tuple[float, ...]
    backlog_persons: Estimate
    drain_minutes: Estimate
    waiting_area_peak: Estimate
    waiting_area_minutes_over_capacity: Estimate
    overloaded: int
    warnings: tuple[str, ...]

    def stage(self, name: str) -> StageEstimates:
        for stage in self.stages:
            if stage.name == name:
                return stage
        raise KeyError(name)


def _mean_series(series: Sequence[Sequence[int]]) -> tuple[float, ...]:
    return tuple(float(v) for v in np.mean(np.asarray(series, dtype=np.float64), axis=0))


def _over(results: Sequence[Result], figure: Callable[[Result], float], confidence: float) -> Estimate:
    return estimate([figure(result) for result in results], confidence)


def _stage_estimates(results: Sequence[Result], index: int, confidence: float) -> StageEstimates:
    stages = [result.stages[index] for result in results]
    return StageEstimates(
        name=stages[0].name,
        mean_wait=estimate([stage.waits.mean for stage in stages], confidence),
        p90_wait=estimate([stage.waits.p90 for stage in stages], confidence),
        peak_waiting=estimate([max(stage.waiting_by_hour, default=0) for stage in stages], confidence),
        utilisation=estimate([stage.utilisation for stage in stages], confidence),
        waiting_by_hour=_mean_series([stage.waiting_by_hour for stage in stages]),
    )


def _warnings(summary: Replications) -> tuple[str, ...]:
    notes = []
    n = len(summary.results)
    if summary.overloaded:
        names = sorted(
            {stage.name for result in summary.results for stage in result.stages if stage.load > 1}
        )
        notes.append(
            f"In {summary.overloaded} of {n} replications some stage ({', '.join(names)}) got more work than "
            "its officers can do in the simulated days; its queue grows without bound."
        )
    backlog = summary.backlog_persons
    if backlog.mean > 0:
        notes.append(
            f"About {backlog.mean:,.0f} persons (between {max(0.0, backlog.low):,.0f} and "
            f"{backlog.high:,.0f}) are still at the crossing point at the end of day {summary.scenario.days}."
        )
    if summary.waiting_area_minutes_over_capacity.mean > 0:
        notes.append(
            f"The waiting area (room for {summary.scenario.waiting_area_capacity:,} persons) overflowed: "
            f"peak {summary.waiting_area_peak.mean:,.0f} persons on average, over capacity for "
            f"{summary.waiting_area_minutes_over_capacity.mean / 60:,.1f} h."
        )
    return tuple(notes)


def replicate(
    scenario: Scenario,
    *,
    replications: int = 10,
    seed: int | np.random.Generator = 0,
    confidence: float = 0.95,
) -> Replications:
    """``replications`` independent replications of ``scenario`` and the mean of each figure with a
    ``confidence`` t interval. ``seed``: an integer ≥ 0, or a ``Generator`` that gives one (stored
    in the result). Raises :class:`ScenarioError` for fewer than 2 or more than
    ``MAX_REPLICATIONS`` replications (one is :func:`simulate`), or a confidence outside (0, 1)."""
    if isinstance(replications, bool) or not isinstance(replications, int) or replications < 2:
        raise ScenarioError("replications", f"at least 2 for a confidence interval, not {replications!r}")
    if replications > MAX_REPLICATIONS:
        raise ScenarioError("replications", f"at most {MAX_REPLICATIONS}, not {replications}")
    if isinstance(confidence, bool) or not isinstance(confidence, float | int) or not 0 < confidence < 1:
        raise ScenarioError("confidence", f"is a share between 0 and 1 (0.95), not {confidence!r}")
    if isinstance(seed, np.random.SeedSequence):
        raise ScenarioError("seed", "give an integer or a Generator: replications spawn their own sequences")
    root = seed_sequence(seed)
    results = tuple(summarise(schedule(sample(scenario, seed=child))) for child in root.spawn(replications))
    c = float(confidence)
    draft = Replications(
        scenario=scenario,
        seed=int(root.entropy),  # type: ignore[arg-type]  # seed_sequence gives one integer
        confidence=c,
        results=results,
        stages=tuple(_stage_estimates(results, k, c) for k in range(len(scenario.stages))),
        total_wait_mean=_over(results, lambda r: r.total_wait.mean, c),
        total_wait_p90=_over(results, lambda r: r.total_wait.p90, c),
        time_in_system_mean=_over(results, lambda r: r.time_in_system.mean, c),
        time_in_system_p90=_over(results, lambda r: r.time_in_system.p90, c),
        departures_by_day=tuple(
            estimate([r.departures_by_day[d] for r in results], c) for d in range(scenario.days)
        ),
        waiting_by_hour=_mean_series([r.waiting_by_hour for r in results]),
        backlog_persons=_over(results, lambda r: r.backlog_persons, c),
        drain_minutes=_over(results, lambda r: r.drain_minutes, c),
        waiting_area_peak=_over(results, lambda r: r.waiting_area.peak, c),
        waiting_area_minutes_over_capacity=_over(results, lambda r: r.waiting_area.minutes_over_capacity, c),
        overloaded=sum(1 for r in results if r.is_overloaded),
        warnings=(),
    )
    return replace(draft, warnings=_warnings(draft))
