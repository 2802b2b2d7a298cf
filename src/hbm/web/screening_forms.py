"""The screening form, built from the questionnaire's data: one input per question asked, its text
and interviewer guidance in the page's language, and the skip logic of the engine.

The form only turns what was typed into the engine's answers (yes/no, choices, numbers, dates,
text); the engine checks them again and raises the flags (``hbm.protection.screening``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hbm.engines.screening import Question, Questionnaire, QuestionType
from hbm.web.forms import TYPED_DATE_FORMATS, HbmForm

YES, NO = "yes", "no"


def _field_of(question: Question, language: str) -> forms.Field:
    label, guidance = question.text.get(language), question.guidance.get(language)
    common: dict[str, Any] = {"label": label, "help_text": guidance, "required": question.required}
    options = [(o.value, o.label.get(language)) for o in question.options]
    if question.type is QuestionType.YES_NO:
        return forms.ChoiceField(choices=[(YES, _("Yes")), (NO, _("No"))], widget=forms.RadioSelect, **common)
    if question.type is QuestionType.CHOICE and question.multiple:
        return forms.MultipleChoiceField(choices=options, widget=forms.CheckboxSelectMultiple, **common)
    if question.type is QuestionType.CHOICE:
        return forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)
    if question.type is QuestionType.NUMBER:
        low, high = question.minimum, question.maximum
        if question.integer:
            return forms.IntegerField(
                min_value=None if low is None else int(low),
                max_value=None if high is None else int(high),
                **common,
            )
        return forms.FloatField(min_value=low, max_value=high, **common)
    if question.type is QuestionType.DATE:
        return forms.DateField(
            input_formats=TYPED_DATE_FORMATS,
            widget=forms.DateInput(attrs={"placeholder": "YYYY-MM-DD", "inputmode": "numeric"}),
            **common,
        )
    return forms.CharField(
        max_length=question.max_length, widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}), **common
    )


class ScreeningForm(HbmForm):
    """The questions of ``questionnaire`` whose ids are in ``asked`` (all when ``None``), in order."""

    def __init__(
        self,
        *args: Any,
        questionnaire: Questionnaire,
        language: str,
        asked: Iterable[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        shown = None if asked is None else set(asked)
        for question in questionnaire.questions:
            if shown is None or question.id in shown:
                self.fields[question.id] = _field_of(question, language)

    def answers(self) -> dict[str, object]:
        """The cleaned answers as the engine takes them; unanswered questions are left out. Only
        the fields that cleaned are read, so that a half-valid form still gives its skip logic."""
        cleaned = getattr(self, "cleaned_data", {})
        answers: dict[str, object] = {}
        for question in self.questionnaire.questions:
            value = cleaned.get(question.id)
            if value in (None, "", []):
                continue
            answers[question.id] = _engine_value(question, value)
        return answers

    def is_choice_group(self, name: str) -> bool:
        return isinstance(self.fields[name].widget, forms.RadioSelect | forms.CheckboxSelectMultiple)


def _engine_value(question: Question, value: Any) -> object:
    if question.type is QuestionType.YES_NO:
        return value == YES
    if question.type is QuestionType.CHOICE and question.multiple:
        return list(value)
    return value
