"""Face templates with dlib: HOG frontal face detector, 5-point landmarks, ResNet embedding.

Models come from the ``face_recognition_models`` package (they ship inside the wheel; nothing is
downloaded). Choices, measured on 2 cores (see tests and ``hbm bench dedup-biometric``):

* Detector: HOG (``get_frontal_face_detector``), about 20 ms on a 512 × 512 photo without
  up-sampling. dlib's CNN (MMOD) detector took 1.6 s on the same photo (6.3 s up-sampled once):
  too slow for a registration desk on a laptop, for no gain on the frontal photos HBM takes.
* Landmarks: the 5-point predictor, the one dlib pairs with its recognition model for alignment
  (the 68-point one is 100 MB and gives a template 0.15 away on the same photo).
* Embedding: ``dlib_face_recognition_resnet_model_v1``, 128 float32 values, no jitter.

Input contract of :meth:`FaceEncoder.encode`: image bytes Pillow can read (JPEG, PNG, …). EXIF
orientation is applied. The declared pixel count is checked *before* decoding
(:class:`~hbm.engines.biometrics.errors.ImageTooLarge`); images whose longer side exceeds
``max_side`` are downscaled first (detection time grows with the pixel count). Detection runs
without up-sampling, then once up-sampled if no face was found (faces smaller than about 80 px).
A detection counts as a face of its own only if it is *prominent*: its detector score is at least
half the best score and its width at least half the widest face's. This ignores weak detections
(the patch on the astronaut's suit scores 0.12 against her face's 1.16 when up-sampled) and small
faces in the background; two comparable faces raise
:class:`~hbm.engines.biometrics.errors.SeveralFaces`.
"""

from __future__ import annotations

import io
import threading
import warnings
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageOps, UnidentifiedImageError

from hbm.engines.biometrics.errors import ImageTooLarge, NoFace, SeveralFaces, UnreadableImage
from hbm.engines.biometrics.templates import FACE_DIMENSION, FACE_MODALITY, Template

DEFAULT_MAX_PIXELS: Final = 40_000_000
DEFAULT_MAX_SIDE: Final = 1600
PROMINENT_SCORE_FRACTION: Final = 0.5
PROMINENT_WIDTH_FRACTION: Final = 0.5


@dataclass(frozen=True, slots=True)
class FaceBox:
    left: int
    top: int
    width: int
    height: int
    score: float


class _Models:
    """dlib's three models, loaded once per process (about 30 MB) on first use."""

    _lock = threading.Lock()
    _loaded: _Models | None = None

    def __init__(self) -> None:
        import dlib
        import face_recognition_models

        with warnings.catch_warnings():  # face_recognition_models imports pkg_resources
            warnings.simplefilter("ignore", DeprecationWarning)
            self.detector: Any = dlib.get_frontal_face_detector()
            self.landmarks: Any = dlib.shape_predictor(
                face_recognition_models.pose_predictor_five_point_model_location()
            )
            self.recogniser: Any = dlib.face_recognition_model_v1(
                face_recognition_models.face_recognition_model_location()
            )
        self.rectangle: Any = dlib.rectangle
        self.use_lock = threading.Lock()  # dlib's objects are not documented as thread-safe

    @classmethod
    def get(cls) -> _Models:
        with cls._lock:
            if cls._loaded is None:
                cls._loaded = cls()
            return cls._loaded


def decode_image(
    data: bytes, *, max_pixels: int = DEFAULT_MAX_PIXELS, max_side: int = DEFAULT_MAX_SIDE
) -> npt.NDArray[np.uint8]:
    """Image bytes → an upright H × W × 3 uint8 RGB array whose longer side is ≤ ``max_side``.

    Raises :class:`UnreadableImage` (or its subclass :class:`ImageTooLarge`)."""
    if not data:
        raise UnreadableImage("The file is empty.")
    try:
        with Image.open(io.BytesIO(data)) as image:
            pixels = image.width * image.height
            if pixels > max_pixels:
                raise ImageTooLarge(pixels, max_pixels)
            image.load()
            upright = ImageOps.exif_transpose(image)
            rgb = upright.convert("RGB")
    except ImageTooLarge:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise UnreadableImage() from error
    if max(rgb.size) > max_side:
        rgb.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    if min(rgb.size) < 1:
        raise UnreadableImage("The image has no pixels.")
    return np.ascontiguousarray(np.asarray(rgb, dtype=np.uint8))


class FaceEncoder:
    """Photo bytes → a 128-d face :class:`Template` (see the module docstring for the contract).

    Safe to share between threads (calls into dlib are serialised); models load on first use."""

    modality: Final = FACE_MODALITY
    dimension: Final = FACE_DIMENSION

    def __init__(self, *, max_pixels: int = DEFAULT_MAX_PIXELS, max_side: int = DEFAULT_MAX_SIDE) -> None:
        self.max_pixels = max_pixels
        self.max_side = max_side

    def encode(self, data: bytes) -> Template:
        """The template of the one face in the photo.

        Raises :class:`UnreadableImage`, :class:`ImageTooLarge`, :class:`NoFace` or
        :class:`SeveralFaces`."""
        return self.encode_array(decode_image(data, max_pixels=self.max_pixels, max_side=self.max_side))

    def encode_array(self, rgb: npt.NDArray[np.uint8]) -> Template:
        """As :meth:`encode`, for an upright H × W × 3 uint8 RGB array already decoded."""
        models = _Models.get()
        image = np.ascontiguousarray(rgb, dtype=np.uint8)
        with models.use_lock:
            faces = self._detect(models, image)
            if not faces:
                raise NoFace()
            prominent = _prominent(faces)
            if len(prominent) > 1:
                raise SeveralFaces(len(prominent))
            face = prominent[0]
            box = models.rectangle(face.left, face.top, face.left + face.width, face.top + face.height)
            shape = models.landmarks(image, box)
            descriptor = models.recogniser.compute_face_descriptor(image, shape)
        return Template(FACE_MODALITY, np.asarray(descriptor, dtype=np.float32), quality=round(face.score, 4))

    def detect(self, data: bytes) -> list[FaceBox]:
        """Every detection in the photo, best score first (for diagnostics and tests)."""
        models = _Models.get()
        image = decode_image(data, max_pixels=self.max_pixels, max_side=self.max_side)
        with models.use_lock:
            return self._detect(models, image)

    @staticmethod
    def _detect(models: _Models, image: npt.NDArray[np.uint8]) -> list[FaceBox]:
        for upsample in (0, 1):
            rectangles, scores, _ = models.detector.run(image, upsample, 0.0)
            if len(rectangles):
                found = [
                    FaceBox(r.left(), r.top(), r.width(), r.height(), float(s))
                    for r, s in zip(rectangles, scores, strict=True)
                ]
                return sorted(found, key=lambda f: -f.score)
        return []


def _prominent(faces: list[FaceBox]) -> list[FaceBox]:
    best = max(f.score for f in faces)
    widest = max(f.width for f in faces)
    return [
        f
        for f in faces
        if f.score >= PROMINENT_SCORE_FRACTION * best and f.width >= PROMINENT_WIDTH_FRACTION * widest
    ]
