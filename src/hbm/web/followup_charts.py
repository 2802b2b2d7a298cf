"""Geometry of the overview's horizontal bar chart: persons per stage, one labelled bar each.

Server-rendered inline SVG like ``charts.py`` (offline, printable, no script); the template adds a
title, a description and the figures as a table for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hbm.web.charts import nice_step

WIDTH = 720
ROW_HEIGHT = 26
BAR_HEIGHT = 18
LABEL_WIDTH = 300  # room for the stage names (the template writes them in the page's direction)
MARGIN_END = 48  # room for the value after the longest bar
MARGIN_TOP = 8
AXIS_HEIGHT = 24


@dataclass(frozen=True, slots=True)
class StageBar:
    key: str
    label: str
    phase: str
    value: int
    y: float
    width: float
    label_y: float
    value_x: float


@dataclass(frozen=True, slots=True)
class StageTick:
    value: int
    x: float


@dataclass(frozen=True, slots=True)
class StageChart:
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_bottom: float
    bar_height: int
    bars: tuple[StageBar, ...]
    ticks: tuple[StageTick, ...]
    total: int

    @property
    def label_x(self) -> float:
        return self.plot_left - 8

    @property
    def tick_label_y(self) -> float:
        return self.plot_bottom + 16


def stage_bar_chart(rows: Sequence[tuple[str, str, str, int]]) -> StageChart:
    """One bar per ``(key, label, phase, persons)`` in the given order, on a round value axis."""
    plot_left, plot_right = float(LABEL_WIDTH), float(WIDTH - MARGIN_END)
    peak = max((value for *_, value in rows), default=0)
    step = nice_step(peak)
    top = max(step, -(-peak // step) * step)
    scale = (plot_right - plot_left) / top
    bars = tuple(
        StageBar(
            key=key,
            label=label,
            phase=phase,
            value=value,
            y=MARGIN_TOP + i * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2,
            width=round(value * scale, 1),
            label_y=MARGIN_TOP + i * ROW_HEIGHT + ROW_HEIGHT / 2,
            value_x=round(plot_left + value * scale + 6, 1),
        )
        for i, (key, label, phase, value) in enumerate(rows)
    )
    plot_bottom = float(MARGIN_TOP + len(rows) * ROW_HEIGHT)
    ticks = tuple(StageTick(value=v, x=round(plot_left + v * scale, 1)) for v in range(0, top + 1, step))
    return StageChart(
        width=WIDTH,
        height=int(plot_bottom + AXIS_HEIGHT),
        plot_left=plot_left,
        plot_right=plot_right,
        plot_bottom=plot_bottom,
        bar_height=BAR_HEIGHT,
        bars=bars,
        ticks=ticks,
        total=sum(value for *_, value in rows),
    )
