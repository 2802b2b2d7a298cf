"""Recording an assessment: drafts, completion, revisions, refusals that write nothing."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

from hbm.accounts.models import User
from hbm.assessments.enums import AssessmentStatus
from hbm.assessments.models import Assessment
from hbm.assessments.selectors import access_assessment, assessment_report, assessments_list
from hbm.assessments.services import AssessmentData, assessment_create, assessment_update
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.core.context import Actor
from hbm.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hbm.crossings.models import CrossingPoint
from hbm.engines.assessment import Priority, default_questionnaire
from tests.assessments.conftest import all_answered

pytestmark = pytest.mark.django_db


def draft(**changes: object) -> AssessmentData:
    values: dict[str, object] = {
        "title": "Moldova, eastern border, 2026",
        "country": "mda",
        "answers": {"emergency_legal_basis": 1, "sop_emergency_mode": 0, "land_coverage": 3},
        "not_applicable": ("sea_coverage",),
    }
    values.update(changes)
    return AssessmentData(**values)  # type: ignore[arg-type]


def test_a_planner_records_a_draft_scored_and_versioned_with_the_questionnaire(planner_actor: Actor) -> None:
    # When a planner records three answers
    assessment = assessment_create(actor=planner_actor, data=draft())

    # Then it is a draft of the planner's organisation, with the questionnaire's identity and the scores
    questionnaire = default_questionnaire()
    assert (assessment.status, assessment.country, assessment.revision) == (AssessmentStatus.DRAFT, "MDA", 1)
    assert assessment.organisation_id == planner_actor.user.organisation_id
    assert (
        assessment.questionnaire_id,
        assessment.questionnaire_version,
        assessment.questionnaire_digest,
    ) == (
        questionnaire.id,
        questionnaire.version,
        questionnaire.digest,
    )
    assert assessment.answers == {"emergency_legal_basis": 1, "sop_emergency_mode": 0, "land_coverage": 3}
    assert assessment.not_applicable == ["sea_coverage"]
    # policy_law: one of its questions answered, at level 1 of 3
    assert assessment.pillar_scores["policy_law"] == pytest.approx(100 / 3)
    assert assessment.pillar_scores["coverage"] == pytest.approx(100.0)
    assert assessment.pillar_scores["training"] is None
    entry = AuditEntry.objects.get(event=AuditEvent.ASSESSMENT_RECORDED)
    assert (entry.subject_id, entry.detail["status"], entry.detail["answered"]) == (
        str(assessment.pk),
        "draft",
        3,
    )


def test_the_gap_report_puts_the_most_urgent_recommendation_first(planner_actor: Actor) -> None:
    assessment = assessment_create(actor=planner_actor, data=draft())

    report = assessment_report(assessment, language="fr")

    gaps = [(gap.question.id, gap.level, gap.priority) for gap in report.result.gaps]
    # The SOP for the emergency mode (level 0) outranks the legal basis (level 1); land coverage is met.
    assert [gap_id for gap_id, _, _ in gaps] == ["sop_emergency_mode", "emergency_legal_basis"]
    assert gaps[0][2] == Priority.HIGH
    assert report.is_current
    assert report.result.gaps[0].recommendation.get("fr") == report.questionnaire.question(
        "sop_emergency_mode"
    ).recommendation.get("fr")


def test_completing_needs_every_applicable_question_and_then_freezes_it(
    planner_actor: Actor, crossing_point: CrossingPoint
) -> None:
    created = assessment_create(actor=planner_actor, data=draft(crossing_point_id=crossing_point.pk))

    # Completing with questions unanswered is refused, naming each, and changes nothing
    with pytest.raises(ValidationFailed) as refused:
        assessment_update(
            actor=planner_actor, assessment_id=created.pk, data=draft(), revision=1, complete=True
        )
    assert "answers.hbm_training" in refused.value.fields
    assert "answers.sea_coverage" not in refused.value.fields
    created.refresh_from_db()
    assert (created.status, created.revision, created.crossing_point_id) == ("draft", 1, crossing_point.pk)

    # With every question answered (sea coverage not applicable) it completes
    answers = all_answered(2, sea_coverage=None)
    done = assessment_update(
        actor=planner_actor,
        assessment_id=created.pk,
        data=draft(answers=answers),
        revision=1,
        complete=True,
    )
    assert (done.status, done.revision, done.overall_score) == ("completed", 2, pytest.approx(200 / 3))
    assert done.completed_at is not None
    assert (
        AuditEntry.objects.filter(event=AuditEvent.ASSESSMENT_UPDATED, subject_id=str(done.pk)).count() == 1
    )

    # And is not changed again
    with pytest.raises(Conflict):
        assessment_update(actor=planner_actor, assessment_id=done.pk, data=draft(), revision=2)


def test_a_stale_revision_is_refused_so_that_nobody_overwrites_unseen_answers(planner_actor: Actor) -> None:
    created = assessment_create(actor=planner_actor, data=draft())
    assessment_update(actor=planner_actor, assessment_id=created.pk, data=draft(title="Second"), revision=1)

    with pytest.raises(Conflict) as refused:
        assessment_update(
            actor=planner_actor, assessment_id=created.pk, data=draft(title="Third"), revision=1
        )

    assert refused.value.fields == {"revision": ["out of date"]}
    created.refresh_from_db()
    assert (created.title, created.revision) == ("Second", 2)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"country": "XXX"}, "country"),
        ({"country": "MD"}, "country"),
        ({"crossing_point_id": uuid.UUID(int=7)}, "crossing_point_id"),
        ({"answers": {"no_such_question": 1}}, "answers.no_such_question"),
        ({"answers": {"land_coverage": 4}}, "answers.land_coverage"),
        ({"answers": {"land_coverage": -1}}, "answers.land_coverage"),
        ({"answers": {"sea_coverage": 1}}, "answers.sea_coverage"),
        ({"not_applicable": ("land_coverage", "nothing")}, "not_applicable.1"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    planner_actor: Actor, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        assessment_create(actor=planner_actor, data=draft(**changes))

    assert field in refused.value.fields
    assert Assessment.objects.count() == 0
    assert not AuditEntry.objects.filter(event=AuditEvent.ASSESSMENT_RECORDED).exists()


def test_only_planners_write_and_only_their_organisation_reads(
    planner_actor: Actor, other_planner: User, coordinator: User, officer: User
) -> None:
    created = assessment_create(actor=planner_actor, data=draft())

    # Coordinators of the organisation read; they do not write
    assert access_assessment(actor=Actor(user=coordinator), assessment_id=created.pk) == created
    with pytest.raises(PermissionDenied):
        assessment_create(actor=Actor(user=coordinator), data=draft())
    # Another organisation's planner is told there is no such assessment, and lists none
    with pytest.raises(NotFound):
        access_assessment(actor=Actor(user=other_planner), assessment_id=created.pk)
    with pytest.raises(NotFound):
        assessment_update(actor=Actor(user=other_planner), assessment_id=created.pk, data=draft(), revision=1)
    assert list(assessments_list(actor=Actor(user=other_planner))) == []
    # A border officer reads none
    with pytest.raises(PermissionDenied):
        assessments_list(actor=Actor(user=officer))
    created.refresh_from_db()
    assert (created.revision, Assessment.objects.count()) == (1, 1)


def test_answers_to_another_questionnaire_version_are_reported_as_not_current(
    planner_actor: Actor, make_user: Callable[..., User]
) -> None:
    created = assessment_create(actor=planner_actor, data=draft())
    Assessment.objects.filter(pk=created.pk).update(
        questionnaire_version=0, answers={"gone": 2, "land_coverage": 3}
    )
    created.refresh_from_db()

    report = assessment_report(created, language="ar")

    assert not report.is_current
    assert report.result.answers == {"land_coverage": 3}


def test_a_coordinator_of_any_organisation_reads_every_assessment(
    planner_actor: Actor, make_user: Callable[..., User]
) -> None:
    from tests.factories import OrganisationFactory

    created = assessment_create(actor=planner_actor, data=draft())
    crisis_centre = OrganisationFactory(name="Crisis centre")
    coordinator = make_user("coordinator", username="crisis", posted=False, organisation=crisis_centre)

    assert access_assessment(actor=Actor(user=coordinator), assessment_id=created.pk) == created
    assert list(assessments_list(actor=Actor(user=coordinator))) == [created]
    with pytest.raises(PermissionDenied):
        assessment_update(actor=Actor(user=coordinator), assessment_id=created.pk, data=draft(), revision=1)
