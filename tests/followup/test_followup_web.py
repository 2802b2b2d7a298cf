"""The follow-up pages: opened from the referral (caseworker) or the person (screening officer),
steps recorded with their day, refusals as form errors, the coordinator's overview with its chart,
filters and pages, and who sees none of it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from hbm.accounts.models import User
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.core.time import today
from hbm.followup.models import FollowUp, FollowUpStep
from hbm.protection.models import Referral
from hbm.registration.models import Person
from tests.followup.conftest import OLDER_ALONE

pytestmark = pytest.mark.django_db

DAY = today() - timedelta(days=3)


def test_a_caseworker_opens_a_follow_up_from_the_referral_and_records_steps(
    api: Callable[[User | None], Client], caseworker: User, accepted_referral: Referral
) -> None:
    client = api(caseworker)
    referral_page = client.get(f"/referrals/{accepted_referral.pk}/").content.decode()
    assert 'data-testid="referral-followups"' in referral_page

    opened = client.post(
        f"/referrals/{accepted_referral.pk}/followup",
        {"start": "asylum:intention_expressed", "happened_on": DAY.strftime("%d/%m/%Y")},
    )
    assert opened.status_code == 302
    follow_up = FollowUp.objects.get()
    assert (follow_up.referral, follow_up.started_on) == (accepted_referral, DAY)

    step = client.post(
        f"/followup/{follow_up.pk}/step",
        {"to": "application_lodged", "happened_on": DAY.isoformat(), "note": "Lodged."},
    )
    assert step.status_code == 302
    detail = client.get(f"/followup/{follow_up.pk}/").content.decode()
    assert "application lodged" in detail
    assert "Lodged." in detail
    cases = client.get("/followup/cases/").content.decode()
    assert f'data-testid="followup-{follow_up.pk}"' in cases
    assert "HADDAD, OMAR" in cases  # the referral shares the names


def test_a_refused_step_is_shown_on_the_form_and_nothing_is_saved(
    api: Callable[[User | None], Client], coordinator: User, boy: Person
) -> None:
    client = api(coordinator)
    client.post(f"/persons/{boy.pk}/followup", {"start": "avrr:interest_expressed", "happened_on": DAY})
    follow_up = FollowUp.objects.get()

    future = client.post(
        f"/followup/{follow_up.pk}/step", {"to": "counselled", "happened_on": today() + timedelta(days=2)}
    )
    skipped = client.post(f"/followup/{follow_up.pk}/step", {"to": "departed", "happened_on": DAY})

    assert future.status_code == 422
    assert "cannot be dated in the future" in future.content.decode()
    assert skipped.status_code == 422  # not one of the next stages offered
    assert FollowUpStep.objects.count() == 1


def test_a_follow_up_opened_twice_is_refused_on_the_form(
    api: Callable[[User | None], Client], screener: User, boy: Person
) -> None:
    client = api(screener)
    form = {"start": "relocation:proposed", "happened_on": DAY.isoformat()}
    assert client.post(f"/persons/{boy.pk}/followup", form).status_code == 302

    again = client.post(f"/persons/{boy.pk}/followup", form)

    assert again.status_code == 422
    assert "already has an open follow-up" in again.content.decode()
    person_page = client.get(f"/persons/{boy.pk}/").content.decode()
    assert 'data-testid="person-followups"' in person_page
    assert "relocation or transfer" in person_page


@pytest.fixture
def flagged(
    register: Callable[..., Person], flag: Callable[..., Any], refer: Callable[..., Referral]
) -> list[Person]:
    persons = [register(f"P{i}", "FLAGGED", date_of_birth=None, estimated_age=20 + i) for i in range(3)]
    flag(persons[0], hours_ago=48)  # overdue
    flag(persons[1], answers=OLDER_ALONE, hours_ago=1)
    refer(persons[2])
    return persons


def test_the_coordinator_sees_where_flagged_persons_stand(
    api: Callable[[User | None], Client], coordinator: User, flagged: list[Person]
) -> None:
    page = api(coordinator).get("/followup/").content.decode()

    assert 'data-testid="followup-stage-chart"' in page
    assert "<svg" in page
    assert page.count('data-testid="overview-row"') == 3
    assert "flagged, not referred" in page
    assert "referral: sent to the service" in page
    overdue = api(coordinator).get("/followup/?overdue=yes").content.decode()
    assert overdue.count('data-testid="overview-row"') == 1
    assert "P0" in overdue
    older = api(coordinator).get("/followup/?category=ER").content.decode()
    assert older.count('data-testid="overview-row"') == 1
    assert "P1" in older


def test_the_overview_is_paged(
    api: Callable[[User | None], Client],
    coordinator: User,
    flagged: list[Person],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("hbm.followup.selectors.PAGE_SIZE", 2)
    first = api(coordinator).get("/followup/?phase=").content.decode()
    second = api(coordinator).get("/followup/?page=2").content.decode()

    assert first.count('data-testid="overview-row"') == 2
    assert 'rel="next"' in first
    assert second.count('data-testid="overview-row"') == 1


def test_the_overview_in_french_and_arabic(
    api: Callable[[User | None], Client], coordinator: User, flagged: list[Person]
) -> None:
    client = api(coordinator)
    client.post("/i18n/setlang/", {"language": "fr"})
    french = client.get("/followup/").content.decode()
    client.post("/i18n/setlang/", {"language": "ar"})
    arabic = client.get("/followup/").content.decode()

    assert "Où en sont les personnes signalées" in french
    assert 'dir="rtl"' in arabic
    assert "أين يقف الأشخاص" in arabic


@pytest.mark.parametrize(
    ("role", "overview", "cases"),
    [
        ("border_officer", 403, 403),
        ("health_officer", 403, 403),
        ("planner", 403, 403),
        ("caseworker", 403, 200),
        ("screening_officer", 200, 200),
        ("coordinator", 200, 200),
    ],
)
def test_who_opens_the_pages(
    role: str,
    overview: int,
    cases: int,
    api: Callable[[User | None], Client],
    make_user: Callable[..., User],
    boy: Person,
    accepted_referral: Referral,
) -> None:
    user = make_user(role, username=f"u-{role}")
    client = api(user)

    for path, status, kind in (
        ("/followup/", overview, "followup_overview"),
        ("/followup/cases/", cases, "followups"),
    ):
        before = AuditEntry.objects.count()
        response = client.get(path)
        assert response.status_code == status, path
        if status == 403:  # a refused list leaves one access.refused entry and shows no person
            written = [(e.event, e.actor, e.detail) for e in AuditEntry.objects.filter(seq__gt=before)]
            assert written == [(AuditEvent.ACCESS_REFUSED, user, {"kind": kind, "id": "list"})]
            assert 'data-testid="refused"' in response.content.decode()
            assert boy.surname_latin not in response.content.decode()
    assert ('data-testid="nav-followup"' in client.get("/").content.decode()) == (cases == 200)


def test_a_border_officer_sees_no_follow_up_on_the_person_page_and_a_stranger_none_at_all(
    api: Callable[[User | None], Client], officer: User, stranger: User, coordinator: User, boy: Person
) -> None:
    api(coordinator).post(
        f"/persons/{boy.pk}/followup", {"start": "asylum:application_lodged", "happened_on": DAY}
    )
    follow_up = FollowUp.objects.get()

    person_page = api(officer).get(f"/persons/{boy.pk}/").content.decode()

    assert 'data-testid="person-followups"' not in person_page
    assert api(officer).get(f"/followup/{follow_up.pk}/").status_code == 404
    assert api(stranger).get(f"/followup/{follow_up.pk}/").status_code == 404
    assert (
        api(stranger)
        .post(f"/followup/{follow_up.pk}/step", {"to": "interviewed", "happened_on": DAY})
        .status_code
        == 404
    )
    assert api(None).get("/followup/").status_code == 302
    assert FollowUpStep.objects.count() == 1


def test_another_role_is_refused_the_new_follow_up_form_with_403_before_any_read(
    api: Callable[[User | None], Client], officer: User, boy: Person
) -> None:
    from hbm.audit.models import AuditEntry

    before = AuditEntry.objects.count()

    response = api(officer).get(f"/persons/{boy.pk}/followup")

    assert response.status_code == 403
    assert boy.surname_latin not in response.content.decode()
    assert AuditEntry.objects.count() == before
    assert not FollowUp.objects.exists()
