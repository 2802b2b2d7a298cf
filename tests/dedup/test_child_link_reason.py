"""Linking a child's records is the decision that can hand a child to another family's adults: the
adjudicator who makes it says what they checked. Deciding *distinct*, or linking adults, needs no
reason; nothing is written when the reason is missing."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from hbm.accounts.models import User
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.core.context import Actor
from hbm.core.errors import ValidationFailed
from hbm.dedup.enums import CandidateStatus, Ruling
from hbm.dedup.models import Adjudication, MatchCandidate
from hbm.dedup.services import (
    CHILD_LINK_REASON_MIN,
    candidate_adjudicate,
    group_adjudicate,
)
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

CHECKED = "birth certificate and the mother's account agree"


@pytest.fixture
def adjudicator(make_user: Callable[..., User]) -> Actor:
    return Actor(user=make_user("coordinator", posted=False), device="test")


@pytest.mark.parametrize("reason", ["", "   ", "same girl"])
def test_linking_a_childs_records_without_a_reason_is_refused_on_reason_and_nothing_written(
    child_pair: MatchCandidate, adjudicator: Actor, reason: str
) -> None:
    assert len(reason.strip()) < CHILD_LINK_REASON_MIN

    with pytest.raises(ValidationFailed) as refused:
        candidate_adjudicate(actor=adjudicator, candidate_id=child_pair.pk, ruling=Ruling.SAME, reason=reason)

    assert "reason" in refused.value.fields
    child_pair.refresh_from_db()
    assert child_pair.status == CandidateStatus.OPEN
    assert not Adjudication.objects.exists()
    assert not AuditEntry.objects.filter(event=AuditEvent.DUPLICATE_DECIDED).exists()


def test_a_childs_records_are_linked_with_what_was_checked(
    child_pair: MatchCandidate, adjudicator: Actor
) -> None:
    decision = candidate_adjudicate(
        actor=adjudicator, candidate_id=child_pair.pk, ruling=Ruling.SAME, reason=CHECKED
    )

    assert decision.reason == CHECKED
    child_pair.refresh_from_db()
    assert child_pair.status == CandidateStatus.CONFIRM  # for a second adjudicator: decision 0031


def test_distinct_needs_no_reason_even_for_a_child(child_pair: MatchCandidate, adjudicator: Actor) -> None:
    decision = candidate_adjudicate(actor=adjudicator, candidate_id=child_pair.pk, ruling=Ruling.DISTINCT)

    assert decision.ruling == Ruling.DISTINCT


def test_a_group_answer_linking_a_child_without_a_reason_is_refused_and_with_one_is_kept(
    child_pair: MatchCandidate, adjudicator: Actor
) -> None:
    letters = {child_pair.person_low_id: "A", child_pair.person_high_id: "A"}

    with pytest.raises(ValidationFailed):
        group_adjudicate(actor=adjudicator, candidate_ids=[child_pair.pk], letters=letters)
    assert not Adjudication.objects.exists()
    apart = {child_pair.person_low_id: "A", child_pair.person_high_id: "B"}
    assert group_adjudicate(actor=adjudicator, candidate_ids=[child_pair.pk], letters=apart)[0].ruling == (
        Ruling.DISTINCT
    )


def test_the_api_names_the_reason_field_and_the_pair_page_says_why(
    child_pair: MatchCandidate, adjudicator: Actor
) -> None:
    client = client_for(adjudicator.user)

    refused = client.post(
        f"/api/dedup/candidates/{child_pair.pk}/decide", {"ruling": "same"}, content_type="application/json"
    )
    page = client.get(f"/duplicates/{child_pair.pk}/").content.decode()
    posted = client.post(f"/duplicates/{child_pair.pk}/decide", {"ruling": "same", "reason": ""}, follow=True)

    assert refused.status_code == 422
    assert "reason" in refused.json()["fields"]
    assert 'data-testid="child-reason"' in page
    assert "say what you checked to link a child" in posted.content.decode()
    child_pair.refresh_from_db()
    assert child_pair.status == CandidateStatus.OPEN
