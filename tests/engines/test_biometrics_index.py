"""The FAISS template index: add, search, replace, forget, save and load, and never trust a bad file."""

from __future__ import annotations

import json
from pathlib import Path

import faiss
import numpy as np
import numpy.typing as npt
import pytest

from hbm.engines.biometrics import (
    IVF_MIN_COUNT,
    Hit,
    IndexCorrupt,
    IndexKind,
    TemplateIndex,
    kind_for,
    lists_for,
    nprobe_for,
)
from hbm.engines.biometrics.index import MAGIC

Vectors = npt.NDArray[np.float32]


def _vectors(count: int, seed: int = 7) -> Vectors:
    return np.random.default_rng(seed).normal(0, 0.1, (count, 128)).astype(np.float32)


@pytest.fixture
def small() -> tuple[TemplateIndex, Vectors]:
    vectors = _vectors(500)
    return TemplateIndex.build(np.arange(1000, 1500), vectors), vectors


def test_an_exact_search_finds_each_vector_first_at_distance_zero(
    small: tuple[TemplateIndex, Vectors],
) -> None:
    index, vectors = small

    hits = index.search(vectors[42], k=3)

    assert (index.kind, len(index)) == (IndexKind.EXACT, 500)
    assert hits[0] == Hit(1042, 0.0)
    assert len(hits) == 3
    assert hits[0].distance < hits[1].distance <= hits[2].distance
    expected = float(np.linalg.norm(vectors[42] - vectors[hits[1].id - 1000]))
    assert hits[1].distance == pytest.approx(expected, rel=1e-5)


def test_an_erased_template_is_never_returned_again(small: tuple[TemplateIndex, Vectors]) -> None:
    index, vectors = small

    removed = index.remove([1042, 1043, 99999])

    assert removed == 2
    assert len(index) == 498
    assert all(hit.id not in (1042, 1043) for hit in index.search(vectors[42], k=498))
    assert index.remove([1042]) == 0


def test_adding_an_existing_id_replaces_its_vector(small: tuple[TemplateIndex, Vectors]) -> None:
    index, vectors = small
    moved = vectors[7] + 0.5

    index.add([1042], moved.reshape(1, -1))

    assert len(index) == 500
    assert index.search(moved, 1) == [Hit(1042, 0.0)]
    assert index.search(vectors[42], 1)[0].id != 1042


def test_an_empty_index_answers_nothing_and_k_is_capped() -> None:
    index = TemplateIndex()

    assert index.search(_vectors(1)[0], 5) == []
    index.add([1, 2], _vectors(2))
    assert [hit.id for hit in index.search(_vectors(2)[1], 10)] == [2, 1]


@pytest.mark.parametrize(
    ("ids", "vectors", "message"),
    [
        ([1, 1], _vectors(2), "distinct"),
        ([1], np.zeros((1, 64), np.float32), "N × 128"),
        ([1, 2], _vectors(1), "2 ids for 1 vectors"),
        ([1], np.full((1, 128), np.inf, np.float32), "finite"),
    ],
)
def test_bad_additions_are_refused_and_change_nothing(
    small: tuple[TemplateIndex, Vectors], ids: list[int], vectors: Vectors, message: str
) -> None:
    index, _ = small

    with pytest.raises(ValueError, match=message):
        index.add(ids, vectors)

    assert len(index) == 500


def test_rebuild_replaces_the_content_and_chooses_the_kind_by_size(
    small: tuple[TemplateIndex, Vectors],
) -> None:
    index, _ = small
    vectors = _vectors(3, seed=8)

    index.rebuild((i, v) for i, v in zip([5, 6, 7], vectors, strict=True))

    assert (len(index), index.kind) == (3, IndexKind.EXACT)
    assert index.search(vectors[2], 1) == [Hit(7, 0.0)]
    assert (kind_for(IVF_MIN_COUNT - 1), kind_for(IVF_MIN_COUNT)) == (IndexKind.EXACT, IndexKind.IVF_FLAT)
    assert (lists_for(50_000), lists_for(1_000_000), lists_for(100_000_000)) == (1024, 4096, 4096)
    assert (nprobe_for(1024), nprobe_for(4096), nprobe_for(16)) == (64, 128, 16)


def test_an_ivf_index_finds_noisy_copies_forgets_and_survives_save_and_load(tmp_path: Path) -> None:
    # Clustered data, so that a forced IVF with few lists behaves like the benchmark's.
    rng = np.random.default_rng(3)
    centres = rng.normal(0, 0.3, (64, 128))
    vectors = (centres[rng.integers(0, 64, 20_000)] + rng.normal(0, 0.08, (20_000, 128))).astype(np.float32)
    index = TemplateIndex.build(np.arange(20_000), vectors, kind=IndexKind.IVF_FLAT, seed=1)
    queries = (vectors[:200] + rng.normal(0, 0.01, (200, 128))).astype(np.float32)

    found = [hits[0].id for hits in index.search_many(queries, 1)]
    index.remove([0, 1])
    index.save(tmp_path / "faces.index")
    loaded = TemplateIndex.load(tmp_path / "faces.index", dimension=128)

    assert (index.kind, lists_for(20_000), index.nprobe) == (IndexKind.IVF_FLAT, 512, 64)
    assert np.mean(np.array(found) == np.arange(200)) >= 0.99
    assert (loaded.kind, len(loaded), loaded.nprobe) == (IndexKind.IVF_FLAT, 19_998, 64)
    assert loaded.search_many(queries[2:50], 1) == index.search_many(queries[2:50], 1)
    assert all(hit.id not in (0, 1) for hit in loaded.search(queries[0], 20))


def test_save_and_load_keep_ids_distances_and_metadata(
    small: tuple[TemplateIndex, Vectors], tmp_path: Path
) -> None:
    index, vectors = small
    path = tmp_path / "nested" / "faces.index"

    size = index.save(path)
    loaded = TemplateIndex.load(path)

    assert size == path.stat().st_size
    assert not list(path.parent.glob("*.tmp"))
    header = json.loads(path.read_bytes()[len(MAGIC) :].split(b"\n", 1)[0])
    assert {k: header[k] for k in ("kind", "dimension", "count", "format")} == {
        "kind": "exact",
        "dimension": 128,
        "count": 500,
        "format": 1,
    }
    assert header["faiss"] == faiss.__version__
    assert loaded.search(vectors[9], 5) == index.search(vectors[9], 5)


def _saved(index: TemplateIndex, path: Path) -> bytes:
    index.save(path)
    return path.read_bytes()


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda raw: raw[: len(raw) // 2], "header says"),
        (lambda raw: raw[:-1] + bytes([raw[-1] ^ 0x01]), "checksum"),
        (lambda raw: b"", "not an HBM template index"),
        (lambda raw: b"GIF89a" + raw, "not an HBM template index"),
        (lambda raw: MAGIC + b"{not json}\n" + raw[200:], "malformed header"),
        (lambda raw: MAGIC + b"x" * 70_000, "no readable header"),
        (lambda raw: raw.replace(b'"count": 500', b'"count": 501', 1), "does not match its header"),
    ],
    ids=["truncated", "bit flipped", "empty", "foreign", "bad json", "no header end", "count lies"],
)
def test_a_damaged_file_is_never_trusted(
    small: tuple[TemplateIndex, Vectors], tmp_path: Path, damage: object, reason: str
) -> None:
    index, _ = small
    path = tmp_path / "faces.index"
    raw = _saved(index, path)
    assert callable(damage)
    path.write_bytes(damage(raw))

    with pytest.raises(IndexCorrupt, match=reason) as raised:
        TemplateIndex.load(path)

    assert raised.value.code == "index_corrupt"
    assert raised.value.message.startswith("The template index cannot be used and must be rebuilt")


def test_a_missing_file_or_another_dimension_is_corrupt(
    small: tuple[TemplateIndex, Vectors], tmp_path: Path
) -> None:
    index, _ = small
    index.save(tmp_path / "faces.index")

    with pytest.raises(IndexCorrupt, match="does not exist"):
        TemplateIndex.load(tmp_path / "absent.index")
    with pytest.raises(IndexCorrupt, match="expected 512-d"):
        TemplateIndex.load(tmp_path / "faces.index", dimension=512)
