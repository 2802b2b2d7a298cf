"""Forms of the follow-up pages: open a follow-up, record a step, filter the overview."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hbm.followup.enums import FollowUpKind, FollowUpStage, Phase
from hbm.followup.selectors import OverviewFilter
from hbm.followup.services import FollowUpData, StepData
from hbm.web.forms import ISO_DATE, TYPED_DATE_FORMATS, HbmForm


def _day_field() -> forms.DateField:
    return forms.DateField(
        label=_("Day it happened"),
        input_formats=TYPED_DATE_FORMATS,
        widget=forms.DateInput(
            format=ISO_DATE,
            attrs={
                "placeholder": _("YYYY-MM-DD"),
                "autocomplete": "off",
                "dir": "ltr",
                "spellcheck": "false",
            },
        ),
        help_text=_("Today or before: YYYY-MM-DD or DD/MM/YYYY"),
        error_messages={"invalid": _("Type the date as YYYY-MM-DD or DD/MM/YYYY.")},
    )


def _note_field() -> forms.CharField:
    return forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        help_text=_("Facts for the next caseworker. Kept encrypted."),
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )


class FollowUpForm(HbmForm):
    start = forms.ChoiceField(label=_("Kind of follow-up and the stage reached"))
    happened_on = _day_field()
    tracing_request = forms.CharField(
        label=_("Tracing request (family reunification)"),
        required=False,
        max_length=12,
        help_text=_("The reference of a tracing request about this person, if there is one."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "spellcheck": "false"}),
    )
    note = _note_field()

    def __init__(self, *args: Any, starts: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        """``starts``: the ``kind:stage`` pairs a follow-up may start at, with their labels."""
        super().__init__(*args, **kwargs)
        self.fields["start"].choices = list(starts)  # type: ignore[attr-defined]

    def followup_data(self, referral_id: Any) -> FollowUpData:
        data = self.cleaned_data
        kind, _sep, stage = data["start"].partition(":")
        return FollowUpData(
            kind=FollowUpKind(kind),
            stage=FollowUpStage(stage),
            happened_on=data["happened_on"],
            referral_id=referral_id,
            tracing_reference=data["tracing_request"],
            note=data["note"],
        )


class StepForm(HbmForm):
    to = forms.ChoiceField(label=_("Next stage"), choices=FollowUpStage.choices)
    happened_on = _day_field()
    note = _note_field()

    def __init__(self, *args: Any, next_stages: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if next_stages:
            self.fields["to"].choices = list(next_stages)  # type: ignore[attr-defined]

    def step_data(self) -> StepData:
        data = self.cleaned_data
        return StepData(to=FollowUpStage(data["to"]), happened_on=data["happened_on"], note=data["note"])


class OverviewFilterForm(forms.Form):
    """The overview's filters, read from the query string (a GET form: the page can be bookmarked)."""

    crossing_point = forms.ChoiceField(label=_("Crossing point"), required=False)
    category = forms.ChoiceField(label=_("Specific-needs category"), required=False)
    phase = forms.ChoiceField(
        label=_("Where they stand"), choices=[("", "—"), *Phase.choices], required=False
    )
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    overdue = forms.ChoiceField(
        label=_("Overdue"),
        choices=[("", "—"), ("yes", _("overdue only")), ("no", _("not overdue"))],
        required=False,
    )
    page = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        points: Sequence[tuple[str, str]],
        categories: Sequence[tuple[str, str]],
        stages: Sequence[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["crossing_point"].choices = [("", _("all")), *points]  # type: ignore[attr-defined]
        self.fields["category"].choices = [("", _("all")), *categories]  # type: ignore[attr-defined]
        self.fields["stage"].choices = [("", _("all")), *stages]  # type: ignore[attr-defined]

    def overview_filter(self) -> OverviewFilter:
        data = self.cleaned_data if self.is_valid() else {}
        overdue = data.get("overdue") or ""
        return OverviewFilter(
            crossing_point_id=uuid.UUID(data["crossing_point"]) if data.get("crossing_point") else None,
            category=data.get("category") or "",
            phase=Phase(data["phase"]) if data.get("phase") else None,
            stage=data.get("stage") or "",
            is_overdue={"yes": True, "no": False}.get(overdue),
            page=data.get("page") or 1,
        )
