"""Biometric de-duplication: templates, encoders (faces with dlib), and a 1:N FAISS index.

Public API::

    FaceEncoder().encode(photo_bytes) -> Template          # NoFace / SeveralFaces / UnreadableImage
    TemplateIndex.build(ids, vectors) / .rebuild(pairs)    # exact or IVF-Flat, chosen by size
    index.add(ids, vectors) / .remove(ids) / .search(vector, k) -> [Hit(id, distance)]
    index.save(path) / TemplateIndex.load(path)            # IndexCorrupt -> rebuild from the database
    face_similarity(distance) -> float in [0, 1];  face_evidence(distance) -> FaceEvidence

No Django here: the ``hbm.dedup`` app stores templates and converts at its adapter.
"""

from hbm.engines.biometrics.errors import (
    BiometricError,
    ImageTooLarge,
    IndexCorrupt,
    NoFace,
    SeveralFaces,
    UnreadableImage,
)
from hbm.engines.biometrics.face import FaceBox, FaceEncoder, decode_image
from hbm.engines.biometrics.index import (
    IVF_MIN_COUNT,
    Hit,
    IndexKind,
    TemplateIndex,
    kind_for,
    lists_for,
    nprobe_for,
)
from hbm.engines.biometrics.templates import (
    DLIB_LFW_THRESHOLD,
    FACE_DIMENSION,
    FACE_MATCH_DISTANCE,
    FACE_MODALITY,
    FaceEvidence,
    Template,
    TemplateEncoder,
    face_evidence,
    face_similarity,
)

__all__ = [
    "DLIB_LFW_THRESHOLD",
    "FACE_DIMENSION",
    "FACE_MATCH_DISTANCE",
    "FACE_MODALITY",
    "IVF_MIN_COUNT",
    "BiometricError",
    "FaceBox",
    "FaceEncoder",
    "FaceEvidence",
    "Hit",
    "ImageTooLarge",
    "IndexCorrupt",
    "IndexKind",
    "NoFace",
    "SeveralFaces",
    "Template",
    "TemplateEncoder",
    "TemplateIndex",
    "UnreadableImage",
    "decode_image",
    "face_evidence",
    "face_similarity",
    "kind_for",
    "lists_for",
    "nprobe_for",
]
