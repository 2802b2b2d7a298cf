"""The protection dashboard page: flagged persons by category and per day, the share referred within
the deadline, the median time from arrival to acceptance, and overdue referrals, per crossing point
and day (coordinators: every point; screening officers: their postings). Figures from
``hbm.protection.dashboard``; charts as inline SVG with their data tables."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hbm.core.errors import PermissionDenied, ValidationFailed
from hbm.engines.screening import specific_needs
from hbm.protection.dashboard import DayFigures, Figures, dashboard_points, protection_figures
from hbm.web.forms import ISO_DATE, HbmForm
from hbm.web.pages import officer_page, page, user_of
from hbm.web.protection_dashboard_charts import category_chart, day_chart
from hbm.web.service_errors import service_errors_apply

_DATE = {"placeholder": "YYYY-MM-DD", "inputmode": "numeric"}


class DashboardFilter(HbmForm):
    point = forms.TypedChoiceField(
        label=gettext_lazy("Crossing point"), required=False, coerce=uuid.UUID, empty_value=None
    )
    start = forms.DateField(
        label=gettext_lazy("From"), required=False, input_formats=[ISO_DATE], widget=forms.DateInput(_DATE)
    )
    end = forms.DateField(
        label=gettext_lazy("To"), required=False, input_formats=[ISO_DATE], widget=forms.DateInput(_DATE)
    )

    def __init__(self, *args: Any, points: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["point"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("All my crossing points")), *[(str(p.pk), p.name) for p in points]]


def category_label(category: str) -> str:
    """A UNHCR category's name in the page's language; ``""`` is a need UNHCR has no code for."""
    if not category:
        return _("No UNHCR code (e.g. pregnancy)")
    need = specific_needs().get(category)
    return need.label.get((get_language() or "en").split("-")[0]) if need else category


@officer_page
@require_GET
def protection_dashboard(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    points = dashboard_points(user=user)
    form = DashboardFilter(request.GET or None, points=points)
    status, figures = 200, None
    if form.is_bound and not form.is_valid():
        status = 422
    else:
        chosen = form.cleaned_data if form.is_bound else {}
        try:
            figures = protection_figures(
                user=user,
                crossing_point_id=chosen.get("point") or None,
                start=chosen.get("start"),
                end=chosen.get("end"),
            )
        except ValidationFailed as exc:
            service_errors_apply(form, exc)
            status = 422
        except PermissionDenied:
            form.add_error("point", _("you are not posted at this crossing point"))
            status = 422
    return page(request, "web/protection_dashboard.html", {"form": form, **_shown(figures)}, status=status)


def _shown(figures: Figures | None) -> dict[str, Any]:
    if figures is None:
        return {"figures": None}
    names = {p.pk: p.name for p in figures.crossing_points}
    span = (figures.end - figures.start).days + 1
    per_day: dict[date, list[DayFigures]] = {figures.start + timedelta(days=i): [] for i in range(span)}
    for day in figures.days:
        per_day.setdefault(day.day, []).append(day)
    days = sorted(per_day.items())  # every day of the period, a day with nothing at zero
    categories = [(category_label(c), n) for c, n in figures.totals_by_category().items()]
    totals = [
        (
            day.strftime(ISO_DATE),
            sum(d.flagged_persons for d in rows),
            sum(d.referred_in_time for d in rows),
            sum(d.overdue for d in rows),
        )
        for day, rows in days
    ]
    return {
        "figures": figures,
        "rows": [
            (
                names.get(d.crossing_point_id, "?"),
                d,
                _categories_of(d),
                duration_text(d.median_minutes_to_acceptance),
            )
            for d in figures.days
        ],
        "categories": categories,
        "category_chart": category_chart(categories),
        "day_chart": day_chart([(label, flagged, in_time) for label, flagged, in_time, _ in totals]),
        "totals": totals,
        "flagged": sum(t[1] for t in totals),
        "in_time": sum(t[2] for t in totals),
        "overdue": sum(t[3] for t in totals),
    }


def duration_text(minutes: float | None) -> str:
    """``95`` → ``1 h 35 min``; ``3571.7`` → ``2 d 11 h``; ``None`` → ``—``."""
    if minutes is None:
        return "—"
    whole = round(minutes)
    days, rest = divmod(whole, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _("%(days)s d %(hours)s h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": mins}
    return _("%(minutes)s min") % {"minutes": mins}


def _categories_of(day: DayFigures) -> str:
    ordered = sorted(day.by_category.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{category_label(c)}: {n}" for c, n in ordered)
