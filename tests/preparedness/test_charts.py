"""Chart geometry and the one figure the application derives itself: the mean wait per day by
Little's law, checked against the engine's own per-person mean over the whole period."""

from __future__ import annotations

import pytest

from hbm.engines.simulation import default_scenario, default_stage, replicate
from hbm.preparedness.charts import HEIGHT, MARGIN_BOTTOM, MARGIN_TOP, bar_chart, line_chart, nice_step
from hbm.preparedness.computing import mean_wait_by_day


@pytest.mark.parametrize(
    ("maximum", "step"), [(0, 1.0), (4, 1.0), (7, 2.0), (23, 5.0), (101, 50.0), (0.3, 0.1), (2400, 500.0)]
)
def test_value_axis_steps_are_round(maximum: float, step: float) -> None:
    assert nice_step(maximum) == pytest.approx(step)


def test_a_line_with_its_band_and_a_reference_level() -> None:
    chart = line_chart(
        ["1", "2", "3"],
        [("wait", [10.0, 20.0, None])],
        bands=[([5.0, 15.0, None], [15.0, 25.0, None])],
        reference=("capacity", 30.0),
    )
    bottom, top = HEIGHT - MARGIN_BOTTOM, MARGIN_TOP
    line, reference = chart.lines
    assert [y for _, y in line.points] == [
        pytest.approx(bottom - 10 * (bottom - top) / 30, abs=0.1),
        pytest.approx(bottom - 20 * (bottom - top) / 30, abs=0.1),
        bottom,
    ]  # a missing value (an unbounded figure) is drawn at 0
    assert line.band.startswith("M")
    assert line.band.endswith(" Z")
    assert len(line.band_points) == 6
    assert reference.dashed
    assert [y for _, y in reference.points] == [top, top]
    assert [t.label for t in chart.y_ticks] == ["0", "10", "20", "30"]


def test_bars_side_by_side_with_a_caption_under_each_run() -> None:
    chart = bar_chart(
        ["06–14", "14–22", "22–06"],
        [("planned", [2.0, 2.0, 1.0]), ("needed", [3.0, 2.0, 0.0])],
        captions=[("Triage", 0, 2)],
    )
    planned = [b for b in chart.bars if b.style == 0]
    needed = [b for b in chart.bars if b.style == 1]
    assert [b.height for b in needed][2] == 0
    assert all(n.x == pytest.approx(p.x + p.width, abs=0.11) for p, n in zip(planned, needed, strict=True))
    assert chart.captions[0].position == pytest.approx((chart.plot_left + chart.plot_right) / 2, abs=0.1)
    assert planned[0].label == "planned, 06–14: 2"


def test_mean_wait_by_day_adds_up_to_the_engines_mean_wait() -> None:
    scenario = default_scenario(
        stages=(default_stage("individual_registration", servers=(7, 7, 7)),),
        arrivals_per_day=(2500.0,) * 8,
    )
    runs = replicate(scenario, replications=4, seed=11)
    by_day = mean_wait_by_day(runs)
    arrivals = [sum(r.arrivals_by_day[d] for r in runs.results) / 4 for d in range(8)]
    weighted = sum(d["mean"] * a for d, a in zip(by_day, arrivals, strict=True)) / sum(arrivals)
    assert weighted == pytest.approx(runs.total_wait_mean.mean, rel=0.05)
    assert all(d["low"] <= d["mean"] <= d["high"] for d in by_day)
