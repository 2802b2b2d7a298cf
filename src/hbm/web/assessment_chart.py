"""Geometry of the assessment chart: one horizontal bar per pillar, its score from 0 to 100, drawn
as inline SVG by ``templates/web/assessment_chart.html`` (no chart library, no JavaScript; a data
table beside it for screen readers)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 720
ROW = 30  # height of one pillar's row
BAR_FILL = 0.66  # share of the row the bar takes
LABEL_WIDTH = 250  # room for the pillar labels, left of the plot
MARGIN_END = 48  # room for the score printed after the bar
MARGIN_TOP = 8
MARGIN_BOTTOM = 34  # room for the tick labels
TICKS = (0, 25, 50, 75, 100)


@dataclass(frozen=True, slots=True)
class PillarBar:
    pillar_id: str
    label: str
    score: float | None
    y: float
    height: float
    width: float
    label_y: float
    value_x: float


@dataclass(frozen=True, slots=True)
class ScoreTick:
    value: int
    x: float


@dataclass(frozen=True, slots=True)
class PillarChart:
    """Every coordinate in SVG user units of a ``width`` × ``height`` view box."""

    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    bars: tuple[PillarBar, ...]
    ticks: tuple[ScoreTick, ...]

    @property
    def label_x(self) -> float:
        return self.plot_left - 8

    @property
    def tick_label_y(self) -> float:
        return self.plot_bottom + 18


def pillar_chart(scores: Sequence[tuple[str, str, float | None]]) -> PillarChart:
    """Bars for ``(pillar id, label, score 0–100 or None)`` in order; a pillar without a score has
    no bar (the template says "not scored")."""
    plot_left, plot_right = float(LABEL_WIDTH), float(WIDTH - MARGIN_END)
    plot_top = float(MARGIN_TOP)
    plot_bottom = plot_top + ROW * len(scores)
    scale = (plot_right - plot_left) / 100

    def length(score: float | None) -> float:
        return round(max(0.0, min(100.0, score)) * scale, 1) if score is not None else 0.0

    bars = tuple(
        PillarBar(
            pillar_id=pillar_id,
            label=label,
            score=score,
            y=round(plot_top + index * ROW + ROW * (1 - BAR_FILL) / 2, 1),
            height=round(ROW * BAR_FILL, 1),
            width=length(score),
            label_y=round(plot_top + index * ROW + ROW / 2, 1),
            value_x=round(plot_left + length(score) + 6, 1),
        )
        for index, (pillar_id, label, score) in enumerate(scores)
    )
    return PillarChart(
        width=WIDTH,
        height=int(plot_bottom + MARGIN_BOTTOM),
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        bars=bars,
        ticks=tuple(ScoreTick(value=value, x=round(plot_left + value * scale, 1)) for value in TICKS),
    )
