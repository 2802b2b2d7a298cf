"""What a plan's reader sees of a scenario's result, in the active language: headline figures,
notes, the four charts with their tables, staffing and requirements. The web pages and the PDF
export both render this, so the two never disagree."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hbm.preparedness.charts import Chart, bar_chart, line_chart
from hbm.preparedness.enums import ScenarioKind
from hbm.preparedness.models import PlanScenario, ScenarioResult

STAGE_LABELS = {
    "triage": gettext_lazy("Triage and count"),
    "group_pre_registration": gettext_lazy("Group pre-registration"),
    "individual_registration": gettext_lazy("Individual registration"),
    "biometrics_iris": gettext_lazy("Biometrics (irises)"),
    "biometrics": gettext_lazy("Biometrics (irises and fingerprints)"),
    "protection_screening": gettext_lazy("Protection screening"),
    "health_screening": gettext_lazy("Health screening"),
}

ITEM_LABELS = {
    "water_domestic": gettext_lazy("Water for drinking, cooking and hygiene"),
    "water_drinking": gettext_lazy("Drinking water (part of the water above)"),
    "water_taps": gettext_lazy("Water taps"),
    "toilets": gettext_lazy("Toilets (communal)"),
    "toilets_female": gettext_lazy("Toilets for women and girls (of all toilets)"),
    "toilets_accessible": gettext_lazy("Accessible toilets (of all toilets)"),
    "handwashing_points": gettext_lazy("Handwashing points at toilets"),
    "showers": gettext_lazy("Showers or bathing cubicles"),
    "soap_bathing": gettext_lazy("Bathing soap"),
    "soap_laundry": gettext_lazy("Laundry soap"),
    "covered_living_space": gettext_lazy("Covered living space"),
    "food_energy": gettext_lazy("Food energy"),
    "health_workers": gettext_lazy("Health workers"),
    "medical_doctors": gettext_lazy("Medical doctors"),
    "clinical_officers": gettext_lazy("Clinical officers"),
    "outpatient_nurses": gettext_lazy("Nurses (out-patient services)"),
}

UNIT_LABELS = {
    "litres": gettext_lazy("litres"),
    "taps": gettext_lazy("taps"),
    "toilets": gettext_lazy("toilets"),
    "handwashing points": gettext_lazy("handwashing points"),
    "showers": gettext_lazy("showers"),
    "grams": gettext_lazy("grams"),
    "square metres": gettext_lazy("m²"),
    "kilocalories": gettext_lazy("kcal"),
    "health workers": gettext_lazy("health workers"),
    "doctors": gettext_lazy("doctors"),
    "clinical officers": gettext_lazy("clinical officers"),
    "nurses": gettext_lazy("nurses"),
}


def stage_label(kind: str) -> str:
    return str(STAGE_LABELS.get(kind, kind))


def number(value: float | None, decimals: int = 0) -> str:
    """A figure in the active language's format; "—" where there is none (an unbounded figure)."""
    if value is None:
        return "—"
    return str(number_format(round(value, decimals), decimal_pos=decimals, force_grouping=True))


def interval(estimate: Mapping[str, float | None], decimals: int = 0) -> str:
    """``12 (9–15)``: a mean and its confidence interval."""
    mean, low, high = estimate.get("mean"), estimate.get("low"), estimate.get("high")
    if low is None or high is None:
        return number(mean, decimals)
    return f"{number(mean, decimals)} ({number(max(low, 0.0), decimals)}–{number(high, decimals)})"


@dataclass(frozen=True, slots=True)
class ChartView:
    key: str
    title: str
    description: str
    chart: Chart
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class ScenarioReport:
    scenario: PlanScenario
    result: ScenarioResult
    headline: tuple[tuple[str, str], ...]
    notes: tuple[str, ...]
    charts: tuple[ChartView, ...]
    requirements_head: tuple[str, ...]
    requirements: tuple[tuple[str, ...], ...]
    requirement_sources: tuple[tuple[str, str], ...]


def _notes(figures: Mapping[str, Any]) -> tuple[str, ...]:
    notes = []
    if figures["overloaded_stages"]:
        notes.append(
            _(
                "More work arrives than the officers can do at: %(stages)s. The queue there grows "
                "without bound until the surge ends."
            )
            % {"stages": ", ".join(stage_label(s) for s in figures["overloaded_stages"])}
        )
    backlog = figures["backlog_persons"]
    if (backlog.get("mean") or 0) > 0:
        notes.append(
            _(
                "About %(persons)s persons are still waiting at the end of day %(days)s; with the same "
                "officers the last one leaves about %(hours)s hours later."
            )
            % {
                "persons": number(backlog["mean"]),
                "days": figures["days"],
                "hours": number(figures["drain_hours"].get("mean"), 1),
            }
        )
    area = figures["waiting_area"]
    if (area["hours_over_capacity"].get("mean") or 0) > 0:
        notes.append(
            _(
                "The waiting area (room for %(capacity)s persons) is over capacity for about %(hours)s "
                "hours; up to %(peak)s persons wait at once."
            )
            % {
                "capacity": number(area["capacity"]),
                "hours": number(area["hours_over_capacity"]["mean"], 1),
                "peak": number(area["peak"]["mean"]),
            }
        )
    staffing = figures["staffing"]
    if "error" in staffing:
        notes.append(_("No roster meets the target wait: %(reason)s") % {"reason": staffing["error"]})
    return tuple(notes)


def _headline(figures: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    staffing = figures["staffing"]
    rows = [
        (_("Persons expected"), number(figures["persons_expected"])),
        (_("Average total wait per person (minutes)"), interval(figures["total_wait_mean"])),
        (_("90th-percentile total wait (minutes)"), interval(figures["total_wait_p90"])),
        (_("Still waiting at the end of the period"), interval(figures["backlog_persons"])),
        (_("Most persons waiting at once"), interval(figures["waiting_area"]["peak"])),
        (_("Officer shifts per day, as planned"), number(staffing["planned_officer_shifts_per_day"])),
    ]
    if "officer_shifts_per_day" in staffing:
        rows.append(
            (
                _("Officer shifts per day for a 90th-percentile wait under %(minutes)s minutes")
                % {"minutes": number(staffing["target"])},
                number(staffing["officer_shifts_per_day"]),
            )
        )
    return tuple(rows)


def _wait_chart(figures: Mapping[str, Any]) -> ChartView:
    by_day = figures["mean_wait_by_day"]
    days = [str(d + 1) for d in range(len(by_day))]
    chart = line_chart(
        days,
        [(_("average wait (minutes)"), [d["mean"] for d in by_day])],
        bands=[([d["low"] for d in by_day], [d["high"] for d in by_day])],
    )
    worst = max(range(len(by_day)), key=lambda d: by_day[d]["mean"] or 0.0)
    return ChartView(
        key="wait-by-day",
        title=_("Waiting time over the days"),
        description=_(
            "Average minutes a person waits in all queues, by day, with its 95%% confidence band. "
            "The longest is on day %(day)s: %(minutes)s minutes."
        )
        % {"day": worst + 1, "minutes": number(by_day[worst]["mean"])},
        chart=chart,
        head=(_("Day"), _("Average wait (minutes)"), _("Interval (95 percent)")),
        rows=tuple(
            (str(d + 1), number(v["mean"]), f"{number(v['low'])}–{number(v['high'])}")
            for d, v in enumerate(by_day)
        ),
    )


def _daily_peaks(hourly: Sequence[float], days: int) -> list[float]:
    return [max(hourly[d * 24 : (d + 1) * 24], default=0.0) for d in range(days)]


def _queue_chart(figures: Mapping[str, Any]) -> ChartView:
    days, total = figures["days"], figures["waiting_by_hour"]
    stages = figures["stages"]
    labels = [str(h // 24 + 1) if h % 24 == 0 else "" for h in range(len(total))]
    capacity = figures["waiting_area"]["capacity"]
    chart = line_chart(
        labels,
        [(_("all queues"), total), *((stage_label(s["name"]), s["waiting_by_hour"]) for s in stages)],
        reference=(_("waiting area capacity"), float(capacity)) if capacity else None,
        label_every=24 * max(1, -(-days // 12)),
    )
    peaks = [_daily_peaks(total, days), *(_daily_peaks(s["waiting_by_hour"], days) for s in stages)]
    return ChartView(
        key="queues",
        title=_("People waiting over time"),
        description=_(
            "Persons waiting at the end of each hour, in all queues and at each stage (averaged over the "
            "replications); the dashed line is the waiting area's capacity. The table gives each day's "
            "busiest hour."
        ),
        chart=chart,
        head=(_("Day"), _("All queues"), *(stage_label(s["name"]) for s in stages)),
        rows=tuple((str(d + 1), *(number(series[d]) for series in peaks)) for d in range(days)),
    )


def _staffing_chart(figures: Mapping[str, Any]) -> ChartView | None:
    staffing = figures["staffing"]
    if "stages" not in staffing:
        return None
    shifts = figures["shift_labels"]
    groups: list[str] = []
    planned: list[float] = []
    needed: list[float] = []
    rows: list[tuple[str, ...]] = []
    planned_text: list[str] = []
    needed_text: list[str] = []
    captions: list[tuple[str, int, int]] = []
    for stage, found in zip(figures["stages"], staffing["stages"], strict=True):
        name = stage_label(stage["name"])
        captions.append(
            (name if len(name) <= 24 else f"{name[:23]}…", len(groups), len(groups) + len(shifts) - 1)
        )
        for shift, label in enumerate(shifts):
            groups.append(label.replace(":00", ""))
            planned.append(float(stage["planned_servers"][shift]))
            needed.append(float(found["servers"][shift]))
            planned_text.append(f"{name}, {label}, {_('planned')}")
            needed_text.append(f"{name}, {label}, {_('needed')}")
            rows.append(
                (
                    name,
                    label,
                    str(stage["planned_servers"][shift]),
                    str(found["servers"][shift]),
                    number(found["p90_wait_by_shift"][shift], 1),
                )
            )
    chart = bar_chart(
        groups,
        [(_("planned"), planned), (_("needed"), needed)],
        bar_labels=[planned_text, needed_text],
        captions=captions,
    )
    return ChartView(
        key="staffing",
        title=_("Staffing per shift"),
        description=_(
            "Officers planned and officers needed at each stage and shift so that 90%% of persons "
            "wait at most %(minutes)s minutes."
        )
        % {"minutes": number(staffing["target"])},
        chart=chart,
        head=(_("Stage"), _("Shift"), _("Planned"), _("Needed"), _("90th-percentile wait with those needed")),
        rows=tuple(rows),
    )


def _throughput_chart(figures: Mapping[str, Any]) -> ChartView:
    arrivals = [v or 0.0 for v in figures["arrivals_by_day"]]
    departures = [d["mean"] or 0.0 for d in figures["departures_by_day"]]
    days = [str(d + 1) for d in range(len(arrivals))]
    return ChartView(
        key="throughput",
        title=_("Arrivals and departures per day"),
        description=_("Persons arriving and persons leaving the crossing point each day (averaged)."),
        chart=bar_chart(days, [(_("arrivals"), arrivals), (_("departures"), departures)]),
        head=(_("Day"), _("Arrivals"), _("Departures")),
        rows=tuple((days[d], number(arrivals[d]), number(departures[d])) for d in range(len(days))),
    )


def _requirements(
    figures: Mapping[str, Any],
) -> tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, str], ...]]:
    rows, sources = [], []
    for item in figures["requirements"]["items"]:
        label = str(ITEM_LABELS.get(item["id"], item["label"]))
        unit = str(UNIT_LABELS.get(item["unit"], item["unit"]))
        rows.append(
            (
                label,
                unit,
                number(item["peak"]),
                str(item["peak_day"] + 1),
                number(item["total"]) if item["total"] is not None else "—",
            )
        )
        sources.append((label, f"{item['standard']} — {item['source']}"))
    return tuple(rows), tuple(sources)


def scenario_report(scenario: PlanScenario, result: ScenarioResult) -> ScenarioReport:
    figures = result.figures
    charts = [_wait_chart(figures), _queue_chart(figures)]
    staffing = _staffing_chart(figures)
    if staffing is not None:
        charts.append(staffing)
    charts.append(_throughput_chart(figures))
    rows, sources = _requirements(figures)
    return ScenarioReport(
        scenario=scenario,
        result=result,
        headline=_headline(figures),
        notes=_notes(figures),
        charts=tuple(charts),
        requirements_head=(
            _("Item"),
            _("Unit"),
            _("Peak per day"),
            _("Peak on day"),
            _("Total over the period"),
        ),
        requirements=rows,
        requirement_sources=sources,
    )


def scenarios_compared(
    results: Mapping[str, tuple[PlanScenario, ScenarioResult | None]],
) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """The computed scenarios side by side, one row per figure: what a reader compares first."""
    computed = [
        (ScenarioKind(kind).label, result.figures)
        for kind in ScenarioKind.values
        if kind in results and (result := results[kind][1]) is not None
    ]
    if not computed:
        return (), ()

    def water(figures: Mapping[str, Any]) -> float | None:
        found = [i for i in figures["requirements"]["items"] if i["id"] == "water_domestic"]
        return found[0]["peak"] if found else None

    def needed(figures: Mapping[str, Any]) -> str:
        return number(figures["staffing"].get("officer_shifts_per_day"))

    rows = (
        (_("Days"), *(str(f["days"]) for _label, f in computed)),
        (_("Persons expected"), *(number(f["persons_expected"]) for _label, f in computed)),
        (
            _("Average total wait per person (minutes)"),
            *(interval(f["total_wait_mean"]) for _l, f in computed),
        ),
        (_("90th-percentile total wait (minutes)"), *(interval(f["total_wait_p90"]) for _l, f in computed)),
        (
            _("Still waiting at the end of the period"),
            *(interval(f["backlog_persons"]) for _l, f in computed),
        ),
        (
            _("Officer shifts per day, as planned"),
            *(number(f["staffing"]["planned_officer_shifts_per_day"]) for _l, f in computed),
        ),
        (_("Officer shifts per day needed for the target wait"), *(needed(f) for _l, f in computed)),
        (
            _("Most persons in reception on one day"),
            *(number(f["requirements"]["peak_present"]) for _l, f in computed),
        ),
        (_("Water at the peak (litres per day)"), *(number(water(f)) for _l, f in computed)),
    )
    return (_("Figure"), *(str(label) for label, _f in computed)), rows
