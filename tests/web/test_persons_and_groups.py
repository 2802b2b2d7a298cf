"""Search, the person page (protection flags by role), the photo, the group page and token lookup."""

from __future__ import annotations

import pytest

from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.engines.tokens import token_format
from hbm.registration.selectors import SEARCH_LIMIT
from tests.factories import namesakes_bulk_create
from tests.web.conftest import World, audit_count

pytestmark = pytest.mark.django_db


def test_a_search_lists_matching_persons_and_is_audited(world: World) -> None:
    response = world.client("officer").get("/persons/", {"q": "kovalenko", "nationality": "ukr"})

    content = response.content.decode()
    assert response.status_code == 200
    assert f'href="/persons/{world.person.pk}/"' in content
    assert "Persons found: 1" in content
    entry = AuditEntry.objects.filter(event=AuditEvent.PERSONS_SEARCHED).latest("seq")
    assert entry.detail == {"criteria": ["nationality", "query"], "hits": [str(world.person.pk)]}


def test_a_search_typed_given_name_first_finds_the_person(world: World) -> None:
    response = world.client("officer").get("/persons/", {"q": f"{world.person.given_names_latin} koval"})

    assert f'href="/persons/{world.person.pk}/"' in response.content.decode()


def test_more_matches_than_a_page_lists_are_said_and_not_all_shown(world: World) -> None:
    namesakes_bulk_create(world.person, SEARCH_LIMIT + 5, "Ahmadi")

    content = world.client("officer").get("/persons/", {"q": "ahmadi"}).content.decode()

    assert f"More than {SEARCH_LIMIT} persons found" in content
    assert 'data-testid="search-more"' in content
    assert content.count('data-testid="result-') == SEARCH_LIMIT


def test_a_name_spelt_another_way_is_offered_and_found_by_sound(world: World) -> None:
    client = world.client("officer")

    written = client.get("/persons/", {"q": "kowalenko"}).content.decode()
    assert "Persons found: 0" in written
    assert 'href="?q=kowalenko&amp;sounds=on"' in written  # the same search, by sound

    alike = client.get("/persons/", {"q": "kowalenko", "sounds": "on"}).content.decode()
    assert f'href="/persons/{world.person.pk}/"' in alike
    assert 'data-testid="sounds-alike"' in alike
    assert 'data-testid="search-sounds"' not in alike


def test_a_name_found_as_written_is_not_marked_as_sounding_alike(world: World) -> None:
    content = world.client("officer").get("/persons/", {"q": "kovalenko", "sounds": "on"}).content.decode()

    assert f'href="/persons/{world.person.pk}/"' in content
    assert 'data-testid="sounds-alike"' not in content


def test_asking_for_names_that_sound_alike_is_not_a_search_by_itself(world: World) -> None:
    before = audit_count()

    response = world.client("officer").get("/persons/", {"sounds": "on"})

    assert 'data-testid="search-results"' not in response.content.decode()
    assert audit_count() == before


def test_a_search_in_the_original_script_finds_the_person(world: World) -> None:
    response = world.client("screener").get("/persons/", {"q": "Коваленко"})

    assert f'href="/persons/{world.person.pk}/"' in response.content.decode()


def test_an_empty_search_form_searches_nothing(world: World) -> None:
    before = audit_count()

    response = world.client("officer").get("/persons/")

    assert response.status_code == 200
    assert 'data-testid="search-results"' not in response.content.decode()
    assert audit_count() == before


def test_another_crossing_points_officer_finds_nobody(world: World) -> None:
    response = world.client("other_officer").get("/persons/", {"q": "kovalenko"})

    assert "Persons found: 0" in response.content.decode()
    assert "Коваленко" not in response.content.decode()


def test_a_mistyped_token_in_the_search_shows_the_token_error(world: World) -> None:
    token = world.group.token
    # One substituted character: the check character catches every one (a swap of two random
    # characters is not always a change, and Luhn mod 32 misses the swap of 2 and Z).
    swapped = ("3" if token[0] != "3" else "4") + token[1:]
    before = audit_count()

    response = world.client("officer").get("/persons/", {"token": swapped})

    content = response.content.decode()
    assert response.status_code == 422
    error = content.split('id="id_token_error"')[1].split("</div>")[0]
    assert "The check character does not match: the token was probably mistyped." in error
    assert audit_count() == before


def test_a_token_search_finds_the_groups_members(world: World) -> None:
    response = world.client("officer").get("/persons/", {"token": token_format(world.group.token)})

    assert f'href="/persons/{world.person.pk}/"' in response.content.decode()


@pytest.mark.parametrize(
    ("who", "sees_flags"), [("screener", True), ("coordinator", True), ("officer", False)]
)
def test_specific_needs_are_shown_to_protection_roles_only(world: World, who: str, sees_flags: bool) -> None:
    response = world.client(who).get(f"/persons/{world.person.pk}/")

    content = response.content.decode()
    section = content.split('data-testid="specific-needs"')[1].split("</section>")[0]
    assert ("Single parent or caregiver" in section) is sees_flags
    assert ('data-testid="has-specific-needs"' in section) is not sees_flags
    if not sees_flags:
        assert "Has specific needs: <strong>yes</strong>" in section


def test_the_person_page_shows_both_scripts_the_group_and_the_encounter(world: World) -> None:
    response = world.client("officer").get(f"/persons/{world.person.pk}/")

    content = response.content.decode()
    assert 'data-testid="person-name">Kovalenko, Olena<' in content
    assert (
        '<p class="lead original-name" dir="auto" data-testid="person-original-name">Коваленко Олена</p>'
        in content
    )
    assert "14 March 1990" in content
    assert "Ukrainian" in content
    assert f'href="/groups/{world.group.pk}/"' in content
    assert "Individual registration" in content
    assert "Ana Rusu" in content
    assert f'src="/persons/{world.person.pk}/photo"' in content
    viewed = AuditEntry.objects.filter(event=AuditEvent.PERSON_VIEWED).latest("seq")
    assert (viewed.subject_id, viewed.detail, viewed.actor_label) == (
        str(world.person.pk),
        {"purpose": "view"},
        "officer",
    )


def test_the_photo_is_served_uncached_and_its_view_is_audited(world: World) -> None:
    response = world.client("officer").get(f"/persons/{world.person.pk}/photo")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "no-store"
    assert response.content[:2] == b"\xff\xd8"
    assert AuditEntry.objects.filter(event=AuditEvent.PHOTO_VIEWED, subject_id=str(world.person.pk)).exists()


def test_the_group_page_lists_members_and_links_to_the_next_registration(world: World) -> None:
    response = world.client("officer").get(f"/groups/{world.group.pk}/")

    content = response.content.decode()
    assert f'data-testid="group-token">{token_format(world.group.token)}<' in content
    assert 'data-testid="group-size">3<' in content
    assert 'data-testid="group-member-count">1<' in content
    assert "Head of group" in content
    assert (
        f'href="/crossing-points/{world.point.pk}/register/person?group={world.group.token}&amp;nationality=UKR"'
        in content
    )
    assert f'href="/groups/{world.group.pk}/card"' in content
    assert AuditEntry.objects.filter(event=AuditEvent.GROUP_VIEWED, subject_id=str(world.group.pk)).exists()


def test_a_coordinator_sees_the_group_but_is_not_offered_to_register(world: World) -> None:
    content = world.client("coordinator").get(f"/groups/{world.group.pk}/").content.decode()

    assert 'id="link-register-member"' not in content
    assert 'id="link-token-card"' in content


def test_a_token_lookup_opens_the_group(world: World) -> None:
    spaced = token_format(world.group.token).lower().replace("-", " ")

    response = world.client("officer").get("/groups/", {"token": spaced})

    assert response.status_code == 302
    assert response["Location"] == f"/groups/{world.group.pk}/"


def test_a_token_lookup_names_a_mistyped_token_and_an_unknown_one(world: World) -> None:
    token = world.group.token
    typo = token[:-1] + ("2" if token[-1] != "2" else "3")

    mistyped = world.client("officer").get("/groups/", {"token": typo})
    elsewhere = world.client("other_officer").get("/groups/", {"token": token})

    assert mistyped.status_code == 422
    assert "the token was probably mistyped" in mistyped.content.decode()
    assert elsewhere.status_code == 404
    assert "No group with this token at your crossing points." in elsewhere.content.decode()
