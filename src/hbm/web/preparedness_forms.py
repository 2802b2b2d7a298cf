"""Forms of the planner's pages: a plan with its roles and triggers, a scenario, a reading, a
decision on an alert. They parse text into the services' inputs; the services check the rules."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import Organisation
from hbm.core.errors import HbmError
from hbm.crossings.models import CrossingPoint
from hbm.engines.simulation import stage_kinds
from hbm.preparedness.computing import DEMOGRAPHIC_GROUPS, ScenarioData, StageData
from hbm.preparedness.enums import AlertDecision, PlanStatus, TriggerMetric
from hbm.preparedness.models import ContingencyPlan, PlanScenario
from hbm.preparedness.report import stage_label
from hbm.preparedness.services import PlanData, RoleData, TriggerData
from hbm.web.forms import HbmForm

_SEPARATORS = re.compile(r"[\s,;]+")
OVERLAYS = (("", _("Sphere figures as shipped")), ("cold-climate", _("Cold climate (4.5 m² per person)")))
SHIFT_HOURS = (1, 2, 3, 4, 6, 8, 12, 24)
TRIGGER_HELP = {
    TriggerMetric.ARRIVALS_PER_DAY: _(
        "Persons per day. Counted by HBM from the crossing point's registrations."
    ),
    TriggerMetric.WAITING_TIME: _("Minutes. HBM does not measure queues: a person enters the observed wait."),
    TriggerMetric.RECEPTION_OCCUPANCY: _(
        "Percent of capacity. HBM does not count beds: a person enters the occupancy."
    ),
}
DEMOGRAPHIC_LABELS = {
    "under_five": _("Children under five (%)"),
    "pregnant": _("Pregnant women (%)"),
    "older": _("Persons aged 60 and over (%)"),
    "disability": _("Persons with a disability (%)"),
}


def numbers_parse(text: str, *, whole: bool = False) -> tuple[float, ...]:
    """``"1500 3000, 4500"`` → ``(1500.0, 3000.0, 4500.0)``; a form error for anything else."""
    values = []
    for part in _SEPARATORS.split(text.strip()):
        if not part:
            continue
        try:
            value = float(part) if not whole else float(int(part))
        except ValueError:
            raise forms.ValidationError(
                _("Write numbers separated by spaces, e.g. 1500 3000 4500.")
                if not whole
                else _("Write whole numbers separated by spaces, e.g. 12 10 3.")
            ) from None
        values.append(value)
    return tuple(values)


def _numbers_text(values: Any) -> str:
    return " ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in values or ())


class PlanForm(HbmForm):
    crossing_point = forms.ModelChoiceField(
        label=_("Crossing point"), queryset=CrossingPoint.objects.order_by("name")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"})
    )
    status = forms.ChoiceField(label=_("Status"), choices=PlanStatus.choices)
    target_p90_wait_minutes = forms.FloatField(
        label=_("Target wait (minutes)"),
        help_text=_("Staffing keeps the wait of 9 persons in 10 at each stage and shift under this."),
        initial=30,
    )
    figures_overlay = forms.ChoiceField(label=_("Planning figures"), choices=OVERLAYS, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for metric in TriggerMetric:
            self.fields[f"trigger_{metric.value}"] = forms.FloatField(
                label=metric.label, help_text=TRIGGER_HELP[metric], required=False
            )

    def trigger_fields(self) -> list[forms.BoundField]:
        return [self[f"trigger_{metric.value}"] for metric in TriggerMetric]

    @classmethod
    def of(cls, plan: ContingencyPlan) -> PlanForm:
        initial: dict[str, Any] = {
            "crossing_point": plan.crossing_point_id,
            "title": plan.title,
            "summary": plan.summary,
            "status": plan.status,
            "target_p90_wait_minutes": plan.target_p90_wait_minutes,
            "figures_overlay": plan.figures_overlay,
        }
        for trigger in plan.triggers.all():
            initial[f"trigger_{trigger.metric}"] = trigger.threshold
        return cls(initial=initial)

    def triggers(self) -> tuple[TriggerData, ...]:
        return tuple(
            TriggerData(metric=metric, threshold=self.cleaned_data[f"trigger_{metric.value}"])
            for metric in TriggerMetric
            if self.cleaned_data.get(f"trigger_{metric.value}") is not None
        )

    def plan_data(self, roles: tuple[RoleData, ...]) -> PlanData:
        data = self.cleaned_data
        return PlanData(
            crossing_point_id=data["crossing_point"].pk,
            title=data["title"],
            summary=data.get("summary") or "",
            status=PlanStatus(data["status"]),
            target_p90_wait_minutes=data["target_p90_wait_minutes"],
            figures_overlay=data.get("figures_overlay") or "",
            roles=roles,
            triggers=self.triggers(),
        )


class RoleForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name"), required=False
    )
    responsibilities = forms.CharField(
        label=_("Responsibilities"), required=False, widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"})
    )

    def is_blank(self) -> bool:
        return not self.cleaned_data.get("organisation") and not (
            self.cleaned_data.get("responsibilities") or ""
        )


RoleFormSet = forms.formset_factory(RoleForm, extra=2, max_num=30)


def roles_of(formset: Any) -> tuple[tuple[RoleData, ...], list[RoleForm]]:
    """The filled rows as services' roles, and the forms they came from (to put errors back)."""
    roles, forms_used = [], []
    for form in formset.forms:
        if form.is_blank():
            continue
        organisation = form.cleaned_data.get("organisation")
        if organisation is None:
            form.add_error("organisation", _("Choose the organisation."))
            continue
        roles.append(
            RoleData(organisation_id=organisation.pk, responsibilities=form.cleaned_data["responsibilities"])
        )
        forms_used.append(form)
    return tuple(roles), forms_used


def plan_errors_apply(error: HbmError, form: PlanForm, role_forms: list[RoleForm], data: PlanData) -> None:
    """Each message of a refused plan next to its input: ``roles.1.responsibilities`` on the
    second filled role, ``triggers.0.threshold`` on that trigger's metric."""
    if not error.fields:
        form.add_error(None, error.message)
        return
    for path, messages in error.fields.items():
        parts = path.split(".")
        for message in messages:
            if parts[0] == "roles" and len(parts) == 3 and int(parts[1]) < len(role_forms):
                name = "organisation" if parts[2] == "organisation_id" else "responsibilities"
                role_forms[int(parts[1])].add_error(name, message)
            elif parts[0] == "triggers" and len(parts) == 3:
                form.add_error(f"trigger_{data.triggers[int(parts[1])].metric}", message)
            elif parts[0] == "crossing_point_id":
                form.add_error("crossing_point", message)
            elif parts[0] in form.fields:
                form.add_error(parts[0], message)
            else:
                form.add_error(None, message)


class ScenarioForm(HbmForm):
    """A scenario as a planner types it: lists of numbers as text, shares in per cent, and for each
    kind of stage its place in the route (empty: not used) and its officers per shift."""

    arrivals_per_day = forms.CharField(
        label=_("Arrivals expected each day"),
        help_text=_("Persons per day, one number per day, separated by spaces: 1500 3000 4500 3000."),
        widget=forms.Textarea(attrs={"rows": 2, "dir": "ltr"}),
    )
    shift_hours = forms.TypedChoiceField(
        label=_("Length of a shift (hours)"), choices=[(h, h) for h in SHIFT_HOURS], coerce=int, initial=8
    )
    shift_start_hour = forms.IntegerField(
        label=_("First shift starts at (hour)"), min_value=0, max_value=23, initial=6
    )
    waiting_area_capacity = forms.IntegerField(
        label=_("Waiting area capacity (persons)"),
        required=False,
        min_value=0,
        help_text=_("Empty: no limit."),
    )
    specific_needs_share = forms.FloatField(
        label=_("Persons with specific needs (%)"), required=False, help_text=_("Empty: the default, 5%.")
    )
    hourly_pattern = forms.CharField(
        label=_("Arrivals by hour of the day"),
        required=False,
        help_text=_("24 relative weights from midnight; empty: the default (busier by day)."),
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    group_sizes = forms.CharField(
        label=_("Group sizes"),
        required=False,
        help_text=_("Relative frequency of groups of 1, 2, 3 … persons; empty: the default (mean 3)."),
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    average_stay_days = forms.FloatField(label=_("Average stay in reception (days)"), initial=2.0)
    initial_phase_days = forms.IntegerField(
        label=_("Days of first-phase figures"),
        required=False,
        min_value=0,
        help_text=_("Sphere's first-phase figures for these days, then the medium-term ones; empty: all."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for group in DEMOGRAPHIC_GROUPS:
            self.fields[group] = forms.FloatField(
                label=DEMOGRAPHIC_LABELS[group],
                required=False,
                help_text=_("Empty: the Sphere figures' default."),
            )
        for kind in stage_kinds():
            label = stage_label(kind)
            self.fields[f"stage_{kind}_position"] = forms.IntegerField(
                label=_("%(stage)s: place in the route") % {"stage": label},
                required=False,
                min_value=1,
                max_value=16,
                help_text=_("1 for the first stage; empty: not used."),
            )
            self.fields[f"stage_{kind}_servers"] = forms.CharField(
                label=_("%(stage)s: officers per shift") % {"stage": label},
                required=False,
                help_text=_("One number per shift, e.g. 12 10 3."),
                widget=forms.TextInput(attrs={"dir": "ltr"}),
            )
            self.fields[f"stage_{kind}_mean_minutes"] = forms.FloatField(
                label=_("%(stage)s: measured minutes") % {"stage": label},
                required=False,
                help_text=_("Mean service time counted at your crossing point; empty: the published figure."),
            )

    def demographic_fields(self) -> list[forms.BoundField]:
        return [self[group] for group in DEMOGRAPHIC_GROUPS]

    def stage_rows(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (
                stage_label(kind),
                [
                    self[f"stage_{kind}_position"],
                    self[f"stage_{kind}_servers"],
                    self[f"stage_{kind}_mean_minutes"],
                ],
            )
            for kind in stage_kinds()
        ]

    def clean_arrivals_per_day(self) -> tuple[float, ...]:
        return numbers_parse(self.cleaned_data["arrivals_per_day"])

    def clean_hourly_pattern(self) -> tuple[float, ...]:
        return numbers_parse(self.cleaned_data.get("hourly_pattern") or "")

    def clean_group_sizes(self) -> tuple[float, ...]:
        return numbers_parse(self.cleaned_data.get("group_sizes") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for kind in stage_kinds():
            name = f"stage_{kind}_servers"
            try:
                data[name] = numbers_parse(str(data.get(name) or ""), whole=True)
            except forms.ValidationError as exc:
                self.add_error(name, exc)
            if data.get(f"stage_{kind}_position") and not data.get(name):
                self.add_error(name, _("Give the officers of each shift."))
        return data

    def route(self) -> list[str]:
        """The kinds used, in route order (a tie keeps the list's order)."""
        used = [(self.cleaned_data[f"stage_{k}_position"], i, k) for i, k in enumerate(stage_kinds())]
        return [kind for position, _i, kind in sorted(u for u in used if u[0])]

    def scenario_data(self) -> ScenarioData:
        data = self.cleaned_data

        def share(name: str) -> float | None:
            value = data.get(name)
            return None if value is None else value / 100

        return ScenarioData(
            arrivals_per_day=data["arrivals_per_day"],
            stages=tuple(
                StageData(
                    kind=kind,
                    servers=tuple(int(v) for v in data[f"stage_{kind}_servers"]),
                    mean_minutes=data.get(f"stage_{kind}_mean_minutes"),
                )
                for kind in self.route()
            ),
            hourly_pattern=data.get("hourly_pattern") or (),
            group_sizes=data.get("group_sizes") or (),
            specific_needs_share=share("specific_needs_share"),
            demographics={group: share(group) for group in DEMOGRAPHIC_GROUPS},
            shift_hours=data["shift_hours"],
            shift_start_hour=data["shift_start_hour"],
            waiting_area_capacity=data.get("waiting_area_capacity"),
            average_stay_days=data["average_stay_days"],
            initial_phase_days=data.get("initial_phase_days"),
        )

    @classmethod
    def initial_of(cls, scenario: PlanScenario | None) -> dict[str, Any]:
        if scenario is None:
            return {
                "arrivals_per_day": "1000 2000 3000 2000 1000",
                "stage_triage_position": 1,
                "stage_triage_servers": "2 2 1",
                "stage_individual_registration_position": 2,
                "stage_individual_registration_servers": "8 8 3",
                "stage_biometrics_position": 3,
                "stage_biometrics_servers": "5 5 2",
                "stage_protection_screening_position": 4,
                "stage_protection_screening_servers": "3 3 1",
                "waiting_area_capacity": 300,
            }
        initial: dict[str, Any] = {
            "arrivals_per_day": _numbers_text(scenario.arrivals_per_day),
            "hourly_pattern": _numbers_text(scenario.hourly_pattern),
            "group_sizes": _numbers_text(scenario.group_sizes),
            "shift_hours": scenario.shift_hours,
            "shift_start_hour": scenario.shift_start_hour,
            "waiting_area_capacity": scenario.waiting_area_capacity,
            "average_stay_days": scenario.average_stay_days,
            "initial_phase_days": scenario.initial_phase_days,
            "specific_needs_share": None
            if scenario.specific_needs_share is None
            else round(scenario.specific_needs_share * 100, 4),
        }
        for group, value in (scenario.demographics or {}).items():
            initial[group] = None if value is None else round(value * 100, 4)
        for position, stage in enumerate(scenario.stages, start=1):
            initial[f"stage_{stage['kind']}_position"] = position
            initial[f"stage_{stage['kind']}_servers"] = _numbers_text(stage["servers"])
            initial[f"stage_{stage['kind']}_mean_minutes"] = stage.get("mean_minutes")
        return initial


def scenario_errors_apply(error: HbmError, form: ScenarioForm, route: list[str]) -> None:
    """``stages.2.servers`` → the servers of the third stage in the route; ``arrivals_per_day.4``
    → the arrivals; ``demographics.pregnant`` → pregnant; anything else on the form's top."""
    fields: Mapping[str, list[str]] = error.fields or {"": [error.message]}
    for path, messages in fields.items():
        parts = path.split(".")
        target: str | None = None
        if parts[0] == "stages" and len(parts) >= 3 and parts[1].isdigit() and int(parts[1]) < len(route):
            name = "position" if parts[2] == "kind" else parts[2]
            target = f"stage_{route[int(parts[1])]}_{name}"
        elif parts[0] == "demographics" and len(parts) == 2:
            target = parts[1]
        elif parts[0] in form.fields:
            target = parts[0]
        for message in messages:
            form.add_error(target if target in form.fields else None, message)


class ReadingForm(HbmForm):
    metric = forms.ChoiceField(
        label=_("Figure"),
        choices=[(m.value, m.label) for m in (TriggerMetric.WAITING_TIME, TriggerMetric.RECEPTION_OCCUPANCY)],
    )
    value = forms.FloatField(
        label=_("Value"), help_text=_("Minutes for a waiting time, percent of capacity for occupancy.")
    )


class AlertDecisionForm(HbmForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=AlertDecision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason for the decision"),
        help_text=_("Kept with your name and the time. At least 10 characters."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "minlength": 10}),
    )


ROSTER_SLOTS = 3


class RostersForm(HbmForm):
    """Up to ``ROSTER_SLOTS`` rosters for one scenario: a name and, per stage, officers per shift
    as text ("12 10 3"). A roster left without a name is not compared."""

    replications = forms.IntegerField(
        label=_("Replications"),
        min_value=2,
        max_value=50,
        initial=10,
        help_text=_(
            "Each roster is simulated this many times on the same people; more gives narrower intervals."
        ),
    )

    def __init__(self, *args: Any, stages: tuple[StageData, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stages = stages
        for slot in range(ROSTER_SLOTS):
            self.fields[f"r{slot}_name"] = forms.CharField(
                label=_("Roster %(number)s") % {"number": slot + 1}, required=False, max_length=60
            )
            for stage in stages:
                self.fields[f"r{slot}_{stage.kind}"] = forms.CharField(
                    label=stage_label(stage.kind),
                    required=False,
                    widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
                )

    @classmethod
    def initial_of(cls, stages: tuple[StageData, ...], planned_name: str) -> dict[str, Any]:
        """The planned roster in every slot: the first named as planned, the others to be changed."""
        initial: dict[str, Any] = {"replications": 10}
        names = (planned_name, _("Option B"), _("Option C"))
        for slot in range(ROSTER_SLOTS):
            initial[f"r{slot}_name"] = str(names[slot])
            for stage in stages:
                initial[f"r{slot}_{stage.kind}"] = _numbers_text(stage.servers)
        return initial

    def slots(self) -> list[tuple[forms.BoundField, list[forms.BoundField]]]:
        """Each roster's name field and its stage fields, for the template."""
        return [
            (self[f"r{slot}_name"], [self[f"r{slot}_{stage.kind}"] for stage in self.stages])
            for slot in range(ROSTER_SLOTS)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for slot in range(ROSTER_SLOTS):
            if not (data.get(f"r{slot}_name") or "").strip():
                continue
            for stage in self.stages:
                name = f"r{slot}_{stage.kind}"
                try:
                    data[name] = numbers_parse(data.get(name) or "", whole=True)
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return data

    def rosters(self) -> list[tuple[int, str, dict[str, list[int]]]]:
        """(slot, name, officers per stage and shift) of every named roster."""
        data = self.cleaned_data
        return [
            (
                slot,
                data[f"r{slot}_name"].strip(),
                {stage.kind: [int(v) for v in data[f"r{slot}_{stage.kind}"]] for stage in self.stages},
            )
            for slot in range(ROSTER_SLOTS)
            if (data.get(f"r{slot}_name") or "").strip()
        ]

    def refusal_apply(self, error: HbmError, slots: list[int]) -> None:
        """``rosters.1.servers.triage`` → the field of that stage in the second *named* roster."""
        for path, reasons in (error.fields or {"": [error.message]}).items():
            parts = path.split(".")
            target: str | None = None
            if (
                len(parts) >= 2
                and parts[0] == "rosters"
                and parts[1].isdigit()
                and int(parts[1]) < len(slots)
            ):
                slot = slots[int(parts[1])]
                if len(parts) >= 4 and parts[2] == "servers" and f"r{slot}_{parts[3]}" in self.fields:
                    target = f"r{slot}_{parts[3]}"
                elif len(parts) >= 3 and parts[2] == "name":
                    target = f"r{slot}_name"
            elif path == "replications":
                target = "replications"
            for reason in reasons:
                self.add_error(target, reason)
