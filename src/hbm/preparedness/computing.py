"""The one adapter between plans and the engines: a stored scenario becomes an engine
:class:`~hbm.engines.simulation.Scenario` and a :class:`~hbm.engines.planning.PlanningInput`, and
what the engines return becomes plain JSON figures (stored, charted, exported).

Only the engines' public API is used. Every figure computed here can be reproduced from the stored
inputs, seed, replications and engine version.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

import hbm
from hbm.core.errors import ValidationFailed
from hbm.engines.planning import (
    MAX_STAY_DAYS,
    Demographics,
    Figures,
    PlanningInput,
    PlanningInputError,
    Requirements,
    apply_overlay,
    default_figures,
    requirements,
    shipped_overlay,
)
from hbm.engines.simulation import (
    Estimate,
    Lognormal,
    Replications,
    Scenario,
    ScenarioError,
    Staffing,
    Stage,
    default_stage,
    defaults,
    replicate,
    staff,
    stage_kinds,
    t_quantile,
)

DEMOGRAPHIC_GROUPS = ("under_five", "pregnant", "older", "disability")
REPLICATIONS = 10
STAFFING_REPLICATIONS = 3
CONFIDENCE = 0.95
# What a request may compute while the person waits: persons expected × replications. Measured
# (decision 0018): about 1.5 s for the whole result (replications, staffing, requirements) at this
# size on the 2-core machine. A larger scenario is computed by `hbm plans compute`.
MAX_PERSON_REPLICATIONS_IN_REQUEST = 1_500_000


@dataclass(frozen=True, slots=True)
class StageData:
    """A stage of a scenario: a kind with published defaults, the officers per shift, and the
    mean service time measured at the crossing point (``None``: the default, with its source)."""

    kind: str
    servers: tuple[int, ...]
    mean_minutes: float | None = None


@dataclass(frozen=True, slots=True)
class ScenarioData:
    """A scenario as entered. Empty ``hourly_pattern`` / ``group_sizes`` and ``None`` shares take
    the defaults (each with its source)."""

    arrivals_per_day: tuple[float, ...]
    stages: tuple[StageData, ...]
    hourly_pattern: tuple[float, ...] = ()
    group_sizes: tuple[float, ...] = ()
    specific_needs_share: float | None = None
    demographics: Mapping[str, float | None] = field(default_factory=dict)
    shift_hours: int = 8
    shift_start_hour: int = 6
    waiting_area_capacity: int | None = None
    average_stay_days: float = 2.0
    initial_phase_days: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "arrivals_per_day": list(self.arrivals_per_day),
            "stages": [
                {"kind": s.kind, "servers": list(s.servers), "mean_minutes": s.mean_minutes}
                for s in self.stages
            ],
            "hourly_pattern": list(self.hourly_pattern),
            "group_sizes": list(self.group_sizes),
            "specific_needs_share": self.specific_needs_share,
            "demographics": {g: self.demographics.get(g) for g in DEMOGRAPHIC_GROUPS},
            "shift_hours": self.shift_hours,
            "shift_start_hour": self.shift_start_hour,
            "waiting_area_capacity": self.waiting_area_capacity,
            "average_stay_days": self.average_stay_days,
            "initial_phase_days": self.initial_phase_days,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ScenarioData:
        return cls(
            arrivals_per_day=tuple(data["arrivals_per_day"]),
            stages=tuple(
                StageData(kind=s["kind"], servers=tuple(s["servers"]), mean_minutes=s.get("mean_minutes"))
                for s in data["stages"]
            ),
            hourly_pattern=tuple(data.get("hourly_pattern") or ()),
            group_sizes=tuple(data.get("group_sizes") or ()),
            specific_needs_share=data.get("specific_needs_share"),
            demographics=dict(data.get("demographics") or {}),
            shift_hours=data.get("shift_hours", 8),
            shift_start_hour=data.get("shift_start_hour", 6),
            waiting_area_capacity=data.get("waiting_area_capacity"),
            average_stay_days=data.get("average_stay_days", 2.0),
            initial_phase_days=data.get("initial_phase_days"),
        )


def _engine_path(field_name: str) -> str:
    """``stages[2].servers`` → ``stages.2.servers``: the API's one way of naming a field."""
    return field_name.replace("[", ".").replace("]", "")


def _refusal(field_name: str, reason: str) -> ValidationFailed:
    return ValidationFailed.on(_engine_path(field_name), reason)


def _stage(index: int, data: StageData) -> Stage:
    where = f"stages.{index}"
    if data.kind not in stage_kinds():
        raise ValidationFailed.on(
            f"{where}.kind",
            _("not a known stage; known: %(kinds)s") % {"kinds": ", ".join(stage_kinds())},
        )
    try:
        stage = default_stage(data.kind, servers=tuple(data.servers))
        if data.mean_minutes is not None:
            assert isinstance(stage.service, Lognormal)
            stage = replace(
                stage,
                service=Lognormal(mean=data.mean_minutes, cv=stage.service.cv),
                source=_("measured at the crossing point"),
            )
    except ScenarioError as exc:
        name = "mean_minutes" if exc.field in ("mean", "cv") else exc.field
        raise _refusal(f"{where}.{name}", exc.reason) from exc
    return stage


def engine_scenario(data: ScenarioData, *, name: str = "") -> Scenario:
    """The engine's scenario, or :class:`ValidationFailed` naming the field that makes it impossible
    (a negative rate, a used stage with no officer, the wrong number of shifts, …)."""
    if not data.stages:
        raise ValidationFailed.on("stages", _("a crossing point needs at least one stage"))
    kinds = [stage.kind for stage in data.stages]
    for index, kind in enumerate(kinds):
        if kind in kinds[:index]:
            raise ValidationFailed.on(f"stages.{index}.kind", _("this stage is already in the route"))
    stages = tuple(_stage(index, stage) for index, stage in enumerate(data.stages))
    figures = defaults()
    try:
        return Scenario(
            stages=stages,
            arrivals_per_day=tuple(data.arrivals_per_day),
            hourly_pattern=tuple(data.hourly_pattern) or _floats(figures["hourly_pattern"].value),
            group_sizes=tuple(data.group_sizes) or _floats(figures["group_sizes"].value),
            specific_needs_share=(
                data.specific_needs_share
                if data.specific_needs_share is not None
                else float(_floats(figures["specific_needs_share"].value)[0])
            ),
            shift_hours=data.shift_hours,
            shift_start_hour=data.shift_start_hour,
            waiting_area_capacity=data.waiting_area_capacity,
            name=name,
        )
    except ScenarioError as exc:
        raise _refusal(exc.field, exc.reason) from exc


def _floats(value: float | tuple[float, ...]) -> tuple[float, ...]:
    return value if isinstance(value, tuple) else (value,)


def planning_input(data: ScenarioData) -> PlanningInput:
    """What the requirements engine needs: everyone expected to arrive each day (people waiting at
    the crossing point need water and toilets as much as those in reception), their stay, shares."""
    stay = data.average_stay_days
    if isinstance(stay, bool) or not math.isfinite(stay) or not 0 < stay <= MAX_STAY_DAYS:
        raise ValidationFailed.on(
            "average_stay_days",
            _("a stay of more than 0 and at most %(max)s days") % {"max": int(MAX_STAY_DAYS)},
        )
    if data.initial_phase_days is not None and data.initial_phase_days < 0:
        raise ValidationFailed.on("initial_phase_days", _("a whole number of days, 0 or more"))
    for group in data.demographics:
        if group not in DEMOGRAPHIC_GROUPS:
            raise ValidationFailed.on(f"demographics.{group}", _("unknown group"))
    for group in DEMOGRAPHIC_GROUPS:
        share = data.demographics.get(group)
        if share is not None and not (math.isfinite(share) and 0 <= share <= 1):
            raise ValidationFailed.on(f"demographics.{group}", _("a share from 0 to 1"))
    return PlanningInput(
        arrivals_per_day=tuple(data.arrivals_per_day),
        average_stay_days=float(stay),
        demographics=Demographics(**{g: data.demographics.get(g) for g in DEMOGRAPHIC_GROUPS}),
        initial_phase_days=data.initial_phase_days,
    )


def planning_figures(overlay: str) -> Figures:
    """The Sphere figures, with a shipped overlay applied when one is named."""
    figures = default_figures()
    if not overlay:
        return figures
    try:
        text = shipped_overlay(overlay)
    except KeyError as exc:
        raise ValidationFailed.on("figures_overlay", _("no shipped overlay of that name")) from exc
    return apply_overlay(figures, text, source=overlay)


def scenario_check(data: ScenarioData) -> Scenario:
    """Every refusal of a scenario, before anything is stored."""
    scenario = engine_scenario(data)
    planning = planning_input(data)
    try:
        requirements(planning)
    except PlanningInputError as exc:
        raise _refusal(exc.field, exc.reason) from exc
    return scenario


def person_replications(data: ScenarioData, replications: int = REPLICATIONS) -> float:
    return float(sum(data.arrivals_per_day)) * replications


def engine_version() -> str:
    return f"hbm {hbm.__version__}; numpy {np.__version__}"


# --- figures ---------------------------------------------------------------------------------------


def _number(value: float) -> float | None:
    """JSON (and PostgreSQL's jsonb) has no infinity: an unbounded figure is stored as null."""
    return round(float(value), 4) if math.isfinite(value) else None


def _estimate(value: Estimate) -> dict[str, float | None]:
    return {"mean": _number(value.mean), "low": _number(value.low), "high": _number(value.high)}


def _interval(values: Sequence[float]) -> dict[str, float | None]:
    mean = statistics.fmean(values)
    if len(values) < 2:
        return {"mean": _number(mean), "low": None, "high": None}
    half = (
        t_quantile((1 + CONFIDENCE) / 2, len(values) - 1) * statistics.stdev(values) / math.sqrt(len(values))
    )
    return {"mean": _number(mean), "low": _number(mean - half), "high": _number(mean + half)}


def mean_wait_by_day(runs: Replications) -> list[dict[str, float | None]]:
    """Mean minutes a person arriving on each day waited, by Little's law over the day: the
    person-minutes spent waiting that day (persons waiting at the end of each hour × 60) over the
    persons who arrived that day, per replication, then a t interval over the replications. A
    queue carried from one day to the next is counted on the day it is waited."""
    days = runs.scenario.days
    per_run: list[list[float]] = []
    for result in runs.results:
        hourly = result.waiting_by_hour
        per_run.append(
            [
                sum(hourly[day * 24 : (day + 1) * 24]) * 60.0 / result.arrivals_by_day[day]
                if result.arrivals_by_day[day]
                else 0.0
                for day in range(days)
            ]
        )
    return [_interval([run[day] for run in per_run]) for day in range(days)]


def _simulation_figures(runs: Replications, data: ScenarioData) -> dict[str, Any]:
    scenario = runs.scenario
    overloaded = sorted({s.name for r in runs.results for s in r.stages if s.load > 1})
    return {
        "days": scenario.days,
        "persons_expected": _number(scenario.expected_persons),
        "shift_labels": [scenario.shift_label(s) for s in range(scenario.shifts_per_day)],
        "stages": [
            {
                "name": estimates.name,
                "planned_servers": list(stage.servers),
                "mean_wait": _estimate(estimates.mean_wait),
                "p90_wait": _estimate(estimates.p90_wait),
                "peak_waiting": _estimate(estimates.peak_waiting),
                "utilisation": _estimate(estimates.utilisation),
                "waiting_by_hour": [round(v, 2) for v in estimates.waiting_by_hour],
            }
            for estimates, stage in zip(runs.stages, data.stages, strict=True)
        ],
        "total_wait_mean": _estimate(runs.total_wait_mean),
        "total_wait_p90": _estimate(runs.total_wait_p90),
        "time_in_system_mean": _estimate(runs.time_in_system_mean),
        "arrivals_by_day": [
            _number(statistics.fmean(r.arrivals_by_day[d] for r in runs.results))
            for d in range(scenario.days)
        ],
        "departures_by_day": [_estimate(e) for e in runs.departures_by_day],
        "mean_wait_by_day": mean_wait_by_day(runs),
        "waiting_by_hour": [round(v, 2) for v in runs.waiting_by_hour],
        "backlog_persons": _estimate(runs.backlog_persons),
        "drain_hours": {
            k: (None if v is None else round(v / 60, 2)) for k, v in _estimate(runs.drain_minutes).items()
        },
        "waiting_area": {
            "capacity": scenario.waiting_area_capacity,
            "peak": _estimate(runs.waiting_area_peak),
            "hours_over_capacity": {
                k: (None if v is None else round(v / 60, 2))
                for k, v in _estimate(runs.waiting_area_minutes_over_capacity).items()
            },
        },
        "overloaded_replications": runs.overloaded,
        "overloaded_stages": overloaded,
    }


def _staffing_figures(scenario: Scenario, target: float, seed: int) -> dict[str, Any]:
    planned = sum(sum(stage.servers) for stage in scenario.stages)
    try:
        roster: Staffing = staff(
            scenario, target_p90_wait=target, replications=STAFFING_REPLICATIONS, seed=seed
        )
    except ScenarioError as exc:
        return {"target": target, "error": exc.reason, "planned_officer_shifts_per_day": planned}
    return {
        "target": target,
        "replications": roster.replications,
        "officer_shifts_per_day": roster.officer_shifts_per_day,
        "planned_officer_shifts_per_day": planned,
        "stages": [
            {
                "name": stage.name,
                "servers": list(stage.servers),
                "p90_wait_by_shift": [_number(v) for v in stage.p90_wait_by_shift],
                "work_officers": [_number(v) for v in stage.work_officers],
            }
            for stage in roster.stages
        ],
    }


def _requirements_figures(result: Requirements) -> dict[str, Any]:
    return {
        "figures": result.figures.name,
        "overlays": list(result.figures.overlays),
        "present": [_number(v) for v in result.present],
        "peak_present": _number(result.peak_present),
        "peak_day": result.peak_day,
        "present_after_period": _number(result.present_after_period),
        "items": [
            {
                "id": item.item,
                "label": item.figure.label,
                "unit": item.unit,
                "kind": item.figure.kind.value,
                "peak": _number(item.peak),
                "peak_day": item.peak_day,
                "total": None if item.total is None else _number(item.total),
                "per_day": [_number(v) for v in item.per_day],
                "standard": item.standard,
                "source": str(item.source),
                "checked": item.source.checked,
            }
            for item in result.items
        ],
    }


def scenario_figures(
    data: ScenarioData, *, target_p90_wait: float, overlay: str, seed: int, replications: int = REPLICATIONS
) -> dict[str, Any]:
    """Every figure of a scenario: replications of the simulation with t intervals, the fewest
    officers per stage and shift for the target, and the Sphere requirements of the arrivals."""
    scenario = scenario_check(data)
    runs = replicate(scenario, replications=replications, seed=seed, confidence=CONFIDENCE)
    figures = _simulation_figures(runs, data)
    figures["staffing"] = _staffing_figures(scenario, target_p90_wait, seed)
    try:
        needs = requirements(planning_input(data), planning_figures(overlay))
    except PlanningInputError as exc:
        raise _refusal(exc.field, exc.reason) from exc
    figures["requirements"] = _requirements_figures(needs)
    figures["confidence"] = CONFIDENCE
    return figures
