"""Geometry of a plan's charts, drawn twice from the same numbers: as inline SVG by the web pages
and as vector drawing in the PDF export. No chart library and no JavaScript (decision 0018): the
page works offline, prints, and each chart comes with its figures as a table.

Coordinates are user units of a ``WIDTH`` × ``HEIGHT`` view box, y growing downwards.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 720
HEIGHT = 300
MARGIN_START = 56
MARGIN_END = 16
MARGIN_TOP = 16
MARGIN_BOTTOM = 48
MAX_X_LABELS = 12
# Series colours, told apart also by people with the common colour-vision deficiencies (blue,
# orange, green, purple, red, grey); the PDF uses the same.
PALETTE = ("#1f5f99", "#d66e1e", "#2e8b57", "#9449a0", "#be323c", "#6e6e6e")
BAND_COLOUR = "#cddef0"


def colour(style: int) -> str:
    return PALETTE[style % len(PALETTE)]


@dataclass(frozen=True, slots=True)
class Tick:
    label: str
    position: float  # x for the horizontal axis, y for the vertical one


@dataclass(frozen=True, slots=True)
class Line:
    """One series: its label, the SVG path of its line, an optional confidence band (a closed
    path), its points (for the PDF) and ``style``: the series' index for its colour."""

    label: str
    path: str
    points: tuple[tuple[float, float], ...]
    band: str
    band_points: tuple[tuple[float, float], ...]
    style: int
    dashed: bool = False

    @property
    def colour(self) -> str:
        return colour(self.style)


@dataclass(frozen=True, slots=True)
class Bar:
    label: str  # what the bar shows, for its tooltip: "individual_registration, 06:00–14:00: 12"
    x: float
    y: float
    width: float
    height: float
    style: int

    @property
    def colour(self) -> str:
        return colour(self.style)


@dataclass(frozen=True, slots=True)
class Chart:
    """A line chart (``lines``) or a bar chart (``bars``) with its axes and legend."""

    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    lines: tuple[Line, ...] = ()
    bars: tuple[Bar, ...] = ()
    legend: tuple[tuple[str, int], ...] = ()
    captions: tuple[Tick, ...] = ()  # a second row of labels, each under a run of groups

    @property
    def legend_colours(self) -> tuple[tuple[str, str], ...]:
        return tuple((label, colour(style)) for label, style in self.legend)

    @property
    def y_label_x(self) -> float:
        return self.plot_left - 6

    @property
    def x_label_y(self) -> float:
        return self.plot_bottom + 16

    @property
    def caption_y(self) -> float:
        return self.plot_bottom + 34


def nice_step(maximum: float, *, max_ticks: int = 5) -> float:
    """The smallest step of the form 1, 2 or 5 × 10^k that shows ``maximum`` in ≤ ``max_ticks`` steps."""
    if not math.isfinite(maximum) or maximum <= 0:
        return 1.0
    magnitude = 10.0 ** math.floor(math.log10(maximum / max_ticks))
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if math.ceil(maximum / step - 1e-9) <= max_ticks:
                return step
        magnitude *= 10


def _tick_text(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 or value == int(value) else f"{value:g}"


def _value_axis(maximum: float) -> tuple[float, tuple[Tick, ...], float, float]:
    top, bottom = float(MARGIN_TOP), float(HEIGHT - MARGIN_BOTTOM)
    step = nice_step(maximum)
    top_value = max(step, math.ceil(maximum / step - 1e-9) * step)
    scale = (bottom - top) / top_value
    count = round(top_value / step)
    ticks = tuple(Tick(_tick_text(i * step), round(bottom - i * step * scale, 1)) for i in range(count + 1))
    return scale, ticks, top, bottom


def _path(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{'M' if i == 0 else 'L'}{x},{y}" for i, (x, y) in enumerate(points))


def line_chart(
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    bands: Sequence[tuple[Sequence[float | None], Sequence[float | None]] | None] = (),
    reference: tuple[str, float] | None = None,
    label_every: int | None = None,
) -> Chart:
    """Lines over ``len(x_labels)`` points (a ``None`` value is drawn as 0), each optionally with
    a band between a low and a high series, and an optional dashed reference level (a capacity)."""
    count = len(x_labels)
    values = [v or 0.0 for _, points in series for v in points]
    for band in bands:
        if band is not None:
            values += [v or 0.0 for v in band[1]]
    if reference is not None:
        values.append(reference[1])
    scale, y_ticks, top, bottom = _value_axis(max(values, default=0.0))
    left, right = float(MARGIN_START), float(WIDTH - MARGIN_END)
    slot = (right - left) / max(count - 1, 1)

    def at(index: int, value: float | None) -> tuple[float, float]:
        return round(left + index * slot, 1), round(bottom - max(value or 0.0, 0.0) * scale, 1)

    lines = []
    for style, (label, points) in enumerate(series):
        drawn = tuple(at(i, v) for i, v in enumerate(points))
        band = bands[style] if style < len(bands) else None
        band_points: tuple[tuple[float, float], ...] = ()
        if band is not None:
            low, high = band
            band_points = tuple(at(i, v) for i, v in enumerate(high)) + tuple(
                at(i, v) for i, v in reversed(list(enumerate(low)))
            )
        lines.append(
            Line(
                label=label,
                path=_path(drawn),
                points=drawn,
                band=_path(band_points) + " Z" if band_points else "",
                band_points=band_points,
                style=style,
            )
        )
    if reference is not None:
        level = (at(0, reference[1]), at(count - 1, reference[1]))
        lines.append(Line(reference[0], _path(level), level, "", (), len(series), dashed=True))
    every = label_every or max(1, math.ceil(count / MAX_X_LABELS))
    x_ticks = tuple(Tick(text, at(i, 0)[0]) for i, text in enumerate(x_labels) if i % every == 0)
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=left,
        plot_right=right,
        plot_top=top,
        plot_bottom=bottom,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        lines=tuple(lines),
        legend=tuple((line.label, line.style) for line in lines),
    )


def bar_chart(
    group_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    bar_labels: Sequence[Sequence[str]] | None = None,
    captions: Sequence[tuple[str, int, int]] = (),
) -> Chart:
    """Groups of bars side by side: one group per label, one bar per series in each group.
    ``captions``: (text, first group, last group) written once under that run of groups (a
    stage's name under its shifts)."""
    groups, per_group = len(group_labels), max(len(series), 1)
    values = [v for _, points in series for v in points]
    scale, y_ticks, top, bottom = _value_axis(max(values, default=0.0))
    left, right = float(MARGIN_START), float(WIDTH - MARGIN_END)
    slot = (right - left) / max(groups, 1)
    width = slot * 0.8 / per_group
    bars = []
    for style, (label, points) in enumerate(series):
        for index, value in enumerate(points):
            x = left + index * slot + slot * 0.1 + style * width
            text = bar_labels[style][index] if bar_labels else f"{label}, {group_labels[index]}"
            bars.append(
                Bar(
                    label=f"{text}: {_tick_text(value)}",
                    x=round(x, 1),
                    y=round(bottom - value * scale, 1),
                    width=round(width, 1),
                    height=round(value * scale, 1),
                    style=style,
                )
            )
    every = max(1, math.ceil(groups / MAX_X_LABELS))
    x_ticks = tuple(
        Tick(text, round(left + i * slot + slot / 2, 1))
        for i, text in enumerate(group_labels)
        if i % every == 0
    )
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=left,
        plot_right=right,
        plot_top=top,
        plot_bottom=bottom,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        bars=tuple(bars),
        legend=tuple((label, style) for style, (label, _) in enumerate(series)),
        captions=tuple(
            Tick(text, round(left + (first + last + 1) * slot / 2, 1)) for text, first, last in captions
        ),
    )
