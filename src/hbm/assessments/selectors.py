"""Reads of the assessments app. Assessments hold no personal data: planners and coordinators of
the organisation that made one read it; nobody else learns that it exists.

``assessment_report`` turns stored answers into what a reader sees: the score per pillar, the gap
report with its prioritised recommendations, in the reader's language.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from hbm.accounts.enums import Role
from hbm.assessments.models import Assessment
from hbm.assessments.services import current_questionnaire
from hbm.core.context import Actor
from hbm.core.errors import NotFound, PermissionDenied
from hbm.engines import assessment as engine

READER_ROLES = (Role.PLANNER, Role.COORDINATOR)
LIST_LIMIT = 200


def _reader_check(actor: Actor) -> uuid.UUID:
    user = actor.user
    if not user.has_role(*READER_ROLES) or user.organisation_id is None:
        raise PermissionDenied(_("assessments are read by planners and coordinators"))
    organisation_id: uuid.UUID = user.organisation_id
    return organisation_id


def assessments_list(*, actor: Actor) -> QuerySet[Assessment]:
    """The actor's organisation's assessments, the latest change first (at most ``LIST_LIMIT``)."""
    organisation_id = _reader_check(actor)
    return Assessment.objects.filter(organisation_id=organisation_id).select_related("crossing_point")[
        :LIST_LIMIT
    ]


def access_assessment(*, actor: Actor, assessment_id: uuid.UUID) -> Assessment:
    """The assessment if the actor may read it: :class:`PermissionDenied` for a role that reads no
    assessment, :class:`NotFound` when it is missing or another organisation's."""
    organisation_id = _reader_check(actor)
    found = (
        Assessment.objects.select_related("crossing_point", "organisation")
        .filter(pk=assessment_id, organisation_id=organisation_id)
        .first()
    )
    if found is None:
        raise NotFound(_("no such assessment"))
    return found


def report_language() -> str:
    """The active language if the questionnaire has it, else English."""
    language = (translation.get_language() or "en").split("-")[0]
    return language if language in engine.LANGUAGES else "en"


@dataclass(frozen=True, slots=True)
class Report:
    """What a reader sees of an assessment: the engine's result on the current questionnaire, in
    ``language``. ``is_current`` is false when the answers were given to another version or wording
    of the questionnaire (the scores stored then stay on the assessment; this result re-scores)."""

    assessment: Assessment
    questionnaire: engine.Questionnaire
    result: engine.Assessment
    language: str
    is_current: bool

    def level_name(self, level: int) -> str:
        return self.questionnaire.level_names[level].get(self.language)


def assessment_report(assessment: Assessment, *, language: str | None = None) -> Report:
    """Score ``assessment``'s answers on the current questionnaire. Answers to questions it no longer
    has are left out (and the report says it is not current)."""
    questionnaire = current_questionnaire()
    known = {question.id for question in questionnaire.questions}
    answers = {key: value for key, value in assessment.answers.items() if key in known}
    excluded = [key for key in assessment.not_applicable if key in known]
    is_current = (
        assessment.questionnaire_id == questionnaire.id
        and assessment.questionnaire_version == questionnaire.version
        and assessment.questionnaire_digest == questionnaire.digest
    )
    return Report(
        assessment=assessment,
        questionnaire=questionnaire,
        result=engine.assess(questionnaire, answers, not_applicable=excluded),
        language=language or report_language(),
        is_current=is_current,
    )
