"""Family tracing: the engines find the sought relative; nothing reaches the tracing caseworker until
the person found agrees; only that caseworker sees it; every read and decision is audited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.db import connection

from hbm.accounts.models import User
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.core.context import Actor
from hbm.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hbm.dedup.services import dedup_pending_process
from hbm.registration.enums import Sex
from hbm.registration.models import Person
from hbm.tracing.enums import ConsentGivenBy, ConsentSide, MatchStatus, RequestOutcome
from hbm.tracing.models import TracingConsent, TracingMatch, TracingRequest
from hbm.tracing.selectors import (
    access_tracing_match,
    access_tracing_request,
    disclosed_matches,
    request_consents,
    tracing_match_queue,
    tracing_requests_of,
)
from hbm.tracing.services import (
    ConsentData,
    tracing_match_consent,
    tracing_match_dismiss,
    tracing_match_reopen,
    tracing_pending_search,
    tracing_request_close,
    tracing_request_create,
    tracing_request_search,
)
from tests.tracing.conftest import request_data

pytestmark = pytest.mark.django_db

YES = ConsentData(is_given=True, given_by=ConsentGivenBy.PERSON, note="stays at Palanca reception, tent 4")
NO = ConsentData(is_given=False, given_by=ConsentGivenBy.PERSON)


@pytest.fixture
def daughter(register: Callable[..., Person]) -> Person:
    """The sought girl, registered alone with another spelling and an age the officer estimated."""
    person = register("AMINA", "HASAN", sex=Sex.FEMALE, date_of_birth=None, estimated_age=9)
    register("OLENA", "KOVALENKO", sex=Sex.FEMALE, nationality="UKR", date_of_birth=date(1985, 6, 1))
    register("AHMAD", "KARIMI", nationality="AFG", date_of_birth=date(2001, 1, 9))
    dedup_pending_process()
    return person


@pytest.fixture
def proposed(daughter: Person, file_request: Callable[..., TracingRequest]) -> TracingMatch:
    request = file_request()
    tracing_pending_search()
    return TracingMatch.objects.get(request=request)


def _events(event: AuditEvent) -> int:
    return AuditEntry.objects.filter(event=event).count()


# --- filing ---------------------------------------------------------------------------------------


def test_a_filed_request_records_the_enquirers_consent_and_is_audited(
    file_request: Callable[..., TracingRequest], tracer: User
) -> None:
    request = file_request()

    assert request.reference.startswith("TR-")
    assert len(request.reference) == 11
    assert request.caseworker == tracer
    assert request.organisation == tracer.organisation
    assert (request.given_names_latin, request.surname_latin) == ("AMINA", "HASSAN")
    assert request.birth_date_accuracy == "estimated"
    consent = TracingConsent.objects.get(request=request)
    assert (consent.side, consent.is_given, consent.recorded_by) == (ConsentSide.ENQUIRER, True, tracer)
    entry = AuditEntry.objects.get(event=AuditEvent.TRACING_REQUEST_CREATED)
    assert entry.subject_id == str(request.pk)
    assert "Fatima" not in str(entry.detail)


def test_what_the_enquirer_told_is_encrypted_at_rest(file_request: Callable[..., TracingRequest]) -> None:
    request = file_request()

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT enquirer, circumstances FROM tracing_tracingrequest WHERE id = %s",
            [request.pk.hex if connection.vendor == "sqlite" else request.pk],
        )
        enquirer, circumstances = cursor.fetchone()

    assert b"Fatima" not in bytes(enquirer)
    assert b"crowd" not in bytes(circumstances)
    assert TracingRequest.objects.get().enquirer["name"] == "Fatima Hassan"


def test_without_the_enquirers_consent_nothing_is_filed(tracer_actor: Actor) -> None:
    with pytest.raises(ValidationFailed) as refused:
        tracing_request_create(actor=tracer_actor, data=request_data(enquirer_consent=False))

    assert list(refused.value.fields) == ["enquirer_consent"]
    assert not TracingRequest.objects.exists()
    assert not TracingConsent.objects.exists()
    assert _events(AuditEvent.TRACING_REQUEST_CREATED) == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sought": {"given_names_latin": "", "surname_latin": " "}}, "surname_latin"),
        ({"sought": {"birth_year": 2018}}, "date_of_birth"),
        ({"sought": {"estimated_age": 200}}, "estimated_age"),
        ({"sought": {"nationality": "ZZZ"}}, "nationality"),
        ({"separated_on": date.today() + timedelta(days=3)}, "separated_on"),
        ({"enquirer_name": "  "}, "enquirer_name"),
        ({"circumstances": "x" * 2001}, "circumstances"),
        ({"photo": b"not an image"}, "photo"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    tracer_actor: Actor, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        tracing_request_create(actor=tracer_actor, data=request_data(**changes))

    assert list(refused.value.fields) == [field]
    assert not TracingRequest.objects.exists()


def test_a_role_that_does_not_trace_cannot_file(actor: Actor) -> None:
    with pytest.raises(PermissionDenied):
        tracing_request_create(actor=actor, data=request_data())

    assert not TracingRequest.objects.exists()


def test_a_retried_filing_returns_the_first_request(tracer_actor: Actor) -> None:
    import uuid

    request_id = uuid.uuid4()
    first = tracing_request_create(actor=tracer_actor, data=request_data(), request_id=request_id)
    again = tracing_request_create(actor=tracer_actor, data=request_data(), request_id=request_id)

    assert again.pk == first.pk
    assert TracingRequest.objects.count() == 1
    assert _events(AuditEvent.TRACING_REQUEST_CREATED) == 1


# --- searching ------------------------------------------------------------------------------------


def test_the_search_proposes_the_relative_registered_under_another_spelling(
    proposed: TracingMatch, daughter: Person
) -> None:
    assert proposed.person == daughter
    assert proposed.status == MatchStatus.PROPOSED
    assert proposed.involves_child
    assert {c["field"] for c in proposed.contributions} >= {"given", "surname", "birth_date"}
    assert TracingMatch.objects.count() == 1
    assert _events(AuditEvent.TRACING_MATCH_FOUND) == 1


def test_a_person_registered_after_the_request_is_found_at_the_next_pass(
    register: Callable[..., Person], file_request: Callable[..., TracingRequest]
) -> None:
    request = file_request()
    assert tracing_pending_search() == 0

    later = register("Ameena", "Hassan", sex=Sex.FEMALE, date_of_birth=None, estimated_age=8)
    dedup_pending_process()
    tracing_pending_search()

    assert list(TracingMatch.objects.filter(request=request).values_list("person", flat=True)) == [later.pk]


def test_the_enquirer_is_never_proposed_as_their_own_relative(
    register: Callable[..., Person], file_request: Callable[..., TracingRequest], screener_actor: Actor
) -> None:
    # A father and son of one name; the father looks for his son.
    father = register("Omar", "Haddad", date_of_birth=None, birth_year=1980)
    dedup_pending_process()
    tracing = file_request(
        sought={
            "given_names_latin": "Omar",
            "surname_latin": "Haddad",
            "sex": Sex.MALE,
            "estimated_age": None,
            "birth_year": 1980,
        },
    )
    TracingRequest.objects.filter(pk=tracing.pk).update(enquirer_person=father)

    tracing_request_search(request_id=tracing.pk)

    assert not TracingMatch.objects.exists()


def test_a_photo_finds_the_person_under_another_name(
    register: Callable[..., Person], file_request: Callable[..., TracingRequest], actor: Actor
) -> None:
    from skimage import data as skimage_data

    from hbm.registration.services import person_photo_set
    from tests.dedup.test_faces_and_index import _jpeg

    person = register(
        "Eileen", "Collins", sex=Sex.FEMALE, nationality="USA", date_of_birth=date(1956, 11, 19)
    )
    person_photo_set(actor=actor, person=person, data=_jpeg(skimage_data.astronaut()))
    dedup_pending_process()

    request = file_request(photo=_jpeg(skimage_data.astronaut(), scale=0.7, quality=50))
    tracing_request_search(request_id=request.pk)

    match = TracingMatch.objects.get(request=request)
    assert request.face_status == "encoded"
    assert match.person == person
    assert match.face_similarity is not None
    assert match.face_similarity > 0.98


def test_a_common_name_proposes_at_most_the_ten_likeliest(
    register: Callable[..., Person], file_request: Callable[..., TracingRequest]
) -> None:
    for year in range(2012, 2026):
        register("Amina", "Hassan", sex=Sex.FEMALE, date_of_birth=None, birth_year=year)
    dedup_pending_process()

    request = file_request()
    tracing_request_search(request_id=request.pk)

    assert TracingMatch.objects.filter(request=request, status=MatchStatus.PROPOSED).count() == 10


# --- need to know ---------------------------------------------------------------------------------


def test_the_caseworker_learns_nothing_while_the_person_has_not_agreed(
    proposed: TracingMatch, tracer_actor: Actor
) -> None:
    request = access_tracing_request(actor=tracer_actor, request_id=proposed.request_id)

    assert disclosed_matches(request=request) == []
    assert [c.side for c in request_consents(request=request)] == [ConsentSide.ENQUIRER]
    assert tracing_requests_of(actor=tracer_actor) == [request]


def test_the_screening_officer_where_the_person_was_met_sees_the_match(
    proposed: TracingMatch, screener_actor: Actor
) -> None:
    assert tracing_match_queue(actor=screener_actor) == [proposed]
    assert access_tracing_match(actor=screener_actor, match_id=proposed.pk) == proposed
    assert _events(AuditEvent.TRACING_MATCH_VIEWED) == 1


@pytest.mark.parametrize(
    ("role", "posted"),
    [
        ("screening_officer", False),
        ("border_officer", True),
        ("caseworker", False),
        ("coordinator", False),
        ("health_officer", True),
        ("auditor", False),
        ("admin", False),
    ],
)
def test_nobody_else_sees_or_decides_a_match(
    proposed: TracingMatch, make_user: Callable[..., User], role: str, posted: bool
) -> None:
    other = Actor(user=make_user(role, posted=posted), device="test")
    before = AuditEntry.objects.count()

    with pytest.raises(NotFound):
        access_tracing_match(actor=other, match_id=proposed.pk)
    with pytest.raises(NotFound):
        tracing_match_consent(actor=other, match_id=proposed.pk, data=YES)
    with pytest.raises(NotFound):
        tracing_match_dismiss(actor=other, match_id=proposed.pk)

    proposed.refresh_from_db()
    assert proposed.status == MatchStatus.PROPOSED
    assert not proposed.consents.exists()
    new = AuditEntry.objects.filter(seq__gt=before)
    assert list(new.values_list("event", flat=True)) == [AuditEvent.ACCESS_REFUSED]


@pytest.mark.parametrize(
    "role", ["border_officer", "caseworker", "coordinator", "health_officer", "auditor", "admin"]
)
def test_the_match_queue_is_refused_to_a_role_that_checks_none_and_the_refusal_audited(
    proposed: TracingMatch, make_user: Callable[..., User], role: str
) -> None:
    other = Actor(user=make_user(role), device="test")
    before = AuditEntry.objects.count()

    with pytest.raises(PermissionDenied):
        tracing_match_queue(actor=other)

    written = [(e.event, e.actor, e.detail) for e in AuditEntry.objects.filter(seq__gt=before)]
    assert written == [(AuditEvent.ACCESS_REFUSED, other.user, {"kind": "tracing_matches", "id": "list"})]


def test_a_screening_officer_posted_elsewhere_has_no_match_to_check(
    proposed: TracingMatch, make_user: Callable[..., User]
) -> None:
    elsewhere = Actor(user=make_user("screening_officer", posted=False), device="test")

    assert tracing_match_queue(actor=elsewhere) == []
    assert _events(AuditEvent.ACCESS_REFUSED) == 0


def test_consent_discloses_the_person_to_the_tracing_caseworker(
    proposed: TracingMatch, screener_actor: Actor, tracer_actor: Actor, daughter: Person
) -> None:
    tracing_match_consent(actor=screener_actor, match_id=proposed.pk, data=YES)

    request = access_tracing_request(actor=tracer_actor, request_id=proposed.request_id)
    [found] = disclosed_matches(request=request)
    assert found.person == daughter
    assert found.note == "stays at Palanca reception, tent 4"
    assert [c.side for c in request_consents(request=request)] == [ConsentSide.ENQUIRER, ConsentSide.SOUGHT]
    viewed = AuditEntry.objects.filter(event=AuditEvent.TRACING_REQUEST_VIEWED).last()
    assert viewed is not None
    assert viewed.detail["disclosed"] == [str(daughter.pk)]


@pytest.mark.parametrize(
    ("role", "same_organisation"),
    [
        ("caseworker", True),
        ("caseworker", False),
        ("screening_officer", False),
        ("coordinator", False),
        ("auditor", False),
        ("admin", False),
    ],
)
def test_only_the_tracing_caseworker_sees_the_request(
    proposed: TracingMatch,
    screener_actor: Actor,
    make_user: Callable[..., User],
    tracer: User,
    role: str,
    same_organisation: bool,
) -> None:
    tracing_match_consent(actor=screener_actor, match_id=proposed.pk, data=YES)
    organisation = tracer.organisation if same_organisation else None
    other = Actor(user=make_user(role, posted=False, organisation=organisation), device="test")
    before = AuditEntry.objects.count()

    with pytest.raises(NotFound):
        access_tracing_request(actor=other, request_id=proposed.request_id)
    with pytest.raises(NotFound):
        tracing_request_close(actor=other, request_id=proposed.request_id, outcome=RequestOutcome.REUNITED)

    new = AuditEntry.objects.filter(seq__gt=before)
    assert list(new.values_list("event", flat=True)) == [AuditEvent.ACCESS_REFUSED]


@pytest.mark.parametrize("role", ["caseworker", "screening_officer"])
def test_another_tracer_has_no_request_of_their_own(
    proposed: TracingMatch, make_user: Callable[..., User], tracer: User, role: str
) -> None:
    other = Actor(user=make_user(role, posted=False, organisation=tracer.organisation), device="test")

    assert tracing_requests_of(actor=other) == []
    assert _events(AuditEvent.ACCESS_REFUSED) == 0


@pytest.mark.parametrize("role", ["border_officer", "coordinator", "health_officer", "auditor", "admin"])
def test_the_requests_list_is_refused_to_a_role_that_does_not_trace_and_the_refusal_audited(
    proposed: TracingMatch, make_user: Callable[..., User], role: str
) -> None:
    other = Actor(user=make_user(role, posted=False), device="test")
    before = AuditEntry.objects.count()

    with pytest.raises(PermissionDenied):
        tracing_requests_of(actor=other)

    written = [(e.event, e.actor, e.detail) for e in AuditEntry.objects.filter(seq__gt=before)]
    assert written == [(AuditEvent.ACCESS_REFUSED, other.user, {"kind": "tracing_requests", "id": "list"})]


def test_a_refusal_is_never_told_to_the_caseworker_and_never_proposed_again(
    proposed: TracingMatch, screener_actor: Actor, tracer_actor: Actor
) -> None:
    tracing_match_consent(actor=screener_actor, match_id=proposed.pk, data=NO)
    TracingRequest.objects.update(searched_until=None)
    tracing_pending_search()

    request = access_tracing_request(actor=tracer_actor, request_id=proposed.request_id)
    assert disclosed_matches(request=request) == []
    assert [c.side for c in request_consents(request=request)] == [ConsentSide.ENQUIRER]
    assert TracingMatch.objects.get().status == MatchStatus.REFUSED


def test_a_dismissed_match_stays_dismissed_until_reopened(
    proposed: TracingMatch, screener_actor: Actor
) -> None:
    tracing_match_dismiss(actor=screener_actor, match_id=proposed.pk, note="another girl, her mother is here")
    TracingRequest.objects.update(searched_until=None)
    tracing_pending_search()
    assert TracingMatch.objects.get().status == MatchStatus.DISMISSED

    tracing_match_reopen(actor=screener_actor, match_id=proposed.pk)

    assert TracingMatch.objects.get().status == MatchStatus.PROPOSED
    assert _events(AuditEvent.TRACING_MATCH_DECIDED) == 2


def test_an_illegal_transition_is_refused_and_leaves_no_trace(
    proposed: TracingMatch, screener_actor: Actor
) -> None:
    tracing_match_dismiss(actor=screener_actor, match_id=proposed.pk)
    before = AuditEntry.objects.count()

    with pytest.raises(Conflict):
        tracing_match_consent(actor=screener_actor, match_id=proposed.pk, data=YES)

    assert TracingMatch.objects.get().status == MatchStatus.DISMISSED
    assert not TracingConsent.objects.filter(side=ConsentSide.SOUGHT).exists()
    assert AuditEntry.objects.count() == before


# --- consent for a child ----------------------------------------------------------------------------


def test_an_adult_decides_for_themself(
    register: Callable[..., Person], file_request: Callable[..., TracingRequest], screener_actor: Actor
) -> None:
    register("Karim", "Nasser", date_of_birth=date(1970, 2, 2))
    dedup_pending_process()
    file_request(
        sought={
            "given_names_latin": "Karim",
            "surname_latin": "Nasser",
            "sex": Sex.MALE,
            "estimated_age": None,
            "date_of_birth": date(1970, 2, 2),
        }
    )
    tracing_pending_search()
    match = TracingMatch.objects.get()

    with pytest.raises(ValidationFailed) as refused:
        tracing_match_consent(
            actor=screener_actor,
            match_id=match.pk,
            data=ConsentData(is_given=True, given_by=ConsentGivenBy.GUARDIAN),
        )

    assert list(refused.value.fields) == ["given_by"]


def test_a_best_interests_decision_needs_its_reason_and_another_supervisor(
    proposed: TracingMatch, screener_actor: Actor, screener: User, coordinator: User, tracer_actor: Actor
) -> None:
    def decide(**values: str) -> None:
        data = ConsentData(is_given=True, given_by=ConsentGivenBy.BEST_INTERESTS, **values)
        tracing_match_consent(actor=screener_actor, match_id=proposed.pk, data=data)

    for values, field in [
        ({"approved_by": "coordinator"}, "reason"),
        ({"reason": "reunification is in her best interests", "approved_by": "screener"}, "approved_by"),
        ({"reason": "reunification is in her best interests", "approved_by": "nobody"}, "approved_by"),
    ]:
        with pytest.raises(ValidationFailed) as refused:
            decide(**values)
        assert list(refused.value.fields) == [field]
    assert TracingMatch.objects.get().status == MatchStatus.PROPOSED

    decide(
        reason="unaccompanied; reunification with her mother is in her best interests",
        approved_by="coordinator",
    )

    consent = TracingConsent.objects.get(side=ConsentSide.SOUGHT)
    assert consent.approved_by == coordinator
    assert consent.recorded_by == screener
    assert "best interests" in consent.reason
    assert (
        len(
            disclosed_matches(
                request=access_tracing_request(actor=tracer_actor, request_id=proposed.request_id)
            )
        )
        == 1
    )


# --- closing --------------------------------------------------------------------------------------


def test_a_withdrawal_voids_waiting_matches_and_records_the_enquirers_no(
    proposed: TracingMatch, tracer_actor: Actor, screener_actor: Actor
) -> None:
    tracing_request_close(
        actor=tracer_actor,
        request_id=proposed.request_id,
        outcome=RequestOutcome.WITHDRAWN,
        note="found her herself",
    )

    assert TracingMatch.objects.get().status == MatchStatus.VOID
    assert (
        TracingConsent.objects.filter(side=ConsentSide.ENQUIRER).order_by("created_at").last().is_given
        is False
    )  # type: ignore[union-attr]
    assert tracing_match_queue(actor=screener_actor) == []
    with pytest.raises(Conflict):
        tracing_match_consent(actor=screener_actor, match_id=proposed.pk, data=YES)
    with pytest.raises(Conflict):
        tracing_request_close(
            actor=tracer_actor, request_id=proposed.request_id, outcome=RequestOutcome.REUNITED
        )
    assert TracingRequest.objects.get().closing_note == "found her herself"
