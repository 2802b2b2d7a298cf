"""Faces: encoded from the stored photo in the background, searched 1:N, forgotten on erasure; a
photo without a usable face leaves the registration standing; a damaged index file is rebuilt."""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
import pytest
from PIL import Image
from skimage import data as skimage_data

from hbm.core.context import Actor
from hbm.dedup import faces
from hbm.dedup.models import BiometricTemplate, MatchCandidate
from hbm.dedup.services import dedup_pending_process, person_biometrics_erase
from hbm.registration.models import Person
from hbm.registration.services import person_photo_set

pytestmark = pytest.mark.django_db


def _jpeg(image: np.ndarray, *, scale: float = 1.0, quality: int = 90) -> bytes:
    picture = Image.fromarray(image)
    if scale != 1.0:
        picture = picture.resize((int(picture.width * scale), int(picture.height * scale)))
    out = io.BytesIO()
    picture.convert("RGB").save(out, format="JPEG", quality=quality)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _own_index_folder(settings: pytest.FixtureRequest, tmp_path: object) -> None:
    settings.HBM_DATA_DIR = tmp_path  # type: ignore[attr-defined]
    faces._state.update(index=None, seen=0)


def test_the_same_face_under_another_name_is_found_by_the_1_to_n_search(
    register: Callable[..., Person], actor: Actor
) -> None:
    first = register("Eileen", "Collins", sex="F", nationality="USA")
    second = register("Marie", "Dupont", sex="F", nationality="FRA")  # nothing biographic in common
    person_photo_set(actor=actor, person=first, data=_jpeg(skimage_data.astronaut()))
    person_photo_set(actor=actor, person=second, data=_jpeg(skimage_data.astronaut(), scale=0.6, quality=40))

    outcomes = dedup_pending_process()

    assert {o.face for o in outcomes} == {"encoded"}
    assert BiometricTemplate.objects.count() == 2
    candidate = MatchCandidate.objects.get()
    assert candidate.face_similarity is not None
    assert candidate.face_similarity > 0.9


def test_a_photo_without_a_face_leaves_the_registration_checked_without_a_template(
    register: Callable[..., Person], actor: Actor
) -> None:
    person = register("Ahmad", "Karimi", nationality="AFG")
    person_photo_set(actor=actor, person=person, data=_jpeg(skimage_data.coffee()))

    [outcome] = dedup_pending_process()

    assert outcome.face == "no_face"
    assert not BiometricTemplate.objects.exists()
    assert Person.objects.get(pk=person.pk).dedup_checked_at is not None


def test_an_erased_template_leaves_the_index(register: Callable[..., Person], actor: Actor) -> None:
    person = register("Eileen", "Collins", sex="F", nationality="USA")
    person_photo_set(actor=actor, person=person, data=_jpeg(skimage_data.astronaut()))
    dedup_pending_process()
    template = BiometricTemplate.objects.get()
    vector = np.frombuffer(bytes(template.vector), dtype=np.float32)
    assert [hit.id for hit in faces.face_index().search(vector, 5)] == [template.pk]

    person_biometrics_erase(actor=actor, person=person)

    assert faces.face_index().search(vector, 5) == []
    assert not BiometricTemplate.objects.exists()


def test_a_damaged_index_file_is_rebuilt_from_the_database(
    register: Callable[..., Person], actor: Actor
) -> None:
    person = register("Eileen", "Collins", sex="F", nationality="USA")
    person_photo_set(actor=actor, person=person, data=_jpeg(skimage_data.astronaut()))
    dedup_pending_process()
    faces.index_rebuild()
    path = faces.index_path()
    path.write_bytes(path.read_bytes()[:100])  # truncated: a crash, a full disk
    faces._state.update(index=None, seen=0)

    index = faces.face_index()

    assert len(index) == 1
    assert faces.index_path().stat().st_size > 100
