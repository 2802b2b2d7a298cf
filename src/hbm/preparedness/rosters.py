"""Compare staffing rosters for one scenario of a plan, on Dask (decision 0019).

A planner asks "and with two more officers at registration at night?": every roster is simulated
against the *same* people (common random numbers: each replication's stream is shared by all
rosters), replicated, with confidence intervals, through the simulation engine's :func:`sweep`.
It runs on the Dask cluster named by ``HBM_DASK_SCHEDULER``, or on a local cluster started for the
comparison. Nothing is stored: the seed shown with the figures reproduces them.

A request computes at most ``MAX_PERSON_REPLICATIONS_IN_REQUEST`` persons × replications × rosters,
as a scenario's own computation does; a larger comparison is a sweep file for
``hbm simulate sweep`` (the planner's how-to shows one).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from django.conf import settings
from django.utils.translation import gettext as _

from hbm.accounts.models import User
from hbm.core.errors import HbmError, ValidationFailed
from hbm.engines.simulation import (
    ClusterMismatch,
    Estimate,
    ScenarioError,
    StaffingOption,
    Sweep,
    SweepPlan,
    sweep,
)
from hbm.preparedness.charts import bar_chart
from hbm.preparedness.computing import MAX_PERSON_REPLICATIONS_IN_REQUEST, ScenarioData, engine_scenario
from hbm.preparedness.models import ContingencyPlan, PlanScenario
from hbm.preparedness.report import ChartView, interval
from hbm.preparedness.selectors import access_plan, plan_scenario
from hbm.preparedness.services import DEFAULT_SEED, scenario_data_of

_log = logging.getLogger(__name__)

MAX_ROSTERS: Final = 6
DEFAULT_REPLICATIONS: Final = 10
MAX_REPLICATIONS_IN_REQUEST: Final = 50
MAX_OFFICERS: Final = 500
MAX_NAME_LENGTH: Final = 60


class ClusterUnavailable(HbmError):
    """The Dask cluster could not be reached or started."""

    status = 503


@dataclass(frozen=True, slots=True)
class RosterData:
    """A roster as entered: its name and, for every stage of the scenario, officers per shift."""

    name: str
    servers: Mapping[str, Sequence[int]]


@dataclass(frozen=True, slots=True)
class RosterComparison:
    """The rosters compared for ``scenario`` (in the order given) and the engine's sweep of them."""

    plan: ContingencyPlan
    scenario: PlanScenario
    rosters: tuple[RosterData, ...]
    result: Sweep


def planned_roster(scenario: PlanScenario) -> RosterData:
    """The scenario's own officers per stage and shift."""
    data = scenario_data_of(scenario)
    return RosterData(name=_("As planned"), servers={stage.kind: stage.servers for stage in data.stages})


def rosters_compare(
    *,
    user: User,
    plan_id: object,
    kind: str,
    rosters: Sequence[RosterData],
    replications: int = DEFAULT_REPLICATIONS,
    seed: int = DEFAULT_SEED,
) -> RosterComparison:
    """Simulate each roster on the scenario ``kind`` of the plan; every reader of the plan may ask
    (nothing is written, and the plan holds no personal data). Refusals name the field:
    ``rosters.2.servers.biometrics``, ``replications``, …"""
    plan = access_plan(user=user, plan_id=plan_id)
    scenario = plan_scenario(plan=plan, kind=kind)
    data = scenario_data_of(scenario)
    options = _options(rosters, data)
    _size_check(data, replications, len(options))
    try:
        sweep_plan = SweepPlan(
            scenarios=(engine_scenario(data, name=str(kind)),),
            staffing=options,
            replications=replications,
            seed=seed,
        )
    except ScenarioError as exc:
        raise ValidationFailed.on(_field_of(exc.field), exc.reason) from exc
    try:
        result = sweep(sweep_plan, scheduler=settings.HBM_DASK_SCHEDULER)
    except ClusterMismatch as exc:
        _log.error("roster comparison refused: %s", exc)
        raise ClusterUnavailable(
            _("the simulation cluster runs other software than this server; an administrator must update it")
        ) from exc
    except (OSError, TimeoutError) as exc:
        raise ClusterUnavailable(_("the simulation cluster cannot be reached; try again later")) from exc
    return RosterComparison(plan=plan, scenario=scenario, rosters=tuple(rosters), result=result)


def _options(rosters: Sequence[RosterData], data: ScenarioData) -> tuple[StaffingOption, ...]:
    if not rosters:
        raise ValidationFailed.on("rosters", _("give at least one roster"))
    if len(rosters) > MAX_ROSTERS:
        raise ValidationFailed.on("rosters", _("at most %(count)s rosters at once") % {"count": MAX_ROSTERS})
    names: list[str] = []
    options = []
    for index, roster in enumerate(rosters):
        name = roster.name.strip()
        if not name or len(name) > MAX_NAME_LENGTH:
            raise ValidationFailed.on(
                f"rosters.{index}.name", _("a name of 1 to %(max)s characters") % {"max": MAX_NAME_LENGTH}
            )
        if name in names:
            raise ValidationFailed.on(f"rosters.{index}.name", _("each roster needs its own name"))
        names.append(name)
        options.append(StaffingOption(name=name, servers=_servers(index, roster, data)))
    return tuple(options)


def _servers(index: int, roster: RosterData, data: ScenarioData) -> tuple[tuple[int, ...], ...]:
    """The roster's officers in the scenario's stage order, each stage with one figure per shift."""
    kinds = [stage.kind for stage in data.stages]
    for kind in roster.servers:
        if kind not in kinds:
            raise ValidationFailed.on(f"rosters.{index}.servers.{kind}", _("not a stage of this scenario"))
    shifts = 24 // data.shift_hours
    rows = []
    for kind in kinds:
        where = f"rosters.{index}.servers.{kind}"
        if kind not in roster.servers:
            raise ValidationFailed.on(where, _("give the officers of every stage"))
        row = tuple(roster.servers[kind])
        if len(row) != shifts:
            raise ValidationFailed.on(where, _("one figure per shift: %(shifts)s") % {"shifts": shifts})
        if not all(_is_officers(officers) for officers in row):
            raise ValidationFailed.on(
                where, _("whole numbers of officers from 0 to %(max)s") % {"max": MAX_OFFICERS}
            )
        rows.append(row)
    return tuple(rows)


def _is_officers(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_OFFICERS


def _size_check(data: ScenarioData, replications: int, rosters: int) -> None:
    if (
        isinstance(replications, bool)
        or not isinstance(replications, int)
        or not 2 <= replications <= (MAX_REPLICATIONS_IN_REQUEST)
    ):
        raise ValidationFailed.on(
            "replications", _("from 2 to %(max)s replications") % {"max": MAX_REPLICATIONS_IN_REQUEST}
        )
    size = float(sum(data.arrivals_per_day)) * replications * rosters
    if size > MAX_PERSON_REPLICATIONS_IN_REQUEST:
        raise ValidationFailed.on(
            "replications",
            _(
                "%(size)s persons × replications × rosters is too large to compare while you wait (at "
                "most %(limit)s): fewer replications or rosters, or a sweep file for hbm simulate sweep"
            )
            % {"size": f"{size:,.0f}", "limit": f"{MAX_PERSON_REPLICATIONS_IN_REQUEST:,}"},
        )


def _field_of(engine_field: str) -> str:
    """``staffing[1].servers`` (the engine's path) → ``rosters.1.servers``."""
    return engine_field.replace("staffing[", "rosters.").replace("]", "")


def rosters_chart(comparison: RosterComparison) -> ChartView:
    """Mean and 90th-percentile total wait per roster, with the figures as a table."""
    rows = comparison.result.rows
    names = [row.staffing for row in rows]
    means = [max(row.mean_wait.mean, 0.0) for row in rows]
    p90s = [max(row.p90_wait.mean, 0.0) for row in rows]
    return ChartView(
        key="rosters",
        title=_("Waiting time under each roster"),
        description=_(
            "Total minutes a person waits over all stages, averaged over the replications: the mean and "
            "the 90th percentile. Every roster meets the same simulated people."
        ),
        chart=bar_chart(names, [(_("mean wait"), means), (_("90th-percentile wait"), p90s)]),
        head=(
            _("Roster"),
            _("Mean wait (minutes)"),
            _("90th-percentile wait (minutes)"),
            _("Still waiting at the end (persons)"),
            _("Leaving per day (persons)"),
            _("Replications overloaded"),
        ),
        rows=tuple(
            (
                row.staffing,
                _interval_of(row.mean_wait),
                _interval_of(row.p90_wait),
                _interval_of(row.backlog),
                _interval_of(row.throughput_per_day),
                f"{row.overloaded} / {row.replications}",
            )
            for row in rows
        ),
    )


def _interval_of(value: Estimate) -> str:
    return interval(estimate_figures(value))


def estimate_figures(value: Estimate) -> dict[str, float | None]:
    """An estimate as plain figures (for JSON and the tables): ``None`` where one is not finite."""
    return {name: _finite(getattr(value, name)) for name in ("mean", "low", "high")}


def _finite(value: float) -> float | None:
    return round(value, 3) if math.isfinite(value) else None
