"""Need to know on adjudication: only a decider who may see both persons of a pair decides it or
undoes its decision; anyone else is answered as if the pair did not exist, nothing changes, and the
attempt leaves one ``access.refused`` entry. Every allowed read, of the queue or of one pair, is
audited: one entry per read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from hbm.accounts.models import User
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.core.context import Actor
from hbm.core.errors import NotFound
from hbm.dedup.enums import CandidateStatus, Ruling
from hbm.dedup.models import Adjudication, MatchCandidate
from hbm.dedup.services import adjudication_undo, candidate_adjudicate
from tests.api.conftest import assert_matches_openapi

pytestmark = pytest.mark.django_db

# Who asks, and where they are posted: "here" is where the first record was registered, "there"
# where the second was. Only a decider who may see both records may decide the pair.
OUT_OF_REACH = [
    ("screening_officer", ("here",)),  # sees the first record, not the second
    ("screening_officer", ("there",)),  # sees the second, not the first
    ("screening_officer", ()),  # posted nowhere: sees neither
    ("border_officer", ("here", "there")),  # sees both, but does not adjudicate
]
WITHIN_REACH = [("screening_officer", ("here", "there")), ("coordinator", ())]


def _written_since(before: int) -> list[tuple[str, Any, Any]]:
    return [(e.event, e.actor, e.detail) for e in AuditEntry.objects.filter(seq__gt=before).order_by("seq")]


def _last_seq() -> int:
    last = AuditEntry.objects.order_by("-seq").first()
    return last.seq if last else 0


def _decided_by_coordinator(candidate: MatchCandidate, make_user: Callable[..., User]) -> Adjudication:
    coordinator = make_user("coordinator", username="first-decider", posted=False)
    return candidate_adjudicate(
        actor=Actor(user=coordinator, device="test"), candidate_id=candidate.pk, ruling=Ruling.SAME
    )


def _post_json(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, body, content_type="application/json")


# --- deciding and undoing -----------------------------------------------------------------------


@pytest.mark.parametrize(("role", "posted_at"), OUT_OF_REACH)
def test_a_decider_who_may_not_see_both_persons_cannot_decide_and_the_attempt_is_audited(
    split_pair: MatchCandidate, decider: Callable[..., User], role: str, posted_at: tuple[str, ...]
) -> None:
    asking = decider(role, posted_at)
    before = _last_seq()

    with pytest.raises(NotFound):
        candidate_adjudicate(
            actor=Actor(user=asking, device="test"), candidate_id=split_pair.pk, ruling=Ruling.SAME
        )

    assert MatchCandidate.objects.get().status == CandidateStatus.OPEN
    assert not Adjudication.objects.exists()
    assert _written_since(before) == [
        (AuditEvent.ACCESS_REFUSED, asking, {"kind": "duplicate", "id": str(split_pair.pk)})
    ]


@pytest.mark.parametrize(("role", "posted_at"), OUT_OF_REACH)
def test_a_decider_who_may_not_see_both_persons_cannot_undo_and_the_attempt_is_audited(
    split_pair: MatchCandidate,
    decider: Callable[..., User],
    make_user: Callable[..., User],
    role: str,
    posted_at: tuple[str, ...],
) -> None:
    decision = _decided_by_coordinator(split_pair, make_user)
    asking = decider(role, posted_at)
    before = _last_seq()

    with pytest.raises(NotFound):
        adjudication_undo(actor=Actor(user=asking, device="test"), adjudication_id=decision.pk)

    decision.refresh_from_db()
    assert (decision.undone_at, decision.undone_by) == (None, None)
    assert MatchCandidate.objects.get().status == CandidateStatus.SAME
    assert _written_since(before) == [
        (AuditEvent.ACCESS_REFUSED, asking, {"kind": "duplicate_decision", "id": str(decision.pk)})
    ]


@pytest.mark.parametrize(("role", "posted_at"), WITHIN_REACH)
def test_a_decider_who_may_see_both_persons_decides_and_undoes(
    split_pair: MatchCandidate, decider: Callable[..., User], role: str, posted_at: tuple[str, ...]
) -> None:
    asking = Actor(user=decider(role, posted_at), device="test")
    before = _last_seq()

    decision = candidate_adjudicate(actor=asking, candidate_id=split_pair.pk, ruling=Ruling.DISTINCT)
    adjudication_undo(actor=asking, adjudication_id=decision.pk)

    decision.refresh_from_db()
    assert decision.undone_by == asking.user
    assert MatchCandidate.objects.get().status == CandidateStatus.OPEN
    assert [event for event, _, _ in _written_since(before)] == [
        AuditEvent.DUPLICATE_DECIDED,
        AuditEvent.DUPLICATE_UNDONE,
    ]


def test_undoing_a_decision_again_answers_as_the_first_undo_and_writes_nothing(
    split_pair: MatchCandidate, make_user: Callable[..., User]
) -> None:
    """A retried undo (a dropped connection, a second click) gets the first one's answer."""
    decision = _decided_by_coordinator(split_pair, make_user)
    coordinator = Actor(user=User.objects.get(username="first-decider"), device="test")
    first = adjudication_undo(actor=coordinator, adjudication_id=decision.pk)
    before = _last_seq()

    again = adjudication_undo(actor=coordinator, adjudication_id=decision.pk)

    assert again.pk == first.pk
    assert (again.undone_at, again.undone_by_id) == (first.undone_at, first.undone_by_id)
    assert _written_since(before) == []


def test_the_pages_and_the_api_refuse_a_decider_posted_elsewhere_with_404(
    split_pair: MatchCandidate, decider: Callable[..., User], make_user: Callable[..., User], api: Any
) -> None:
    asking = decider("screening_officer", ("there",))
    client = api(asking)
    body = {"ruling": "same"}
    refused = [(AuditEvent.ACCESS_REFUSED, asking, {"kind": "duplicate", "id": str(split_pair.pk)})]
    for channel, path in (
        ("web", f"/duplicates/{split_pair.pk}/decide"),
        ("api", f"/api/dedup/candidates/{split_pair.pk}/decide"),
    ):
        before = _last_seq()

        response = client.post(path, body) if channel == "web" else _post_json(client, path, body)

        assert response.status_code == 404, path
        assert "Hassan" not in response.content.decode()
        assert _written_since(before) == refused
        assert MatchCandidate.objects.get().status == CandidateStatus.OPEN
        assert not Adjudication.objects.exists()
        if channel == "api":
            assert_matches_openapi(response)
        else:
            assert 'data-status="404"' in response.content.decode()

    decision = _decided_by_coordinator(split_pair, make_user)
    for channel, path in (
        ("web", f"/duplicates/decisions/{decision.pk}/undo"),
        ("api", f"/api/dedup/adjudications/{decision.pk}/undo"),
    ):
        before = _last_seq()

        response = client.post(path) if channel == "web" else _post_json(client, path, {})

        assert response.status_code == 404, path
        assert _written_since(before) == [
            (AuditEvent.ACCESS_REFUSED, asking, {"kind": "duplicate_decision", "id": str(decision.pk)})
        ]
        decision.refresh_from_db()
        assert decision.undone_at is None
        assert MatchCandidate.objects.get().status == CandidateStatus.SAME


def test_the_pages_and_the_api_let_a_decider_who_sees_both_persons_decide(
    split_pair: MatchCandidate, decider: Callable[..., User], api: Any
) -> None:
    asking = decider("screening_officer", ("here", "there"))
    client = api(asking)

    decided = _post_json(client, f"/api/dedup/candidates/{split_pair.pk}/decide", {"ruling": "distinct"})
    assert_matches_openapi(decided)
    undone = _post_json(client, f"/api/dedup/adjudications/{decided.json()['id']}/undo", {})
    assert_matches_openapi(undone)
    retried = _post_json(client, f"/api/dedup/adjudications/{decided.json()['id']}/undo", {})
    page = client.post(f"/duplicates/{split_pair.pk}/decide", {"ruling": "same"})

    assert (decided.status_code, undone.status_code, page.status_code) == (200, 200, 302)
    assert undone.json()["undone_by"] == asking.username
    assert (retried.status_code, retried.json()) == (200, undone.json())
    assert MatchCandidate.objects.get().status == CandidateStatus.SAME
    assert Adjudication.objects.filter(undone_at=None).get().decided_by == asking


# --- reads: the queue and one pair --------------------------------------------------------------


def test_opening_a_pair_leaves_one_view_entry_naming_both_persons(
    split_pair: MatchCandidate, decider: Callable[..., User], api: Any
) -> None:
    asking = decider("screening_officer", ("here", "there"))
    persons = [str(split_pair.person_low_id), str(split_pair.person_high_id)]
    for path in (f"/duplicates/{split_pair.pk}/", f"/api/dedup/candidates/{split_pair.pk}"):
        before = _last_seq()

        response = api(asking).get(path)

        assert response.status_code == 200, path
        assert _written_since(before) == [(AuditEvent.DUPLICATE_VIEWED, asking, {"persons": persons})]
        entry = AuditEntry.objects.get(seq__gt=before)
        assert (entry.subject_type, entry.subject_id) == ("dedup.matchcandidate", str(split_pair.pk))


@pytest.mark.parametrize(
    ("posted_at", "status", "shown"),
    [
        (("here", "there"), "open", 1),
        (("here", "there"), "same", 0),
        (("here",), "open", 0),  # a pair half out of reach is not listed, and not named
    ],
)
def test_reading_the_queue_leaves_one_entry_with_the_filter_and_the_persons_shown(
    split_pair: MatchCandidate,
    decider: Callable[..., User],
    api: Any,
    posted_at: tuple[str, ...],
    status: str,
    shown: int,
) -> None:
    asking = decider("screening_officer", posted_at)
    persons = sorted([str(split_pair.person_low_id), str(split_pair.person_high_id)]) if shown else []
    for path in (f"/duplicates/?status={status}", f"/api/dedup/candidates?status={status}"):
        before = _last_seq()

        response = api(asking).get(path)

        assert response.status_code == 200, path
        if not path.startswith("/api/"):
            assert ("Hassan" in response.content.decode()) == bool(shown)
        expected = {"status": status, "pairs": shown, "persons": persons}
        if status == "open" and not path.startswith("/api/"):  # the page lists open pairs in review groups
            expected["groups"] = shown
        assert _written_since(before) == [(AuditEvent.DUPLICATES_LISTED, asking, expected)]
