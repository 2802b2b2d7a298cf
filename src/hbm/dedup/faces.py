"""The 1:N face index of this process, derived from the database and kept current.

Every process holds one index in memory. It starts from the file ``hbm dedup reindex`` saved in the
data folder (a missing, corrupt or stale file is rebuilt from the database, never trusted), then
follows the ``TemplateChange`` log: a template added anywhere is searched here at the next check;
an erased one leaves.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from django.conf import settings

from hbm.dedup.enums import Modality
from hbm.dedup.models import BiometricTemplate, TemplateChange
from hbm.engines.biometrics import IndexCorrupt, TemplateIndex, face_similarity
from hbm.registration.models import Person

_lock = threading.Lock()
_state: dict[str, object] = {"index": None, "seen": 0}


def index_path() -> Path:
    return Path(settings.HBM_DATA_DIR) / "face-index.faiss"


def _seen_path() -> Path:
    return index_path().with_suffix(".json")


def _vector(template: BiometricTemplate) -> np.ndarray:
    return np.frombuffer(bytes(template.vector), dtype=np.float32)


def index_rebuild(*, save: bool = True) -> TemplateIndex:
    """A new index of every face template in the database (``hbm dedup reindex``)."""
    last = TemplateChange.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    templates = BiometricTemplate.objects.filter(modality=Modality.FACE).order_by("pk")
    ids: list[int] = []
    vectors: list[np.ndarray] = []
    for template in templates.iterator(chunk_size=2000):
        ids.append(template.pk)
        vectors.append(_vector(template))
    # Exact below a size, IVF above it: the engine chooses (see hbm.engines.biometrics.index).
    index = TemplateIndex.build(ids, np.vstack(vectors)) if ids else TemplateIndex()
    if save:
        index.save(index_path())
        _seen_path().write_text(json.dumps({"seen": last}))
    with _lock:
        _state["index"], _state["seen"] = index, last
    return index


def _loaded() -> tuple[TemplateIndex, int] | None:
    try:
        index = TemplateIndex.load(index_path())
        seen = int(json.loads(_seen_path().read_text())["seen"])
    except (IndexCorrupt, OSError, ValueError, KeyError):
        return None
    return index, seen


def face_index() -> TemplateIndex:
    """This process's index, brought up to date with the changes logged since it last looked."""
    with _lock:
        index, seen = _state["index"], int(_state["seen"])  # type: ignore[call-overload]
    if index is None:
        loaded = _loaded()
        if loaded is None:
            return index_rebuild()
        index, seen = loaded
    assert isinstance(index, TemplateIndex)
    changes = list(TemplateChange.objects.filter(seq__gt=seen).order_by("seq"))
    for change in changes:
        if change.added:
            template = BiometricTemplate.objects.filter(pk=change.template_id).first()
            if template is not None:
                index.add([template.pk], _vector(template)[None, :])
        else:
            index.remove([change.template_id])
    with _lock:
        _state["index"], _state["seen"] = index, (changes[-1].seq if changes else seen)
    return index


def face_similarity_of(a: Person, b: Person) -> float | None:
    """How alike two persons' faces are, in [0, 1]; ``None`` unless both have a face template."""
    return face_similarities(a, [b])[b.pk]


def face_similarities(person: Person, others: Sequence[Person]) -> dict[uuid.UUID, float | None]:
    """How alike ``person``'s face is to each of ``others``', in [0, 1] (``None`` where either has
    no face template), the templates read in one query."""
    templates = {
        t.person_id: _vector(t)
        for t in BiometricTemplate.objects.filter(person__in=[person, *others], modality=Modality.FACE)
    }
    own = templates.get(person.pk)
    return {
        other.pk: None
        if own is None or other.pk not in templates
        else float(face_similarity(float(np.linalg.norm(own - templates[other.pk]))))
        for other in others
    }
