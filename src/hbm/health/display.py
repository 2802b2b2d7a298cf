"""Health data as shown by the API and the pages: disease names and advice from the checklist, and
the daily report as plain values (``None`` where a cell is hidden)."""

from __future__ import annotations

from typing import Any

from hbm.health.models import HealthRecord
from hbm.health.selectors import HealthDayReport
from hbm.health.services import health_checklist
from hbm.protection.enums import ReferralStatus


def disease_name(disease_id: str, language: str) -> str:
    """The disease's name in ``language`` from the checklist in force; its id if it has left it."""
    for disease in health_checklist().diseases:
        if disease.id == disease_id:
            return disease.name.get(language)
    return disease_id


def _advice(disease_id: str, language: str) -> str:
    for disease in health_checklist().diseases:
        if disease.id == disease_id:
            return disease.advice.get(language)
    return ""


def suspected_rows(record: HealthRecord, language: str = "en") -> list[dict[str, str]]:
    """The record's suspected diseases, most urgent first, with their names and advice."""
    return [
        {
            "disease": row["disease"],
            "name": disease_name(row["disease"], language),
            "action": row["action"],
            "urgency": row["urgency"],
            "advice": _advice(row["disease"], language),
        }
        for row in record.suspected
    ]


def report_as_dict(report: HealthDayReport, language: str) -> dict[str, Any]:
    return {
        "crossing_point_id": report.crossing_point.pk,
        "day": report.day,
        "is_exact": report.is_exact,
        "hours": [
            {
                "hour": row.hour,
                "screened": row.screened,
                "negative": row.negative.value,
                "positive": row.positive.value,
            }
            for row in report.hours
        ],
        "screened": report.screened,
        "negative": report.negative.value,
        "positive": report.positive.value,
        "by_disease": [
            {"key": disease, "name": disease_name(disease, language), "count": cell.value}
            for disease, cell in report.by_disease
        ],
        "referrals_by_status": [
            {"key": status, "name": str(ReferralStatus(status).label), "count": cell.value}
            for status, cell in report.referrals_by_status
        ],
        "referrals_overdue": report.referrals_overdue.value,
        "checklists": list(report.checklists),
    }
