"""The crossing point dashboard: one local day's figures, the per-hour chart, and the mode switch."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.core.context import Actor
from hbm.crossings.models import CrossingPoint, ModeDecision
from hbm.registration.enums import AgeBand, Sex
from hbm.registration.services import CountData, EncounterData, count_record
from hbm.web.charts import hourly_bar_chart, nice_step
from tests.web.conftest import World, audit_count

pytestmark = pytest.mark.django_db


def _count_at(world: World, moment: datetime, n: int) -> None:
    count_record(
        actor=Actor(user=world.users["officer"], device="test"),
        crossing_point_id=world.point.pk,
        cells=[CountData(Sex.FEMALE, AgeBand.AGE_18_59, n)],
        data=EncounterData(occurred_at=moment),
    )


def test_the_dashboard_shows_the_days_figures_and_an_svg_chart(world: World) -> None:
    yesterday = datetime.now(ZoneInfo("UTC")).date() - timedelta(days=1)
    _count_at(
        world, datetime(yesterday.year, yesterday.month, yesterday.day, 14, 30, tzinfo=ZoneInfo("UTC")), 37
    )

    response = world.client("officer").get(f"/crossing-points/{world.point.pk}/?day={yesterday.isoformat()}")

    content = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'data-testid="arrivals-total">37<', content)
    assert '<svg class="chart__svg"' in content
    assert '<title id="chart-title">' in content
    assert "the busiest hour began at 14:00 with 37 arrivals" in content
    assert "14:00–15:00 · 37" in content  # the bar's own title and the table fallback
    assert 'data-testid="arrivals-per-hour-table"' in content
    assert f'aria-current="date" data-testid="day-{yesterday.isoformat()}"' in content


def test_today_shows_the_registered_group_person_and_needs(world: World) -> None:
    response = world.client("screener").get(f"/crossing-points/{world.point.pk}/")

    content = response.content.decode()
    # The group of 3 counts 3; its registered head is not counted again.
    assert re.search(r'data-testid="arrivals-total">3<', content)
    assert re.search(r'data-testid="specific-needs-count">1<', content)
    assert "Ukraine" in content
    assert 'data-mode="emergency"' in content
    assert 'id="link-register-person"' in content


def test_an_svg_chart_never_uses_a_decimal_comma(world: World) -> None:
    response = world.client("officer").get(f"/crossing-points/{world.point.pk}/", HTTP_ACCEPT_LANGUAGE="fr")

    svg = response.content.decode().split('<svg class="chart__svg"')[1].split("</svg>")[0]
    assert not re.search(r'(x|y|width|height|x1|x2|y1|y2)="\d+,\d', svg)


def test_chart_geometry_has_round_ticks_and_the_peak_hour() -> None:
    per_hour = [0] * 24
    per_hour[9], per_hour[14] = 12, 37

    chart = hourly_bar_chart(per_hour)

    assert [t.value for t in chart.ticks] == [0, 10, 20, 30, 40]
    assert (chart.peak_hour, chart.peak_value, chart.total) == (14, 37, 49)
    assert chart.bars[14].height > chart.bars[9].height > chart.bars[0].height == 0
    assert nice_step(0) == 1
    assert nice_step(7) == 2
    assert nice_step(1234) == 500


def test_only_a_coordinator_sees_the_mode_switch_and_only_allowed_modes(world: World) -> None:
    officer_page = world.client("officer").get(f"/crossing-points/{world.point.pk}/").content.decode()
    coordinator_page = world.client("coordinator").get(f"/crossing-points/{world.point.pk}/").content.decode()

    assert 'id="mode-switch-form"' not in officer_page
    assert 'id="mode-switch-form"' in coordinator_page
    select = coordinator_page.split('<select name="to_mode"')[1].split("</select>")[0]
    assert re.findall(r'<option value="(\w+)"', select) == ["recovery"]


def test_a_coordinator_switches_the_mode_with_a_reason(world: World) -> None:
    client = world.client("coordinator")

    response = client.post(
        f"/crossing-points/{world.point.pk}/mode",
        {"to_mode": "recovery", "reason": "Arrivals fell below 500 a day"},
    )

    assert response.status_code == 302
    world.point.refresh_from_db()
    assert world.point.mode == "recovery"
    decision = ModeDecision.objects.get(crossing_point=world.point)
    assert (decision.from_mode, decision.to_mode, decision.reason) == (
        "emergency",
        "recovery",
        "Arrivals fell below 500 a day",
    )
    entry = AuditEntry.objects.filter(event=AuditEvent.CROSSING_MODE_CHANGED).latest("seq")
    assert entry.detail == {"from": "emergency", "to": "recovery", "decision": str(decision.pk)}
    page = client.get(response["Location"]).content.decode()
    assert "is now in recovery mode" in page
    assert "Arrivals fell below 500 a day" in page


@pytest.mark.parametrize(
    ("who", "payload", "status", "message"),
    [
        ("officer", {"to_mode": "recovery", "reason": "Arrivals fell below 500 a day"}, 403, "Not allowed"),
        ("coordinator", {"to_mode": "normal", "reason": "Arrivals fell below 500 a day"}, 422,
         "not allowed from emergency"),
        ("coordinator", {"to_mode": "recovery", "reason": "short"}, 422,
         "give the reason for the decision (at least 10 characters)"),
    ],
)  # fmt: skip
def test_a_refused_mode_switch_changes_nothing(
    world: World, who: str, payload: dict[str, str], status: int, message: str
) -> None:
    before = (audit_count(), ModeDecision.objects.count())

    response = world.client(who).post(f"/crossing-points/{world.point.pk}/mode", payload)

    assert response.status_code == status
    assert message in response.content.decode()
    assert (audit_count(), ModeDecision.objects.count()) == before
    assert CrossingPoint.objects.get(pk=world.point.pk).mode == "emergency"


def test_the_mode_error_stands_next_to_the_mode_field(world: World) -> None:
    response = world.client("coordinator").post(
        f"/crossing-points/{world.point.pk}/mode", {"to_mode": "normal", "reason": "Arrivals fell below 500"}
    )

    content = response.content.decode()
    field = content.split('id="field-to_mode"')[1].split('id="field-reason"')[0]
    assert 'id="id_to_mode_error"' in field
    assert "not allowed from emergency" in field
    assert 'aria-invalid="true"' in field
