"""Writes of the assessments app: a planner records an assessment as a draft, changes it, and
completes it. Each write is one transaction with its audit entry; a refused write leaves nothing.

Who: planners (``Role.PLANNER``), for their own organisation. Coordinators read (selectors).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

import pycountry
from django.db import transaction
from django.utils.translation import gettext as _

from hbm.accounts.enums import Role
from hbm.assessments.enums import AssessmentStatus
from hbm.assessments.models import Assessment
from hbm.audit.enums import AuditEvent
from hbm.audit.services import audit_record
from hbm.core.context import Actor
from hbm.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hbm.core.time import now
from hbm.crossings.models import CrossingPoint
from hbm.engines import assessment as engine

# Who records assessments; who reads them (see selectors).
ASSESSOR_ROLES = (Role.PLANNER,)
TITLE_LIMIT = 200


@dataclass(frozen=True, slots=True)
class AssessmentData:
    """An assessment as entered: ``answers`` maps question ids to a level (``None``: not answered
    yet); ``not_applicable`` lists questions that do not apply (no sea border: sea coverage)."""

    title: str
    country: str
    crossing_point_id: uuid.UUID | None = None
    answers: Mapping[str, int | None] | None = None
    not_applicable: tuple[str, ...] = ()


def current_questionnaire() -> engine.Questionnaire:
    """The questionnaire new answers are given to: the shipped one (decision 0014)."""
    return engine.default_questionnaire()


def assessment_create(*, actor: Actor, data: AssessmentData, complete: bool = False) -> Assessment:
    """Record a new assessment of the actor's organisation, as a draft or ``complete``.

    Raises :class:`PermissionDenied` for a role other than planner (or a planner with no
    organisation), :class:`ValidationFailed` naming each wrong field (``title``, ``country``,
    ``crossing_point_id``, ``answers.<question>``, ``not_applicable.<i>``), and, when completing,
    one ``answers.<question>`` for every applicable question not answered."""
    organisation_id = _assessor_check(actor)
    questionnaire = current_questionnaire()
    with transaction.atomic():
        fields = _checked(data, questionnaire, complete=complete)
        assessment = Assessment(
            organisation_id=organisation_id,
            questionnaire_id=questionnaire.id,
            questionnaire_version=questionnaire.version,
            questionnaire_digest=questionnaire.digest,
            created_by=actor.user,
            updated_by=actor.user,
            **fields,
        )
        _status_set(assessment, complete=complete)
        assessment.save()
        audit_record(
            actor=actor,
            event=AuditEvent.ASSESSMENT_RECORDED,
            subject=assessment,
            detail=_audit_detail(assessment),
        )
    return assessment


def assessment_update(
    *, actor: Actor, assessment_id: uuid.UUID, data: AssessmentData, revision: int, complete: bool = False
) -> Assessment:
    """Replace a draft's title, place and answers, and complete it when ``complete``.

    ``revision`` is the one the planner read: another save since then is a :class:`Conflict` (so
    that nobody overwrites answers unseen), and so is any change to a completed assessment.
    :class:`NotFound` when the assessment is missing or of another organisation; otherwise as
    :func:`assessment_create`."""
    organisation_id = _assessor_check(actor)
    questionnaire = current_questionnaire()
    with transaction.atomic():
        assessment = (
            Assessment.objects.select_for_update()
            .filter(pk=assessment_id, organisation_id=organisation_id)
            .first()
        )
        if assessment is None:
            raise NotFound(_("no such assessment"))
        if not assessment.is_draft:
            raise Conflict(_("a completed assessment is not changed: start a new one"))
        if revision != assessment.revision:
            raise Conflict(
                _("this assessment was saved by someone else since you opened it (revision %(n)d): reload it")
                % {"n": assessment.revision},
                fields={"revision": [_("out of date")]},
            )
        for name, value in _checked(data, questionnaire, complete=complete).items():
            setattr(assessment, name, value)
        assessment.questionnaire_id = questionnaire.id
        assessment.questionnaire_version = questionnaire.version
        assessment.questionnaire_digest = questionnaire.digest
        assessment.revision += 1
        assessment.updated_by = actor.user
        _status_set(assessment, complete=complete)
        assessment.save()
        audit_record(
            actor=actor,
            event=AuditEvent.ASSESSMENT_UPDATED,
            subject=assessment,
            detail=_audit_detail(assessment),
        )
    return assessment


def _assessor_check(actor: Actor) -> uuid.UUID:
    user = actor.user
    if not user.has_role(*ASSESSOR_ROLES) or user.organisation_id is None:
        raise PermissionDenied(_("only a planner of an organisation records assessments"))
    organisation_id: uuid.UUID = user.organisation_id
    return organisation_id


def _status_set(assessment: Assessment, *, complete: bool) -> None:
    if complete:
        assessment.status = AssessmentStatus.COMPLETED
        assessment.completed_at = now()


def _audit_detail(assessment: Assessment) -> dict[str, object]:
    return {
        "status": assessment.status,
        "revision": assessment.revision,
        "questionnaire": f"{assessment.questionnaire_id}/{assessment.questionnaire_version}",
        "answered": len(assessment.answers),
    }


def _checked(
    data: AssessmentData, questionnaire: engine.Questionnaire, *, complete: bool
) -> dict[str, object]:
    """The model fields of ``data``, with the scores; every problem found raised at once."""
    problems: dict[str, list[str]] = {}
    title = data.title.strip()
    if not title:
        problems["title"] = [_("give the assessment a title")]
    elif len(title) > TITLE_LIMIT:
        problems["title"] = [_("at most %(n)d characters") % {"n": TITLE_LIMIT}]
    country = data.country.strip().upper()
    if len(country) != 3 or pycountry.countries.get(alpha_3=country) is None:
        problems["country"] = [_("not an ISO 3166-1 alpha-3 country code")]
    point = None
    if data.crossing_point_id is not None:
        point = CrossingPoint.objects.filter(pk=data.crossing_point_id).first()
        if point is None:
            problems["crossing_point_id"] = [_("no such crossing point")]
    answers, not_applicable = _answers_check(data, questionnaire, problems)
    result = None
    if not problems:
        result = engine.assess(questionnaire, answers, not_applicable=not_applicable)
        if complete:
            for question_id in result.not_answered:
                problems[f"answers.{question_id}"] = [_("not answered: answer it or mark it not applicable")]
    if problems or result is None:
        raise ValidationFailed(
            _("the assessment cannot be saved: %(fields)s") % {"fields": ", ".join(problems)}, fields=problems
        )
    return {
        "title": title,
        "country": country,
        "crossing_point": point,
        "answers": dict(result.answers),
        "not_applicable": list(result.not_applicable),
        "overall_score": result.overall,
        "pillar_scores": {score.pillar.id: score.score for score in result.pillars},
    }


def _answers_check(
    data: AssessmentData, questionnaire: engine.Questionnaire, problems: dict[str, list[str]]
) -> tuple[dict[str, int], tuple[str, ...]]:
    """The answered levels and the questions not applicable, in the questionnaire's words; each
    wrong one added to ``problems`` in the officer's language (the engine would refuse the same,
    in English)."""
    known = {question.id for question in questionnaire.questions}
    top = questionnaire.max_level
    levels: dict[str, int] = {}
    for question_id, level in (data.answers or {}).items():
        path = f"answers.{question_id}"
        if question_id not in known:
            problems[path] = [_("unknown question")]
        elif level is None:
            continue
        elif isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= top:
            problems[path] = [_("must be a level from 0 to %(top)d") % {"top": top}]
        else:
            levels[question_id] = level
    excluded: list[str] = []
    for index, question_id in enumerate(data.not_applicable):
        if question_id not in known:
            problems[f"not_applicable.{index}"] = [_("unknown question")]
        elif question_id in levels:
            problems[f"answers.{question_id}"] = [
                _("answered and marked not applicable: give one or the other")
            ]
        elif question_id not in excluded:
            excluded.append(question_id)
    return levels, tuple(excluded)
