"""The pages' forms: they parse what was typed into the services' typed inputs, nothing more.

The rules (what a mode requires, check digits, allowed transitions) live in the services; a form
only turns text into dates, numbers and enums, and marks as required what the crossing point's
current policy requires so that the browser can say so before the round trip.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hbm.audit.enums import events_by_area
from hbm.crossings.enums import MODE_TRANSITIONS, CrossingKind, CrossingMode
from hbm.engines.tokens import TokenError, token_validate
from hbm.registration.enums import (
    AgeBand,
    DocumentKind,
    NoDocumentReason,
    Relationship,
    Sex,
    SpecificNeed,
    Transport,
)
from hbm.registration.policy import RegistrationPolicy
from hbm.registration.services import (
    MAX_COUNT_PER_CELL,
    MAX_GROUP_SIZE,
    CountData,
    DocumentData,
    EncounterData,
    IndividualData,
)
from hbm.registration.values import MAX_AGE_YEARS
from hbm.web.service_errors import token_error_text

ISO_DATE = "%Y-%m-%d"
# Dates are typed, not picked: a browser date picker is three tab stops (day, month, year) in the
# order of the browser's own locale. Officers type ISO or day/month/year, as on documents.
TYPED_DATE_FORMATS = [ISO_DATE, "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y"]
_LANGUAGE_SEPARATORS = re.compile(r"[\s,;]+")

TRANSPORT_OF_KIND = {
    CrossingKind.LAND: Transport.LAND,
    CrossingKind.SEA: Transport.SEA_DISEMBARKATION,
    CrossingKind.AIR: Transport.AIR,
}


def encounter_data_for(kind: str) -> EncounterData:
    """An arrival by the transport of the crossing point's kind, now (the browser is online)."""
    return EncounterData(transport=TRANSPORT_OF_KIND.get(CrossingKind(kind), Transport.LAND))


def _typed_date_input(**attrs: Any) -> forms.DateInput:
    return forms.DateInput(
        format=ISO_DATE,
        attrs={
            "placeholder": _("YYYY-MM-DD"),
            "autocomplete": "off",
            "dir": "ltr",
            "spellcheck": "false",
            **attrs,
        },
    )


def any_script_name(label: Any) -> forms.CharField:
    """An optional name as the person writes it, in any script (``dir="auto"``: Arabic right to
    left, Latin left to right, in one form)."""
    return forms.CharField(
        label=label, max_length=200, required=False, widget=forms.TextInput(attrs={"dir": "auto"})
    )


def _typed_date(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=TYPED_DATE_FORMATS,
        widget=_typed_date_input(),
        help_text=_("YYYY-MM-DD or DD/MM/YYYY"),
        error_messages={"invalid": _("Type the date as YYYY-MM-DD or DD/MM/YYYY.")},
        **kwargs,
    )


def _code_input(list_id: str, **attrs: Any) -> forms.TextInput:
    """A short code typed in Latin capitals, offered from a <datalist>, always left to right."""
    return forms.TextInput(
        attrs={
            "list": list_id,
            "autocomplete": "off",
            "autocapitalize": "characters",
            "spellcheck": "false",
            "dir": "ltr",
            **attrs,
        }
    )


def _token_clean(form: forms.Form, name: str) -> str:
    raw = str(form.cleaned_data.get(name) or "").strip()
    if not raw:
        return ""
    try:
        return token_validate(raw)
    except TokenError as exc:
        raise forms.ValidationError(token_error_text(raw, exc), code=exc.code) from exc


def _token_input(**attrs: Any) -> forms.TextInput:
    return forms.TextInput(
        attrs={
            "autocomplete": "off",
            "autocapitalize": "characters",
            "spellcheck": "false",
            "dir": "ltr",
            "placeholder": "XXXX-XXXX-X",
            **attrs,
        }
    )


class HbmForm(forms.Form):
    """A form of the pages. After a refusal, focus goes to the first input that needs correcting."""

    focus_summary = False  # the error summary takes the focus when no single input can

    def focus_first_error(self) -> None:
        """Move ``autofocus`` to the first field with an error, in keyboard order.

        A radio or checkbox group has no single input to focus, and a refusal of the whole form
        belongs to no input: then the error summary at the top takes the focus.
        """
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)
        for name, field in self.fields.items():
            if name not in self.errors:
                continue
            if isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                break
            field.widget.attrs["autofocus"] = True
            return
        self.focus_summary = True


class LoginForm(HbmForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "username",
                "autofocus": True,
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ModeSwitchForm(HbmForm):
    """Offers only the transitions allowed from the current mode; the service decides in the end."""

    to_mode = forms.ChoiceField(label=_("New mode"), choices=CrossingMode.choices)
    reason = forms.CharField(
        label=_("Reason for the decision"),
        help_text=_("Kept with your name and the time. At least 10 characters."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "minlength": 10}),
    )

    def __init__(self, *args: Any, current_mode: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = MODE_TRANSITIONS[CrossingMode(current_mode)]
        # Only the display is narrowed: any mode is parsed, so that the service's own refusal of a
        # forbidden transition is what the officer sees.
        to_mode = self.fields["to_mode"]
        assert isinstance(to_mode.widget, forms.Select)
        to_mode.widget.choices = [(m.value, m.label) for m in CrossingMode if m in allowed]


def count_field_name(sex: Sex, band_index: int) -> str:
    return f"cell_{sex.value}_{band_index}"


class CountForm(HbmForm):
    """One number per sex × age band; empty means 0."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        first = True
        for sex in Sex:
            for index, band in enumerate(AgeBand):
                self.fields[count_field_name(sex, index)] = forms.IntegerField(
                    label=f"{sex.label}, {band.label}",
                    min_value=0,
                    max_value=MAX_COUNT_PER_CELL,
                    required=False,
                    widget=forms.NumberInput(
                        attrs={"inputmode": "numeric", "placeholder": "0", "autofocus": first}
                    ),
                )
                first = False

    def rows(self) -> list[tuple[str, list[forms.BoundField]]]:
        """(sex label, bound fields by age band) for the grid."""
        return [
            (str(sex.label), [self[count_field_name(sex, i)] for i in range(len(AgeBand))]) for sex in Sex
        ]

    def cells(self) -> list[CountData]:
        return [
            CountData(sex=sex, age_band=band, count=self.cleaned_data.get(count_field_name(sex, i)) or 0)
            for sex in Sex
            for i, band in enumerate(AgeBand)
        ]


class GroupForm(HbmForm):
    size = forms.IntegerField(
        label=_("Number of people in the group"),
        min_value=1,
        max_value=MAX_GROUP_SIZE,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autofocus": True}),
    )
    head_name = forms.CharField(
        label=_("Name of the head of the group"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "auto"}),
    )
    nationality = forms.CharField(
        label=_("Nationality"),
        help_text=_("ISO 3166-1 alpha-3 code, e.g. UKR, SYR; XXA for a stateless person."),
        max_length=3,
        widget=_code_input("nationality-options"),
    )
    token = forms.CharField(
        label=_("Token of a pre-printed wristband (optional)"),
        help_text=_("Leave empty to make a new token."),
        required=False,
        max_length=20,
        widget=_token_input(),
    )

    def clean_nationality(self) -> str:
        return str(self.cleaned_data["nationality"]).strip().upper()

    def clean_token(self) -> str:
        return _token_clean(self, "token")


def _blank_first(choices: Sequence[tuple[Any, Any]], blank: Any) -> list[tuple[Any, Any]]:
    return [("", blank), *choices]


class PersonForm(HbmForm):
    """An individual registration. Field order is the keyboard order of the screen."""

    surname_latin = forms.CharField(
        label=_("Surname (Latin letters)"), max_length=200, required=False, widget=forms.TextInput()
    )
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
        label=_("or year of birth"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
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
        help_text=_("ISO 3166-1 alpha-3 code, e.g. UKR, SYR; XXA for a stateless person."),
        max_length=3,
        widget=_code_input("nationality-options"),
    )
    place_of_birth = forms.CharField(label=_("Place of birth"), max_length=200, required=False)
    languages = forms.CharField(
        label=_("Languages spoken"),
        help_text=_("ISO 639-3 codes separated by commas, e.g. ukr, rus."),
        max_length=200,
        required=False,
        widget=_code_input("language-options", autocapitalize="none"),
    )
    group_token = forms.CharField(
        label=_("Group token"),
        help_text=_("From the group's wristband or card; leave empty for a person alone."),
        max_length=20,
        required=False,
        widget=_token_input(),
    )
    relationship = forms.ChoiceField(
        label=_("Relationship to the head of the group"),
        choices=_blank_first(Relationship.choices, "—"),
        required=False,
    )
    specific_needs = forms.MultipleChoiceField(
        label=_("Specific needs"),
        choices=SpecificNeed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    document_kind = forms.ChoiceField(
        label=_("Kind of document"),
        choices=_blank_first(DocumentKind.choices, _("No document shown")),
        required=False,
    )
    mrz = forms.CharField(
        label=_("Machine-readable zone (MRZ)"),
        help_text=_("The 2 or 3 lines at the bottom of the page, one line per line."),
        max_length=200,
        required=False,
        strip=False,
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "dir": "ltr",
                "spellcheck": "false",
                "autocapitalize": "characters",
                "class": "mrz",
            }
        ),
    )
    document_number = forms.CharField(
        label=_("Document number"),
        help_text=_("Only when there is no MRZ."),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "spellcheck": "false"}),
    )
    issuing_state = forms.CharField(
        label=_("Issuing state"), max_length=3, required=False, widget=_code_input("nationality-options")
    )
    date_of_expiry = _typed_date(_("Date of expiry"))
    is_damaged = forms.BooleanField(label=_("Document is damaged"), required=False)
    no_document_reason = forms.ChoiceField(
        label=_("Reason there is no document"),
        choices=_blank_first(NoDocumentReason.choices, "—"),
        required=False,
    )
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "user"}),
    )

    # Alt+key (Alt+Shift+key in Firefox) jumps to these inputs; keys that browsers keep for their
    # own menus (D, E, F) are avoided. The screen lists them.
    ACCESS_KEYS = {
        "surname_latin": "n",
        "date_of_birth": "b",
        "nationality": "c",
        "group_token": "g",
        "photo": "p",
    }

    # Logical names of the service (policy, ValidationFailed paths) → the input that answers them.
    SERVICE_FIELD_ALIASES = {"documents": "document_kind", "tier": "", "occurred_at": "", "id": ""}

    def __init__(self, *args: Any, policy: RegistrationPolicy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.policy = policy
        self.fields["surname_latin"].widget.attrs["autofocus"] = True
        for name, key in self.ACCESS_KEYS.items():
            self.fields[name].widget.attrs["accesskey"] = key
        self.fields["place_of_birth"].required = policy.requires("place_of_birth")
        self.fields["languages"].required = policy.requires("languages")
        if not policy.estimated_age_allowed:
            self.fields["estimated_age"].help_text = _("In this mode only for a person without a document.")

    def clean_nationality(self) -> str:
        return str(self.cleaned_data["nationality"]).strip().upper()

    def clean_issuing_state(self) -> str:
        return str(self.cleaned_data.get("issuing_state") or "").strip().upper()

    def clean_group_token(self) -> str:
        return _token_clean(self, "group_token")

    def clean_languages(self) -> tuple[str, ...]:
        text = str(self.cleaned_data.get("languages") or "")
        return tuple(code.lower() for code in _LANGUAGE_SEPARATORS.split(text) if code)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        typed = any(data.get(name) for name in ("mrz", "document_number", "issuing_state", "date_of_expiry"))
        if typed and not data.get("document_kind"):
            self.add_error("document_kind", _("Choose the kind of document."))
        if data.get("document_kind") and data.get("no_document_reason"):
            self.add_error("no_document_reason", _("A document was shown: leave the reason empty."))
        return data

    def has_document_input(self) -> bool:
        """Whether the document block was used (it stays open when it was)."""
        names = ("document_kind", "mrz", "document_number", "issuing_state", "date_of_expiry", "is_damaged")
        return any(self[name].value() for name in names) or any(self[name].errors for name in names)

    def individual_data(self, encounter: EncounterData) -> IndividualData:
        d = self.cleaned_data
        documents: tuple[DocumentData, ...] = ()
        if d.get("document_kind"):
            documents = (
                DocumentData(
                    kind=DocumentKind(d["document_kind"]),
                    mrz=d.get("mrz") or "",
                    document_number=d.get("document_number") or "",
                    issuing_state=d.get("issuing_state") or "",
                    date_of_expiry=d.get("date_of_expiry"),
                    is_damaged=bool(d.get("is_damaged")),
                ),
            )
        return IndividualData(
            given_names_latin=d.get("given_names_latin") or "",
            surname_latin=d.get("surname_latin") or "",
            given_names_original=d.get("given_names_original") or "",
            surname_original=d.get("surname_original") or "",
            sex=Sex(d["sex"]),
            nationality=d["nationality"],
            date_of_birth=d.get("date_of_birth"),
            birth_year=d.get("birth_year"),
            estimated_age=d.get("estimated_age"),
            place_of_birth=d.get("place_of_birth") or "",
            father_name=d.get("father_name") or "",
            mother_name=d.get("mother_name") or "",
            languages=d.get("languages") or (),
            specific_needs=tuple(SpecificNeed(v) for v in d.get("specific_needs") or ()),
            group_token=d.get("group_token") or "",
            relationship=Relationship(d["relationship"]) if d.get("relationship") else None,
            documents=documents,
            no_document_reason=NoDocumentReason(d["no_document_reason"])
            if d.get("no_document_reason")
            else None,
            encounter=encounter,
        )


class SearchForm(HbmForm):
    q = forms.CharField(
        label=_("Name (Latin letters or original script)"),
        help_text=_("Words in any order; part of a name is enough."),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autofocus": True, "dir": "auto"}),
    )
    parent_name = forms.CharField(
        label=_("Father's or mother's name"),
        help_text=_("Latin letters or original script; part of the name is enough."),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    nationality = forms.CharField(
        label=_("Nationality"), max_length=3, required=False, widget=_code_input("nationality-options")
    )
    token = forms.CharField(label=_("Group token"), max_length=20, required=False, widget=_token_input())
    document_number = forms.CharField(
        label=_("Document number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "spellcheck": "false"}),
    )
    date_of_birth = _typed_date(_("Date of birth"))
    sounds = forms.BooleanField(
        label=_("Also names that sound alike (Muhammad, Mohamed, محمد)"),
        help_text=_("Whole names, spelt another way or in another script."),
        required=False,
    )

    def clean_nationality(self) -> str:
        return str(self.cleaned_data.get("nationality") or "").strip().upper()

    def clean_token(self) -> str:
        return _token_clean(self, "token")

    def has_criteria(self) -> bool:
        """Whether anything is searched for (how names are compared is not a criterion)."""
        return any(self.cleaned_data.get(name) for name in self.fields if name != "sounds")


class GroupLookupForm(HbmForm):
    token = forms.CharField(label=_("Group token"), max_length=20, widget=_token_input(autofocus=True))

    def clean_token(self) -> str:
        return _token_clean(self, "token")


class DeviceForm(HbmForm):
    name = forms.CharField(
        label=_("Name of the device"),
        help_text=_("For example “tablet 3, north lane”."),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class AuditFilterForm(HbmForm):
    event = forms.ChoiceField(
        label=_("Event"),
        choices=_blank_first(events_by_area(), _("all")),
        required=False,
    )
    actor = forms.CharField(
        label=_("User name"), max_length=150, required=False, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    subject_id = forms.CharField(
        label=_("Subject id"), max_length=64, required=False, widget=forms.TextInput(attrs={"dir": "ltr"})
    )


def day_parse(text: str | None) -> date | None:
    """A ``YYYY-MM-DD`` query value, or ``None`` when absent or not a date."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
