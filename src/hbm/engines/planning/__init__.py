"""Requirements of a reception site per the Sphere minimum standards (pure Python, no Django).

Public API::

    PlanningInput(arrivals_per_day, average_stay_days, demographics=Demographics(…),
                  initial_phase_days=None)
    requirements(planning, figures=None) -> Requirements     # per-day, peak and total per item
    persons_present(arrivals_per_day, average_stay_days) -> tuple[float, ...]
    default_figures() -> Figures                              # data/sphere.yaml, with sources
    load_figures(text, source=…) -> Figures                   # another figures file
    apply_overlay(figures, text, source=…) -> Figures         # a country's changes, each sourced
    shipped_overlay(name) -> str                              # e.g. "cold-climate"
    FiguresError(source, problems)  · Problem(line, path, reason)   # every problem, with its line
    PlanningInputError(field, reason)                         # a ValueError naming the field

Persons, days and the units each figure names (litres, m², toilets …). Decision record 0014 says
why the figures are data with sources, how phases work and what the figures do not cover.
"""

from importlib.resources import files

from hbm.engines.planning._errors import FiguresError, PlanningInputError, Problem
from hbm.engines.planning._figures import (
    Adjustment,
    DemographicFigure,
    Figure,
    Figures,
    Group,
    Kind,
    Phase,
    Rate,
    ShareOf,
    Source,
    apply_overlay,
    default_figures,
    load_figures,
)
from hbm.engines.planning._requirements import (
    MAX_DAYS,
    MAX_STAY_DAYS,
    Demographics,
    ItemRequirement,
    PlanningInput,
    Requirements,
    persons_present,
    requirements,
)


def shipped_overlay(name: str) -> str:
    """The text of an overlay shipped in ``data/overlays`` (``cold-climate``); ``KeyError`` naming
    the shipped ones for any other name."""
    folder = files("hbm.engines.planning").joinpath("data", "overlays")
    shipped = sorted(
        entry.name.removesuffix(".yaml") for entry in folder.iterdir() if entry.name.endswith(".yaml")
    )
    if name not in shipped:
        raise KeyError(f"no shipped overlay {name!r} (shipped: {', '.join(shipped)})")
    return folder.joinpath(f"{name}.yaml").read_text(encoding="utf-8")


__all__ = [
    "MAX_DAYS",
    "MAX_STAY_DAYS",
    "Adjustment",
    "DemographicFigure",
    "Demographics",
    "Figure",
    "Figures",
    "FiguresError",
    "Group",
    "ItemRequirement",
    "Kind",
    "Phase",
    "PlanningInput",
    "PlanningInputError",
    "Problem",
    "Rate",
    "Requirements",
    "ShareOf",
    "Source",
    "apply_overlay",
    "default_figures",
    "load_figures",
    "persons_present",
    "requirements",
    "shipped_overlay",
]
