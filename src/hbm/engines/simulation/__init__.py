"""Surge simulation of one crossing point: queues, staffing, waiting area (Python/NumPy, loops in numba).

Public API::

    Exponential(mean) · Lognormal(mean, cv) · Deterministic(minutes) · Triangular(low, mode, high)
    Stage(name, service, servers, per="group"|"person", share, share_specific_needs, priority)
    Scenario(stages, arrivals_per_day, hourly_pattern, group_sizes, specific_needs_share,
             shift_hours, shift_start_hour, waiting_area_capacity)
    simulate(scenario, seed=0) -> Result                 # one replication
    replicate(scenario, replications=10, seed=0) -> Replications   # + t confidence intervals
    staff(scenario, target_p90_wait=…) -> Staffing       # fewest officers per stage and shift
    sample(scenario, seed=0) -> Sample ; simulate_sample(sample) -> Result   # the random inputs apart
    default_stage(kind, servers=…) ; default_scenario(…) ; defaults()   # published figures + sources
    ScenarioError(field, reason)                         # a ValueError naming the field
    sweep(SweepPlan(scenarios, staffing=(StaffingOption(name, servers), …), replications, seed),
          scheduler=None | "tcp://host:8786", workers=N) -> Sweep   # on Dask; .rows, .as_json(), .as_csv()
    load_sweep(text) -> SweepPlan                        # a sweep file, format hbm-sweep/1
    ClusterMismatch                                      # a cluster's workers run other software

Minutes and persons throughout. A seed is an integer ≥ 0 or an injected ``numpy.random.Generator``
(which gives the integer stored in the result); the stored seed reproduces every figure. How it
works and why it is fast: :mod:`._kernel`, :mod:`._staffing` and decision record 0009.
"""

from hbm.engines.simulation._defaults import (
    Default,
    default_scenario,
    default_stage,
    defaults,
    stage_kinds,
)
from hbm.engines.simulation._errors import ScenarioError
from hbm.engines.simulation._model import (
    MAX_EXPECTED_PERSONS,
    Deterministic,
    Exponential,
    Lognormal,
    Scenario,
    ServiceTime,
    Stage,
    Triangular,
)
from hbm.engines.simulation._replicate import Estimate, Replications, StageEstimates, replicate, t_quantile
from hbm.engines.simulation._results import Result, StageResult, WaitingArea, WaitStats
from hbm.engines.simulation._sample import Sample, Seed, sample
from hbm.engines.simulation._schedule import schedule
from hbm.engines.simulation._staffing import Staffing, StageStaffing, staff
from hbm.engines.simulation._sweep import (
    ClusterMismatch,
    StaffingOption,
    Sweep,
    SweepPlan,
    SweepRow,
    load_sweep,
    sweep,
)


def simulate_sample(drawn: Sample) -> Result:
    """Simulate the crossing point on already drawn random inputs (see :func:`sample`)."""
    from hbm.engines.simulation._results import summarise

    return summarise(schedule(drawn))


def simulate(scenario: Scenario, *, seed: Seed = 0) -> Result:
    """One replication of ``scenario`` from ``seed``: ``simulate_sample(sample(scenario, seed=seed))``."""
    return simulate_sample(sample(scenario, seed=seed))


__all__ = [
    "MAX_EXPECTED_PERSONS",
    "ClusterMismatch",
    "Default",
    "Deterministic",
    "Estimate",
    "Exponential",
    "Lognormal",
    "Replications",
    "Result",
    "Sample",
    "Scenario",
    "ScenarioError",
    "Seed",
    "ServiceTime",
    "Staffing",
    "StaffingOption",
    "Stage",
    "StageEstimates",
    "StageResult",
    "StageStaffing",
    "Sweep",
    "SweepPlan",
    "SweepRow",
    "Triangular",
    "WaitStats",
    "WaitingArea",
    "default_scenario",
    "default_stage",
    "defaults",
    "load_sweep",
    "replicate",
    "sample",
    "simulate",
    "simulate_sample",
    "staff",
    "stage_kinds",
    "sweep",
    "t_quantile",
]
