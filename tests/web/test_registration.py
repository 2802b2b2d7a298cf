"""The registration screens: each saves through its service, writes its audit entry, keeps the group
for the next member, and shows every refusal next to the input it concerns with nothing written."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.crossings.models import CrossingPoint
from hbm.engines.mrz import build_td3
from hbm.engines.tokens import token_format
from hbm.registration.models import CountCell, Document, Encounter, Group, GroupMembership, Person
from tests.web.conftest import World, audit_count, jpeg_bytes

pytestmark = pytest.mark.django_db

TODAY = date.today()


def _rows() -> tuple[int, ...]:
    return (
        audit_count(),
        Person.objects.count(),
        Group.objects.count(),
        Encounter.objects.count(),
        Document.objects.count(),
        GroupMembership.objects.count(),
        CountCell.objects.count(),
    )


def passport_mrz(number: str = "AB1234567") -> str:
    return build_td3(
        issuing_state="UKR",
        surname="KOVALENKO",
        given_names="MYKOLA",
        document_number=number,
        nationality="UKR",
        date_of_birth=date(2012, 5, 2),
        sex="M",
        date_of_expiry=date(TODAY.year + 3, 1, 31),
    )


def _person_payload(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "surname_latin": "Kovalenko",
        "given_names_latin": "Mykola",
        "sex": "M",
        "estimated_age": "12",
        "nationality": "ukr",
    }
    payload.update(overrides)
    return {k: v for k, v in payload.items() if v is not None}


def _person_url(world: World) -> str:
    return f"/crossing-points/{world.point.pk}/register/person"


# --- count ---------------------------------------------------------------------------------------


def test_a_count_is_saved_by_sex_and_age_band(world: World) -> None:
    client = world.client("officer")

    response = client.post(
        f"/crossing-points/{world.point.pk}/register/count",
        {"cell_F_3": "12", "cell_M_0": "3", "cell_X_4": ""},
    )

    assert response.status_code == 302
    encounter = Encounter.objects.get(tier="count")
    cells = sorted(encounter.count_cells.values_list("sex", "age_band", "count"))
    assert cells == [("F", "18-59", 12), ("M", "0-4", 3)]
    entry = AuditEntry.objects.filter(event=AuditEvent.COUNT_RECORDED).latest("seq")
    assert (entry.subject_id, entry.detail, entry.device) == (str(encounter.pk), {"total": 15}, "browser")
    assert "Saved: 15 people counted." in client.get(response["Location"]).content.decode()


def test_the_count_grid_has_a_labelled_input_per_sex_and_band(world: World) -> None:
    content = (
        world.client("officer").get(f"/crossing-points/{world.point.pk}/register/count").content.decode()
    )

    inputs = re.findall(r'<input type="number" name="(cell_[FMX]_\d)"', content)
    assert len(inputs) == 15
    for name in inputs:
        assert f'<label for="id_{name}"' in content
    assert content.count("autofocus") == 1


@pytest.mark.parametrize(
    ("payload", "message"),
    [({}, "a count needs at least one person"), ({"cell_F_0": "-1"}, "greater than or equal to 0")],
)
def test_a_refused_count_writes_nothing(world: World, payload: dict[str, str], message: str) -> None:
    before = _rows()

    response = world.client("officer").post(f"/crossing-points/{world.point.pk}/register/count", payload)

    assert response.status_code == 422
    assert message in response.content.decode()
    assert _rows() == before


# --- group and token card ------------------------------------------------------------------------


def test_a_group_is_pre_registered_and_its_token_card_opens(world: World) -> None:
    client = world.client("officer")

    response = client.post(
        f"/crossing-points/{world.point.pk}/register/group",
        {"size": "5", "head_name": "Amina Haddad", "nationality": "syr"},
    )

    group = Group.objects.get(head_name="Amina Haddad")
    assert response.status_code == 302
    assert response["Location"] == f"/groups/{group.pk}/card"
    assert (group.size, group.nationality, group.registered_by) == (5, "SYR", world.users["officer"])
    assert (
        AuditEntry.objects.filter(event=AuditEvent.GROUP_PREREGISTERED, subject_id=str(group.pk)).count() == 1
    )
    card = client.get(response["Location"]).content.decode()
    assert f'data-testid="token">{token_format(group.token)}<' in card
    assert re.search(r'<svg role="img" viewBox="0 0 \d+ \d+" class="qr">', card)
    assert f"<title>QR code of token {token_format(group.token)}</title>" in card
    assert "Syrian Arab Republic" in card
    assert 'data-testid="group-size">5<' in card
    assert "@media print" not in card  # print rules live in the one CSS file
    assert f"?group={group.token}&amp;nationality=SYR" in card


def test_a_mistyped_wristband_token_is_named_and_nothing_is_written(world: World) -> None:
    token = world.group.token
    typo = token[:-1] + ("2" if token[-1] != "2" else "3")
    before = _rows()

    response = world.client("officer").post(
        f"/crossing-points/{world.point.pk}/register/group",
        {"size": "2", "head_name": "Somebody", "nationality": "UKR", "token": typo},
    )

    assert response.status_code == 422
    assert "The check character does not match: the token was probably mistyped." in response.content.decode()
    assert _rows() == before


def test_a_token_already_given_is_refused_on_the_token_field(world: World) -> None:
    before = _rows()

    response = world.client("officer").post(
        f"/crossing-points/{world.point.pk}/register/group",
        {"size": "2", "head_name": "Somebody", "nationality": "UKR", "token": world.group.token},
    )

    field = response.content.decode().split('id="field-token"')[1]
    assert response.status_code == 422
    assert "already used" in field.split("</div>")[0] + field
    assert _rows() == before


def test_groups_are_not_pre_registered_in_normal_mode(world: World) -> None:
    CrossingPoint.objects.filter(pk=world.point.pk).update(mode="normal")
    before = _rows()

    shown = world.client("officer").get(f"/crossing-points/{world.point.pk}/register/group")
    posted = world.client("officer").post(
        f"/crossing-points/{world.point.pk}/register/group",
        {"size": "2", "head_name": "X", "nationality": "UKR"},
    )

    assert shown.status_code == posted.status_code == 409
    assert "Group pre-registration is not done in normal mode" in shown.content.decode()
    assert _rows() == before


# --- individual ----------------------------------------------------------------------------------


def test_a_person_is_registered_and_the_form_is_ready_for_the_next_member(world: World) -> None:
    client = world.client("officer")

    response = client.post(
        _person_url(world),
        _person_payload(group_token=token_format(world.group.token).lower(), relationship="child"),
    )

    person = Person.objects.get(given_names_latin="Mykola")
    assert response.status_code == 302
    assert response["Location"] == (
        f"{_person_url(world)}?group={world.group.token}&nationality=UKR&last={person.pk}"
    )
    assert person.nationality == "UKR"
    assert person.birth_date_accuracy == "estimated"
    assert GroupMembership.objects.get(person=person).relationship == "child"
    entry = AuditEntry.objects.filter(event=AuditEvent.PERSON_REGISTERED).latest("seq")
    assert (entry.subject_id, entry.detail["group"], entry.detail["mode"]) == (
        str(person.pk),
        str(world.group.pk),
        "emergency",
    )
    next_form = client.get(response["Location"]).content.decode()
    assert "Saved: Kovalenko, Mykola." in next_form
    assert f'value="{token_format(world.group.token)}"' in next_form
    assert 'name="nationality" value="UKR"' in next_form
    assert f'href="/persons/{person.pk}/"' in next_form


def test_the_parents_names_are_saved_as_given_and_shown_on_the_person_page(world: World) -> None:
    client = world.client("officer")

    response = client.post(
        _person_url(world), _person_payload(father_name=" Andrii  Kovalenko ", mother_name="Олена Коваленко")
    )

    person = Person.objects.get(given_names_latin="Mykola")
    assert response.status_code == 302
    assert (person.father_name, person.mother_name) == ("Andrii Kovalenko", "Олена Коваленко")
    page = client.get(f"/persons/{person.pk}/").content.decode()
    assert "<dt>Father's name</dt>" in page.replace("&#x27;", "'")
    assert '<dd dir="auto" data-testid="person-father">Andrii Kovalenko</dd>' in page
    assert '<dd dir="auto" data-testid="person-mother">Олена Коваленко</dd>' in page


def test_the_form_asks_for_the_parents_names_in_the_officers_language(world: World) -> None:
    client = world.client("officer")
    client.cookies["django_language"] = "fr"

    form = client.get(_person_url(world)).content.decode()

    assert '<input type="text" name="father_name" dir="auto" maxlength="200" id="id_father_name">' in form
    assert '<input type="text" name="mother_name" dir="auto" maxlength="200" id="id_mother_name">' in form
    assert '<label for="id_father_name">Nom du père</label>' in form
    assert '<label for="id_mother_name">Nom de la mère</label>' in form


def test_a_document_from_its_mrz_and_a_photo_are_saved_with_the_person(world: World) -> None:
    photo = SimpleUploadedFile("face.jpg", jpeg_bytes(), content_type="image/jpeg")

    response = world.client("screener").post(
        _person_url(world),
        _person_payload(
            estimated_age=None,
            date_of_birth="2012-05-02",
            document_kind="passport",
            mrz=passport_mrz(),
            specific_needs=["unaccompanied_child", "family_tracing"],
            languages="ukr, RUS",
            photo=photo,
        ),
    )

    assert response.status_code == 302
    person = Person.objects.get(given_names_latin="Mykola")
    document = Document.objects.get(person=person)
    assert (document.kind, document.document_number, document.condition, document.mrz_format) == (
        "passport",
        "AB1234567",
        "valid",
        "TD3",
    )
    assert person.languages == ["ukr", "rus"]
    assert person.specific_needs == ["family_tracing", "unaccompanied_child"]
    assert person.has_photo
    assert AuditEntry.objects.filter(event=AuditEvent.PHOTO_ADDED, subject_id=str(person.pk)).count() == 1


def test_a_failed_mrz_check_digit_is_shown_at_the_mrz_and_nothing_is_written(world: World) -> None:
    good = passport_mrz()
    lines = good.split("\n")
    broken = lines[1][:9] + ("0" if lines[1][9] != "0" else "1") + lines[1][10:]
    before = _rows()

    response = world.client("officer").post(
        _person_url(world), _person_payload(document_kind="passport", mrz=f"{lines[0]}\n{broken}")
    )

    content = response.content.decode()
    assert response.status_code == 422
    mrz_field = content.split('id="field-mrz"')[1].split('id="field-document_number"')[0]
    assert 'id="id_mrz_error"' in mrz_field
    assert re.search(r"check digit of AB1234567 failed: expected \d, found \d<", mrz_field)
    assert '<details class="group group--details" id="document" open>' in content
    assert _rows() == before


def test_a_date_typed_day_first_is_read_as_on_documents(world: World) -> None:
    response = world.client("officer").post(
        _person_url(world), _person_payload(estimated_age=None, date_of_birth="02/05/2012")
    )

    assert response.status_code == 302
    person = Person.objects.get(given_names_latin="Mykola")
    assert (person.date_of_birth, person.birth_date_accuracy) == (date(2012, 5, 2), "exact")


def test_a_damaged_document_is_recorded_with_its_failed_checks(world: World) -> None:
    lines = passport_mrz().split("\n")
    broken = lines[1][:9] + ("0" if lines[1][9] != "0" else "1") + lines[1][10:]

    response = world.client("officer").post(
        _person_url(world),
        _person_payload(document_kind="passport", mrz=f"{lines[0]}\n{broken}", is_damaged="on"),
    )

    assert response.status_code == 302
    document = Document.objects.get(person__given_names_latin="Mykola")
    assert document.condition == "damaged"
    assert "document_number" in document.failed_checks


def test_an_invalid_photo_is_refused_before_anything_is_written(world: World) -> None:
    before = _rows()
    not_an_image = SimpleUploadedFile("face.jpg", b"this is not an image", content_type="image/jpeg")

    response = world.client("officer").post(_person_url(world), _person_payload(photo=not_an_image))

    content = response.content.decode()
    assert response.status_code == 422
    photo_field = content.split('id="field-photo"')[1]
    assert "is not a readable JPEG, PNG or WebP image" in photo_field
    assert _rows() == before


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"estimated_age": "30", "birth_year": "1990"}, "date_of_birth",
         "give exactly one of: date of birth, year of birth, estimated age"),
        ({"surname_latin": "", "given_names_latin": ""}, "surname_latin",
         "give a surname or given name in Latin letters"),
        ({"nationality": "QQQ"}, "nationality",
         "&#x27;QQQ&#x27; is not an ISO 3166-1 alpha-3 code (XXA for stateless)"),
        ({"languages": "ukr, zz9"}, "languages", "&#x27;zz9&#x27; is not an ISO 639-3 language code"),
        ({"group_token": "ABCD-EFGH-I"}, "group_token",
         "The character “I” at position 9 is not used in tokens"),
        ({"group_token": "ABC"}, "group_token", "this one has 3."),
        ({"document_number": "X123"}, "document_kind", "Choose the kind of document."),
        ({"document_kind": "identity_card"}, "document_number", "give the number or the MRZ"),
        ({"sex": ""}, "sex", "This field is required."),
        ({"father_name": "x" * 201}, "father_name", "at most 200 characters (it has 201)"),
        ({"mother_name": "x" * 201}, "mother_name", "at most 200 characters (it has 201)"),
        ({"estimated_age": None, "date_of_birth": "1990-14-03"}, "date_of_birth",
         "Type the date as YYYY-MM-DD or DD/MM/YYYY."),
    ],
)  # fmt: skip
def test_each_refusal_is_shown_at_its_input_and_nothing_is_written(
    world: World, overrides: dict[str, str], field: str, message: str
) -> None:
    before = _rows()

    response = world.client("officer").post(_person_url(world), _person_payload(**overrides))

    content = response.content.decode()
    assert response.status_code == 422
    error_block = content.split(f'id="id_{field}_error"')[1].split("</div>")[0]
    assert message in error_block
    assert _rows() == before


def test_a_group_member_needs_a_relationship(world: World) -> None:
    before = _rows()

    response = world.client("officer").post(
        _person_url(world), _person_payload(group_token=world.group.token)
    )

    error_block = response.content.decode().split('id="id_relationship_error"')[1].split("</div>")[0]
    assert "give the relationship to the head of the group" in error_block
    assert _rows() == before


def test_normal_mode_asks_for_a_document_or_the_reason_and_the_place_of_birth(world: World) -> None:
    CrossingPoint.objects.filter(pk=world.point.pk).update(mode="normal")
    client = world.client("officer")
    before = _rows()

    form = client.get(_person_url(world)).content.decode()
    refused = client.post(
        _person_url(world), _person_payload(estimated_age=None, birth_year="1980", place_of_birth="Odesa")
    )
    accepted = client.post(
        _person_url(world),
        _person_payload(
            estimated_age=None, birth_year="1980", place_of_birth="Odesa", no_document_reason="lost"
        ),
    )

    assert 'name="place_of_birth" maxlength="200" required' in form
    assert '<details class="group group--details" id="document" open>' in form
    assert refused.status_code == 422
    error_block = refused.content.decode().split('id="id_document_kind_error"')[1].split("</div>")[0]
    assert "in normal mode record a document or the reason there is none" in error_block
    assert accepted.status_code == 302
    assert _rows()[1] == before[1] + 1
    assert Person.objects.get(given_names_latin="Mykola").no_document_reason == "lost"


def test_recovery_mode_requires_languages(world: World) -> None:
    CrossingPoint.objects.filter(pk=world.point.pk).update(mode="recovery")

    form = world.client("officer").get(_person_url(world)).content.decode()
    refused = world.client("officer").post(_person_url(world), _person_payload(place_of_birth="Odesa"))

    assert re.search(r'name="languages"[^>]*required', form)
    assert refused.status_code == 422
    assert "This field is required." in refused.content.decode().split('id="id_languages_error"')[1]


def test_the_group_link_prefills_the_token_and_nationality(world: World) -> None:
    content = (
        world.client("officer")
        .get(f"{_person_url(world)}?group={world.group.token}&nationality=ukr")
        .content.decode()
    )

    assert f'name="group_token" value="{token_format(world.group.token)}"' in content
    assert 'name="nationality" value="UKR"' in content
