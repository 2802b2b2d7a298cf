"""Follow-ups: each kind along its lifecycle with dated steps, illegal steps refused without a trace,
need to know for every role, links to the referral and the tracing request."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection

from hbm.accounts.models import User
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.core.context import Actor
from hbm.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hbm.core.time import today
from hbm.followup.enums import FollowUpKind, FollowUpStage
from hbm.followup.models import FollowUp, FollowUpStep
from hbm.followup.selectors import access_followup, followup_steps, followups_held, followups_of_person
from hbm.followup.services import FollowUpData, StepData, followup_open, followup_step
from hbm.protection.models import Referral
from hbm.registration.models import Person
from hbm.tracing.enums import SoughtRelationship
from hbm.tracing.services import SoughtData, TracingRequestData, tracing_request_create

pytestmark = pytest.mark.django_db

Stage = FollowUpStage
DAY = today() - timedelta(days=40)


def asylum(actor: Actor, person: Person, referral: Referral | None, **changes: Any) -> FollowUp:
    values: dict[str, Any] = {
        "kind": FollowUpKind.ASYLUM,
        "stage": Stage.INTENTION_EXPRESSED,
        "happened_on": DAY,
        "referral_id": referral.pk if referral else None,
        "note": "Wants to apply; no lawyer yet.",
        **changes,
    }
    return followup_open(actor=actor, person_id=person.pk, data=FollowUpData(**values))


def step(actor: Actor, follow_up: FollowUp, to: str, on: date, note: str = "") -> FollowUp:
    return followup_step(
        actor=actor, followup_id=follow_up.pk, data=StepData(to=FollowUpStage(to), happened_on=on, note=note)
    )


def trail() -> list[str]:
    return list(AuditEntry.objects.order_by("seq").values_list("event", flat=True))


def test_an_asylum_follow_up_goes_from_intention_to_refugee_status_with_each_day_on_record(
    boy: Person, accepted_referral: Referral, caseworker: User, actor_of: Callable[[User], Actor]
) -> None:
    cw = actor_of(caseworker)
    follow_up = asylum(cw, boy, accepted_referral)
    step(cw, follow_up, Stage.APPLICATION_LODGED, DAY + timedelta(days=3))
    step(cw, follow_up, Stage.INTERVIEWED, DAY + timedelta(days=20), note="Interview with an interpreter.")
    done = step(cw, follow_up, Stage.REFUGEE_STATUS, DAY + timedelta(days=35))

    assert (done.stage, done.is_closed, done.stage_on, done.review_on) == (
        "refugee_status",
        True,
        DAY + timedelta(days=35),
        None,
    )
    assert done.organisation == accepted_referral.organisation
    assert done.crossing_point == boy.registered_at
    assert [
        (s.from_stage, s.to_stage, s.happened_on, s.recorded_by) for s in followup_steps(follow_up=done)
    ] == [
        ("", "intention_expressed", DAY, caseworker),
        ("intention_expressed", "application_lodged", DAY + timedelta(days=3), caseworker),
        ("application_lodged", "interviewed", DAY + timedelta(days=20), caseworker),
        ("interviewed", "refugee_status", DAY + timedelta(days=35), caseworker),
    ]
    assert AuditEntry.objects.filter(event=AuditEvent.FOLLOWUP_RECORDED).count() == 1
    assert AuditEntry.objects.filter(event=AuditEvent.FOLLOWUP_UPDATED).count() == 3


def test_the_review_day_follows_the_stage(
    boy: Person, screener: User, actor_of: Callable[[User], Actor]
) -> None:
    follow_up = asylum(actor_of(screener), boy, None, stage=Stage.APPLICATION_LODGED)

    assert follow_up.review_on == DAY + timedelta(days=60)
    assert follow_up.organisation == screener.organisation


@pytest.mark.parametrize(
    ("kind", "path"),
    [
        (FollowUpKind.FAMILY_REUNIFICATION, ["requested", "verifying", "approved", "travelled", "reunited"]),
        (
            FollowUpKind.AVRR,
            [
                "interest_expressed",
                "counselled",
                "approved",
                "departed",
                "reintegration_support",
                "completed",
            ],
        ),
        (FollowUpKind.RELOCATION, ["proposed", "accepted", "transferred"]),
        (
            FollowUpKind.ASYLUM,
            ["application_lodged", "interviewed", "rejected", "appealed", "subsidiary_protection"],
        ),
    ],
)
def test_each_kind_reaches_its_outcome(
    kind: FollowUpKind, path: list[str], boy: Person, coordinator: User, actor_of: Callable[[User], Actor]
) -> None:
    actor = actor_of(coordinator)
    follow_up = followup_open(
        actor=actor,
        person_id=boy.pk,
        data=FollowUpData(kind=kind, stage=FollowUpStage(path[0]), happened_on=DAY),
    )
    for offset, stage in enumerate(path[1:], start=1):
        follow_up = step(actor, follow_up, stage, DAY + timedelta(days=offset))

    assert (follow_up.kind, follow_up.stage, follow_up.is_closed) == (kind, path[-1], True)
    assert FollowUpStep.objects.filter(follow_up=follow_up).count() == len(path)


def test_an_illegal_step_is_refused_and_leaves_no_trace(
    boy: Person, accepted_referral: Referral, caseworker: User, actor_of: Callable[[User], Actor]
) -> None:
    cw = actor_of(caseworker)
    follow_up = asylum(cw, boy, accepted_referral)
    before = trail()

    with pytest.raises(Conflict) as refused:
        step(cw, follow_up, Stage.REFUGEE_STATUS, DAY)  # no application, no interview

    assert "intention to apply expressed" in refused.value.message
    follow_up.refresh_from_db()
    assert (follow_up.stage, follow_up.stage_on) == ("intention_expressed", DAY)
    assert FollowUpStep.objects.filter(follow_up=follow_up).count() == 1
    assert trail() == before


def test_a_closed_follow_up_takes_no_further_step(
    boy: Person, coordinator: User, actor_of: Callable[[User], Actor]
) -> None:
    actor = actor_of(coordinator)
    follow_up = asylum(actor, boy, None)
    step(actor, follow_up, Stage.WITHDRAWN, DAY + timedelta(days=1))

    with pytest.raises(Conflict):
        step(actor, follow_up, Stage.APPLICATION_LODGED, DAY + timedelta(days=2))
    assert FollowUp.objects.get(pk=follow_up.pk).stage == "withdrawn"


def test_a_step_of_another_kind_is_refused(
    boy: Person, coordinator: User, actor_of: Callable[[User], Actor]
) -> None:
    actor = actor_of(coordinator)
    follow_up = asylum(actor, boy, None)

    with pytest.raises(Conflict):
        step(actor, follow_up, Stage.DEPARTED, DAY)


def test_a_step_is_dated_neither_in_the_future_nor_before_the_step_before_it(
    boy: Person, coordinator: User, actor_of: Callable[[User], Actor]
) -> None:
    actor = actor_of(coordinator)
    follow_up = asylum(actor, boy, None)
    before = trail()

    with pytest.raises(ValidationFailed) as future:
        step(actor, follow_up, Stage.APPLICATION_LODGED, today() + timedelta(days=1))
    with pytest.raises(ValidationFailed) as earlier:
        step(actor, follow_up, Stage.APPLICATION_LODGED, DAY - timedelta(days=1))

    assert list(future.value.fields) == ["happened_on"]
    assert list(earlier.value.fields) == ["happened_on"]
    assert trail() == before
    assert (
        step(actor, follow_up, Stage.APPLICATION_LODGED, DAY).stage == "application_lodged"
    )  # same day: fine
    with pytest.raises(ValidationFailed) as opened_later:
        asylum(
            actor,
            boy,
            None,
            kind=FollowUpKind.AVRR,
            stage=Stage.INTEREST_EXPRESSED,
            happened_on=today() + timedelta(days=1),
        )
    assert list(opened_later.value.fields) == ["happened_on"]


def test_a_follow_up_starts_only_at_a_first_stage_of_its_kind(
    boy: Person, coordinator: User, actor_of: Callable[[User], Actor]
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        asylum(actor_of(coordinator), boy, None, stage=Stage.INTERVIEWED)

    assert list(refused.value.fields) == ["stage"]
    assert not FollowUp.objects.exists()


def test_one_open_follow_up_of_a_kind_per_person(
    boy: Person, coordinator: User, actor_of: Callable[[User], Actor]
) -> None:
    actor = actor_of(coordinator)
    first = asylum(actor, boy, None)

    with pytest.raises(Conflict):
        asylum(actor, boy, None)
    step(actor, first, Stage.WITHDRAWN, DAY)
    again = asylum(actor, boy, None, happened_on=DAY + timedelta(days=5))

    assert FollowUp.objects.filter(person=boy).count() == 2
    assert again.stage == "intention_expressed"
    assert AuditEntry.objects.filter(event=AuditEvent.FOLLOWUP_RECORDED).count() == 2


def test_a_caseworker_opens_a_follow_up_only_from_a_referral_their_organisation_took(
    boy: Person,
    refer: Callable[..., Referral],
    accepted_referral: Referral,
    caseworker: User,
    stranger: User,
    actor_of: Callable[[User], Actor],
) -> None:
    cw = actor_of(caseworker)
    with pytest.raises(ValidationFailed) as without:
        asylum(cw, boy, None)
    waiting = refer(boy)  # sent, not accepted yet
    with pytest.raises(ValidationFailed) as not_taken:
        asylum(cw, boy, waiting)
    with pytest.raises(NotFound):  # never referred to the stranger's organisation
        asylum(actor_of(stranger), boy, accepted_referral)

    assert list(without.value.fields) == list(not_taken.value.fields) == ["referral_id"]
    assert not FollowUp.objects.exists()
    assert not AuditEntry.objects.filter(event__startswith="followup").exists()


def test_the_note_is_encrypted_at_rest(
    boy: Person, coordinator: User, actor_of: Callable[[User], Actor]
) -> None:
    follow_up = asylum(actor_of(coordinator), boy, None, note="Fears return to Aleppo")

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT note FROM followup_followup WHERE id = %s",
            [follow_up.pk.hex if connection.vendor == "sqlite" else follow_up.pk],
        )
        (stored,) = cursor.fetchone()
    assert "Aleppo" not in str(stored)
    assert FollowUp.objects.get(pk=follow_up.pk).note == "Fears return to Aleppo"


# --- family reunification and tracing -----------------------------------------------------------


def test_a_family_reunification_follows_a_tracing_request_about_the_person(
    boy: Person, screener: User, coordinator: User, actor_of: Callable[[User], Actor]
) -> None:
    officer = actor_of(screener)
    request = tracing_request_create(
        actor=officer,
        data=TracingRequestData(
            sought=SoughtData(given_names_latin="Yusuf", surname_latin="Haddad", sex="M", estimated_age=45),
            relationship=SoughtRelationship.PARENT,
            enquirer_name="Omar Haddad",
            enquirer_consent=True,
            enquirer_person_id=boy.pk,
        ),
    )
    reunification = FollowUpData(
        kind=FollowUpKind.FAMILY_REUNIFICATION,
        stage=Stage.REQUESTED,
        happened_on=DAY,
        tracing_request_id=request.pk,
    )

    with pytest.raises(ValidationFailed) as wrong_kind:
        asylum(officer, boy, None, tracing_request_id=request.pk)
    follow_up = followup_open(actor=officer, person_id=boy.pk, data=reunification)

    assert list(wrong_kind.value.fields) == ["tracing_request_id"]
    assert follow_up.tracing_request == request
    followup_step(actor=officer, followup_id=follow_up.pk, data=StepData(to=Stage.WITHDRAWN, happened_on=DAY))
    by_reference = followup_open(
        actor=officer,
        person_id=boy.pk,
        data=FollowUpData(
            kind=FollowUpKind.FAMILY_REUNIFICATION,
            stage=Stage.REQUESTED,
            happened_on=DAY,
            tracing_reference=request.reference.lower(),
        ),
    )
    assert by_reference.tracing_request == request
    with pytest.raises(ValidationFailed) as unknown:
        followup_open(
            actor=officer,
            person_id=boy.pk,
            data=FollowUpData(
                kind=FollowUpKind.FAMILY_REUNIFICATION,
                stage=Stage.REQUESTED,
                happened_on=DAY,
                tracing_reference="NOSUCHREF",
            ),
        )
    assert list(unknown.value.fields) == ["tracing_reference"]


def test_a_tracing_request_about_someone_else_is_refused(
    boy: Person, register: Callable[..., Person], screener: User, actor_of: Callable[[User], Actor]
) -> None:
    officer = actor_of(screener)
    other = register("LINA", "SAID", sex="F")
    request = tracing_request_create(
        actor=officer,
        data=TracingRequestData(
            sought=SoughtData(given_names_latin="Sara", surname_latin="Said", sex="F", estimated_age=10),
            relationship=SoughtRelationship.CHILD,
            enquirer_name="Lina Said",
            enquirer_consent=True,
            enquirer_person_id=other.pk,
        ),
    )

    with pytest.raises(ValidationFailed) as refused:
        followup_open(
            actor=officer,
            person_id=boy.pk,
            data=FollowUpData(
                kind=FollowUpKind.FAMILY_REUNIFICATION,
                stage=Stage.REQUESTED,
                happened_on=DAY,
                tracing_request_id=request.pk,
            ),
        )
    assert list(refused.value.fields) == ["tracing_request_id"]


# --- need to know -------------------------------------------------------------------------------


@pytest.fixture
def case(
    boy: Person, accepted_referral: Referral, caseworker: User, actor_of: Callable[[User], Actor]
) -> FollowUp:
    return asylum(actor_of(caseworker), boy, accepted_referral)


@pytest.mark.parametrize(
    ("who", "may_see"),
    [
        ("coordinator", True),
        ("screener", True),  # posted where the boy was met
        ("caseworker", True),  # of the organisation holding the case, the boy referred to it
        ("stranger", False),  # a caseworker of another organisation
        ("unposted_screener", False),
        ("border_officer", False),
        ("health_officer", False),
        ("planner", False),
        ("reception_manager", False),
        ("auditor", False),
    ],
)
def test_who_reads_a_follow_up(
    who: str, may_see: bool, case: FollowUp, request: pytest.FixtureRequest, make_user: Callable[..., User]
) -> None:
    users = {
        "unposted_screener": lambda: make_user("screening_officer", posted=False, username="elsewhere"),
        "border_officer": lambda: make_user("border_officer", username="bo"),
        "health_officer": lambda: make_user("health_officer", username="ho"),
        "planner": lambda: make_user("planner", posted=False, username="pl"),
        "reception_manager": lambda: make_user("reception_manager", posted=False, username="rm"),
        "auditor": lambda: make_user("auditor", posted=False, username="au"),
    }
    user = users[who]() if who in users else request.getfixturevalue(who)
    actor = Actor(user=user, device="test")
    before = AuditEntry.objects.count()

    if may_see:
        assert access_followup(actor=actor, followup_id=case.pk) == case
        assert followups_of_person(actor=actor, person_id=case.person_id) == [case]
        assert list(AuditEntry.objects.filter(seq__gt=before).values_list("event", flat=True)) == [
            "followup.viewed",
            "followup.listed",
        ]
        return
    with pytest.raises(NotFound):
        access_followup(actor=actor, followup_id=case.pk)
    with pytest.raises(NotFound):
        followups_of_person(actor=actor, person_id=case.person_id)
    with pytest.raises((NotFound, PermissionDenied)):
        step(actor, case, Stage.APPLICATION_LODGED, DAY)
    assert list(AuditEntry.objects.filter(seq__gt=before).values_list("event", flat=True)) == [
        "access.refused",
        "access.refused",
    ]
    assert FollowUp.objects.get(pk=case.pk).stage == "intention_expressed"


def test_a_caseworker_lists_the_cases_their_organisation_holds(
    case: FollowUp, caseworker: User, stranger: User, actor_of: Callable[[User], Actor]
) -> None:
    assert followups_held(actor=actor_of(caseworker)) == [case]
    assert followups_held(actor=actor_of(stranger)) == []
    listed = AuditEntry.objects.filter(event=AuditEvent.FOLLOWUPS_LISTED).order_by("seq").first()
    assert listed is not None
    assert listed.detail["persons"] == [str(case.person_id)]


def test_a_step_is_dated_in_the_calendar_of_the_crossing_point(
    boy: Person, coordinator: User, actor_of: Callable[[User], Actor]
) -> None:
    """Where the crossing point's day differs from UTC's (east of UTC late in the day, west of it
    early), "today" is the crossing point's: the demo at Palanca failed after 22:00 UTC before."""
    from zoneinfo import ZoneInfo

    from django.utils import timezone as dj_timezone

    from hbm.core.time import now
    from hbm.crossings.models import CrossingPoint

    zone = "Pacific/Kiritimati" if now().hour >= 10 else "Pacific/Pago_Pago"  # UTC+14, UTC-11
    CrossingPoint.objects.filter(pk=boy.registered_at_id).update(timezone=zone)
    there = dj_timezone.localtime(now(), ZoneInfo(zone)).date()
    assert there != today()
    actor = actor_of(coordinator)

    follow_up = asylum(actor, boy, None, happened_on=min(there, today()))
    assert step(actor, follow_up, Stage.APPLICATION_LODGED, there).stage == "application_lodged"
    with pytest.raises(ValidationFailed) as future:
        step(actor, follow_up, Stage.INTERVIEWED, there + timedelta(days=1))
    assert list(future.value.fields) == ["happened_on"]
