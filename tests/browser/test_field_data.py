"""What the field app keeps and sends: photos made small on the device, nothing readable without
the PIN, and the same validation as the server (from the server's own schemas)."""

from __future__ import annotations

import io
import uuid
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageFilter

from hbm.accounts.enums import Role
from hbm.engines.tokens import TOKEN_ALPHABET, TokenError, token_validate
from hbm.registration.models import Person
from tests.browser.field_helpers import (
    FieldContext,
    go_offline,
    go_online,
    indexeddb_raw,
    open_app,
    outbox_raw,
    register_person,
    sign_in,
    sync_until_sent,
)
from tests.field.conftest import enrol

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The fixtures of the field app (pytest finds fixtures by name in the test module).

PHOTO_MAX_BYTES = 200 * 1024
GCM_TAG_BYTES = 16


def camera_picture(path: Path) -> Path:
    """A 12-megapixel picture with a camera's detail and noise (several megabytes as JPEG)."""
    noise = Image.effect_noise((4000, 3000), 90).convert("RGB")
    scene = Image.radial_gradient("L").resize((4000, 3000)).convert("RGB")
    Image.blend(scene, noise.filter(ImageFilter.SMOOTH), 0.6).save(path, quality=95)
    return path


def test_a_camera_photo_is_made_small_on_the_device(
    field_context: FieldContext, crossing_point: Any, make_user: Any, tmp_path: Path
) -> None:
    make_user(Role.BORDER_OFFICER, username="amina")
    picture = camera_picture(tmp_path / "camera.jpg")
    assert picture.stat().st_size > 5 * PHOTO_MAX_BYTES
    page = field_context.new_page()
    sign_in(page, "amina")
    go_offline(field_context, page)
    page.click('[data-testid="tile-person"]')
    assert page.get_attribute("#f-photo", "capture") == "environment"
    page.set_input_files("#f-photo", str(picture))
    page.wait_for_selector('[data-testid="photo-ready"]', timeout=30_000)
    register_person(
        page,
        {
            "surname_latin": "Kovalenko",
            "given_names_latin": "Olena",
            "estimated_age": "34",
            "nationality": "UKR",
        },
    )

    photos = [row for row in outbox_raw(page) if row["kind"] == "photo"]
    assert len(photos) == 1
    assert 10_000 < photos[0]["photoBytes"] - GCM_TAG_BYTES <= PHOTO_MAX_BYTES
    go_online(field_context, page)
    sync_until_sent(page)

    person = Person.objects.get()
    assert person.photo is not None
    assert len(person.photo) <= PHOTO_MAX_BYTES
    with Image.open(io.BytesIO(person.photo)) as stored:
        assert max(stored.size) <= 800


def test_a_wrong_pin_reveals_nothing(
    field_context: FieldContext, crossing_point: Any, make_user: Any
) -> None:
    make_user(Role.BORDER_OFFICER, username="amina")
    page = field_context.new_page()
    sign_in(page, "amina")
    go_offline(field_context, page)
    page.click('[data-testid="tile-person"]')
    names = {
        "surname_latin": "Zabolotna",
        "given_names_latin": "Yevheniia",
        "surname_original": "Заболотна",
        "place_of_birth": "Chernihiv",
    }
    register_person(page, {**names, "estimated_age": "34", "nationality": "UKR"})

    page.reload()
    page.fill('[data-testid="pin"]', "999999")
    page.click('[data-testid="unlock"]')
    page.wait_for_selector('[data-testid="unlock-error"]:not([hidden])')

    assert "Wrong PIN" in page.inner_text('[data-testid="unlock-error"]')
    assert page.get_attribute("#main", "data-screen") == "unlock"
    shown = page.inner_text("body")
    raw = "\n".join(indexeddb_raw(page).values())
    for value in (*names.values(), "Заболотна".encode().decode("latin-1")):
        assert value not in shown
        assert value not in raw
    assert "outbox" in indexeddb_raw(page)  # the record is there, sealed


PERSON_CASES: list[tuple[str, dict[str, Any]]] = [
    ("good: minimum", {"given_names_latin": "Olena", "sex": "F", "estimated_age": 34, "nationality": "UKR"}),
    (
        "good: full",
        {
            "surname_latin": "Kovalenko",
            "given_names_latin": "Olena",
            "surname_original": "Коваленко",
            "sex": "F",
            "date_of_birth": "1990-02-28",
            "nationality": "ukr",
            "languages": ["ukr", "rus"],
            "specific_needs": ["disability"],
            "documents": [{"kind": "passport", "document_number": "FA123456", "issuing_state": "UKR"}],
        },
    ),
    ("bad: no sex", {"given_names_latin": "Olena", "estimated_age": 34, "nationality": "UKR"}),
    (
        "bad: sex not a choice",
        {"given_names_latin": "Olena", "sex": "Q", "estimated_age": 34, "nationality": "UKR"},
    ),
    (
        "bad: two ways of birth",
        {
            "given_names_latin": "Olena",
            "sex": "F",
            "estimated_age": 34,
            "date_of_birth": "1990-01-01",
            "nationality": "UKR",
        },
    ),
    ("bad: no birth", {"given_names_latin": "Olena", "sex": "F", "nationality": "UKR"}),
    (
        "bad: unknown nationality",
        {"given_names_latin": "Olena", "sex": "F", "estimated_age": 34, "nationality": "ZZZ"},
    ),
    (
        "bad: nationality too short",
        {"given_names_latin": "Olena", "sex": "F", "estimated_age": 34, "nationality": "UK"},
    ),
    (
        "bad: age over 120",
        {"given_names_latin": "Olena", "sex": "F", "estimated_age": 130, "nationality": "UKR"},
    ),
    (
        "bad: age not a number",
        {"given_names_latin": "Olena", "sex": "F", "estimated_age": "old", "nationality": "UKR"},
    ),
    (
        "bad: unknown field",
        {
            "given_names_latin": "Olena",
            "sex": "F",
            "estimated_age": 34,
            "nationality": "UKR",
            "colour": "red",
        },
    ),
    (
        "bad: unknown language",
        {
            "given_names_latin": "Olena",
            "sex": "F",
            "estimated_age": 34,
            "nationality": "UKR",
            "languages": ["qqq"],
        },
    ),
    (
        "bad: no such date",
        {"given_names_latin": "Olena", "sex": "F", "date_of_birth": "1990-02-30", "nationality": "UKR"},
    ),
    (
        "bad: mistyped token",
        {
            "given_names_latin": "Olena",
            "sex": "F",
            "estimated_age": 34,
            "nationality": "UKR",
            "group_token": "7KQ2M9XHE",
            "relationship": "head",
        },
    ),
    (
        "bad: no Latin name",
        {"surname_original": "Коваленко", "sex": "F", "estimated_age": 34, "nationality": "UKR"},
    ),
    (
        "bad: document without kind",
        {
            "given_names_latin": "Olena",
            "sex": "F",
            "estimated_age": 34,
            "nationality": "UKR",
            "documents": [{"document_number": "X"}],
        },
    ),
    (
        "bad: name too long",
        {"given_names_latin": "O" * 201, "sex": "F", "estimated_age": 34, "nationality": "UKR"},
    ),
    (
        "good: parents in any script",
        {
            "given_names_latin": "Ahmad",
            "sex": "M",
            "estimated_age": 40,
            "nationality": "AFG",
            "father_name": "محمد کریم",
            "mother_name": "Fatima Rahimi",
        },
    ),
    (
        "bad: father's name too long",
        {
            "given_names_latin": "Olena",
            "sex": "F",
            "estimated_age": 34,
            "nationality": "UKR",
            "father_name": "M" * 201,
        },
    ),
    (
        "bad: mother's name not text",
        {
            "given_names_latin": "Olena",
            "sex": "F",
            "estimated_age": 34,
            "nationality": "UKR",
            "mother_name": 7,
        },
    ),
    (
        "bad: need not a choice",
        {
            "given_names_latin": "Olena",
            "sex": "F",
            "estimated_age": 34,
            "nationality": "UKR",
            "specific_needs": ["tired"],
        },
    ),
]
GROUP_CASES: list[tuple[str, dict[str, Any]]] = [
    ("good: group", {"size": 3, "head_name": "Ahmad Karimi", "nationality": "AFG"}),
    ("bad: empty group", {"size": 0, "head_name": "Ahmad Karimi", "nationality": "AFG"}),
    ("bad: group too big", {"size": 61, "head_name": "Ahmad Karimi", "nationality": "AFG"}),
    ("bad: no head", {"size": 3, "nationality": "AFG"}),
    (
        "bad: group token mistyped",
        {"size": 3, "head_name": "Ahmad Karimi", "nationality": "AFG", "token": "7KQ2M9XHE"},
    ),
]
COUNT_CASES: list[tuple[str, dict[str, Any]]] = [
    ("good: count", {"cells": [{"sex": "F", "age_band": "18-59", "count": 12}]}),
    ("bad: no cells", {"cells": []}),
    ("bad: negative count", {"cells": [{"sex": "F", "age_band": "18-59", "count": -1}]}),
    ("bad: no such age band", {"cells": [{"sex": "F", "age_band": "99+", "count": 1}]}),
    (
        "bad: time without zone",
        {
            "cells": [{"sex": "M", "age_band": "0-4", "count": 1}],
            "encounter": {"occurred_at": "2025-01-01T10:00:00"},
        },
    ),
]
CASES = (
    [("person", *case) for case in PERSON_CASES]
    + [("group", *case) for case in GROUP_CASES]
    + [("count", *case) for case in COUNT_CASES]
)

VALIDATE = """async ([cases, pointId]) => {
  const { payloadErrors } = await import("/static/field/validate.js");
  const { metaGet } = await import("/static/field/db.js");
  const reference = await metaGet("reference:en");
  const point = reference.crossing_points.find((p) => p.id === pointId);
  const isValid = ([kind, , payload]) => {
    return Object.keys(payloadErrors(reference, kind, payload, point)).length === 0;
  };
  return cases.map(isValid);
}"""


def test_the_app_validates_as_the_server_does(
    field_context: FieldContext, crossing_point: Any, make_user: Any
) -> None:
    officer = make_user(Role.BORDER_OFFICER, username="amina")
    page = field_context.new_page()
    sign_in(page, "amina")

    app_says = page.evaluate(VALIDATE, [CASES, str(crossing_point.pk)])
    records = [
        {"id": str(uuid.uuid4()), "kind": kind, "crossing_point": str(crossing_point.pk), "payload": payload}
        for kind, _name, payload in CASES
    ]
    answer = enrol(officer, "laptop").sync(records).json()
    server_says = [result["status"] != "rejected" for result in answer["results"]]
    names = [name for _kind, name, _payload in CASES]

    assert dict(zip(names, server_says, strict=True)) == {name: name.startswith("good") for name in names}
    assert dict(zip(names, app_says, strict=True)) == dict(zip(names, server_says, strict=True))


def test_tokens_made_on_the_device_are_the_servers_tokens(field_context: FieldContext) -> None:
    page = field_context.new_page()
    open_app(page)
    made, mistyped_refused = page.evaluate(
        """async () => {
          const { tokenGenerate, tokenValidate, TOKEN_ALPHABET } = await import("/static/field/tokens.js");
          const made = Array.from({ length: 200 }, () => tokenGenerate());
          const mistype = (token) => {
            const next = TOKEN_ALPHABET[(TOKEN_ALPHABET.indexOf(token[3]) + 1) % 32];
            return token.slice(0, 3) + next + token.slice(4);
          };
          const isRefused = (token) => {
            try {
              tokenValidate(token);
              return false;
            } catch {
              return true;
            }
          };
          const refused = made.map(mistype).map(isRefused);
          return [made, refused];
        }"""
    )
    assert len(set(made)) == 200
    assert all(token_validate(token) == token for token in made)
    assert all(mistyped_refused)
    for token in made:
        with pytest.raises(TokenError):
            token_validate(mistype(token))


def mistype(token: str) -> str:
    """The token with its 4th character replaced by the next one of the alphabet."""
    following = TOKEN_ALPHABET[(TOKEN_ALPHABET.index(token[3]) + 1) % len(TOKEN_ALPHABET)]
    return token[:3] + following + token[4:]
