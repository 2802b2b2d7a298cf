"""The demo emergency in the database: every role, the switch, the arrivals, an intact audit trail.

These tests only read: they share one load (the ``loaded_demo`` fixture).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password

from hbm.accounts.enums import Role
from hbm.accounts.models import Organisation, User
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.audit.selectors import audit_chain_verify
from hbm.crossings.enums import CrossingMode
from hbm.crossings.models import CrossingPoint, ModeDecision
from hbm.dedup.models import MatchCandidate
from hbm.dedup.records import match_scoring
from hbm.dedup.services import person_dedup_check
from hbm.demo.load import demo_is_loaded, demo_users_text
from hbm.demo.users import DEMO_USERS
from hbm.registration.enums import Relationship, Tier
from hbm.registration.models import CountCell, Document, Encounter, Group, GroupMembership, Person
from tests.demo.conftest import ZONE, plan

pytestmark = pytest.mark.django_db


def test_every_role_has_a_user_who_can_sign_in(loaded_demo: dict[str, Any]) -> None:
    users = {u.username: u for u in User.objects.select_related("organisation")}
    assert Counter(u.role for u in users.values()) == {
        **{role.value: 1 for role in Role},
        Role.BORDER_OFFICER.value: 2,
    }
    assert Organisation.objects.count() == 7
    for spec in DEMO_USERS:
        user = users[spec.username]
        organisation = user.organisation.name if user.organisation else None
        assert (user.role, organisation, user.get_full_name()) == (
            spec.role,
            spec.organisation,
            spec.display_name,
        )
        assert user.check_password(spec.password)
    posted = set(CrossingPoint.objects.get(code="PAL").staff.values_list("username", flat=True))
    assert posted == {"officer.ana", "officer.ion", "screener.maria", "health.elena"}
    assert demo_is_loaded()


def test_demo_passwords_pass_the_password_validators() -> None:
    for spec in DEMO_USERS:
        validate_password(spec.password, User(username=spec.username, first_name=spec.first_name))


def test_the_coordinator_switched_the_land_crossing_at_the_start_of_day_one(
    loaded_demo: dict[str, Any],
) -> None:
    land = CrossingPoint.objects.get(code="PAL")
    decision = ModeDecision.objects.get()
    start = datetime.combine(plan().days[0], time.min, tzinfo=ZONE)
    assert (land.mode, land.timezone, land.neighbouring_country) == (
        CrossingMode.EMERGENCY,
        "Europe/Chisinau",
        "UKR",
    )
    assert (decision.crossing_point, decision.decided_by.username) == (land, "coordinator.radu")
    assert (decision.from_mode, decision.to_mode) == (CrossingMode.NORMAL, CrossingMode.EMERGENCY)
    assert decision.decided_at == start == land.mode_changed_at
    assert loaded_demo["emergency_since"] == start.isoformat()
    assert dict(CrossingPoint.objects.exclude(code="PAL").values_list("code", "mode")) == {
        "GIU": CrossingMode.NORMAL,
        "KIV": CrossingMode.NORMAL,
    }
    assert not Encounter.objects.filter(occurred_at__lt=start).exists()


def test_the_stored_arrivals_are_exactly_the_plan(loaded_demo: dict[str, Any]) -> None:
    planned = plan()
    registered = [(g, m) for g in planned.groups if g.registered_from for m in g.members]
    alone = [c.person for c in planned.unaccompanied_children] + [i.person for i in planned.registered_again]
    people = [m for _, m in registered] + alone

    land = Person.objects.filter(registered_at__code="PAL")
    assert Group.objects.count() == len(planned.groups) == loaded_demo["groups"]
    assert sum(CountCell.objects.values_list("count", flat=True)) == planned.people_counted
    assert land.count() == len(people) == loaded_demo["persons_registered"]
    assert GroupMembership.objects.count() == len(registered)
    assert Counter(GroupMembership.objects.values_list("relationship", flat=True)) == Counter(
        m.relationship for _, m in registered
    )
    assert Counter(Document.objects.filter(person__in=land).values_list("condition", flat=True)) == Counter(
        d.condition for p in people for d in p.documents
    )
    assert land.filter(memberships__isnull=True).count() == len(alone)
    # How common each name is among them is stored for the checks from the start.
    assert loaded_demo["term_shares_of"] == Person.objects.count()
    assert match_scoring().terms is not None
    assert Counter(land.values_list("father_name", "mother_name")) == Counter(
        (p.father_name, p.mother_name) for p in people
    )
    assert Person.objects.filter(registered_at__code="KIV").count() == len(planned.airport_travellers)
    assert set(Encounter.objects.filter(crossing_point__code="KIV").values_list("mode", flat=True)) == {
        "normal"
    }


def test_arrivals_fall_on_three_days_with_day_two_the_largest(loaded_demo: dict[str, Any]) -> None:
    arrivals = [day["arrivals"] for day in loaded_demo["days"]]
    assert [day["day"] for day in loaded_demo["days"]] == [d.isoformat() for d in plan().days]
    assert arrivals[1] > arrivals[0] > 0
    assert arrivals[1] > arrivals[2] > 0
    assert loaded_demo["arrivals"] == sum(arrivals)
    assert {tier for day in loaded_demo["days"] for tier, n in day["by_tier"].items() if n} == {
        t.value for t in Tier
    }


def test_groups_children_and_documents_of_every_condition_are_stored(loaded_demo: dict[str, Any]) -> None:
    assert GroupMembership.objects.filter(relationship=Relationship.HEAD).count() > 0
    assert GroupMembership.objects.filter(relationship=Relationship.CHILD).count() > 0
    assert loaded_demo["children_registered"] > 0
    assert set(loaded_demo["documents"]) == {"valid", "expired", "damaged"}
    damaged = Document.objects.filter(condition="damaged")
    assert all("document_number" in d.failed_checks for d in damaged)
    assert not Document.objects.exclude(condition="damaged").exclude(failed_checks=[]).exists()


def test_every_write_is_audited_by_its_officer_and_the_chain_is_intact(loaded_demo: dict[str, Any]) -> None:
    verdict = audit_chain_verify()
    assert verdict.is_intact
    assert loaded_demo["audit_entries"] == verdict.checked == AuditEntry.objects.count()
    registrations = AuditEntry.objects.filter(event=AuditEvent.PERSON_REGISTERED)
    assert registrations.count() == Person.objects.count()
    assert set(registrations.values_list("actor_label", "device")) == {
        ("officer.ana", "tablet-1"),
        ("officer.ion", "tablet-2"),
        ("screener.maria", "tablet-protection"),
        ("officer.ion", "airport-desk-3"),
    }
    assert (
        AuditEntry.objects.filter(event=AuditEvent.CROSSING_MODE_CHANGED).get().actor_label
        == "coordinator.radu"
    )


def test_the_users_table_lists_every_account_and_password() -> None:
    text = demo_users_text()

    assert text.splitlines()[0].startswith("Demo users")
    for spec in DEMO_USERS:
        assert spec.username in text
        assert spec.password in text
    assert len(text.splitlines()) == len(DEMO_USERS) + 2


def test_the_people_registered_again_are_found_by_the_duplicate_checks(loaded_demo: dict[str, Any]) -> None:
    again = plan().registered_again
    assert again
    for individual in again:
        second = Person.objects.get(
            registered_at__code="PAL",
            memberships__isnull=True,
            given_names_original=individual.person.given.original,
            surname_latin=individual.person.family.latin,
            given_names_latin=individual.person.given.latin,
        )
        first = Person.objects.get(
            memberships__isnull=False,
            given_names_original=individual.person.given.original,
            surname_original=individual.person.family.original,
            date_of_birth__year=individual.person.date_of_birth.year,
            father_name=individual.person.father_name,
        )
        person_dedup_check(person_id=first.pk)  # the worker has not run: the first's keys, then
        person_dedup_check(person_id=second.pk)  # the second checked against them
        low, high = sorted((first.pk, second.pk), key=lambda pk: pk.hex)
        assert MatchCandidate.objects.filter(person_low=low, person_high=high).exists(), individual
