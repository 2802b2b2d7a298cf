"""The demo's assessments: a completed country-wide one and a draft for the land crossing, the same
on every load."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from hbm.accounts.models import User
from hbm.assessments.models import Assessment
from hbm.assessments.selectors import assessment_report
from hbm.crossings.models import CrossingPoint
from hbm.demo.assessments import demo_assessments_create

pytestmark = pytest.mark.django_db


def test_the_demo_records_one_completed_and_one_draft_assessment(
    make_user: Callable[..., User], crossing_point: CrossingPoint
) -> None:
    planner = make_user("planner", username="planner.sofia", posted=False)

    assert demo_assessments_create(users={"planner.sofia": planner}, point=crossing_point) == 2

    country, draft = Assessment.objects.order_by("created_at")
    assert (country.status, country.crossing_point_id, draft.status, draft.crossing_point_id) == (
        "completed",
        None,
        "draft",
        crossing_point.pk,
    )
    report = assessment_report(country, language="en")
    assert report.result.complete
    assert country.overall_score == pytest.approx(report.result.overall)
    assert round(country.overall_score or 0, 1) == 52.7
    assert report.result.gaps[0].question.id == "sop_emergency_mode"
