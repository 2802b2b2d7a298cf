"""The field app's sync under trouble: answers lost on the way back, two devices changing the same
person offline, and a device whose token a coordinator revoked."""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import Any

import pytest

from hbm.accounts.enums import Role
from hbm.accounts.models import DeviceToken
from hbm.accounts.services import device_token_revoke
from hbm.core.context import Actor
from hbm.engines.tokens import token_generate
from hbm.field.models import FieldDevice, PersonConflict, SyncReceipt
from hbm.registration.models import Group, Person
from tests.browser.field_helpers import (
    FieldContext,
    counts,
    go_offline,
    go_online,
    indexeddb_raw,
    register_group,
    register_person,
    sign_in,
    sync_now,
    sync_until_sent,
    wait_pending,
)
from tests.factories import TEST_PASSWORD
from tests.field.conftest import enrol, person_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The fixtures of the field app (pytest finds fixtures by name in the test module).


def test_lost_answers_leave_every_record_stored_once(
    field_context: FieldContext, crossing_point: Any, make_user: Any
) -> None:
    make_user(Role.BORDER_OFFICER, username="amina")
    page = field_context.new_page()
    sign_in(page, "amina")
    go_offline(field_context, page)
    token = register_group(page, size=3, head="Ahmad Karimi", nationality="AFG")
    page.click('[data-testid="register-members"]')
    for given, relationship in (("Ahmad", "head"), ("Mariam", "spouse"), ("Omid", "child")):
        register_person(
            page,
            {
                "surname_latin": "Karimi",
                "given_names_latin": given,
                "estimated_age": "40",
                "nationality": "AFG",
            },
            relationship=relationship,
        )
    uploads: list[tuple[int, bool]] = []

    def lose_every_other_answer(route: Any) -> None:
        status, answer = forward(route.request)  # the server has processed the upload
        records = len((route.request.post_data_json or {}).get("records", []))
        lost = len(uploads) % 2 == 0
        uploads.append((records, lost))
        if lost:
            route.abort("connectionreset")
        else:
            route.fulfill(status=status, content_type="application/json", body=answer)

    field_context.context.route("**/api/field/sync", lose_every_other_answer)
    go_online(field_context, page)
    sync_until_sent(page)

    assert (4, True) in uploads  # the first upload's answer was lost: its retry got the same answer
    assert counts(page) == {"pending": 0, "rejected": 0, "sent": 4}
    assert list(Group.objects.values_list("token", flat=True)) == [token]
    assert sorted(Person.objects.values_list("given_names_latin", flat=True)) == ["Ahmad", "Mariam", "Omid"]
    assert SyncReceipt.objects.filter(records=4).count() == 1


def forward(request: Any) -> tuple[int, bytes]:
    """Send the browser's request to the server from here (so that its answer can then be lost)."""
    headers = {name: value for name, value in request.headers.items() if name.lower() in FORWARDED_HEADERS}
    sent = urllib.request.Request(request.url, request.post_data_buffer, headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(sent, timeout=30) as response:  # noqa: S310 -- the live server
            return response.status, response.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read()


FORWARDED_HEADERS = {"authorization", "idempotency-key", "content-type", "accept"}


def test_two_devices_change_the_same_person_offline(
    field_contexts: Any, crossing_point: Any, make_user: Any
) -> None:
    first_officer = make_user(Role.BORDER_OFFICER, username="amina")
    make_user(Role.BORDER_OFFICER, username="bogdan")
    registered = enrol(first_officer, "laptop").sync([person_record(crossing_point)]).json()["results"][0]
    person = Person.objects.get(pk=registered["id"])
    devices = [field_contexts(), field_contexts()]
    pages = [device.new_page() for device in devices]
    for page, username in zip(pages, ("amina", "bogdan"), strict=True):
        sign_in(page, username)
        go_offline(devices[pages.index(page)], page)

    edit_person(pages[0], "Kovalenko", {"surname_latin": "Kovalenko-Shevchenko"})
    edit_person(pages[1], "Kovalenko", {"surname_latin": "Kovalenko-Bondar", "given_names_latin": "Olha"})
    for device, page in zip(devices, pages, strict=True):
        go_online(device, page)
        sync_until_sent(page)

    person.refresh_from_db()
    assert (person.surname_latin, person.given_names_latin) == ("Kovalenko-Shevchenko", "Olha")
    conflict = PersonConflict.objects.get(person=person)
    assert (conflict.field, conflict.server_value, conflict.device_value, conflict.status) == (
        "surname_latin",
        "Kovalenko-Shevchenko",
        "Kovalenko-Bondar",
        "open",
    )


def edit_person(page: Any, query: str, changes: dict[str, str]) -> None:
    """Find a person in the look-up and queue a correction."""
    page.click('[data-testid="tile-lookup"]')
    page.fill('[data-testid="lookup-query"]', query)
    page.click('[data-testid="lookup-result"]')
    for name, value in changes.items():
        page.fill(f"#f-{name}", value)
    page.click('[data-testid="save-edit"]')
    page.wait_for_selector('[data-testid="saved"]')
    wait_pending(page, 1)


def test_a_revoked_device_is_told_why_its_sync_is_refused(
    field_context: FieldContext, crossing_point: Any, make_user: Any
) -> None:
    officer = make_user(Role.BORDER_OFFICER, username="amina")
    coordinator = make_user(Role.COORDINATOR, username="coord", posted=False)
    page = field_context.new_page()
    sign_in(page, "amina")
    go_offline(field_context, page)
    page.click('[data-testid="tile-person"]')
    register_person(
        page,
        {
            "surname_latin": "Kovalenko",
            "given_names_latin": "Olena",
            "estimated_age": "34",
            "nationality": "UKR",
        },
    )
    device = FieldDevice.objects.get(token__user=officer)
    device_token_revoke(actor=Actor(user=coordinator, device="test"), token_id=str(device.token_id))

    go_online(field_context, page)
    sync_now(page)

    message = page.locator('[data-testid="sync-message"]')
    assert message.get_attribute("data-kind") == "revoked"
    assert "revoked" in message.inner_text().lower()
    assert counts(page)["pending"] == 1
    assert not Person.objects.exists()

    page.click('[data-testid="sign-in-again"]')  # the device was found: its officer enrols it again
    page.fill("#signin-password", TEST_PASSWORD)
    page.press("#signin-password", "Enter")
    page.wait_for_selector('[data-screen="outbox"]')
    sync_until_sent(page)
    assert list(Person.objects.values_list("given_names_latin", flat=True)) == ["Olena"]


def test_a_refused_record_shows_why_and_is_sent_again_once_fixed(
    field_context: FieldContext, crossing_point: Any, make_user: Any
) -> None:
    make_user(Role.BORDER_OFFICER, username="amina")
    page = field_context.new_page()
    sign_in(page, "amina")
    go_offline(field_context, page)
    page.click('[data-testid="tile-person"]')
    unknown_group = token_generate()  # well formed, but no such group on the server
    register_person(
        page,
        {
            "surname_latin": "Kovalenko",
            "given_names_latin": "Olena",
            "estimated_age": "34",
            "nationality": "UKR",
        },
        relationship="head",
        group_token=unknown_group,
    )
    go_online(field_context, page)
    sync_now(page)
    assert counts(page) == {"pending": 0, "rejected": 1, "sent": 0}

    page.click('[data-testid="outbox-counts"]')
    page.wait_for_selector('#main[data-screen="outbox"]')
    item = page.locator('[data-testid="outbox-item"][data-status="rejected"]')
    assert item.locator('[data-testid="reason"] li[data-path="group_token"]').count() == 1
    item.locator('[data-testid="open-entry"]').click()
    page.wait_for_selector('#main[data-screen="person-fix"]')
    assert page.locator("#f-group_token-field.field--invalid").count() == 1
    page.fill("#f-group_token", "")
    page.click('[data-testid="save-person"]')
    page.wait_for_selector('[data-screen="outbox"]')
    sync_until_sent(page)

    assert counts(page) == {"pending": 0, "rejected": 0, "sent": 1}
    assert list(Person.objects.values_list("given_names_latin", flat=True)) == ["Olena"]


def test_sign_out_waits_for_every_record_then_wipes_the_device(
    field_context: FieldContext, crossing_point: Any, make_user: Any
) -> None:
    make_user(Role.BORDER_OFFICER, username="amina")
    page = field_context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, "amina")
    go_offline(field_context, page)
    page.click('[data-testid="tile-person"]')
    register_person(
        page,
        {
            "surname_latin": "Kovalenko",
            "given_names_latin": "Olena",
            "estimated_age": "34",
            "nationality": "UKR",
        },
    )

    page.click('[data-testid="sign-out"]')
    refusal = page.locator('[data-testid="sync-message"][data-kind="refused"]')
    assert "1 record is not on the server" in refusal.inner_text()
    go_online(field_context, page)
    sync_until_sent(page)
    page.click('[data-testid="sign-out"]')
    page.wait_for_selector('[data-screen="signin"]')

    assert indexeddb_raw(page)["outbox"] == ""
    assert Person.objects.count() == 1
    # The device's token ended with the sign-out: a copy of it is worthless now.
    assert DeviceToken.objects.get(user__username="amina").revoked_at is not None
