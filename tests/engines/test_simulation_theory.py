"""The simulation against queueing theory: Erlang C for M/M/c, Cobham's formula for two priority
classes, and Student's t for the confidence intervals. Fixed seeds: the figures are the same on
every run, and each lies within sampling error of the formula."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hbm.engines.simulation import Exponential, Scenario, Stage, replicate, sample, t_quantile
from hbm.engines.simulation._schedule import schedule


def erlang_c(servers: int, offered: float) -> float:
    """Probability of waiting in M/M/c with ``offered`` = λ/μ erlangs (Erlang's C formula)."""
    below = sum(offered**k / math.factorial(k) for k in range(servers))
    top = offered**servers / math.factorial(servers) * servers / (servers - offered)
    return top / (below + top)


def mmc(servers: int, per_minute: float, mean_service: float, days: int = 20, **extra: object) -> Scenario:
    """M/M/c: Poisson arrivals of single persons, exponential service, ``servers`` all day long."""
    return Scenario(
        stages=(Stage("desk", Exponential(mean_service), (servers,)),),
        arrivals_per_day=(per_minute * 1440,) * days,
        shift_hours=24,
        shift_start_hour=0,
        **extra,  # type: ignore[arg-type]
    )


def test_mmc_waits_agree_with_erlang_c() -> None:
    # c = 4, λ = 1 per minute, 1/μ = 3.2 minutes: ρ = 0.8, P(wait) = C(4, 3.2) = 0.596.
    servers, per_minute, mean_service = 4, 1.0, 3.2
    probability = erlang_c(servers, per_minute * mean_service)
    decay = servers / mean_service - per_minute  # P(W > t) = C·exp(−(cμ − λ)t)

    runs = replicate(mmc(servers, per_minute, mean_service), replications=10, seed=2024, confidence=0.99)

    mean_wait = runs.stage("desk").mean_wait
    assert mean_wait.low <= probability / decay <= mean_wait.high
    assert mean_wait.mean == pytest.approx(probability / decay, rel=0.05)
    waited = [r.stage("desk").waits.waited_share for r in runs.results]
    assert np.mean(waited) == pytest.approx(probability, abs=3 * np.std(waited, ddof=1) / math.sqrt(10))
    p90 = runs.stage("desk").p90_wait
    assert p90.low <= math.log(10 * probability) / decay <= p90.high
    p95 = np.mean([r.stage("desk").waits.p95 for r in runs.results])
    assert p95 == pytest.approx(math.log(20 * probability) / decay, rel=0.05)
    assert runs.stage("desk").utilisation.mean == pytest.approx(0.8, abs=0.01)


def test_the_waiting_time_distribution_follows_erlang_c_at_every_point() -> None:
    servers, per_minute, mean_service = 3, 0.8, 3.0  # ρ = 0.8
    probability = erlang_c(servers, per_minute * mean_service)
    decay = servers / mean_service - per_minute
    drawn = sample(mmc(servers, per_minute, mean_service, days=60), seed=7)

    desk = schedule(drawn).stages[0]
    waits = desk.start - desk.ready

    for minutes in (0.0, 1.0, 3.0, 6.0, 10.0):
        expected = probability * math.exp(-decay * minutes)
        assert np.mean(waits > minutes) == pytest.approx(expected, abs=0.02)


def test_priority_for_specific_needs_agrees_with_cobhams_formula() -> None:
    # M/M/c, non-preemptive priority, same service rate in both classes (Cobham 1954):
    # W_k = W0 / ((1 − σ_{k−1})(1 − σ_k)), W0 = C(c, a) / (cμ), σ_k the load of classes ≤ k.
    servers, per_minute, mean_service, share = 3, 0.8, 3.0, 0.2
    rate = servers / mean_service
    w0 = erlang_c(servers, per_minute * mean_service) / rate
    sigma1, sigma = share * per_minute / rate, per_minute / rate
    expected = {"needs": w0 / (1 - sigma1), "others": w0 / ((1 - sigma1) * (1 - sigma))}
    scenario = mmc(servers, per_minute, mean_service, days=30, specific_needs_share=share)

    means: dict[str, list[float]] = {"needs": [], "others": []}
    for child in np.random.SeedSequence(99).spawn(8):
        drawn = sample(scenario, seed=child)
        desk = schedule(drawn).stages[0]
        waits, needy = desk.start - desk.ready, drawn.has_specific_needs[desk.groups]
        means["needs"].append(float(waits[needy].mean()))
        means["others"].append(float(waits[~needy].mean()))

    for group, values in means.items():
        error = 3 * np.std(values, ddof=1) / math.sqrt(len(values))
        assert np.mean(values) == pytest.approx(expected[group], abs=error), group
    assert expected["needs"] < 1 < 3 < expected["others"]


@pytest.mark.parametrize("df", [1, 2, 3, 4, 7, 10, 30, 120])
def test_the_t_quantiles_of_the_intervals_match_scipy(df: int) -> None:
    stats = pytest.importorskip("scipy.stats")

    for probability in (0.9, 0.95, 0.975, 0.995):
        assert t_quantile(probability, df) == pytest.approx(stats.t.ppf(probability, df), rel=1e-9)
