"""Assessments API: the questionnaire, and an organisation's assessments with their gap reports.

Planners record and change their organisation's assessments; planners and coordinators read them.
Texts (pillars, questions, recommendations) come in the request's language (en, fr, ar).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from hbm.assessments.models import Assessment
from hbm.assessments.schemas import (
    AssessmentIn,
    AssessmentOut,
    AssessmentQuestionnaireOut,
    AssessmentSummaryOut,
    AssessmentUpdateIn,
)
from hbm.assessments.selectors import (
    READER_ROLES,
    Report,
    access_assessment,
    assessment_report,
    assessments_list,
    report_language,
)
from hbm.assessments.services import (
    AssessmentData,
    assessment_create,
    assessment_update,
    current_questionnaire,
)
from hbm.core.errors import PermissionDenied
from hbm.core.http import actor_from_request
from hbm.core.schemas import ErrorOut

router = Router(tags=["assessments"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def summary_out(assessment: Assessment) -> dict[str, Any]:
    return {
        "id": assessment.pk,
        "title": assessment.title,
        "country": assessment.country,
        "crossing_point_id": assessment.crossing_point_id,
        "status": assessment.status,
        "overall_score": assessment.overall_score,
        "pillar_scores": assessment.pillar_scores,
        "questionnaire_id": assessment.questionnaire_id,
        "questionnaire_version": assessment.questionnaire_version,
        "revision": assessment.revision,
        "updated_at": assessment.updated_at,
        "completed_at": assessment.completed_at,
    }


def result_out(report: Report) -> dict[str, Any]:
    language, result = report.language, report.result
    return {
        "language": language,
        "is_current": report.is_current,
        "overall_score": result.overall,
        "complete": result.complete,
        "pillars": [
            {
                "id": score.pillar.id,
                "label": score.pillar.label.get(language),
                "score": score.score,
                "answered": score.answered,
                "applicable": score.applicable,
            }
            for score in result.pillars
        ],
        "gaps": [
            {
                "question_id": gap.question.id,
                "pillar_id": gap.pillar.id,
                "question": gap.question.text.get(language),
                "level": gap.level,
                "level_name": report.level_name(gap.level),
                "target": gap.target,
                "priority": gap.priority,
                "priority_score": gap.priority_score,
                "recommendation": gap.recommendation.get(language),
            }
            for gap in result.gaps
        ],
        "not_answered": list(result.not_answered),
        "not_applicable": list(result.not_applicable),
    }


def assessment_out(assessment: Assessment) -> dict[str, Any]:
    return {
        **summary_out(assessment),
        "questionnaire_digest": assessment.questionnaire_digest,
        "answers": assessment.answers,
        "not_applicable": assessment.not_applicable,
        "result": result_out(assessment_report(assessment)),
    }


def _data(payload: AssessmentIn) -> AssessmentData:
    return AssessmentData(
        title=payload.title,
        country=payload.country,
        crossing_point_id=payload.crossing_point_id,
        answers=payload.answers,
        not_applicable=tuple(payload.not_applicable),
    )


@router.get("/questionnaire", response={200: AssessmentQuestionnaireOut, **ERRORS})
def questionnaire_detail(request: HttpRequest) -> dict[str, Any]:
    """The questionnaire assessments answer, in the request's language (planners, coordinators)."""
    if not actor_from_request(request).user.has_role(*READER_ROLES):
        raise PermissionDenied(_("assessments are read by planners and coordinators"))
    questionnaire, language = current_questionnaire(), report_language()
    return {
        "id": questionnaire.id,
        "version": questionnaire.version,
        "digest": questionnaire.digest,
        "language": language,
        "title": questionnaire.title.get(language),
        "max_level": questionnaire.max_level,
        "level_names": [name.get(language) for name in questionnaire.level_names],
        "pillars": [
            {
                "id": pillar.id,
                "label": pillar.label.get(language),
                "weight": pillar.weight,
                "questions": [
                    {
                        "id": question.id,
                        "text": question.text.get(language),
                        "levels": [level.get(language) for level in question.levels],
                        "target": question.target,
                        "weight": question.weight,
                        "criticality": question.criticality,
                    }
                    for question in pillar.questions
                ],
            }
            for pillar in questionnaire.pillars
        ],
    }


@router.get("", response={200: list[AssessmentSummaryOut], **ERRORS})
def assessments_index(request: HttpRequest) -> list[dict[str, Any]]:
    """The organisation's assessments, the latest change first."""
    return [summary_out(a) for a in assessments_list(actor=actor_from_request(request))]


@router.post("", response={201: AssessmentOut, **ERRORS})
def assessment_add(request: HttpRequest, payload: AssessmentIn) -> Status[dict[str, Any]]:
    """Record an assessment, as a draft or complete (planners)."""
    created = assessment_create(
        actor=actor_from_request(request), data=_data(payload), complete=payload.complete
    )
    return Status(201, assessment_out(created))


@router.get("/{assessment_id}", response={200: AssessmentOut, **ERRORS})
def assessment_detail(request: HttpRequest, assessment_id: uuid.UUID) -> dict[str, Any]:
    """An assessment with its scores and gap report."""
    return assessment_out(access_assessment(actor=actor_from_request(request), assessment_id=assessment_id))


@router.post("/{assessment_id}", response={200: AssessmentOut, **ERRORS})
def assessment_change(
    request: HttpRequest, assessment_id: uuid.UUID, payload: AssessmentUpdateIn
) -> dict[str, Any]:
    """Replace a draft's answers (and complete it); ``revision`` must be the one read (planners)."""
    changed = assessment_update(
        actor=actor_from_request(request),
        assessment_id=assessment_id,
        data=_data(payload),
        revision=payload.revision,
        complete=payload.complete,
    )
    return assessment_out(changed)
