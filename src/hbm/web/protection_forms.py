"""Forms of the protection pages: a service of the directory."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import Organisation
from hbm.crossings.models import CrossingPoint
from hbm.protection.enums import WEEKDAYS, ServiceType
from hbm.protection.models import Service
from hbm.protection.services import ServiceData
from hbm.web.forms import HbmForm

_SEPARATORS = re.compile(r"[\s,;]+")
DAY_LABELS = {
    "mon": _("Monday"),
    "tue": _("Tuesday"),
    "wed": _("Wednesday"),
    "thu": _("Thursday"),
    "fri": _("Friday"),
    "sat": _("Saturday"),
    "sun": _("Sunday"),
}


class ServiceForm(HbmForm):
    """A service as the coordinator enters it; the service checks the rules."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name")
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    service_type = forms.ChoiceField(label=_("Type"), choices=ServiceType.choices)
    description = forms.CharField(
        label=_("What it offers"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    crossing_points = forms.ModelMultipleChoiceField(
        label=_("Crossing points served"),
        queryset=CrossingPoint.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    areas = forms.CharField(
        label=_("Areas served"),
        help_text=_("One per line: districts, towns, regions."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    languages = forms.CharField(
        label=_("Languages"),
        help_text=_("ISO 639-3 codes separated by spaces: ukr ron eng"),
        required=False,
    )
    capacity = forms.IntegerField(
        label=_("Capacity"), help_text=_("Persons at a time; empty: not limited."), required=False
    )
    contact = forms.CharField(label=_("Contact"), max_length=500, required=False)
    is_active = forms.BooleanField(label=_("In the directory"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day in WEEKDAYS:
            self.fields[f"hours_{day}"] = forms.CharField(
                label=DAY_LABELS[day],
                help_text=_("08:00-18:00; several separated by commas; empty: closed"),
                required=False,
                widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
            )

    def hour_fields(self) -> list[forms.BoundField]:
        return [self[f"hours_{day}"] for day in WEEKDAYS]

    def service_data(self) -> ServiceData:
        data = self.cleaned_data
        return ServiceData(
            organisation_id=data["organisation"].pk,
            name=data["name"],
            service_type=ServiceType(data["service_type"]),
            description=data["description"],
            crossing_point_ids=tuple(uuid.UUID(str(p.pk)) for p in data["crossing_points"]),
            areas=tuple(line.strip() for line in data["areas"].splitlines() if line.strip()),
            languages=tuple(code for code in _SEPARATORS.split(data["languages"]) if code),
            capacity=data["capacity"],
            opening_hours={day: data[f"hours_{day}"] for day in WEEKDAYS if data[f"hours_{day}"].strip()},
            contact=data["contact"],
            is_active=data["is_active"],
        )

    @classmethod
    def of(cls, service: Service) -> ServiceForm:
        initial: dict[str, Any] = {
            "organisation": service.organisation_id,
            "name": service.name,
            "service_type": service.service_type,
            "description": service.description,
            "crossing_points": list(service.crossing_points.all()),
            "areas": "\n".join(service.areas),
            "languages": " ".join(service.languages),
            "capacity": service.capacity,
            "contact": service.contact,
            "is_active": service.is_active,
            **{f"hours_{day}": service.opening_hours.get(day, "") for day in WEEKDAYS},
        }
        return cls(initial=initial)
