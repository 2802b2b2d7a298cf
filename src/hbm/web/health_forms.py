"""Forms of the health pages, built from the checklist's data (questions, options, bounds, texts in
English, French and Arabic): the screening itself, and what a positive one needs."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hbm.crossings.models import CrossingPoint
from hbm.engines.screening import HealthChecklist, Question, QuestionType, asked_questions
from hbm.protection.enums import ConsentGivenBy
from hbm.protection.models import Service
from hbm.registration.models import Person
from hbm.web.forms import HbmForm

CELSIUS, FAHRENHEIT = "C", "F"
YES, NO = "yes", "no"


def fahrenheit_to_celsius(value: float) -> float:
    return round((value - 32) * 5 / 9, 1)


def celsius_to_fahrenheit(value: float) -> float:
    return round(value * 9 / 5 + 32, 1)


def question_field_name(question_id: str) -> str:
    return f"q_{question_id}"


class HealthScreeningForm(HbmForm):
    """One field per question of the checklist, in its order; the temperature with its unit."""

    crossing_point = forms.ModelChoiceField(label=_("Crossing point"), queryset=CrossingPoint.objects.none())
    temperature = forms.FloatField(
        label=_("Temperature"),
        widget=forms.NumberInput(
            attrs={
                "step": "0.1",
                "inputmode": "decimal",
                "autofocus": True,
                "dir": "ltr",
                "autocomplete": "off",
            }
        ),
    )
    temperature_unit = forms.ChoiceField(
        label=_("Unit"),
        choices=[(CELSIUS, "°C"), (FAHRENHEIT, "°F")],
        initial=CELSIUS,
        widget=forms.RadioSelect,
    )

    def __init__(
        self,
        *args: Any,
        checklist: HealthChecklist,
        language: str,
        points: Sequence[CrossingPoint],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.checklist = checklist
        point_field = self.fields["crossing_point"]
        assert isinstance(point_field, forms.ModelChoiceField)
        point_field.queryset = CrossingPoint.objects.filter(pk__in=[p.pk for p in points]).order_by("name")
        if len(points) == 1:
            point_field.initial = points[0].pk
        temperature = checklist_question(checklist, checklist.temperature)
        self.minimum_c = temperature.minimum if temperature.minimum is not None else 30.0
        self.maximum_c = temperature.maximum if temperature.maximum is not None else 45.0
        self.fields["temperature"].help_text = _(
            "Between %(low_c)s and %(high_c)s °C (%(low_f)s to %(high_f)s °F). "
            "A fever is %(fever)s °C or more."
        ) % {
            "low_c": f"{self.minimum_c:g}",
            "high_c": f"{self.maximum_c:g}",
            "low_f": f"{celsius_to_fahrenheit(self.minimum_c):g}",
            "high_f": f"{celsius_to_fahrenheit(self.maximum_c):g}",
            "fever": f"{checklist.fever_threshold_c:g}",
        }
        for question in checklist.questions:
            if question.id != checklist.temperature:
                self.fields[question_field_name(question.id)] = _field_of(question, language)

    @property
    def question_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("q_")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        value, unit = data.get("temperature"), data.get("temperature_unit")
        if value is not None and unit:
            celsius = fahrenheit_to_celsius(value) if unit == FAHRENHEIT else round(value, 1)
            if not self.minimum_c <= celsius <= self.maximum_c:
                low, high = self.minimum_c, self.maximum_c
                if unit == FAHRENHEIT:
                    low, high = celsius_to_fahrenheit(low), celsius_to_fahrenheit(high)
                self.add_error(
                    "temperature",
                    _("A body temperature is between %(low)s and %(high)s °%(unit)s: measure again.")
                    % {"low": f"{low:g}", "high": f"{high:g}", "unit": unit},
                )
            else:
                data["temperature_c"] = celsius
        return data

    def answers(self) -> dict[str, Any]:
        """The answers for the checklist, in °C, with nothing kept for questions not asked."""
        data = self.cleaned_data
        answers: dict[str, Any] = {self.checklist.temperature: data["temperature_c"]}
        for question in self.checklist.questions:
            if question.id == self.checklist.temperature:
                continue
            value = _answer_of(question, data.get(question_field_name(question.id)))
            if value is not None:
                answers[question.id] = value
        asked = set(asked_questions(self.checklist, answers))
        return {key: value for key, value in answers.items() if key in asked}


def checklist_question(checklist: HealthChecklist, question_id: str) -> Question:
    for question in checklist.questions:
        if question.id == question_id:
            return question
    raise KeyError(question_id)


def _field_of(question: Question, language: str) -> forms.Field:
    label, guidance = question.text.get(language), question.guidance.get(language)
    if question.type is QuestionType.YES_NO:
        return forms.ChoiceField(
            label=label,
            help_text=guidance,
            choices=[(YES, _("Yes")), (NO, _("No")), ("", _("Not asked"))],
            required=False,
            initial="",
            widget=forms.RadioSelect,
        )
    if question.type is QuestionType.CHOICE:
        choices = [(o.value, o.label.get(language)) for o in question.options]
        if question.multiple:
            return forms.MultipleChoiceField(
                label=label,
                help_text=guidance,
                choices=choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        return forms.ChoiceField(
            label=label, help_text=guidance, choices=[("", "—"), *choices], required=False
        )
    if question.type is QuestionType.NUMBER:
        attrs = {"dir": "ltr", "inputmode": "numeric" if question.integer else "decimal"}
        if question.integer:
            return forms.IntegerField(
                label=label,
                help_text=guidance,
                required=False,
                min_value=int(question.minimum) if question.minimum is not None else None,
                max_value=int(question.maximum) if question.maximum is not None else None,
                widget=forms.NumberInput(attrs=attrs),
            )
        return forms.FloatField(
            label=label,
            help_text=guidance,
            required=False,
            min_value=question.minimum,
            max_value=question.maximum,
            widget=forms.NumberInput(attrs={**attrs, "step": "any"}),
        )
    return forms.CharField(
        label=label,
        help_text=guidance,
        required=False,
        max_length=question.max_length,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )


def _answer_of(question: Question, raw: Any) -> Any:
    if raw in (None, "", []):
        return None
    if question.type is QuestionType.YES_NO:
        return raw == YES
    if question.type is QuestionType.CHOICE and question.multiple:
        return list(raw)
    return raw


class HealthPositiveForm(HbmForm):
    """What a positive screening needs: who the person is, and the service they are referred to."""

    answers_json = forms.CharField(widget=forms.HiddenInput)
    crossing_point = forms.UUIDField(widget=forms.HiddenInput)
    token = forms.CharField(
        label=_("Wristband token or person's id"),
        help_text=_("The group's wristband token, or the id on the person's registration slip."),
        max_length=64,
        required=False,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "off", "autocapitalize": "characters", "dir": "ltr"}
        ),
    )
    person = forms.ChoiceField(label=_("Which member of the group"), required=False, widget=forms.RadioSelect)
    service = forms.ModelChoiceField(label=_("Health service"), queryset=Service.objects.none())
    consent_given = forms.BooleanField(
        label=_("The person agrees that this service is told (a medical referral waits for it)"),
        required=False,
    )
    given_by = forms.ChoiceField(
        label=_("Who agreed"),
        choices=[
            (ConsentGivenBy.PERSON, ConsentGivenBy.PERSON.label),
            (ConsentGivenBy.GUARDIAN, ConsentGivenBy.GUARDIAN.label),
        ],
        initial=ConsentGivenBy.PERSON,
        widget=forms.RadioSelect,
    )

    def __init__(
        self, *args: Any, services: Sequence[Service], members: Sequence[Person] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        service_field = self.fields["service"]
        assert isinstance(service_field, forms.ModelChoiceField)
        service_field.queryset = Service.objects.filter(pk__in=[s.pk for s in services]).order_by(
            "service_type", "name"
        )
        if len(services) == 1:
            service_field.initial = services[0].pk
        person_field = self.fields["person"]
        assert isinstance(person_field, forms.ChoiceField)
        person_field.choices = [
            (str(p.pk), f"{p.surname_latin}, {p.given_names_latin} · {p.date_of_birth:%Y}") for p in members
        ]

    def clean_answers_json(self) -> dict[str, Any]:
        try:
            value = json.loads(self.cleaned_data["answers_json"])
        except ValueError:
            raise forms.ValidationError(_("Screen again: the answers were lost.")) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(_("Screen again: the answers were lost."))
        return value
