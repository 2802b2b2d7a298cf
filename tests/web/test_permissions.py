"""Who may open each page: anonymous users go to the sign-in page, a wrong role or another crossing
point gets the 403 or 404 page, the right role gets the page. Reads that are refused write nothing
but their ``access.refused`` audit entry; allowed page views write no data rows."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from hbm.registration.models import Encounter, Group, Person
from tests.web.conftest import World

pytestmark = pytest.mark.django_db

Url = Callable[[World], str]

PAGES: dict[str, Url] = {
    "home": lambda w: "/",
    "dashboard": lambda w: f"/crossing-points/{w.point.pk}/",
    "register_count": lambda w: f"/crossing-points/{w.point.pk}/register/count",
    "register_group": lambda w: f"/crossing-points/{w.point.pk}/register/group",
    "register_person": lambda w: f"/crossing-points/{w.point.pk}/register/person",
    "person_search": lambda w: "/persons/?q=kova",
    "person_detail": lambda w: f"/persons/{w.person.pk}/",
    "person_photo": lambda w: f"/persons/{w.person.pk}/photo",
    "group_detail": lambda w: f"/groups/{w.group.pk}/",
    "group_card": lambda w: f"/groups/{w.group.pk}/card",
    "group_lookup": lambda w: "/groups/",
    "devices": lambda w: "/devices/",
    "audit": lambda w: "/audit/",
}

# Expected status per page and role; the other officer is posted at another crossing point only.
EXPECTED: dict[str, dict[str, int]] = {
    "home": dict.fromkeys(
        ("officer", "screener", "coordinator", "other_officer", "auditor", "admin", "planner", "health"), 200
    ),
    "dashboard": {"officer": 200, "screener": 200, "coordinator": 200, "other_officer": 403, "auditor": 403,
                  "admin": 403, "planner": 403, "health": 403},
    "register_count": {"officer": 200, "screener": 200, "coordinator": 403, "other_officer": 403,
                       "auditor": 403, "admin": 403, "planner": 403, "health": 403},
    "register_group": {"officer": 200, "screener": 200, "coordinator": 403, "other_officer": 403,
                       "auditor": 403, "admin": 403, "planner": 403, "health": 403},
    "register_person": {"officer": 200, "screener": 200, "coordinator": 403, "other_officer": 403,
                        "auditor": 403, "admin": 403, "planner": 403, "health": 403},
    "person_search": {"officer": 200, "screener": 200, "coordinator": 200, "other_officer": 200,
                      "auditor": 403, "admin": 403, "planner": 403, "health": 403},
    "person_detail": {"officer": 200, "screener": 200, "coordinator": 200, "other_officer": 404,
                      "auditor": 404, "admin": 404, "planner": 404, "health": 404},
    "person_photo": {"officer": 200, "screener": 200, "coordinator": 200, "other_officer": 404,
                     "auditor": 404, "admin": 404, "planner": 404, "health": 404},
    "group_detail": {"officer": 200, "screener": 200, "coordinator": 200, "other_officer": 404,
                     "auditor": 404, "admin": 404, "planner": 404, "health": 404},
    "group_card": {"officer": 200, "screener": 200, "coordinator": 200, "other_officer": 404,
                   "auditor": 404, "admin": 404, "planner": 404, "health": 404},
    "group_lookup": dict.fromkeys(
        ("officer", "screener", "coordinator", "other_officer", "auditor", "admin", "planner", "health"), 200
    ),
    "devices": dict.fromkeys(
        ("officer", "screener", "coordinator", "other_officer", "auditor", "admin", "planner", "health"), 200
    ),
    "audit": {"officer": 403, "screener": 403, "coordinator": 403, "other_officer": 403, "auditor": 200,
              "admin": 403, "planner": 403, "health": 403},
}  # fmt: skip

CASES = [(page, who, status) for page, by_role in EXPECTED.items() for who, status in by_role.items()]


def _data_rows() -> tuple[int, int, int]:
    return Person.objects.count(), Group.objects.count(), Encounter.objects.count()


@pytest.mark.parametrize("page", sorted(PAGES))
def test_anonymous_users_are_sent_to_sign_in(world: World, page: str) -> None:
    url = PAGES[page](world)

    response = world.client(None).get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize(("page", "who", "expected"), CASES)
def test_each_role_gets_its_page_or_the_refusal(world: World, page: str, who: str, expected: int) -> None:
    before = _data_rows()

    response = world.client(who).get(PAGES[page](world))

    assert response.status_code == expected
    assert _data_rows() == before
    if expected in (403, 404) and page != "person_photo":
        content = response.content.decode()
        assert 'data-testid="refused"' in content
        assert f'data-status="{expected}"' in content


def test_a_refused_person_read_is_audited_as_refused_and_reveals_nothing(world: World) -> None:
    from hbm.audit.enums import AuditEvent
    from hbm.audit.models import AuditEntry

    response = world.client("other_officer").get(f"/persons/{world.person.pk}/")

    assert response.status_code == 404
    assert "Kovalenko" not in response.content.decode()
    refusal = AuditEntry.objects.filter(event=AuditEvent.ACCESS_REFUSED).latest("seq")
    assert refusal.actor_label == "other_officer"
    assert refusal.detail == {"kind": "person", "id": str(world.person.pk)}
    assert not AuditEntry.objects.filter(event=AuditEvent.PERSON_VIEWED, actor_label="other_officer").exists()


@pytest.mark.parametrize("url", ["/persons/", "/persons/?q=kova"])
def test_a_refused_person_search_is_audited_as_refused_and_shows_no_one(world: World, url: str) -> None:
    from hbm.audit.enums import AuditEvent
    from hbm.audit.models import AuditEntry

    before = AuditEntry.objects.count()

    response = world.client("planner").get(url)

    assert response.status_code == 403
    assert "Kovalenko" not in response.content.decode()
    written = [(e.event, e.actor, e.detail) for e in AuditEntry.objects.filter(seq__gt=before)]
    assert written == [
        (AuditEvent.ACCESS_REFUSED, world.users["planner"], {"kind": "persons", "id": "search"})
    ]


def test_an_unknown_address_gets_the_translated_404_page(world: World) -> None:
    response = world.client("officer").get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 404
    assert "Introuvable" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/logout/",
        "/crossing-points/{point}/mode",
        "/devices/00000000-0000-0000-0000-000000000000/revoke",
    ],
)
def test_state_changes_refuse_get(world: World, url: str) -> None:
    response = world.client("coordinator").get(url.format(point=world.point.pk))

    assert response.status_code == 405


WRITES: dict[str, tuple[Url, dict[str, str]]] = {
    "count": (lambda w: f"/crossing-points/{w.point.pk}/register/count", {"cell_F_3": "4"}),
    "group": (
        lambda w: f"/crossing-points/{w.point.pk}/register/group",
        {"size": "2", "head_name": "Amina Haddad", "nationality": "SYR"},
    ),
    "person": (
        lambda w: f"/crossing-points/{w.point.pk}/register/person",
        {"surname_latin": "Karimi", "sex": "M", "estimated_age": "16", "nationality": "AFG"},
    ),
    "mode": (
        lambda w: f"/crossing-points/{w.point.pk}/mode",
        {"to_mode": "recovery", "reason": "Arrivals fell below 500 a day"},
    ),
}
WRITE_CASES = [
    ("count", "coordinator", 403), ("count", "other_officer", 403), ("count", "auditor", 403),
    ("group", "coordinator", 403), ("group", "other_officer", 403), ("group", "health", 403),
    ("person", "coordinator", 403), ("person", "other_officer", 403), ("person", "planner", 403),
    ("mode", "officer", 403), ("mode", "screener", 403), ("mode", "other_officer", 403),
    ("mode", "admin", 403),
]  # fmt: skip


@pytest.mark.parametrize(("write", "who", "expected"), WRITE_CASES)
def test_a_refused_write_changes_nothing(world: World, write: str, who: str, expected: int) -> None:
    from hbm.audit.models import AuditEntry
    from hbm.crossings.models import ModeDecision

    url, payload = WRITES[write]
    before = (*_data_rows(), AuditEntry.objects.count(), ModeDecision.objects.count())

    response = world.client(who).post(url(world), payload)

    assert response.status_code == expected
    assert (*_data_rows(), AuditEntry.objects.count(), ModeDecision.objects.count()) == before


@pytest.mark.parametrize("write", sorted(WRITES))
def test_anonymous_writes_go_to_sign_in_and_change_nothing(world: World, write: str) -> None:
    url, payload = WRITES[write]
    before = _data_rows()

    response = world.client(None).post(url(world), payload)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert _data_rows() == before
