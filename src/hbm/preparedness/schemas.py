"""In/Out schemas of the preparedness API. Inputs refuse unknown fields and infinite numbers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from ninja import Schema
from pydantic import Field

from hbm.core.schemas import InSchema
from hbm.crossings.enums import CrossingMode
from hbm.preparedness.enums import AlertDecision, AlertStatus, PlanStatus, ScenarioKind, TriggerMetric

FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]


class StageIn(InSchema):
    kind: str = Field(description="a stage kind with published defaults: triage, individual_registration, …")
    servers: list[int] = Field(min_length=1, max_length=24, description="officers on duty in each shift")
    mean_minutes: FiniteFloat | None = Field(
        None, description="measured mean service time; none: the default"
    )


class DemographicsIn(InSchema):
    under_five: FiniteFloat | None = None
    pregnant: FiniteFloat | None = None
    older: FiniteFloat | None = None
    disability: FiniteFloat | None = None


class ScenarioIn(InSchema):
    arrivals_per_day: list[FiniteFloat] = Field(
        min_length=1, max_length=366, description="persons expected each day"
    )
    stages: list[StageIn] = Field(min_length=1, max_length=16, description="in the order groups take them")
    hourly_pattern: list[FiniteFloat] = Field(
        default_factory=list, max_length=24, description="24 relative weights; empty: the default"
    )
    group_sizes: list[FiniteFloat] = Field(
        default_factory=list,
        max_length=50,
        description="relative frequency of groups of 1, 2, …; empty: default",
    )
    specific_needs_share: FiniteFloat | None = Field(None, description="share of persons; none: the default")
    demographics: DemographicsIn = Field(default_factory=DemographicsIn)
    shift_hours: int = 8
    shift_start_hour: int = 6
    waiting_area_capacity: int | None = Field(None, description="persons; none: no limit")
    average_stay_days: FiniteFloat = Field(2.0, description="days a person stays in reception")
    initial_phase_days: int | None = Field(None, description="days of first-phase Sphere figures; none: all")


class ScenarioOut(Schema):
    kind: ScenarioKind
    arrivals_per_day: list[float]
    stages: list[dict[str, Any]]
    hourly_pattern: list[float]
    group_sizes: list[float]
    specific_needs_share: float | None
    demographics: dict[str, float | None]
    shift_hours: int
    shift_start_hour: int
    waiting_area_capacity: int | None
    average_stay_days: float
    initial_phase_days: int | None
    latest_result_id: UUID | None
    updated_at: datetime


class RoleIn(InSchema):
    organisation_id: UUID
    responsibilities: str = Field(max_length=2000)


class RoleOut(Schema):
    organisation_id: UUID
    organisation_name: str
    responsibilities: str


class TriggerIn(InSchema):
    metric: TriggerMetric
    threshold: FiniteFloat = Field(
        description=(
            "persons/day for arrivals_per_day, minutes for waiting_time, percent for reception_occupancy"
        )
    )


class TriggerOut(Schema):
    metric: TriggerMetric
    threshold: float
    unit: str
    evaluated_from: str = Field(description="registrations (counted by HBM) or reading (entered by a person)")


class PlanIn(InSchema):
    crossing_point_id: UUID
    title: str = Field(max_length=200)
    summary: str = Field("", max_length=10_000)
    status: PlanStatus = PlanStatus.DRAFT
    target_p90_wait_minutes: FiniteFloat = 30.0
    figures_overlay: str = Field("", max_length=64, description="a shipped overlay (cold-climate) or empty")
    roles: list[RoleIn] = Field(default_factory=list, max_length=30)
    triggers: list[TriggerIn] = Field(default_factory=list, max_length=3)


class PlanSummaryOut(Schema):
    id: UUID
    title: str
    status: PlanStatus
    crossing_point_id: UUID
    crossing_point_name: str
    organisation_name: str
    version: int
    updated_at: datetime


class PlanOut(PlanSummaryOut):
    summary: str
    target_p90_wait_minutes: float
    figures_overlay: str
    may_edit: bool
    roles: list[RoleOut]
    triggers: list[TriggerOut]
    scenarios: list[ScenarioOut]


class ComputeIn(InSchema):
    seed: int = Field(1, ge=0, le=2**63 - 1, description="the same seed and inputs give the same figures")


class ResultOut(Schema):
    id: UUID
    kind: ScenarioKind
    computed_at: datetime
    engine_version: str
    seed: int
    replications: int
    plan_version: int
    seconds: float
    inputs: dict[str, Any]
    figures: dict[str, Any]


class RosterIn(InSchema):
    name: str = Field(max_length=60, description="how the roster is called in the comparison")
    servers: dict[str, list[int]] = Field(
        description="for every stage of the scenario (by kind), the officers in each shift"
    )


class RostersIn(InSchema):
    rosters: list[RosterIn] = Field(min_length=1, max_length=6)
    replications: int = Field(10, ge=2, le=50)
    seed: int = Field(1, ge=0, le=2**63 - 1, description="the same seed and inputs give the same figures")


class EstimateOut(Schema):
    mean: float | None
    low: float | None
    high: float | None


class RosterRowOut(Schema):
    roster: str
    mean_wait_minutes: EstimateOut
    p90_wait_minutes: EstimateOut
    backlog_persons: EstimateOut
    throughput_per_day: EstimateOut
    overloaded_replications: int


class RostersOut(Schema):
    plan_id: UUID
    kind: ScenarioKind
    seed: int
    replications: int
    confidence: float
    scheduler: str = Field(
        description="'local' (a cluster started for this comparison) or the scheduler's address"
    )
    workers: int
    seconds: float
    rows: list[RosterRowOut]


class ReadingIn(InSchema):
    metric: TriggerMetric = Field(description="waiting_time (minutes) or reception_occupancy (percent)")
    value: FiniteFloat
    observed_at: datetime | None = Field(None, description="when it was observed; none: now")


class ReadingOut(Schema):
    id: UUID
    metric: TriggerMetric
    value: float
    observed_at: datetime
    entered_by: str


class AlertOut(Schema):
    id: UUID
    plan_id: UUID
    plan_title: str
    crossing_point_id: UUID
    crossing_point_name: str
    crossing_point_mode: CrossingMode
    metric: TriggerMetric
    threshold: float
    value: float
    unit: str
    day: date
    source: str
    status: AlertStatus
    raised_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    reason: str
    mode_decision_id: UUID | None


class TriggerCheckOut(Schema):
    plan_id: UUID
    metric: TriggerMetric
    threshold: float
    unit: str
    value: float | None
    source: str
    observed_at: datetime | None
    state: str = Field(description="crossed, below, no_figure (none to compare) or emergency (already)")
    alert_id: UUID | None


class AlertsOut(Schema):
    checks: list[TriggerCheckOut]
    alerts: list[AlertOut]


class DecisionIn(InSchema):
    decision: AlertDecision
    reason: str = Field(max_length=2000)
