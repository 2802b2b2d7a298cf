"""Geometry of the server-rendered bar chart of arrivals per hour (drawn as inline SVG by a template).

No chart library and no JavaScript: the page must render offline on any browser, print, and be read
by a screen reader (the template adds <title>, <desc> and a data table).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 720
HEIGHT = 280
MARGIN_START = 48  # room for the value axis labels
MARGIN_END = 12
MARGIN_TOP = 16
MARGIN_BOTTOM = 40  # room for the hour labels
BAR_FILL = 0.72  # share of each hour's slot the bar takes
HOUR_LABEL_EVERY = 3


@dataclass(frozen=True, slots=True)
class Bar:
    hour: int
    value: int
    x: float
    y: float
    width: float
    height: float
    label_x: float
    has_label: bool


@dataclass(frozen=True, slots=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True, slots=True)
class BarChart:
    """Every coordinate in SVG user units of a ``WIDTH`` × ``HEIGHT`` view box."""

    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    total: int
    peak_hour: int | None
    peak_value: int

    @property
    def tick_label_x(self) -> float:
        return self.plot_left - 6

    @property
    def hour_label_y(self) -> float:
        return self.plot_bottom + 18

    @property
    def axis_label_y(self) -> float:
        return self.height - 4


def nice_step(maximum: int, *, max_ticks: int = 5) -> int:
    """The smallest step of the form 1, 2 or 5 × 10^k that shows ``maximum`` in ≤ ``max_ticks`` steps."""
    if maximum <= 0:
        return 1
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if -(-maximum // step) <= max_ticks:
                return step
        magnitude *= 10


def hourly_bar_chart(per_hour: Sequence[int]) -> BarChart:
    """Bars for 24 hourly values, a value axis with round ticks, and the peak hour."""
    if len(per_hour) != 24:
        raise ValueError(f"expected 24 hourly values, got {len(per_hour)}")
    plot_left, plot_right = float(MARGIN_START), float(WIDTH - MARGIN_END)
    plot_top, plot_bottom = float(MARGIN_TOP), float(HEIGHT - MARGIN_BOTTOM)
    peak_value = max(per_hour)
    step = nice_step(peak_value)
    top_value = max(step, -(-peak_value // step) * step)
    scale = (plot_bottom - plot_top) / top_value
    slot = (plot_right - plot_left) / 24
    bars = tuple(
        Bar(
            hour=hour,
            value=value,
            x=round(plot_left + hour * slot + slot * (1 - BAR_FILL) / 2, 1),
            y=round(plot_bottom - value * scale, 1),
            width=round(slot * BAR_FILL, 1),
            height=round(value * scale, 1),
            label_x=round(plot_left + hour * slot + slot / 2, 1),
            has_label=hour % HOUR_LABEL_EVERY == 0,
        )
        for hour, value in enumerate(per_hour)
    )
    ticks = tuple(
        Tick(value=value, y=round(plot_bottom - value * scale, 1)) for value in range(0, top_value + 1, step)
    )
    return BarChart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        bars=bars,
        ticks=ticks,
        total=sum(per_hour),
        peak_hour=per_hour.index(peak_value) if peak_value > 0 else None,
        peak_value=peak_value,
    )
