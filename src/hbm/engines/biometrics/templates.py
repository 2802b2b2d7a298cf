"""Templates of any modality, the encoder protocol, and what a face distance means.

A :class:`Template` is a fixed-length float32 vector compared by Euclidean (L2) distance. Face
templates come from :class:`~hbm.engines.biometrics.face.FaceEncoder`; a fingerprint or iris SDK
plugs in by implementing :class:`TemplateEncoder` and producing vectors whose L2 distance ranks
its matches (an SDK that only offers a 1:1 score would need its own index; see DESIGN.md).

Face distance → decision (dlib's ``dlib_face_recognition_resnet_model_v1``):

* Source: dlib's model card — "The model has an accuracy of 99.38% on the standard LFW face
  recognition benchmark … two face descriptor vectors are from the same person if the Euclidean
  distance between them is less than 0.6" (D. King, dlib ``dnn_face_recognition_ex.cpp`` and the
  ``dlib-models`` README; the same 0.6 is ``face_recognition``'s default tolerance).
* LFW measures 1:1 verification on balanced pairs. A 1:N search over a large gallery meets many
  more impostors, so HBM treats 0.6 as the *upper* edge of "possibly the same person" and asks for
  :data:`FACE_MATCH_DISTANCE` (0.5, our choice, configurable) before calling a face a match:
  ``distance < 0.5`` → :attr:`FaceEvidence.MATCH`; ``0.5 ≤ distance < 0.6`` →
  :attr:`FaceEvidence.POSSIBLE`; otherwise :attr:`FaceEvidence.NO_MATCH`. The face evidence alone
  never decides that two records are the same person; the fusion with the biographic score does.
* :func:`face_similarity` maps a distance to [0, 1] for that fusion: a logistic centred on the 0.6
  threshold (similarity 0.5 exactly there) with scale 0.05, so a typical genuine pair (0.3–0.45)
  scores ≥ 0.95 and a typical impostor pair (0.75–1.0) ≤ 0.05. It is a monotone score, not a
  calibrated probability: calibrate on local data before reading it as one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Final, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

FACE_MODALITY: Final = "face"
FACE_DIMENSION: Final = 128
DLIB_LFW_THRESHOLD: Final = 0.6
"""dlib's same-person threshold: 99.38 % accuracy on LFW (1:1 verification)."""
FACE_MATCH_DISTANCE: Final = 0.5
"""HBM's stricter edge for a face match in 1:N search (our choice; configurable by the caller)."""
SIMILARITY_SCALE: Final = 0.05

FloatVector = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True, eq=False)
class Template:
    """A biometric template: ``vector`` is 1-D, float32, finite. ``quality`` is what the encoder
    reports (for faces, dlib's HOG detector score: higher is a clearer frontal face, about 0–3;
    for a vendor SDK, its own scale such as NFIQ); ``None`` when it reports none."""

    modality: str
    vector: FloatVector
    quality: float | None = None

    def __post_init__(self) -> None:
        vector = np.ascontiguousarray(self.vector, dtype=np.float32)
        if vector.ndim != 1 or vector.size == 0:
            raise ValueError(f"a template vector is 1-D and not empty, got shape {vector.shape}")
        if not np.all(np.isfinite(vector)):
            raise ValueError("a template vector holds finite numbers only")
        vector.setflags(write=False)
        object.__setattr__(self, "vector", vector)

    @property
    def dimension(self) -> int:
        return int(self.vector.shape[0])

    def to_bytes(self) -> bytes:
        """The vector as little-endian float32 bytes (4 × dimension), for storing in a database."""
        return self.vector.astype("<f4").tobytes()

    @classmethod
    def from_bytes(cls, modality: str, data: bytes, quality: float | None = None) -> Template:
        """The inverse of :meth:`to_bytes`. Raises ``ValueError`` if ``data`` is not whole floats."""
        if len(data) == 0 or len(data) % 4:
            raise ValueError(f"{len(data)} bytes are not a whole number of float32 values")
        return cls(modality, np.frombuffer(data, dtype="<f4").astype(np.float32), quality)

    def distance(self, other: Template) -> float:
        """Euclidean distance to a template of the same modality and dimension."""
        if other.modality != self.modality or other.dimension != self.dimension:
            raise ValueError(
                f"cannot compare {self.modality}/{self.dimension} with {other.modality}/{other.dimension}"
            )
        return float(np.linalg.norm(self.vector - other.vector))


@runtime_checkable
class TemplateEncoder(Protocol):
    """What every modality's encoder offers. ``encode`` raises a
    :class:`~hbm.engines.biometrics.errors.BiometricError` subclass on bad input, never returns a
    partial template."""

    @property
    def modality(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def encode(self, data: bytes) -> Template: ...


class FaceEvidence(StrEnum):
    MATCH = "match"
    POSSIBLE = "possible"
    NO_MATCH = "no_match"


def face_evidence(
    distance: float,
    *,
    match_below: float = FACE_MATCH_DISTANCE,
    possible_below: float = DLIB_LFW_THRESHOLD,
) -> FaceEvidence:
    """What a face distance says on its own (see the module docstring for the source)."""
    if not 0 <= match_below <= possible_below:
        raise ValueError("thresholds must satisfy 0 ≤ match_below ≤ possible_below")
    if distance < match_below:
        return FaceEvidence.MATCH
    if distance < possible_below:
        return FaceEvidence.POSSIBLE
    return FaceEvidence.NO_MATCH


def face_similarity(distance: float) -> float:
    """A face distance mapped to [0, 1]: 0.5 at dlib's 0.6 threshold, decreasing with distance
    (logistic, scale :data:`SIMILARITY_SCALE`). Raises ``ValueError`` for a negative or NaN
    distance."""
    if not distance >= 0:
        raise ValueError(f"a distance is a non-negative number, got {distance!r}")
    z = (distance - DLIB_LFW_THRESHOLD) / SIMILARITY_SCALE
    if z > 700:  # exp would overflow; the similarity is 0 to double precision anyway
        return 0.0
    return 1.0 / (1.0 + math.exp(z))
