"""Comparing staffing rosters on a plan's scenario, on Dask: the figures are the engine's, every
roster meets the same people, bad input is refused naming the field, and who may ask.

Most tests send the comparison to one in-process Dask cluster started for the module and named by
``HBM_DASK_SCHEDULER`` (the production path to an existing cluster); one starts the local cluster
itself, as a server with no scheduler configured does."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
from django.test import Client

from hbm.accounts.models import User
from hbm.audit.models import AuditEntry
from hbm.core.context import Actor
from hbm.core.errors import NotFound, PermissionDenied, ValidationFailed
from hbm.engines.simulation import replicate
from hbm.preparedness.computing import engine_scenario
from hbm.preparedness.enums import ScenarioKind
from hbm.preparedness.models import ContingencyPlan
from hbm.preparedness.rosters import ClusterUnavailable, RosterData, planned_roster, rosters_compare
from hbm.preparedness.selectors import plan_scenario
from hbm.preparedness.services import scenario_data_of, scenario_save
from tests.api.conftest import assert_matches_openapi
from tests.conftest import client_for
from tests.preparedness.conftest import small_scenario

pytestmark = pytest.mark.django_db

PLANNED = {"triage": [1, 1, 1], "individual_registration": [3, 3, 1]}
MORE_AT_NIGHT = {"triage": [1, 1, 1], "individual_registration": [3, 3, 3]}


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as running:
        yield str(running.scheduler_address)


@pytest.fixture
def on_cluster(settings: Any, cluster: str) -> str:
    settings.HBM_DASK_SCHEDULER = cluster
    return cluster


def _compare(user: User, plan: ContingencyPlan, *rosters: RosterData, replications: int = 3) -> Any:
    return rosters_compare(
        user=user, plan_id=plan.pk, kind="most_likely", rosters=rosters, replications=replications, seed=7
    )


def test_each_roster_has_the_engines_figures_on_the_same_people(
    plan: ContingencyPlan, planner: User, on_cluster: str
) -> None:
    scenario = plan_scenario(plan=plan, kind="most_likely")
    planned = planned_roster(scenario)
    assert dict(planned.servers) == {k: tuple(v) for k, v in PLANNED.items()}

    comparison = _compare(planner, plan, planned, RosterData("More at night", MORE_AT_NIGHT))

    assert [row.staffing for row in comparison.result.rows] == ["As planned", "More at night"]
    assert comparison.result.scheduler == on_cluster
    runs = replicate(engine_scenario(scenario_data_of(scenario)), replications=3, seed=7)
    as_planned, more = comparison.result.rows
    assert as_planned.mean_wait.mean == pytest.approx(runs.total_wait_mean.mean)
    assert as_planned.p90_wait.mean == pytest.approx(runs.total_wait_p90.mean)
    # The same people meet both rosters: more officers at night can only shorten the waits.
    assert more.p90_wait.mean <= as_planned.p90_wait.mean
    assert more.backlog.mean <= as_planned.backlog.mean


def test_a_local_cluster_is_started_when_no_scheduler_is_configured(
    plan: ContingencyPlan, planner: User, settings: Any
) -> None:
    settings.HBM_DASK_SCHEDULER = None
    comparison = _compare(planner, plan, RosterData("Planned", PLANNED), replications=2)
    assert comparison.result.scheduler == "local"
    assert comparison.result.workers >= 1


def test_a_cluster_running_other_software_is_refused_with_a_word_for_the_administrator(
    plan: ContingencyPlan,
    planner: User,
    settings: Any,
    dask_scheduler_apart: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The worker, its own process, runs the real NumPy; this server pretends to run another."""
    settings.HBM_DASK_SCHEDULER = dask_scheduler_apart
    monkeypatch.setattr(np, "__version__", "0.0-elsewhere")

    with pytest.raises(ClusterUnavailable) as refused:
        _compare(planner, plan, RosterData("Planned", PLANNED), replications=2)

    assert "runs other software" in refused.value.message
    assert "0.0-elsewhere" in caplog.text  # the log says what differs


@pytest.mark.parametrize(
    ("rosters", "replications", "field"),
    [
        ([RosterData("A", {**PLANNED, "biometrics": [1, 1, 1]})], 3, "rosters.0.servers.biometrics"),
        ([RosterData("A", {"triage": [1, 1, 1]})], 3, "rosters.0.servers.individual_registration"),
        ([RosterData("A", {**PLANNED, "triage": [1, 1]})], 3, "rosters.0.servers.triage"),
        ([RosterData("A", {**PLANNED, "triage": [1, -1, 1]})], 3, "rosters.0.servers.triage"),
        ([RosterData("A", PLANNED), RosterData("A", PLANNED)], 3, "rosters.1.name"),
        ([RosterData(" ", PLANNED)], 3, "rosters.0.name"),
        ([], 3, "rosters"),
        ([RosterData("A", PLANNED)], 1, "replications"),
    ],
)
def test_bad_rosters_are_refused_naming_the_field(
    plan: ContingencyPlan, planner: User, rosters: list[RosterData], replications: int, field: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        rosters_compare(
            user=planner, plan_id=plan.pk, kind="most_likely", rosters=rosters, replications=replications
        )
    assert field in refused.value.fields, refused.value.fields


def test_a_comparison_too_large_to_wait_for_is_refused_with_the_way_to_run_it(
    plan: ContingencyPlan, planner: User, planner_actor: Actor
) -> None:
    scenario_save(
        actor=planner_actor,
        plan_id=plan.pk,
        kind=ScenarioKind.WORST,
        data=small_scenario(arrivals_per_day=(20_000.0,) * 2),
    )
    with pytest.raises(ValidationFailed) as refused:
        rosters_compare(
            user=planner, plan_id=plan.pk, kind="worst", rosters=[RosterData("A", PLANNED)], replications=50
        )
    assert "hbm simulate sweep" in refused.value.fields["replications"][0]


def test_a_stage_left_without_officers_is_the_engines_refusal_named_by_roster(
    plan: ContingencyPlan, planner: User, on_cluster: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        _compare(
            planner,
            plan,
            RosterData("Planned", PLANNED),
            RosterData("Empty", {**PLANNED, "triage": [0, 0, 0]}),
        )
    assert any(name.startswith("rosters.1") for name in refused.value.fields), refused.value.fields


def test_only_readers_of_the_plan_may_compare(
    plan: ContingencyPlan, partner_planner: User, stranger_planner: User, officer: User, on_cluster: str
) -> None:
    _compare(partner_planner, plan, RosterData("Planned", PLANNED))  # a role in the plan: a reader
    with pytest.raises(NotFound):
        _compare(stranger_planner, plan, RosterData("Planned", PLANNED))
    with pytest.raises(PermissionDenied):
        _compare(officer, plan, RosterData("Planned", PLANNED))


def test_the_api_compares_rosters_and_writes_nothing(
    api: Callable[[User | None], Client], plan: ContingencyPlan, planner: User, on_cluster: str
) -> None:
    entries = AuditEntry.objects.count()
    path = f"/api/preparedness/plans/{plan.pk}/scenarios/most_likely/rosters"
    body = {
        "rosters": [
            {"name": "Planned", "servers": PLANNED},
            {"name": "More at night", "servers": MORE_AT_NIGHT},
        ],
        "replications": 3,
    }
    answer = api(planner).post(path, body, content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert_matches_openapi(answer)
    rows = answer.json()["rows"]
    assert [row["roster"] for row in rows] == ["Planned", "More at night"]
    assert rows[1]["p90_wait_minutes"]["mean"] <= rows[0]["p90_wait_minutes"]["mean"]
    assert AuditEntry.objects.count() == entries

    refused = api(planner).post(
        path,
        {**body, "rosters": [{"name": "X", "servers": {"triage": [1]}}]},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert_matches_openapi(refused)
    assert "rosters.0.servers.triage" in refused.json()["fields"]
    unknown = api(planner).post(path, {**body, "colour": "red"}, content_type="application/json")
    assert unknown.status_code == 422
    assert "colour" in unknown.json()["fields"]


def _form(**changes: str) -> dict[str, str]:
    data = {
        "replications": "3",
        "r0_name": "As planned",
        "r0_triage": "1 1 1",
        "r0_individual_registration": "3 3 1",
        "r1_name": "More at night",
        "r1_triage": "1 1 1",
        "r1_individual_registration": "3 3 3",
        "r2_name": "",
        "r2_triage": "",
        "r2_individual_registration": "",
    }
    data.update(changes)
    return data


def test_the_page_compares_the_rosters_typed_in_and_marks_a_bad_one(
    plan: ContingencyPlan, planner: User, coordinator: User, on_cluster: str
) -> None:
    path = f"/plans/{plan.pk}/scenarios/most_likely/rosters"
    form = client_for(planner).get(path)
    assert form.status_code == 200
    page = form.content.decode()
    assert 'name="r1_individual_registration"' in page
    assert 'value="3 3 1"' in page

    compared = client_for(coordinator).post(path, _form())  # readers of the plan may compare
    assert compared.status_code == 200, compared.content.decode()[:2000]
    html = compared.content.decode()
    assert 'data-testid="roster-table"' in html
    assert "More at night" in html
    assert "<svg" in html

    refused = client_for(planner).post(path, _form(r1_triage="1 1"))
    assert refused.status_code == 422
    assert 'id="field-r1_triage"' in refused.content.decode()
    assert "field--invalid" in refused.content.decode().split('id="field-r1_triage"')[0][-200:]
