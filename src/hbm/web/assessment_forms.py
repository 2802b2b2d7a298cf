"""The assessment form: title, country or crossing point, and one choice per question of the
questionnaire (a maturity level, "not answered yet" or "does not apply"). The service checks the
rules; the form only turns the choices into levels."""

from __future__ import annotations

from typing import Any

import pycountry
from django import forms
from django.utils.translation import gettext_lazy as _

from hbm.assessments.models import Assessment
from hbm.assessments.services import AssessmentData
from hbm.crossings.models import CrossingPoint
from hbm.engines import assessment as engine
from hbm.registration.countries import nationality_options
from hbm.web.forms import HbmForm

NOT_ANSWERED = ""
NOT_APPLICABLE = "na"
PREFIX = "q_"


def _countries() -> list[tuple[str, str]]:
    return [("", "—")] + [
        (code, name)
        for code, name in nationality_options()
        if pycountry.countries.get(alpha_3=code) is not None
    ]


class AssessmentForm(HbmForm):
    """The questionnaire's questions become fields named ``q_<question id>``, pillar by pillar."""

    title = forms.CharField(label=_("Title"), max_length=200, widget=forms.TextInput(attrs={"dir": "auto"}))
    country = forms.ChoiceField(label=_("Country"), choices=_countries)
    crossing_point = forms.ModelChoiceField(
        label=_("Crossing point"),
        help_text=_("Leave empty to assess the whole country's border."),
        queryset=CrossingPoint.objects.order_by("name"),
        required=False,
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, questionnaire: engine.Questionnaire, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        self.language = language
        for question in questionnaire.questions:
            self.fields[PREFIX + question.id] = forms.ChoiceField(
                label=question.text.get(language),
                choices=self._choices(question),
                required=False,
                widget=forms.RadioSelect,
            )

    def _choices(self, question: engine.Question) -> list[tuple[str, str]]:
        names = self.questionnaire.level_names
        levels = [
            (str(level), f"{level} · {names[level].get(self.language)}: {text.get(self.language)}")
            for level, text in enumerate(question.levels)
        ]
        return [
            (NOT_ANSWERED, str(_("Not answered yet"))),
            *levels,
            (NOT_APPLICABLE, str(_("Does not apply here"))),
        ]

    @classmethod
    def of(
        cls,
        assessment: Assessment,
        *,
        questionnaire: engine.Questionnaire,
        language: str,
        as_new: bool = False,
    ) -> AssessmentForm:
        """The form filled in with ``assessment``; ``as_new``: as the start of a new assessment
        (the next review), with no revision and the questions the questionnaire still has."""
        initial: dict[str, Any] = {
            "title": assessment.title,
            "country": assessment.country,
            "crossing_point": assessment.crossing_point,
            "revision": None if as_new else assessment.revision,
        }
        for question_id, level in assessment.answers.items():
            initial[PREFIX + question_id] = str(level)
        for question_id in assessment.not_applicable:
            initial[PREFIX + question_id] = NOT_APPLICABLE
        return cls(initial=initial, questionnaire=questionnaire, language=language)

    def pillars(self) -> list[tuple[engine.Pillar, str, list[forms.BoundField]]]:
        """Each pillar, its label in the form's language, and its questions' fields."""
        return [
            (pillar, pillar.label.get(self.language), [self[PREFIX + q.id] for q in pillar.questions])
            for pillar in self.questionnaire.pillars
        ]

    def assessment_data(self) -> AssessmentData:
        data = self.cleaned_data
        answers: dict[str, int | None] = {}
        not_applicable: list[str] = []
        for question in self.questionnaire.questions:
            choice = data.get(PREFIX + question.id) or NOT_ANSWERED
            if choice == NOT_APPLICABLE:
                not_applicable.append(question.id)
            elif choice != NOT_ANSWERED:
                answers[question.id] = int(choice)
        point = data.get("crossing_point")
        return AssessmentData(
            title=data["title"],
            country=data["country"],
            crossing_point_id=point.pk if point else None,
            answers=answers,
            not_applicable=tuple(not_applicable),
        )
