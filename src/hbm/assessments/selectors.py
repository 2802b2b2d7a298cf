"""Reads of the assessments app. Assessments hold no personal data. A planner reads the
assessments of their own organisation; a coordinator (the crisis management centre, who brings the
agencies' plans together) reads every organisation's; nobody else learns that one exists.

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

READER_ROLES = (Role.PLANNER, Role.COORDINATOR)  # planners: their organisation's; coordinators: all
LIST_LIMIT = 200


def _visible_to(actor: Actor) -> QuerySet[Assessment]:
    """Every assessment the actor may read; :class:`PermissionDenied` for a role that reads none."""
    # Capacity assessments of crossing points, not personal data: a refusal is not audited.
    user = actor.user
    if user.has_role(Role.COORDINATOR):
        return Assessment.objects.all()
    if user.has_role(Role.PLANNER) and user.organisation_id is not None:
        return Assessment.objects.filter(organisation_id=user.organisation_id)
    raise PermissionDenied(_("assessments are read by planners and coordinators"))


def assessments_list(*, actor: Actor) -> QuerySet[Assessment]:
    """The assessments the actor may read, the latest change first (at most ``LIST_LIMIT``)."""
    return _visible_to(actor).select_related("crossing_point", "organisation")[:LIST_LIMIT]


def access_assessment(*, actor: Actor, assessment_id: uuid.UUID) -> Assessment:
    """The assessment if the actor may read it: :class:`PermissionDenied` for a role that reads no
    assessment, :class:`NotFound` when it is missing or another organisation's (for a planner)."""
    visible = _visible_to(actor).select_related("crossing_point", "organisation")
    found = visible.filter(pk=assessment_id).first()
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
