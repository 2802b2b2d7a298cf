"""The field app works with the network off: after one online sign-in it reloads from its service
worker, registers groups and their members with tokens made on the device, survives a closed
tab, and sends everything exactly once when the network returns."""

from __future__ import annotations

from typing import Any

import pytest

from hbm.accounts.enums import Role
from hbm.engines.tokens import token_validate
from hbm.registration.models import Group, GroupMembership, Person
from tests.browser.field_helpers import (
    FieldContext,
    counts,
    register_group,
    register_person,
    sign_in,
    sync_until_sent,
    unlock,
    wait_pending,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The fixtures of the field app (pytest finds fixtures by name in the test module).

GROUPS = 10
MEMBERS = 5


def test_offline_registration_is_sent_once_when_online_again(
    field_context: FieldContext, crossing_point: Any, make_user: Any
) -> None:
    make_user(Role.BORDER_OFFICER, username="amina")
    page = field_context.new_page()
    sign_in(page, "amina")

    field_context.context.set_offline(True)
    page.reload()
    unlock(page)
    assert page.get_attribute('[data-testid="connection"]', "data-online") == "false"
    tokens = []
    for number in range(GROUPS):
        token = register_group(page, size=MEMBERS, head=f"Head{number} Family{number}", nationality="UKR")
        tokens.append(token)
        page.click('[data-testid="register-members"]')
        for member in range(MEMBERS):
            register_person(
                page,
                {
                    "surname_latin": f"Family{number}",
                    "given_names_latin": f"Member{member}",
                    "estimated_age": "30",
                    "nationality": "UKR",
                    # The head gives her father's name; her children give theirs, the same for all.
                    "father_name": f"Father{number} Family{number}" if member == 0 else f"Husband{number}",
                    "mother_name": f"Мати{number}" if member == 0 else f"Member0 Family{number}",
                },
                relationship="head" if member == 0 else "child",
            )
    wait_pending(page, GROUPS * (MEMBERS + 1))

    page.close()
    page = field_context.new_page()
    unlock(page)  # still offline: the app comes from the service worker, the data from IndexedDB
    assert counts(page)["pending"] == GROUPS * (MEMBERS + 1)

    field_context.context.set_offline(False)
    page.wait_for_selector('[data-testid="connection"][data-online="true"]')
    sync_until_sent(page)

    assert counts(page) == {"pending": 0, "rejected": 0, "sent": GROUPS * (MEMBERS + 1)}
    assert sorted(Group.objects.values_list("token", flat=True)) == sorted(tokens)
    assert all(token_validate(token) == token for token in tokens)
    assert Person.objects.count() == GROUPS * MEMBERS
    assert GroupMembership.objects.count() == GROUPS * MEMBERS
    heads = Person.objects.filter(given_names_latin="Member0")
    assert sorted(heads.values_list("father_name", "mother_name")) == [
        (f"Father{n} Family{n}", f"Мати{n}") for n in range(GROUPS)
    ]
    children = Person.objects.exclude(given_names_latin="Member0")
    assert set(children.values_list("father_name", flat=True)) == {f"Husband{n}" for n in range(GROUPS)}


def test_two_tabs_syncing_at_once_send_each_record_once(
    field_context: FieldContext, crossing_point: Any, make_user: Any
) -> None:
    make_user(Role.BORDER_OFFICER, username="amina")
    first = field_context.new_page()
    sign_in(first, "amina")
    field_context.context.set_offline(True)
    first.click('[data-testid="tile-person"]')
    for number in range(8):
        register_person(
            first,
            {
                "surname_latin": f"Tab{number}",
                "given_names_latin": "Olena",
                "estimated_age": "30",
                "nationality": "UKR",
            },
        )
    wait_pending(first, 8)
    second = field_context.new_page()
    unlock(second)

    # Both tabs hear the network come back and sync by themselves, and both are told to sync now.
    field_context.context.set_offline(False)
    for page in (first, second):
        page.wait_for_selector('[data-testid="connection"][data-online="true"]')
        page.evaluate("document.querySelector('[data-testid=\"sync-now\"]')?.click()")
    sync_until_sent(first)
    sync_until_sent(second)

    assert counts(first)["pending"] == counts(second)["pending"] == 0
    assert sorted(Person.objects.values_list("surname_latin", flat=True)) == [f"Tab{n}" for n in range(8)]
