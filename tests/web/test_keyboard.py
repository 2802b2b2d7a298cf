"""Keyboard-first checks that can be made on the HTML: focus starts in the first field, the tab order
is the document order (no positive tabindex), every input has a label, access keys are unique, the
sex is a radio group (arrow keys) and Enter submits with the Save button."""

from __future__ import annotations

import pytest

from tests.web.conftest import World
from tests.web.markup import elements_of, form_fields, unlabelled_fields

pytestmark = pytest.mark.django_db

PERSON_FIELD_ORDER = [
    "surname_latin",
    "given_names_latin",
    "surname_original",
    "given_names_original",
    "father_name",
    "mother_name",
    "sex",
    "sex",
    "sex",
    "date_of_birth",
    "birth_year",
    "estimated_age",
    "nationality",
    "place_of_birth",
    "languages",
    "group_token",
    "relationship",
    *["specific_needs"] * 11,
    "document_kind",
    "mrz",
    "document_number",
    "issuing_state",
    "date_of_expiry",
    "is_damaged",
    "no_document_reason",
    "photo",
]


def _page(world: World, who: str, url: str) -> str:
    response = world.client(who).get(url)
    assert response.status_code == 200
    return response.content.decode()


def _pages(world: World) -> dict[str, tuple[str, str]]:
    point, person, group = world.point.pk, world.person.pk, world.group.pk
    return {
        "home": ("officer", "/"),
        "dashboard": ("coordinator", f"/crossing-points/{point}/"),
        "count": ("officer", f"/crossing-points/{point}/register/count"),
        "group": ("officer", f"/crossing-points/{point}/register/group"),
        "person": ("officer", f"/crossing-points/{point}/register/person"),
        "search": ("officer", "/persons/?q=kova"),
        "person_detail": ("screener", f"/persons/{person}/"),
        "group_detail": ("officer", f"/groups/{group}/"),
        "group_card": ("officer", f"/groups/{group}/card"),
        "group_lookup": ("officer", "/groups/"),
        "devices": ("coordinator", "/devices/"),
        "audit": ("auditor", "/audit/"),
    }


def test_the_person_screen_starts_in_the_first_field_and_tabs_in_reading_order(world: World) -> None:
    elements = elements_of(_page(world, "officer", f"/crossing-points/{world.point.pk}/register/person"))

    fields = form_fields(elements, "person-form")

    assert [f.get("name") for f in fields] == PERSON_FIELD_ORDER
    focused = [e for e in elements if "autofocus" in e.attrs]
    assert [e.get("name") for e in focused] == ["surname_latin"]


def test_the_sex_is_one_radio_group_the_photo_opens_the_camera(world: World) -> None:
    elements = elements_of(_page(world, "officer", f"/crossing-points/{world.point.pk}/register/person"))

    radios = [e for e in elements if e.get("type") == "radio"]
    photo = next(e for e in elements if e.get("name") == "photo")

    assert {e.get("name") for e in radios} == {"sex"}
    assert [e.get("value") for e in radios] == ["F", "M", "X"]
    assert (photo.get("type"), photo.get("accept"), photo.get("capture")) == ("file", "image/*", "user")


def test_enter_submits_with_the_save_button_and_access_keys_are_shown(world: World) -> None:
    html = _page(world, "officer", f"/crossing-points/{world.point.pk}/register/person")
    elements = elements_of(html)

    form = next(e for e in elements if e.tag == "form" and e.get("id") == "person-form")
    buttons = [e for e in elements if e.tag == "button" and e.form_id == "person-form"]
    keys = {
        e.attrs["accesskey"]: e.get("name") or e.get("id") or e.tag for e in elements if e.get("accesskey")
    }

    assert form.get("enctype") == "multipart/form-data"
    assert buttons[0].get("id") == "save"
    assert buttons[0].get("type") == "submit"
    assert sorted(keys) == ["b", "c", "g", "m", "n", "p", "s"]
    assert keys["s"] == "save"
    assert "Shortcuts (Alt, or Alt+Shift in Firefox):" in html


def test_the_code_fields_offer_their_lists(world: World) -> None:
    elements = elements_of(_page(world, "officer", f"/crossing-points/{world.point.pk}/register/person"))

    lists = {e.get("id"): e for e in elements if e.tag == "datalist"}
    options = [e for e in elements if e.tag == "option" and e.get("value") in {"UKR", "XXA", "ukr"}]
    referenced = {e.get("list") for e in elements if e.get("list")}

    assert referenced == {"nationality-options", "language-options"}
    assert set(lists) == referenced
    assert {o.get("value") for o in options} == {"UKR", "XXA", "ukr"}


@pytest.mark.parametrize(
    "page",
    [
        "home", "dashboard", "count", "group", "person", "search", "person_detail", "group_detail",
        "group_card", "group_lookup", "devices", "audit",
    ],
)  # fmt: skip
def test_every_page_has_labels_no_positive_tabindex_and_unique_access_keys(world: World, page: str) -> None:
    who, url = _pages(world)[page]
    html = _page(world, who, url)
    elements = elements_of(html)

    assert unlabelled_fields(elements) == []
    assert [e.get("tabindex") for e in elements if int(e.get("tabindex") or "0") > 0] == []
    keys = [e.get("accesskey") for e in elements if e.get("accesskey")]
    assert len(keys) == len(set(keys))
    assert sum("autofocus" in e.attrs for e in elements) <= 1
    assert 'class="skip-link" href="#main"' in html


def test_the_sign_in_page_is_labelled_and_focused() -> None:
    from django.test import Client

    elements = elements_of(Client().get("/login/").content.decode())

    assert unlabelled_fields(elements) == []
    assert [e.get("name") for e in elements if "autofocus" in e.attrs] == ["username"]


def _autofocused(html: str) -> list[str]:
    return [
        e.get("name") or e.get("data-testid") or e.tag for e in elements_of(html) if "autofocus" in e.attrs
    ]


def test_after_a_refusal_the_focus_is_on_the_first_input_to_correct(world: World) -> None:
    url = f"/crossing-points/{world.point.pk}/register/person"
    payload = {"surname_latin": "Karimi", "sex": "M", "estimated_age": "16", "nationality": "QQQ"}

    response = world.client("officer").post(url, payload)

    assert response.status_code == 422
    assert _autofocused(response.content.decode()) == ["nationality"]


def test_a_refusal_with_no_single_input_focuses_the_error_summary(world: World) -> None:
    url = f"/crossing-points/{world.point.pk}/register/person"

    no_sex = world.client("officer").post(
        url, {"surname_latin": "Karimi", "estimated_age": "16", "nationality": "AFG"}
    )
    empty_count = world.client("officer").post(f"/crossing-points/{world.point.pk}/register/count", {})

    assert _autofocused(no_sex.content.decode()) == ["form-errors"]
    assert 'href="#id_sex"' in no_sex.content.decode()
    assert 'id="id_sex"' in no_sex.content.decode()
    assert _autofocused(empty_count.content.decode()) == ["form-errors"]
