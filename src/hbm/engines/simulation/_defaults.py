"""Default figures from ``data/defaults.json``, each with its source.

The file is the one place the figures live: an operation edits it (or passes its own values) for
its country. Each stage kind, group-size distribution, share of specific needs and hourly
pattern names a source: a published figure (UNHCR registration guidance) or a plainly labelled
assumption.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from types import MappingProxyType
from typing import Any

from hbm.engines.simulation._errors import ScenarioError
from hbm.engines.simulation._model import Lognormal, Scenario, Stage


@dataclass(frozen=True, slots=True)
class Default:
    """One default: its value (minutes per ``per`` for a stage's mean), the source in full, a note."""

    name: str
    value: float | tuple[float, ...]
    source: str
    note: str


@cache
def _data() -> dict[str, Any]:
    text = files("hbm.engines.simulation").joinpath("data/defaults.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _source(key: str) -> str:
    return str(_data()["sources"][key])


@cache
def _defaults() -> Mapping[str, Default]:
    data = _data()
    found = {
        f"stage.{kind}": Default(
            name=f"stage.{kind}",
            value=float(entry["mean_minutes"]),
            source=_source(entry["source"]),
            note=f"{entry['title']}, per {entry['per']}: {entry['note']}",
        )
        for kind, entry in data["stages"].items()
    }
    for key in ("service_time_cv", "group_sizes", "specific_needs_share", "hourly_pattern"):
        entry = data[key]
        value = entry["value"]
        found[key] = Default(
            name=key,
            value=tuple(float(v) for v in value) if isinstance(value, list) else float(value),
            source=_source(entry["source"]),
            note=entry["note"],
        )
    return MappingProxyType(found)


def defaults() -> Mapping[str, Default]:
    """Every default by name (``stage.<kind>`` for stage kinds, then ``group_sizes``,
    ``specific_needs_share``, ``hourly_pattern``, ``service_time_cv``)."""
    return _defaults()


def stage_kinds() -> tuple[str, ...]:
    """The stage kinds with defaults: ``triage``, ``group_pre_registration``, … ."""
    return tuple(_data()["stages"])


def default_stage(kind: str, *, servers: tuple[int, ...], name: str | None = None) -> Stage:
    """A stage of ``kind`` (see :func:`stage_kinds`) with its default service time, unit, routing
    shares and source, and ``servers`` officers per shift. Raises :class:`ScenarioError` for an
    unknown kind."""
    stages = _data()["stages"]
    if kind not in stages:
        raise ScenarioError("kind", f"no default for a stage {kind!r}; known: {', '.join(stages)}")
    entry = stages[kind]
    return Stage(
        name=name or kind,
        service=Lognormal(mean=float(entry["mean_minutes"]), cv=float(entry["cv"])),
        servers=servers,
        per=entry["per"],
        share=float(entry.get("share", 1.0)),
        share_specific_needs=entry.get("share_specific_needs"),
        source=f"{_source(entry['source'])} — {entry['note']}",
    )


def default_scenario(
    *,
    stages: tuple[Stage, ...],
    arrivals_per_day: tuple[float, ...],
    waiting_area_capacity: int | None = None,
    shift_hours: int = 8,
    shift_start_hour: int = 6,
    name: str = "",
) -> Scenario:
    """A scenario with the default group sizes, share of specific needs and hourly pattern."""
    figures = defaults()
    return Scenario(
        stages=stages,
        arrivals_per_day=arrivals_per_day,
        hourly_pattern=_floats(figures["hourly_pattern"].value),
        group_sizes=_floats(figures["group_sizes"].value),
        specific_needs_share=_number(figures["specific_needs_share"].value),
        shift_hours=shift_hours,
        shift_start_hour=shift_start_hour,
        waiting_area_capacity=waiting_area_capacity,
        name=name,
    )


def _number(value: float | tuple[float, ...]) -> float:
    if isinstance(value, tuple):
        raise TypeError(f"one number expected, not {value!r}")
    return value


def _floats(value: float | tuple[float, ...]) -> tuple[float, ...]:
    return value if isinstance(value, tuple) else (value,)
