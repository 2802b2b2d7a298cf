"""Forms of the family tracing pages: filing a request, closing it, the found person's answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hbm.registration.enums import Sex
from hbm.registration.values import MAX_AGE_YEARS
from hbm.tracing.enums import ConsentGivenBy, RequestOutcome, SoughtRelationship
from hbm.tracing.services import ConsentData, SoughtData, TracingRequestData
from hbm.web.forms import HbmForm, _blank_first, _code_input, _typed_date, any_script_name


class TracingRequestForm(HbmForm):
    """A tracing request as the caseworker fills it with the enquirer. Keyboard order."""

    enquirer_name = forms.CharField(
        label=_("Enquirer's name"), max_length=200, widget=forms.TextInput(attrs={"autofocus": True})
    )
    enquirer_contact = forms.CharField(
        label=_("How to reach the enquirer"),
        help_text=_("Only you see this: phone, address, the desk where they wait."),
        max_length=500,
        required=False,
    )
    relationship = forms.ChoiceField(
        label=_("The sought person is the enquirer's"), choices=SoughtRelationship.choices
    )
    surname_latin = forms.CharField(label=_("Surname (Latin letters)"), max_length=200, required=False)
    given_names_latin = forms.CharField(
        label=_("Given names (Latin letters)"), max_length=200, required=False
    )
    surname_original = any_script_name(_("Surname (original script)"))
    given_names_original = any_script_name(_("Given names (original script)"))
    father_name = any_script_name(_("Father's name"))
    mother_name = any_script_name(_("Mother's name"))
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    date_of_birth = _typed_date(_("Date of birth"))
    birth_year = forms.IntegerField(
        label=_("or year of birth"), required=False, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    estimated_age = forms.IntegerField(
        label=_("or estimated age (years)"),
        required=False,
        min_value=0,
        max_value=MAX_AGE_YEARS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    nationality = forms.CharField(
        label=_("Nationality"),
        help_text=_("ISO 3166-1 alpha-3 code, e.g. UKR, SYR; leave empty when unknown."),
        max_length=3,
        required=False,
        widget=_code_input("nationality-options"),
    )
    place_of_birth = forms.CharField(label=_("Place of birth"), max_length=200, required=False)
    photo = forms.FileField(
        label=_("Photo of the sought person (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    separated_at_place = forms.CharField(label=_("Where they were separated"), max_length=200, required=False)
    separated_on = _typed_date(_("When they were separated"))
    circumstances = forms.CharField(
        label=_("Circumstances"),
        help_text=_("Only you see this."),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    enquirer_consent = forms.BooleanField(
        label=_(
            "The enquirer agrees to the search, and that the person found is told who is looking for them."
        ),
        required=False,
    )

    def clean_nationality(self) -> str:
        return str(self.cleaned_data.get("nationality") or "").strip().upper()

    def request_data(self, photo: bytes | None) -> TracingRequestData:
        d = self.cleaned_data
        return TracingRequestData(
            sought=SoughtData(
                given_names_latin=d.get("given_names_latin") or "",
                surname_latin=d.get("surname_latin") or "",
                given_names_original=d.get("given_names_original") or "",
                surname_original=d.get("surname_original") or "",
                sex=Sex(d["sex"]),
                date_of_birth=d.get("date_of_birth"),
                birth_year=d.get("birth_year"),
                estimated_age=d.get("estimated_age"),
                nationality=d.get("nationality") or "",
                place_of_birth=d.get("place_of_birth") or "",
                father_name=d.get("father_name") or "",
                mother_name=d.get("mother_name") or "",
            ),
            relationship=SoughtRelationship(d["relationship"]),
            enquirer_name=d["enquirer_name"],
            enquirer_contact=d.get("enquirer_contact") or "",
            enquirer_consent=bool(d.get("enquirer_consent")),
            separated_at_place=d.get("separated_at_place") or "",
            separated_on=d.get("separated_on"),
            circumstances=d.get("circumstances") or "",
            photo=photo,
        )


class TracingCloseForm(HbmForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=_blank_first(RequestOutcome.choices, "—"))
    note = forms.CharField(
        label=_("Note (optional)"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TracingConsentForm(HbmForm):
    """The answer of the person found, asked in private, in a language they understand."""

    answer = forms.ChoiceField(
        label=_("Their answer"),
        choices=(
            ("yes", _("Agrees: the enquirer's caseworker may learn who they are and where")),
            ("no", _("Does not agree: the enquirer is told nothing")),
        ),
        widget=forms.RadioSelect,
    )
    given_by = forms.ChoiceField(
        label=_("Who decided"),
        choices=ConsentGivenBy.choices,
        initial=ConsentGivenBy.PERSON,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for a best-interests decision"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    approved_by = forms.CharField(
        label=_("Approved by (supervisor's username)"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocapitalize": "none", "spellcheck": "false"}),
    )
    note = forms.CharField(
        label=_("For the caseworker: how to reach them"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def consent_data(self) -> ConsentData:
        d: dict[str, Any] = self.cleaned_data
        return ConsentData(
            is_given=d["answer"] == "yes",
            given_by=ConsentGivenBy(d["given_by"]),
            reason=d.get("reason") or "",
            approved_by=d.get("approved_by") or "",
            note=d.get("note") or "",
        )


class TracingDismissForm(HbmForm):
    note = forms.CharField(
        label=_("Why not (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
