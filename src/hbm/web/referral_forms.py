"""Forms of the referral pages: refer a person (with their consent), and the service's answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hbm.protection.enums import ConsentGivenBy, ReferralOutcome, ReferralStatus, SharedField, Urgency
from hbm.protection.models import Service
from hbm.protection.referrals import ConsentData, ReferralData
from hbm.web.forms import HbmForm


class ReferralForm(HbmForm):
    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.none())
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.HIGH)
    reason = forms.CharField(
        label=_("What the service needs to know"),
        help_text=_("Shared with the service. Facts, not the person's story: they will tell it themself."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    flag = forms.CharField(label=_("Specific-needs code"), max_length=16, required=False)
    shared_fields = forms.MultipleChoiceField(
        label=_("Share with the service"),
        choices=SharedField.choices,
        initial=[SharedField.NAMES, SharedField.SEX, SharedField.DATE_OF_BIRTH],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    consent = forms.BooleanField(
        label=_("The person agrees that this organisation is told what is ticked above"), required=False
    )
    given_by = forms.ChoiceField(
        label=_("Who decided"),
        choices=ConsentGivenBy.choices,
        initial=ConsentGivenBy.PERSON,
        widget=forms.RadioSelect,
    )
    consent_reason = forms.CharField(
        label=_("Reason for a best-interests decision"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    approved_by = forms.CharField(
        label=_("Approved by (supervisor's username)"), max_length=150, required=False
    )

    def __init__(self, *args: Any, services: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if services is not None:
            self.fields["service"].queryset = services  # type: ignore[attr-defined]

    def referral_data(self) -> ReferralData:
        data = self.cleaned_data
        return ReferralData(
            service_id=data["service"].pk,
            urgency=Urgency(data["urgency"]),
            reason=data["reason"],
            flag=data["flag"],
            shared_fields=tuple(SharedField(f) for f in data["shared_fields"]),
        )

    def consent_data(self) -> ConsentData | None:
        data = self.cleaned_data
        if not data["consent"]:
            return None
        return ConsentData(
            recipient_id=data["service"].organisation_id,
            is_given=True,
            given_by=ConsentGivenBy(data["given_by"]),
            reason=data["consent_reason"],
            approved_by=data["approved_by"],
        )


class ReferralAnswerForm(HbmForm):
    to = forms.ChoiceField(label=_("Now"), choices=ReferralStatus.choices)
    outcome = forms.ChoiceField(
        label=_("Outcome (when closing)"), choices=[("", "—"), *ReferralOutcome.choices], required=False
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )
