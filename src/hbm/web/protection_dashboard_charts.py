"""Geometry of the protection dashboard's two inline SVG charts: flagged persons per category
(horizontal bars) and per day (vertical bars, with how many were referred within the deadline).

No chart library and no JavaScript, as ``hbm.web.charts``: the page renders offline, prints, and the
template adds a title, a description and a data table for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hbm.web.charts import nice_step

WIDTH = 720
ROW_HEIGHT = 26
LABEL_WIDTH = 260
MARGIN = 12
DAY_CHART_HEIGHT = 260
DAY_MARGIN_BOTTOM = 40
DAY_MARGIN_START = 48


@dataclass(frozen=True, slots=True)
class HBar:
    label: str
    value: int
    y: float
    width: float
    text_y: float
    value_x: float


@dataclass(frozen=True, slots=True)
class CategoryChart:
    width: int
    height: int
    bar_left: float
    bar_height: float
    bars: tuple[HBar, ...]


def category_chart(rows: Sequence[tuple[str, int]]) -> CategoryChart:
    """One bar per (label, persons), longest first as given; bars scaled to the largest value."""
    peak = max((value for _, value in rows), default=0) or 1
    bar_left = float(LABEL_WIDTH)
    span = WIDTH - LABEL_WIDTH - MARGIN - 48
    bars = tuple(
        HBar(
            label=label,
            value=value,
            y=MARGIN + index * ROW_HEIGHT,
            width=round(span * value / peak, 1),
            text_y=MARGIN + index * ROW_HEIGHT + ROW_HEIGHT * 0.4,
            value_x=round(bar_left + span * value / peak + 6, 1),
        )
        for index, (label, value) in enumerate(rows)
    )
    return CategoryChart(
        width=WIDTH,
        height=int(MARGIN * 2 + ROW_HEIGHT * max(len(rows), 1)),
        bar_left=bar_left,
        bar_height=ROW_HEIGHT * 0.7,
        bars=bars,
    )


@dataclass(frozen=True, slots=True)
class DayBar:
    label: str
    flagged: int
    in_time: int
    x: float
    width: float
    y: float
    height: float
    in_time_y: float
    in_time_height: float
    label_x: float
    has_label: bool


@dataclass(frozen=True, slots=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True, slots=True)
class DayChart:
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_bottom: float
    bars: tuple[DayBar, ...]
    ticks: tuple[Tick, ...]

    @property
    def label_y(self) -> float:
        return self.plot_bottom + 18


def day_chart(days: Sequence[tuple[str, int, int]]) -> DayChart:
    """Per day (label, flagged persons, referred within the deadline): a bar for the flagged with
    the part referred in time drawn over it."""
    plot_left, plot_right = float(DAY_MARGIN_START), float(WIDTH - MARGIN)
    plot_top, plot_bottom = float(MARGIN), float(DAY_CHART_HEIGHT - DAY_MARGIN_BOTTOM)
    peak = max((flagged for _, flagged, _ in days), default=0)
    step = nice_step(peak)
    top = max(step, -(-peak // step) * step)
    scale = (plot_bottom - plot_top) / top
    slot = (plot_right - plot_left) / max(len(days), 1)
    every = max(1, len(days) // 8)
    bars = tuple(
        DayBar(
            label=label,
            flagged=flagged,
            in_time=in_time,
            x=round(plot_left + index * slot + slot * 0.15, 1),
            width=round(slot * 0.7, 1),
            y=round(plot_bottom - flagged * scale, 1),
            height=round(flagged * scale, 1),
            in_time_y=round(plot_bottom - in_time * scale, 1),
            in_time_height=round(in_time * scale, 1),
            label_x=round(plot_left + index * slot + slot / 2, 1),
            has_label=index % every == 0,
        )
        for index, (label, flagged, in_time) in enumerate(days)
    )
    ticks = tuple(Tick(value=v, y=round(plot_bottom - v * scale, 1)) for v in range(0, top + 1, step))
    return DayChart(
        width=WIDTH,
        height=DAY_CHART_HEIGHT,
        plot_left=plot_left,
        plot_right=plot_right,
        plot_bottom=plot_bottom,
        bars=bars,
        ticks=ticks,
    )
