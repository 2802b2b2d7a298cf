"""Registration tiers through their services: what is stored, what is refused, what is audited."""

from __future__ import annotations

import io
import random
import uuid
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.db import connection
from PIL import Image

from hbm.accounts.enums import Role
from hbm.accounts.models import User
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.audit.selectors import audit_chain_verify
from hbm.core.context import Actor
from hbm.core.errors import Conflict, PermissionDenied, ValidationFailed
from hbm.crossings.enums import CrossingMode
from hbm.crossings.models import CrossingPoint
from hbm.engines.tokens import token_generate, token_validate
from hbm.registration.enums import (
    AgeBand,
    BirthDateAccuracy,
    DocumentCondition,
    DocumentKind,
    NoDocumentReason,
    Relationship,
    Sex,
    SpecificNeed,
    Tier,
)
from hbm.registration.models import CountCell, Document, Encounter, Group, GroupMembership, Person
from hbm.registration.services import (
    CountData,
    DocumentData,
    EncounterData,
    IndividualData,
    count_record,
    group_preregister,
    person_photo_set,
    person_register,
)
from tests.registration.conftest import passport_mrz

pytestmark = pytest.mark.django_db


def _olena(**overrides: object) -> IndividualData:
    values: dict[str, object] = {
        "given_names_latin": "Olena",
        "surname_latin": "Kovalenko",
        "given_names_original": "Олена",
        "surname_original": "Коваленко",
        "sex": Sex.FEMALE,
        "nationality": "UKR",
        "estimated_age": 34,
    }
    values.update(overrides)
    return IndividualData(**values)  # type: ignore[arg-type]


def _written() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Person, Group, Encounter, Document, GroupMembership, AuditEntry))


# --- count ---------------------------------------------------------------------------------------


def test_a_count_stores_cells_and_no_personal_data(actor: Actor, crossing_point: CrossingPoint) -> None:
    encounter = count_record(
        actor=actor,
        crossing_point_id=crossing_point.pk,
        cells=[CountData(Sex.FEMALE, AgeBand.AGE_18_59, 12), CountData(Sex.MALE, AgeBand.AGE_0_4, 3)],
        data=EncounterData(),
    )

    assert (encounter.tier, encounter.person, encounter.group, encounter.device) == (
        Tier.COUNT,
        None,
        None,
        "test",
    )
    assert sorted(CountCell.objects.values_list("sex", "age_band", "count")) == [
        ("F", "18-59", 12),
        ("M", "0-4", 3),
    ]
    assert AuditEntry.objects.get(event=AuditEvent.COUNT_RECORDED).detail == {"total": 15}


def test_a_count_with_a_repeated_cell_is_refused_whole(actor: Actor, crossing_point: CrossingPoint) -> None:
    before = _written()
    with pytest.raises(ValidationFailed) as caught:
        count_record(
            actor=actor,
            crossing_point_id=crossing_point.pk,
            data=EncounterData(),
            cells=[CountData(Sex.FEMALE, AgeBand.AGE_0_4, 1), CountData(Sex.FEMALE, AgeBand.AGE_0_4, 2)],
        )
    assert list(caught.value.fields) == ["cells.1"]
    assert _written() == before
    assert not CountCell.objects.exists()


def test_a_count_replayed_with_its_id_is_stored_once(actor: Actor, crossing_point: CrossingPoint) -> None:
    key = uuid.uuid4()
    cells = [CountData(Sex.FEMALE, AgeBand.AGE_5_11, 4)]
    first = count_record(
        actor=actor, crossing_point_id=crossing_point.pk, cells=cells, data=EncounterData(), encounter_id=key
    )
    again = count_record(
        actor=actor, crossing_point_id=crossing_point.pk, cells=cells, data=EncounterData(), encounter_id=key
    )
    assert first.pk == again.pk == key
    assert (Encounter.objects.count(), CountCell.objects.count()) == (1, 1)


def test_a_future_time_is_refused(actor: Actor, crossing_point: CrossingPoint) -> None:
    from django.utils import timezone

    with pytest.raises(ValidationFailed) as caught:
        count_record(
            actor=actor,
            crossing_point_id=crossing_point.pk,
            cells=[CountData(Sex.MALE, AgeBand.AGE_60_PLUS, 1)],
            data=EncounterData(occurred_at=timezone.now() + timedelta(hours=2)),
        )
    assert list(caught.value.fields) == ["occurred_at"]


# --- groups and tokens ---------------------------------------------------------------------------


def test_a_group_gets_a_valid_token(actor: Actor, crossing_point: CrossingPoint) -> None:
    group = group_preregister(
        actor=actor,
        crossing_point_id=crossing_point.pk,
        size=5,
        head_name="  Olena   Kovalenko ",
        nationality="ukr",
        data=EncounterData(),
    )
    assert token_validate(group.token) == group.token
    assert (group.size, group.head_name, group.nationality) == (5, "Olena Kovalenko", "UKR")
    assert Encounter.objects.get(group=group).tier == Tier.GROUP


def test_a_token_made_on_a_device_is_kept_and_a_mistyped_one_refused(
    actor: Actor, crossing_point: CrossingPoint
) -> None:
    token = token_generate(random.Random(7))
    group = group_preregister(
        actor=actor,
        crossing_point_id=crossing_point.pk,
        size=2,
        head_name="A B",
        nationality="SYR",
        data=EncounterData(),
        token=token.lower(),
    )
    assert group.token == token

    mistyped = token[:-1] + ("2" if token[-1] != "2" else "3")
    before = _written()
    with pytest.raises(ValidationFailed) as caught:
        group_preregister(
            actor=actor,
            crossing_point_id=crossing_point.pk,
            size=2,
            head_name="C D",
            nationality="SYR",
            data=EncounterData(),
            token=mistyped,
        )
    assert list(caught.value.fields) == ["token"]
    assert "mistyped" in caught.value.fields["token"][0]
    assert _written() == before


def test_group_tier_is_not_offered_in_normal_mode(actor: Actor, crossing_point: CrossingPoint) -> None:
    CrossingPoint.objects.filter(pk=crossing_point.pk).update(mode=CrossingMode.NORMAL)
    with pytest.raises(ValidationFailed) as caught:
        group_preregister(
            actor=actor,
            crossing_point_id=crossing_point.pk,
            size=2,
            head_name="A B",
            nationality="SYR",
            data=EncounterData(),
        )
    assert list(caught.value.fields) == ["tier"]
    assert not Group.objects.exists()


def test_an_id_reused_at_another_crossing_point_is_a_conflict(
    actor: Actor, crossing_point: CrossingPoint, other_crossing_point: CrossingPoint
) -> None:
    other_crossing_point.staff.add(actor.user)
    key = uuid.uuid4()
    group_preregister(
        actor=actor,
        crossing_point_id=crossing_point.pk,
        size=2,
        head_name="A B",
        nationality="SYR",
        data=EncounterData(),
        group_id=key,
    )
    with pytest.raises(Conflict):
        group_preregister(
            actor=actor,
            crossing_point_id=other_crossing_point.pk,
            size=2,
            head_name="A B",
            nationality="SYR",
            data=EncounterData(),
            group_id=key,
        )
    assert Group.objects.count() == 1


# --- individuals ---------------------------------------------------------------------------------


def test_emergency_minimum_data_set_with_group_and_needs(actor: Actor, crossing_point: CrossingPoint) -> None:
    group = group_preregister(
        actor=actor,
        crossing_point_id=crossing_point.pk,
        size=3,
        head_name="Olena Kovalenko",
        nationality="UKR",
        data=EncounterData(),
    )

    person = person_register(
        actor=actor,
        crossing_point_id=crossing_point.pk,
        data=_olena(
            group_token=group.token,
            relationship=Relationship.HEAD,
            specific_needs=(SpecificNeed.SINGLE_CAREGIVER,),
            languages=("ukr", "RUS"),
        ),
    )

    person.refresh_from_db()
    assert person.birth_date_accuracy == BirthDateAccuracy.ESTIMATED
    assert person.date_of_birth == date(date.today().year - 34, 1, 1)
    assert person.search_name == "KOVALENKO OLENA"
    assert person.languages == ["ukr", "rus"]
    assert person.specific_needs == ["single_caregiver"]
    assert GroupMembership.objects.get(person=person).relationship == Relationship.HEAD
    assert Encounter.objects.get(person=person).group == group
    entry = AuditEntry.objects.get(event=AuditEvent.PERSON_REGISTERED)
    assert entry.subject_id == str(person.pk)
    assert "single_caregiver" not in str(entry.detail)


def test_protection_flags_and_photos_are_encrypted_at_rest(
    actor: Actor, crossing_point: CrossingPoint
) -> None:
    person = person_register(
        actor=actor,
        crossing_point_id=crossing_point.pk,
        data=_olena(specific_needs=(SpecificNeed.SURVIVOR_OF_VIOLENCE,)),
    )
    person_photo_set(actor=actor, person=person, data=_jpeg_with_exif())

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT specific_needs, photo FROM registration_person WHERE id = %s",
            [person.pk.hex if connection.vendor == "sqlite" else person.pk],
        )
        needs_raw, photo_raw = cursor.fetchone()
    assert b"survivor" not in bytes(needs_raw)
    assert not bytes(photo_raw).startswith(b"\xff\xd8")  # not a JPEG in the clear
    person.refresh_from_db()
    assert person.specific_needs == ["survivor_of_violence"]
    assert bytes(person.photo or b"").startswith(b"\xff\xd8")


def _jpeg_with_exif(size: tuple[int, int] = (1600, 1200)) -> bytes:
    image = Image.new("RGB", size, (120, 80, 40))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x0131] = "SecretDevice serial 42"  # Software
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_is_downscaled_and_stripped_of_metadata(actor: Actor, crossing_point: CrossingPoint) -> None:
    person = person_register(actor=actor, crossing_point_id=crossing_point.pk, data=_olena())
    person_photo_set(actor=actor, person=person, data=_jpeg_with_exif())

    person.refresh_from_db()
    stored = Image.open(io.BytesIO(bytes(person.photo or b"")))
    assert stored.format == "JPEG"
    assert max(stored.size) == 800
    assert b"SecretDevice" not in bytes(person.photo or b"")
    assert dict(stored.getexif()) == {}


@pytest.mark.parametrize("payload", [b"not an image at all", b"\xff\xd8\xff\xe0broken jpeg"])
def test_a_file_that_is_not_an_image_is_refused(
    actor: Actor, crossing_point: CrossingPoint, payload: bytes
) -> None:
    person = person_register(actor=actor, crossing_point_id=crossing_point.pk, data=_olena())
    with pytest.raises(ValidationFailed) as caught:
        person_photo_set(actor=actor, person=person, data=payload)
    assert list(caught.value.fields) == ["photo"]
    person.refresh_from_db()
    assert person.photo is None
    assert not AuditEntry.objects.filter(event=AuditEvent.PHOTO_ADDED).exists()


def test_an_oversized_upload_is_refused(
    actor: Actor, crossing_point: CrossingPoint, settings: object
) -> None:
    from hbm.registration.services import photo_normalise

    settings.HBM_MAX_UPLOAD_BYTES = 1000  # type: ignore[attr-defined]
    with pytest.raises(ValidationFailed, match="larger than"):
        photo_normalise(_jpeg_with_exif())


def test_a_valid_passport_is_read_from_its_mrz(
    actor: Actor, crossing_point: CrossingPoint, valid_mrz: str
) -> None:
    person = person_register(
        actor=actor,
        crossing_point_id=crossing_point.pk,
        data=_olena(documents=(DocumentData(kind=DocumentKind.PASSPORT, mrz=valid_mrz),)),
    )
    document = Document.objects.get(person=person)
    assert (document.document_number, document.issuing_state, document.mrz_format, document.condition) == (
        "AB1234567",
        "UKR",
        "TD3",
        DocumentCondition.VALID,
    )
    assert document.failed_checks == []


def test_an_expired_passport_is_recorded_never_refused(actor: Actor, crossing_point: CrossingPoint) -> None:
    expired = passport_mrz(expiry=date(2019, 1, 31))
    person = person_register(
        actor=actor,
        crossing_point_id=crossing_point.pk,
        data=_olena(documents=(DocumentData(kind=DocumentKind.PASSPORT, mrz=expired),)),
    )
    document = Document.objects.get(person=person)
    assert (document.condition, document.date_of_expiry) == (DocumentCondition.EXPIRED, date(2019, 1, 31))


def _corrupt_check_digit(mrz: str, position: int) -> str:
    lines = mrz.split("\n")
    digit = lines[1][position]
    lines[1] = lines[1][:position] + str((int(digit) + 1) % 10) + lines[1][position + 1 :]
    return "\n".join(lines)


def test_a_failing_check_digit_is_a_field_error_naming_it(
    actor: Actor, crossing_point: CrossingPoint, valid_mrz: str
) -> None:
    typo = _corrupt_check_digit(valid_mrz, 19)  # TD3 line 2 position 20: date-of-birth check digit
    before = _written()

    with pytest.raises(ValidationFailed) as caught:
        person_register(
            actor=actor,
            crossing_point_id=crossing_point.pk,
            data=_olena(documents=(DocumentData(kind=DocumentKind.PASSPORT, mrz=typo),)),
        )

    assert "documents.0.mrz.date_of_birth" in caught.value.fields
    assert "check digit" in caught.value.fields["documents.0.mrz.date_of_birth"][0]
    assert _written() == before


def test_a_damaged_document_is_recorded_with_its_failed_checks(
    actor: Actor, crossing_point: CrossingPoint, valid_mrz: str
) -> None:
    damaged = _corrupt_check_digit(valid_mrz, 9)  # document-number check digit
    person = person_register(
        actor=actor,
        crossing_point_id=crossing_point.pk,
        data=_olena(documents=(DocumentData(kind=DocumentKind.PASSPORT, mrz=damaged, is_damaged=True),)),
    )
    document = Document.objects.get(person=person)
    assert document.condition == DocumentCondition.DAMAGED
    assert set(document.failed_checks) == {"document_number", "composite"}


def test_normal_mode_asks_for_a_document_or_its_absence_and_place_of_birth(
    actor: Actor, crossing_point: CrossingPoint
) -> None:
    CrossingPoint.objects.filter(pk=crossing_point.pk).update(mode=CrossingMode.NORMAL)
    with pytest.raises(ValidationFailed) as missing_place:
        person_register(
            actor=actor, crossing_point_id=crossing_point.pk, data=_olena(birth_year=1990, estimated_age=None)
        )
    with pytest.raises(ValidationFailed) as missing_document:
        person_register(
            actor=actor,
            crossing_point_id=crossing_point.pk,
            data=_olena(birth_year=1990, estimated_age=None, place_of_birth="Kharkiv"),
        )
    assert list(missing_place.value.fields) == ["place_of_birth"]
    assert list(missing_document.value.fields) == ["documents"]
    assert not Person.objects.exists()

    person = person_register(
        actor=actor,
        crossing_point_id=crossing_point.pk,
        data=_olena(
            birth_year=1990,
            estimated_age=None,
            place_of_birth="Kharkiv",
            no_document_reason=NoDocumentReason.LOST,
        ),
    )
    assert (person.no_document_reason, person.birth_date_accuracy) == ("lost", BirthDateAccuracy.YEAR)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"given_names_latin": "", "surname_latin": " "}, "surname_latin"),
        ({"nationality": "ZZZ"}, "nationality"),
        ({"estimated_age": None}, "date_of_birth"),
        ({"date_of_birth": date(1990, 1, 1)}, "date_of_birth"),
        ({"estimated_age": None, "date_of_birth": date.today() + timedelta(days=1)}, "date_of_birth"),
        ({"languages": ("ukr", "xx1")}, "languages.1"),
        ({"group_token": "23456789A", "relationship": Relationship.CHILD}, "group_token"),
        ({"group_token": "K7QM4XR2P"[:8], "relationship": Relationship.CHILD}, "group_token"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    actor: Actor, crossing_point: CrossingPoint, overrides: dict[str, object], field: str
) -> None:
    before = _written()
    with pytest.raises(ValidationFailed) as caught:
        person_register(actor=actor, crossing_point_id=crossing_point.pk, data=_olena(**overrides))
    assert field in caught.value.fields
    assert _written() == before


def test_stateless_persons_are_registered_with_the_icao_code(
    actor: Actor, crossing_point: CrossingPoint
) -> None:
    person = person_register(actor=actor, crossing_point_id=crossing_point.pk, data=_olena(nationality="XXA"))
    assert person.nationality == "XXA"


def test_a_replayed_registration_is_stored_once(actor: Actor, crossing_point: CrossingPoint) -> None:
    key = uuid.uuid4()
    first = person_register(actor=actor, crossing_point_id=crossing_point.pk, data=_olena(), person_id=key)
    again = person_register(actor=actor, crossing_point_id=crossing_point.pk, data=_olena(), person_id=key)

    assert first.pk == again.pk == key
    assert (Person.objects.count(), Encounter.objects.count()) == (1, 1)
    assert AuditEntry.objects.filter(event=AuditEvent.PERSON_REGISTERED).count() == 1
    assert audit_chain_verify().is_intact


@pytest.mark.parametrize(
    "role", [Role.HEALTH_OFFICER, Role.CASEWORKER, Role.PLANNER, Role.COORDINATOR, Role.AUDITOR]
)
def test_only_registering_roles_posted_here_register(
    role: Role, crossing_point: CrossingPoint, make_user: Callable[..., User]
) -> None:
    with pytest.raises(PermissionDenied):
        person_register(actor=Actor(user=make_user(role)), crossing_point_id=crossing_point.pk, data=_olena())
    assert not Person.objects.exists()
    assert not AuditEntry.objects.exists()


def test_an_officer_not_posted_here_cannot_register(
    crossing_point: CrossingPoint, make_user: Callable[..., User]
) -> None:
    stranger = make_user(Role.BORDER_OFFICER, posted=False)
    with pytest.raises(PermissionDenied, match="not posted"):
        person_register(actor=Actor(user=stranger), crossing_point_id=crossing_point.pk, data=_olena())
    assert not Person.objects.exists()
