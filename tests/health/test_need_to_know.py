"""Health data is for health roles only (issue 5, item 7): a health record is read by a health officer
posted where it was made or of the organisation its referral went to, and by nobody else; a refused
read leaves nothing but an ``access.refused`` entry; no other path shows it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.core.context import Actor
from hbm.core.errors import NotFound, PermissionDenied
from hbm.health.models import HealthRecord
from hbm.health.selectors import access_health_record, health_records_list
from hbm.protection.enums import ReferralStatus
from hbm.protection.referrals import referral_answer, referral_send
from hbm.protection.selectors import access_referral, referrals_of_person, referrals_received
from hbm.registration.models import Person
from hbm.registration.selectors import persons_search
from tests.conftest import client_for
from tests.factories import OrganisationFactory
from tests.health.conftest import EBOLA, TUBERCULOSIS

pytestmark = pytest.mark.django_db

# Words that would betray the screening if they showed anywhere outside the health app.
HEALTH_WORDS = ("Isolation ward", "Ebola", "haemorrhagic", "poe-health", "vhf_contact")
# The temperature recorded, as a value: not the "…:38.6…" of a timestamp's seconds.
TEMPERATURE = re.compile(r"(?<![:\d])38\.6(?!\d)")


@pytest.fixture
def record(screen: Callable[..., Any], traveller: Person, isolation_ward: Any) -> HealthRecord:
    result = screen(EBOLA, person=traveller, service=isolation_ward)
    assert result.record is not None
    return result.record


def _entries_after(seq: int) -> list[tuple[str, str]]:
    return [(e.event, e.detail.get("kind", "")) for e in AuditEntry.objects.filter(seq__gt=seq)]


def _last_seq() -> int:
    return AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


REFUSED_CASES = [
    ("border_officer", True, None),
    ("screening_officer", True, None),
    ("caseworker", False, "health"),  # of the health authority that received the referral
    ("caseworker", False, None),
    ("reception_manager", True, None),
    ("coordinator", False, None),
    ("planner", False, None),
    ("auditor", False, None),
    ("admin", False, None),
    ("health_officer", False, "other"),  # another organisation, posted elsewhere
]


@pytest.mark.parametrize(
    ("role", "posted", "organisation"),
    REFUSED_CASES,
)
def test_every_other_role_is_refused_and_only_the_refusal_is_audited(
    make_user: Callable[..., Any],
    record: HealthRecord,
    health_authority: Any,
    role: str,
    posted: bool,
    organisation: str | None,
) -> None:
    org = {"health": health_authority, "other": OrganisationFactory(name="Health NGO", kind="ngo")}.get(
        organisation or ""
    )
    user = make_user(role, posted=posted, organisation=org)
    actor = Actor(user=user)
    seq = _last_seq()
    with pytest.raises(NotFound):
        access_health_record(actor=actor, record_id=record.pk)
    assert _entries_after(seq) == [(AuditEvent.ACCESS_REFUSED, "health_record")]
    seq = _last_seq()
    if role == "health_officer":
        assert health_records_list(actor=actor) == []
        expected = [(AuditEvent.HEALTH_RECORDS_LISTED, "")]
    else:
        with pytest.raises(PermissionDenied):
            health_records_list(actor=actor)
        expected = [(AuditEvent.ACCESS_REFUSED, "health_records")]
    assert _entries_after(seq) == expected


def test_a_health_officer_of_the_same_organisation_posted_elsewhere_is_refused(
    make_user: Callable[..., Any],
    screen: Callable[..., Any],
    traveller: Person,
    isolation_ward: Any,
    other_crossing_point: Any,
) -> None:
    # the receiving organisation is another one: the isolation ward is the ministry's, this officer an NGO's
    ngo = OrganisationFactory(name="Border health NGO", kind="ngo")
    user = make_user("health_officer", posted=False, organisation=ngo)
    other_crossing_point.staff.add(user)
    record = screen(EBOLA, person=traveller, service=isolation_ward).record
    seq = _last_seq()
    with pytest.raises(NotFound):
        access_health_record(actor=Actor(user=user), record_id=record.pk)
    assert _entries_after(seq) == [(AuditEvent.ACCESS_REFUSED, "health_record")]


def test_the_recording_officer_and_the_receiving_organisations_health_officer_read_it(
    make_user: Callable[..., Any], record: HealthRecord, health_actor: Actor, health_authority: Any
) -> None:
    ward_officer = make_user("health_officer", posted=False, organisation=health_authority)
    for actor in (health_actor, Actor(user=ward_officer)):
        seq = _last_seq()
        assert access_health_record(actor=actor, record_id=record.pk) == record
        assert _entries_after(seq) == [(AuditEvent.HEALTH_RECORD_VIEWED, "")]
        assert [r.pk for r in health_records_list(actor=actor)] == [record.pk]


def test_a_mistyped_id_is_refused_like_a_missing_one(health_actor: Actor) -> None:
    seq = _last_seq()
    with pytest.raises(NotFound):
        access_health_record(actor=health_actor, record_id="not-a-uuid")
    assert _entries_after(seq) == [(AuditEvent.ACCESS_REFUSED, "health_record")]


# --- other paths ----------------------------------------------------------------------------------


def test_the_health_referral_is_invisible_to_the_screening_officer(
    record: HealthRecord, screener: Any, traveller: Person
) -> None:
    actor = Actor(user=screener)
    assert referrals_of_person(person=traveller) == []
    with pytest.raises(NotFound):
        access_referral(actor=actor, referral_id=record.referral_id)
    with pytest.raises(NotFound):
        referral_send(actor=actor, referral_id=record.referral_id)


def test_a_caseworker_of_the_receiving_organisation_neither_sees_nor_answers_it(
    make_user: Callable[..., Any], record: HealthRecord, health_authority: Any
) -> None:
    caseworker = Actor(user=make_user("caseworker", posted=False, organisation=health_authority))
    assert referrals_received(actor=caseworker) == []
    with pytest.raises(NotFound):
        access_referral(actor=caseworker, referral_id=record.referral_id)
    with pytest.raises(NotFound):
        referral_answer(actor=caseworker, referral_id=record.referral_id, to=ReferralStatus.ACCEPTED)
    assert record.referral is not None
    record.referral.refresh_from_db()
    assert record.referral.status == ReferralStatus.SENT


def test_the_receiving_health_officer_sees_the_referral(
    make_user: Callable[..., Any], record: HealthRecord, health_authority: Any
) -> None:
    ward_officer = Actor(user=make_user("health_officer", posted=False, organisation=health_authority))
    assert [r.pk for r in referrals_received(actor=ward_officer)] == [record.referral_id]
    accepted = referral_answer(actor=ward_officer, referral_id=record.referral_id, to=ReferralStatus.ACCEPTED)
    assert accepted.status == ReferralStatus.ACCEPTED


@pytest.mark.parametrize("role", ["screening_officer", "coordinator", "border_officer"])
def test_person_page_api_and_search_show_nothing_of_health(
    make_user: Callable[..., Any], record: HealthRecord, traveller: Person, role: str
) -> None:
    user = make_user(role, posted=role != "coordinator")
    client = client_for(user)
    pages = [
        client.get(f"/persons/{traveller.pk}/"),
        client.get(f"/api/persons/{traveller.pk}"),
        client.get("/persons/", {"q": "Haddad"}),
        client.get("/api/persons", {"q": "Haddad"}),
    ]
    for response in pages:
        assert response.status_code == 200, response.content[:300]
        body = response.content.decode()
        assert "Haddad" in body  # the person is there …
        for word in HEALTH_WORDS:  # … and nothing of the screening
            assert word not in body, (response.request["PATH_INFO"], word)
        assert not TEMPERATURE.search(body), response.request["PATH_INFO"]
    assert [p.pk for p in persons_search(actor=Actor(user=user), query="Haddad")] == [traveller.pk]


def test_the_receiving_organisation_reads_nothing_while_the_referral_waits_for_consent(
    make_user: Callable[..., Any],
    screen: Callable[..., Any],
    traveller: Person,
    clinic: Any,
    health_authority: Any,
    health_actor: Actor,
) -> None:
    from hbm.health.services import health_referral_consent

    record = screen(TUBERCULOSIS, person=traveller, service=clinic).record
    clinician = Actor(user=make_user("health_officer", posted=False, organisation=health_authority))
    with pytest.raises(NotFound):
        access_health_record(actor=clinician, record_id=record.pk)
    assert health_records_list(actor=clinician) == []
    health_referral_consent(actor=health_actor, record=record)
    assert access_health_record(actor=clinician, record_id=record.pk) == record
