"""The coordinator's overview: where every flagged person now stands, counted per crossing point and
stage, filtered and paged, and only for those who may see it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from hbm.accounts.models import User
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.core.context import Actor
from hbm.core.errors import PermissionDenied, ValidationFailed
from hbm.core.time import now, today
from hbm.followup.enums import FollowUpKind, FollowUpStage, Phase
from hbm.followup.selectors import OverviewFilter, followup_overview
from hbm.followup.services import FollowUpData, StepData, followup_open, followup_step
from hbm.protection.enums import ReferralOutcome, ReferralStatus
from hbm.protection.models import Referral
from hbm.protection.referrals import referral_answer
from hbm.registration.models import Person
from tests.followup.conftest import TRAFFICKED_WOMAN

pytestmark = pytest.mark.django_db


@pytest.fixture
def population(
    register: Callable[..., Person],
    flag: Callable[..., Any],
    refer: Callable[..., Referral],
    caseworker: User,
    coordinator: User,
) -> dict[str, Person]:
    """Seven persons, one at each place a flagged person can stand, and one not flagged at all."""
    cw, co = Actor(user=caseworker, device="test"), Actor(user=coordinator, device="test")
    persons = {
        name: register(name.upper(), "TEST", date_of_birth=None, estimated_age=20 + i)
        for i, name in enumerate(
            ["waiting", "late", "referred", "accepted", "asylum", "granted", "served", "unflagged"]
        )
    }
    flag(persons["waiting"], hours_ago=1)  # high urgency: 24 hours to refer
    flag(persons["late"], answers=TRAFFICKED_WOMAN, hours_ago=30)  # overdue: nobody referred in 24 hours
    refer(persons["referred"], flag="SM-MI")  # sent, not answered
    for name in ("accepted", "asylum", "granted", "served"):
        referral = refer(persons[name])
        referral_answer(actor=cw, referral_id=referral.pk, to=ReferralStatus.ACCEPTED)
    served = Referral.objects.get(person=persons["served"])
    referral_answer(actor=cw, referral_id=served.pk, to=ReferralStatus.IN_PROGRESS)
    referral_answer(
        actor=cw, referral_id=served.pk, to=ReferralStatus.CLOSED, outcome=ReferralOutcome.SERVICE_PROVIDED
    )
    long_ago = today() - timedelta(days=100)
    for name in ("asylum", "granted"):
        followup_open(
            actor=co,
            person_id=persons[name].pk,
            data=FollowUpData(
                kind=FollowUpKind.ASYLUM, stage=FollowUpStage.APPLICATION_LODGED, happened_on=long_ago
            ),
        )
    granted = persons["granted"]
    from hbm.followup.models import FollowUp

    for stage in (FollowUpStage.INTERVIEWED, FollowUpStage.REFUGEE_STATUS):
        followup_step(
            actor=co,
            followup_id=FollowUp.objects.get(person=granted).pk,
            data=StepData(to=stage, happened_on=today()),
        )
    return persons


def overview(user: User, **filters: Any) -> Any:
    return followup_overview(actor=Actor(user=user, device="test"), filters=OverviewFilter(**filters))


def test_each_flagged_person_is_counted_where_they_stand(
    population: dict[str, Person], coordinator: User, crossing_point: Any
) -> None:
    seen = overview(coordinator)

    assert {(c.phase, c.stage, c.persons) for c in seen.counts} == {
        ("flagged", "flagged", 2),
        ("referred", "referral:sent", 1),
        ("accepted", "referral:accepted", 1),
        ("followup", "asylum:application_lodged", 1),
        ("closed", "asylum:refugee_status", 1),
        ("closed", "referral:service_provided", 1),
    }
    assert {c.crossing_point_id for c in seen.counts} == {crossing_point.pk}
    assert seen.phase_totals() == {"flagged": 2, "referred": 1, "accepted": 1, "followup": 1, "closed": 2}
    assert seen.total == 7  # the unflagged person is not followed here
    since = {r.person.given_names_latin: r.since for r in seen.rows}
    assert since["WAITING"] == (now() - timedelta(hours=1)).date()  # the day of the flag
    assert since["GRANTED"] == today()  # the day of the last step
    assert "UNFLAGGED" not in {r.person.given_names_latin for r in seen.rows}


def test_overdue_persons_come_first_and_can_be_filtered(
    population: dict[str, Person], coordinator: User
) -> None:
    seen = overview(coordinator)
    overdue = overview(coordinator, is_overdue=True)

    # 30 hours flagged without a referral, and an asylum application lodged 100 days ago (review: 60)
    assert {r.person.given_names_latin for r in overdue.rows} == {"LATE", "ASYLUM"}
    assert [r.is_overdue for r in seen.rows[:2]] == [True, True]
    assert not any(r.is_overdue for r in seen.rows[2:])


def test_filters_by_category_phase_and_stage(population: dict[str, Person], coordinator: User) -> None:
    by_category = overview(coordinator, category="LP")
    by_phase = overview(coordinator, phase=Phase.CLOSED)
    by_stage = overview(coordinator, stage="asylum:refugee_status")

    assert [r.person.given_names_latin for r in by_category.rows] == ["LATE"]
    assert by_category.rows[0].categories == ["LP"]
    assert {c.persons for c in by_category.counts} == {1}
    assert {r.person.given_names_latin for r in by_phase.rows} == {"GRANTED", "SERVED"}
    assert [(r.person.given_names_latin, r.since) for r in by_stage.rows] == [("GRANTED", today())]


def test_the_list_is_paged(
    register: Callable[..., Person],
    flag: Callable[..., Any],
    coordinator: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("hbm.followup.selectors.PAGE_SIZE", 2)
    for i in range(5):
        flag(register(f"P{i}", "PAGED", date_of_birth=None, estimated_age=30 + i))

    pages = [overview(coordinator, page=n) for n in (1, 2, 3)]

    assert [len(p.rows) for p in pages] == [2, 2, 1]
    assert {p.pages for p in pages} == {3}
    assert len({r.person.pk for p in pages for r in p.rows}) == 5
    with pytest.raises(ValidationFailed):
        overview(coordinator, page=0)


def test_the_page_shown_is_audited(population: dict[str, Person], coordinator: User) -> None:
    seen = overview(coordinator, phase=Phase.FLAGGED)

    entry = AuditEntry.objects.filter(event=AuditEvent.FOLLOWUPS_LISTED).get()
    assert entry.detail["persons"] == [str(r.person.pk) for r in seen.rows]
    assert entry.detail["filters"]["phase"] == "flagged"


def test_a_screening_officer_sees_only_their_crossing_points(
    population: dict[str, Person],
    make_user: Callable[..., User],
    other_crossing_point: Any,
    crossing_point: Any,
) -> None:
    elsewhere = make_user("screening_officer", posted=False, username="elsewhere")
    other_crossing_point.staff.add(elsewhere)
    here = make_user("screening_officer", username="here")

    assert overview(elsewhere).total == 0
    assert overview(here).total == 7
    before = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        overview(elsewhere, crossing_point_id=crossing_point.pk)
    assert [(e.event, e.actor, e.detail) for e in AuditEntry.objects.filter(seq__gt=before)] == [
        (AuditEvent.ACCESS_REFUSED, elsewhere, {"kind": "followup_overview", "id": str(crossing_point.pk)})
    ]


@pytest.mark.parametrize("role", ["border_officer", "health_officer", "caseworker", "planner", "auditor"])
def test_other_roles_have_no_overview(
    role: str, make_user: Callable[..., User], population: dict[str, Person]
) -> None:
    user = make_user(role, username=f"u-{role}")
    before = AuditEntry.objects.count()

    with pytest.raises(PermissionDenied):
        overview(user)
    # only the refusal is on record: the auditor sees who tried, and no person's name
    assert [(e.event, e.actor, e.detail) for e in AuditEntry.objects.filter(seq__gt=before)] == [
        (AuditEvent.ACCESS_REFUSED, user, {"kind": "followup_overview", "id": "list"})
    ]


def test_each_phase_and_stage_filter_lists_exactly_the_persons_counted_there(
    population: dict[str, Person], coordinator: User
) -> None:
    seen = overview(coordinator)

    for phase, counted in seen.phase_totals().items():
        assert overview(coordinator, phase=Phase(phase)).total == counted, phase
    for count in seen.counts:
        listed = overview(coordinator, stage=count.stage)
        assert listed.total == count.persons, count.stage
        assert {r.stage for r in listed.rows} == {count.stage}
