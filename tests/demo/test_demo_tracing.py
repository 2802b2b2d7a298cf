"""The demo's tracing requests: the children who crossed alone are found once the worker has run."""

from __future__ import annotations

import pytest

from hbm.dedup.services import dedup_pending_process
from hbm.tracing.enums import MatchStatus
from hbm.tracing.models import TracingMatch, TracingRequest
from hbm.tracing.services import tracing_pending_search
from tests.demo.conftest import load, plan

pytestmark = pytest.mark.django_db(transaction=True)


def _worker_run() -> None:
    while dedup_pending_process(limit=500):
        pass
    tracing_pending_search()


def test_the_parents_requests_find_their_children_and_the_brother_is_still_sought() -> None:
    # Given the demo, filed by the demo caseworker
    summary = load(reset=True)
    children = [c.person for c in plan().unaccompanied_children[:2]]

    # When the duplicate worker has checked everyone (it searches for the open requests after)
    _worker_run()

    # Then each child is proposed to the screening officer for their parent's request
    assert summary["tracing_requests"] == len(children) + 1
    requests = list(TracingRequest.objects.order_by("created_at"))
    assert [(r.surname_latin, r.given_names_latin) for r in requests[:-1]] == [
        (c.family.latin.upper(), c.given.latin.upper()) for c in children
    ]
    # the parent gives the parents' names the child gave at registration
    assert [(r.father_name, r.mother_name) for r in requests[:-1]] == [
        (c.father_name, c.mother_name) for c in children
    ]
    for child, request in zip(children, requests, strict=False):
        proposed = TracingMatch.objects.filter(request=request, status=MatchStatus.PROPOSED)
        found = {
            (m.person.surname_latin.upper(), m.person.given_names_latin.upper())
            for m in proposed.select_related("person")
        }
        assert (child.family.latin.upper(), child.given.latin.upper()) in found
    # and nothing is disclosed before anyone has asked the children
    assert not TracingMatch.objects.filter(status=MatchStatus.DISCLOSED).exists()
    brother = requests[-1]
    assert (brother.surname_latin, brother.given_names_latin) == ("MELNYK", "ANDRIY")
    assert (brother.father_name, brother.mother_name) == ("Petro Melnyk", "Nina Melnyk")
    assert brother.caseworker.username == "caseworker.dan"
