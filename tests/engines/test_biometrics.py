"""Face templates on real photos: scikit-image's bundled astronaut portrait (Eileen Collins, NASA)
and its 100 LFW face crops (``skimage.data.lfw_subset``), all inside the wheel, nothing downloaded.

Limits of what these photos can show, stated once: there is one genuine identity, and its
"second photos" are transformed copies of one photo (scaled, cropped, rotated, re-compressed), not
photos taken apart in time, so genuine distances here (0.03–0.37) are smaller than between two real
sittings (dlib: typically 0.3–0.5). The impostors are LFW crops of 25 × 25 px, up-scaled: blurry
faces crowd together, so impostor distances are if anything smaller than with real photos, and
their identities are unknown (two crops may be one person), so they are only compared with the
astronaut, never with each other.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image
from skimage import data

from hbm.engines.biometrics import (
    DLIB_LFW_THRESHOLD,
    FACE_MATCH_DISTANCE,
    BiometricError,
    FaceEncoder,
    FaceEvidence,
    ImageTooLarge,
    NoFace,
    SeveralFaces,
    Template,
    TemplateEncoder,
    UnreadableImage,
    face_evidence,
    face_similarity,
)
from hbm.engines.biometrics.face import FaceBox, _prominent

Array = npt.NDArray[np.uint8]


def _png(pixels: Array) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "PNG")
    return buffer.getvalue()


def _jpeg(pixels: Array, quality: int) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def _resize(pixels: Array, factor: float) -> Array:
    image = Image.fromarray(pixels)
    size = (round(image.width * factor), round(image.height * factor))
    return np.asarray(image.resize(size, Image.Resampling.LANCZOS))


def _rotate(pixels: Array, degrees: float) -> Array:
    return np.asarray(Image.fromarray(pixels).rotate(degrees, resample=Image.Resampling.BICUBIC))


ASTRONAUT: Array = data.astronaut()

TRANSFORMS: dict[str, Callable[[Array], bytes]] = {
    "scaled 0.5x": lambda a: _png(_resize(a, 0.5)),
    "scaled 1.5x": lambda a: _png(_resize(a, 1.5)),
    "cropped": lambda a: _png(a[40:400, 100:420]),
    "shifted": lambda a: _png(np.roll(a, (30, -40), axis=(0, 1))),
    "JPEG quality 30": lambda a: _jpeg(a, 30),
    "rotated 5 degrees": lambda a: _png(_rotate(a, 5)),
    "rotated -8 degrees": lambda a: _png(_rotate(a, -8)),
    "grey": lambda a: _png(np.asarray(Image.fromarray(a).convert("L").convert("RGB"))),
    "darker": lambda a: _png((a * 0.6).astype(np.uint8)),
}


@pytest.fixture(scope="module")
def encoder() -> FaceEncoder:
    return FaceEncoder()


@pytest.fixture(scope="module")
def reference(encoder: FaceEncoder) -> Template:
    return encoder.encode(_png(ASTRONAUT))


def _lfw_faces() -> list[Array]:
    """The 100 face crops of ``lfw_subset`` (the other 100 are non-faces), 25 × 25 grey in [0, 1]."""
    return [(crop * 255).astype(np.uint8) for crop in data.lfw_subset()[:100]]


def _lfw_photo(crop: Array, side: int, mirrored: bool, quality: int | None) -> bytes:
    image = Image.fromarray(crop).resize((side, side), Image.Resampling.BICUBIC).convert("RGB")
    pixels = np.asarray(image)[:, ::-1] if mirrored else np.asarray(image)
    return (
        _png(np.ascontiguousarray(pixels))
        if quality is None
        else _jpeg(np.ascontiguousarray(pixels), quality)
    )


@pytest.fixture(scope="module")
def lfw_templates(encoder: FaceEncoder) -> list[list[Template]]:
    """Per LFW face, the templates of its up-scaled variants (120 and 200 px, plain and mirrored)
    in which a face was found. About 75 ms each, nearly all of it dlib's ResNet."""
    found = []
    for crop in _lfw_faces():
        variants = []
        for side in (120, 200):
            for mirrored in (False, True):
                try:
                    variants.append(encoder.encode(_lfw_photo(crop, side, mirrored, None)))
                except NoFace:
                    continue
        found.append(variants)
    return found


# --- the encoder ----------------------------------------------------------------------------------


def test_the_astronaut_gives_one_128_value_face_template(encoder: FaceEncoder, reference: Template) -> None:
    assert isinstance(encoder, TemplateEncoder)
    assert (reference.modality, reference.dimension, reference.vector.dtype) == ("face", 128, np.float32)
    assert reference.quality is not None
    assert reference.quality > 1.0
    assert 1.2 < float(np.linalg.norm(reference.vector)) < 1.7


def test_encoding_is_deterministic(encoder: FaceEncoder, reference: Template) -> None:
    again = encoder.encode(_png(ASTRONAUT))
    assert np.array_equal(again.vector, reference.vector)


@pytest.mark.parametrize("name", list(TRANSFORMS))
def test_a_transformed_copy_matches_the_original(
    encoder: FaceEncoder, reference: Template, name: str
) -> None:
    template = encoder.encode(TRANSFORMS[name](ASTRONAUT))

    distance = template.distance(reference)

    assert distance < FACE_MATCH_DISTANCE
    assert face_evidence(distance) is FaceEvidence.MATCH
    assert face_similarity(distance) > 0.99


def test_a_mirrored_heavily_altered_copy_is_still_one_face_and_the_same_person(
    encoder: FaceEncoder, reference: Template
) -> None:
    altered = _rotate(_resize((ASTRONAUT[:, ::-1] * 0.7).astype(np.uint8), 0.7), 6)

    template = encoder.encode(_jpeg(np.ascontiguousarray(altered), 25))

    assert template.distance(reference) < DLIB_LFW_THRESHOLD


def test_exif_orientation_is_applied(encoder: FaceEncoder, reference: Template) -> None:
    # Stored sideways (as a phone held upright writes it) with Orientation 6 = "rotate 90° clockwise".
    sideways = Image.fromarray(ASTRONAUT).transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    tagged, untagged = io.BytesIO(), io.BytesIO()
    sideways.save(tagged, "JPEG", quality=90, exif=exif.tobytes())
    sideways.save(untagged, "JPEG", quality=90)

    assert encoder.encode(tagged.getvalue()).distance(reference) < FACE_MATCH_DISTANCE
    with pytest.raises(NoFace):
        encoder.encode(untagged.getvalue())


def test_other_real_faces_do_not_match_the_astronaut(
    reference: Template, lfw_templates: list[list[Template]]
) -> None:
    encoded = [t for variants in lfw_templates for t in variants]
    assert sum(1 for variants in lfw_templates if variants) >= 90  # faces found in ≥ 90 of the 100 crops

    distances = np.array([t.distance(reference) for t in encoded])

    assert distances.min() >= FACE_MATCH_DISTANCE
    assert all(face_evidence(d) is not FaceEvidence.MATCH for d in distances)
    assert np.median(distances) > 0.7


def test_fnir_at_fpir_one_in_a_thousand(
    encoder: FaceEncoder, reference: Template, lfw_templates: list[list[Template]]
) -> None:
    # A one-identity gallery (the astronaut, N = 1), so FPIR is the per-comparison false match rate.
    # Non-mated: every LFW variant (about 370) against three enrolments of her (the original, half
    # size, JPEG 30): about 1,100 comparisons. Mated: 45 transformed copies of her photo.
    enrolments = [
        reference,
        encoder.encode(TRANSFORMS["scaled 0.5x"](ASTRONAUT)),
        encoder.encode(TRANSFORMS["JPEG quality 30"](ASTRONAUT)),
    ]
    probes = [t for variants in lfw_templates for t in variants]
    non_mated = np.sort([probe.distance(enrolled) for probe in probes for enrolled in enrolments])
    assert len(non_mated) >= 1000
    allowed_false = int(0.001 * len(non_mated))  # 1 in 1,000 non-mated comparisons may match
    threshold = float(non_mated[allowed_false])  # below it: at most `allowed_false` false matches
    mated = []
    for factor in (0.5, 0.75, 1.0, 1.25, 1.5):
        for quality in (30, 60, 95):
            for degrees in (-8.0, 0.0, 8.0):
                photo = _jpeg(np.ascontiguousarray(_rotate(_resize(ASTRONAUT, factor), degrees)), quality)
                mated.append(encoder.encode(photo).distance(reference))

    fnir = float(np.mean(np.array(mated) >= threshold))

    assert float(np.mean(non_mated < threshold)) <= 0.001
    assert threshold > FACE_MATCH_DISTANCE
    assert max(mated) < FACE_MATCH_DISTANCE  # the worst: half size, JPEG 30, rotated (about 0.37)
    assert fnir == 0.0  # 0 of 45; with so few mated searches the 95 % upper bound is 3/45 ≈ 6.7 %


# --- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["coffee", "camera", "chelsea", "rocket"])
def test_a_photo_without_a_face_raises_no_face(encoder: FaceEncoder, name: str) -> None:
    pixels = getattr(data, name)()
    if pixels.ndim == 2:
        pixels = np.stack([pixels] * 3, axis=-1)

    with pytest.raises(NoFace) as raised:
        encoder.encode(_png(pixels))

    assert raised.value.code == "no_face"
    assert "No face" in raised.value.message


def test_two_faces_side_by_side_raise_several_faces(encoder: FaceEncoder) -> None:
    with pytest.raises(SeveralFaces) as raised:
        encoder.encode(_png(np.concatenate([ASTRONAUT, ASTRONAUT], axis=1)))

    assert (raised.value.code, raised.value.count) == ("several_faces", 2)
    assert raised.value.message == "The photo shows 2 faces. Take a photo of the person alone."


@pytest.mark.parametrize(
    ("second", "counted"),
    [
        # dlib's scores on the astronaut up-sampled once: her face, then the patch on her suit.
        (FaceBox(126, 335, 90, 90, 0.117), False),
        (FaceBox(600, 80, 30, 30, 1.4), False),  # a small face in the background
        (FaceBox(600, 80, 88, 88, 0.9), True),  # a second person beside her
    ],
    ids=["weak detection", "small background face", "comparable face"],
)
def test_only_prominent_detections_count_as_faces(second: FaceBox, counted: bool) -> None:
    first = FaceBox(175, 76, 91, 91, 1.164)

    assert _prominent([first, second]) == ([first, second] if counted else [first])


@pytest.mark.parametrize(
    "payload",
    [b"", b"not an image at all", b"\x89PNG\r\n\x1a\n" + b"\0" * 40, _jpeg(ASTRONAUT, 80)[:2000]],
    ids=["empty", "text", "broken PNG header", "truncated JPEG"],
)
def test_unreadable_bytes_raise_unreadable_image(encoder: FaceEncoder, payload: bytes) -> None:
    with pytest.raises(UnreadableImage) as raised:
        encoder.encode(payload)

    assert raised.value.code == "unreadable_image"
    assert isinstance(raised.value, BiometricError)


def test_too_many_pixels_are_refused_before_decoding() -> None:
    with pytest.raises(ImageTooLarge) as raised:
        FaceEncoder(max_pixels=100_000).encode(_png(ASTRONAUT))

    assert raised.value.code == "image_too_large"
    assert isinstance(raised.value, UnreadableImage)
    assert "262,144 pixels" in raised.value.message


def test_a_large_photo_is_downscaled_and_still_matches(reference: Template) -> None:
    big = _png(_resize(ASTRONAUT, 4.0))  # 2048 × 2048

    template = FaceEncoder(max_side=800).encode(big)

    assert template.distance(reference) < FACE_MATCH_DISTANCE


# --- templates and the distance mapping -----------------------------------------------------------


def test_a_template_round_trips_through_bytes(reference: Template) -> None:
    stored = reference.to_bytes()

    restored = Template.from_bytes("face", stored, reference.quality)

    assert len(stored) == 512
    assert np.array_equal(restored.vector, reference.vector)
    assert restored.distance(reference) == 0.0


@pytest.mark.parametrize(
    "vector", [np.zeros((2, 2)), np.array([]), np.array([1.0, np.nan])], ids=["2-D", "empty", "NaN"]
)
def test_a_template_refuses_a_bad_vector(vector: npt.NDArray[np.float64]) -> None:
    with pytest.raises(ValueError, match="template vector"):
        Template("face", vector.astype(np.float32))


def test_templates_of_different_modalities_are_not_compared(reference: Template) -> None:
    with pytest.raises(ValueError, match="cannot compare"):
        reference.distance(Template("iris", reference.vector))


def test_face_similarity_is_one_half_at_dlibs_threshold_and_decreasing() -> None:
    distances = np.linspace(0, 2, 201)

    similarities = [face_similarity(float(d)) for d in distances]

    assert face_similarity(0.6) == 0.5
    assert all(a > b for a, b in itertools.pairwise(similarities) if a > 1e-12)
    assert similarities[0] > 0.9999
    assert face_similarity(0.4) > 0.98
    assert face_similarity(0.8) < 0.02
    assert face_similarity(1e9) == 0.0
    with pytest.raises(ValueError, match="non-negative"):
        face_similarity(float("nan"))


@pytest.mark.parametrize(
    ("distance", "evidence"),
    [
        (0.0, FaceEvidence.MATCH),
        (0.4999, FaceEvidence.MATCH),
        (0.5, FaceEvidence.POSSIBLE),
        (0.5999, FaceEvidence.POSSIBLE),
        (0.6, FaceEvidence.NO_MATCH),
        (1.3, FaceEvidence.NO_MATCH),
    ],
)
def test_face_evidence_bands(distance: float, evidence: FaceEvidence) -> None:
    assert face_evidence(distance) is evidence
