"""The field app's look-up finds people on the device as the server's search finds them (decision
0027): every word typed in a name, in any order, spaces, hyphens and apostrophes within a name
ignored — offline, in the browser."""

from __future__ import annotations

from typing import Any

import pytest

from hbm.accounts.enums import Role
from tests.browser.field_helpers import FieldContext, register_person, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The fixtures of the field app (pytest finds fixtures by name in the test module).

PEOPLE = (("Abdul Rahman", "Omar"), ("Al-Assad", "Mar\u2019iana"), ("Haddad", "Yusuf"))


def _found(page: Any, query: str) -> list[str]:
    page.fill('[data-testid="lookup-query"]', query)  # the list is drawn again on each input event
    return sorted(page.locator('[data-testid="lookup-result"] .result__name').all_inner_texts())


def test_the_look_up_finds_words_in_any_order_whatever_the_joiners(
    field_context: FieldContext, crossing_point: Any, make_user: Any
) -> None:
    make_user(Role.BORDER_OFFICER, username="amina")
    page = field_context.new_page()
    sign_in(page, "amina")
    field_context.context.set_offline(True)
    page.click('[data-testid="tile-person"]')
    for surname, given in PEOPLE:
        values = {"surname_latin": surname, "given_names_latin": given, "estimated_age": "30"}
        register_person(page, {**values, "nationality": "SYR"})
    page.evaluate("location.hash = '#/lookup'")
    page.wait_for_selector('[data-testid="lookup-query"]')

    assert len(_found(page, "omar abdulrahman")) == 1
    assert "Abdul Rahman" in _found(page, "omar abdulrahman")[0]
    assert "Al-Assad" in _found(page, "alassad mariana")[0]
    assert "Al-Assad" in _found(page, "Mar'iana al assad")[0]
    assert "Haddad" in _found(page, "yusuf had")[0]
    assert _found(page, "omar haddad") == []


def test_the_look_up_unifies_the_letters_keyboards_differ_on(
    field_context: FieldContext, crossing_point: Any, make_user: Any
) -> None:
    """Decision 0029: a name typed on a Pashto keyboard is found typed on a Persian one and back, and
    Persian and Arabic keyboards' yeh and kaf are one — by the server's own table, offline."""
    make_user(Role.BORDER_OFFICER, username="amina")
    page = field_context.new_page()
    sign_in(page, "amina")
    field_context.context.set_offline(True)
    page.click('[data-testid="tile-person"]')
    gulalai = {
        "surname_original": "\u0648\u0631\u062f\u06ab",
        "given_names_original": "\u06ab\u0644\u0627\u0644\u06cd",
    }
    register_person(
        page,
        {
            "surname_latin": "Wardak",
            "given_names_latin": "Gulalai",
            **gulalai,
            "estimated_age": "30",
            "nationality": "AFG",
        },
    )
    karimi = {
        "surname_original": "\u06a9\u0631\u06cc\u0645\u06cc",
        "given_names_original": "\u0639\u0644\u06cc",
    }
    register_person(
        page,
        {
            "surname_latin": "Karimi",
            "given_names_latin": "Ali",
            **karimi,
            "estimated_age": "30",
            "nationality": "AFG",
        },
    )
    page.evaluate("location.hash = '#/lookup'")
    page.wait_for_selector('[data-testid="lookup-query"]')

    # ګلالۍ وردګ typed on a Persian keyboard: گلالی وردگ.
    assert _found(page, "\u06af\u0644\u0627\u0644\u06cc \u0648\u0631\u062f\u06af") == ["Wardak, Gulalai"]
    # کریمی typed on an Arabic keyboard: كريمي.
    assert _found(page, "\u0643\u0631\u064a\u0645\u064a") == ["Karimi, Ali"]
    assert _found(page, "\u0643\u0631\u064a\u0645\u064a \u06af\u0644\u0627\u0644\u06cc") == []
