"""``hbm bench dedup-biometric``: build, save, search and forget in a gallery of synthetic face
templates, and encode a real photo.

Synthetic templates are shaped like dlib's 128-d face descriptors as measured on the photos the
tests use: norm about 1.4 (astronaut 1.46, LFW crops 1.38), impostor distance about 0.8 (astronaut
against the LFW faces: median 0.81), spread over an anisotropic spectrum (variance of dimension
``i`` ∝ (i + 1)^-0.7, like the decaying principal components of real embeddings) around a common
mean. A genuine query is its gallery vector plus noise whose norm averages :data:`GENUINE_NOISE`
(0.40: two photos of one person taken apart in time; re-encoding the same photo transformed gives
0.03–0.19); an impostor query is a fresh identity. ``recall_at_1`` compares the index's first hit
with exact brute-force search (``IndexFlatL2``) for the genuine queries; ``mate_at_1`` is how often
that first hit is the true mate.

Figures: ``build_seconds`` (training + adding, from vectors in memory), ``index_mb`` (file written
by ``save``), ``load_seconds`` (read + checksum + deserialise), search latency of one query at a
time (nearest-rank p50/p95), ``remove_p95_ms`` (one id erased at a time) and ``encode_ms_*`` for the
astronaut photo (skimage's bundled portrait; ``null`` where scikit-image is not installed).

Identification error rates (ISO/IEC 19795-1 terms), from ``--identification-queries`` mated and as
many non-mated searches (10,000 each at full size; at most the gallery's size), searched in one
batch: ``fpir_threshold`` is the distance below which 0.1 % of non-mated searches find someone at
rank 1 (the ``⌊0.001·n⌋``-th smallest nearest-stranger distance: 10 of 10,000; none below 1,000
searches), ``fpir`` what it gives on those searches, and ``fnir_at_fpir_0_1pct`` the share of mated
searches whose first hit is not the mate closer than that threshold. The same two rates are given
at the engine's match cut-off (:data:`FACE_MATCH_DISTANCE`). The threshold rises and FNIR falls as
the gallery grows smaller: more strangers means a closer nearest one.

``--real-photos`` (about 40 s: some 420 photos encoded) measures the same on real faces, with the
protocol of ``tests/engines/test_biometrics.py``: one enrolled identity (the astronaut: her photo,
half size, JPEG quality 30), the up-scaled LFW crops bundled with scikit-image as non-mated probes
(about 1,100 comparisons) and 45 transformed copies of her photo as mated ones.
"""

from __future__ import annotations

import argparse
import io
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from hbm.bench.common import machine_info, percentile_ms
from hbm.engines.biometrics import FACE_DIMENSION, FACE_MATCH_DISTANCE, FaceEncoder, NoFace, TemplateIndex

DEFAULT_GALLERY: Final = 1_000_000
DEFAULT_QUERIES: Final = 1000
IDENTIFICATION_QUERIES: Final = 10_000
FPIR_TARGET: Final = 0.001
TEMPLATE_NORM: Final = 1.4
IMPOSTOR_DISTANCE: Final = 0.8
GENUINE_NOISE: Final = 0.40
SPECTRUM_EXPONENT: Final = 0.7


def _spectrum(dimension: int) -> npt.NDArray[np.float64]:
    """Per-dimension standard deviations such that two identities lie IMPOSTOR_DISTANCE apart on
    average: E‖a − b‖² = 2·Σσ²."""
    variances = (np.arange(dimension) + 1.0) ** -SPECTRUM_EXPONENT
    variances *= (IMPOSTOR_DISTANCE**2 / 2) / variances.sum()
    return np.asarray(np.sqrt(variances), dtype=np.float64)


def synthetic_templates(
    count: int, rng: np.random.Generator, dimension: int = FACE_DIMENSION
) -> npt.NDArray[np.float32]:
    """``count`` identities' templates (see the module docstring), generated in chunks."""
    sigma = _spectrum(dimension)
    mean_rng = np.random.default_rng(0)  # the common mean is the same for every run
    direction = mean_rng.standard_normal(dimension)
    mean = direction / np.linalg.norm(direction) * np.sqrt(TEMPLATE_NORM**2 - (sigma**2).sum())
    basis, _ = np.linalg.qr(mean_rng.standard_normal((dimension, dimension)))
    out = np.empty((count, dimension), dtype=np.float32)
    for start in range(0, count, 100_000):
        stop = min(count, start + 100_000)
        z = rng.standard_normal((stop - start, dimension)) * sigma
        out[start:stop] = mean + z @ basis.T
    return out


def genuine_queries(
    gallery: npt.NDArray[np.float32], count: int, rng: np.random.Generator
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    """Rows drawn from ``gallery`` plus photo-to-photo noise: (their ids, the queries)."""
    dimension = gallery.shape[1]
    ids = rng.choice(len(gallery), size=count, replace=False).astype(np.int64)
    noise = rng.standard_normal((count, dimension)) * (GENUINE_NOISE / np.sqrt(dimension))
    return ids, (gallery[ids] + noise).astype(np.float32)


def fpir_threshold(nearest_stranger: npt.ArrayLike, rate: float = FPIR_TARGET) -> float:
    """The distance below which at most ``rate`` of non-mated searches find someone: the
    ``⌊rate·n⌋``-th smallest of their nearest distances (0-based), matches being ``< threshold``."""
    ordered = np.sort(np.asarray(nearest_stranger, dtype=np.float64))
    return float(ordered[min(int(rate * len(ordered)), len(ordered) - 1)])


def identification_rates(
    index: TemplateIndex,
    gallery: npt.NDArray[np.float32],
    count: int,
    rng: np.random.Generator,
) -> dict[str, Any]:
    """FNIR at FPIR 0.1 %, and both rates at the match cut-off, from ``count`` mated and ``count``
    non-mated searches at rank 1 (see the module docstring)."""
    mates, mated = genuine_queries(gallery, count, rng)
    strangers = synthetic_templates(count, rng)
    mated_first = [hits[0] for hits in index.search_many(mated, 1)]
    nearest_stranger = np.array([hits[0].distance for hits in index.search_many(strangers, 1)])
    mate_ids = np.array([hit.id for hit in mated_first], dtype=np.int64)
    mate_distances = np.array([hit.distance for hit in mated_first])
    threshold = fpir_threshold(nearest_stranger)

    def fnir(cut: float) -> float:
        return round(float(np.mean((mate_ids != mates) | (mate_distances >= cut))), 5)

    return {
        "identification_queries": count,
        "fpir_threshold": round(threshold, 4),
        "fpir": round(float(np.mean(nearest_stranger < threshold)), 5),
        "fnir_at_fpir_0_1pct": fnir(threshold),
        "at_match_distance": {
            "distance": FACE_MATCH_DISTANCE,
            "fpir": round(float(np.mean(nearest_stranger < FACE_MATCH_DISTANCE)), 5),
            "fnir": fnir(FACE_MATCH_DISTANCE),
        },
    }


def _jpeg(pixels: npt.NDArray[np.uint8], quality: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def real_photo_rates() -> dict[str, Any]:
    """FNIR at FPIR 0.1 % on real faces (see the module docstring); needs scikit-image."""
    from PIL import Image
    from skimage import data

    encoder = FaceEncoder()
    photo: Callable[[], npt.NDArray[np.uint8]] = data.astronaut  # scikit-image leaves them untyped
    crops: Callable[[], npt.NDArray[np.float64]] = data.lfw_subset
    astronaut = photo()
    portrait = Image.fromarray(astronaut)
    half = np.asarray(portrait.resize((portrait.width // 2, portrait.height // 2), Image.Resampling.LANCZOS))
    reference = encoder.encode(_jpeg(astronaut, 95))
    enrolled = [reference, encoder.encode(_jpeg(half, 95)), encoder.encode(_jpeg(astronaut, 30))]
    non_mated: list[float] = []
    for crop in crops()[:100]:  # the 100 face crops (the other 100 are not faces)
        face = Image.fromarray((crop * 255).astype(np.uint8))
        for side in (120, 200):
            for mirrored in (False, True):
                pixels = np.asarray(face.resize((side, side), Image.Resampling.BICUBIC).convert("RGB"))
                try:
                    probe = encoder.encode(
                        _jpeg(np.ascontiguousarray(pixels[:, ::-1] if mirrored else pixels), 95)
                    )
                except NoFace:
                    continue
                non_mated.extend(probe.distance(template) for template in enrolled)
    mated = []
    for factor in (0.5, 0.75, 1.0, 1.25, 1.5):
        size = (round(portrait.width * factor), round(portrait.height * factor))
        for degrees in (-8.0, 0.0, 8.0):
            turned = portrait.resize(size, Image.Resampling.LANCZOS).rotate(
                degrees, resample=Image.Resampling.BICUBIC
            )
            for quality in (30, 60, 95):
                mated.append(encoder.encode(_jpeg(np.asarray(turned), quality)).distance(reference))
    threshold = fpir_threshold(non_mated)
    return {
        "non_mated_comparisons": len(non_mated),
        "mated_searches": len(mated),
        "fpir_threshold": round(threshold, 4),
        "fpir": round(float(np.mean(np.array(non_mated) < threshold)), 5),
        "fnir_at_fpir_0_1pct": round(float(np.mean(np.array(mated) >= threshold)), 5),
        "mated_distance_max": round(max(mated), 4),
        "non_mated_distance_min": round(min(non_mated), 4),
    }


def _photo_encode_ms(repeats: int) -> dict[str, float | None]:
    try:
        from skimage import data
    except ImportError:
        return {"encode_ms_first": None, "encode_ms_p50": None}
    from PIL import Image

    astronaut: Callable[[], npt.NDArray[np.uint8]] = data.astronaut  # scikit-image leaves it untyped
    buffer = io.BytesIO()
    Image.fromarray(astronaut()).save(buffer, "JPEG", quality=90)
    photo = buffer.getvalue()
    encoder = FaceEncoder()
    timings = []
    for _ in range(repeats + 1):
        started = time.perf_counter()
        encoder.encode(photo)
        timings.append(time.perf_counter() - started)
    return {
        "encode_ms_first": round(timings[0] * 1000, 1),
        "encode_ms_p50": percentile_ms(timings[1:], 0.5),
    }


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="hbm bench dedup-biometric")
    parser.add_argument("--gallery", type=int, default=DEFAULT_GALLERY)
    parser.add_argument("--queries", type=int, default=DEFAULT_QUERIES)
    parser.add_argument("--nprobe", type=int, default=None, help="IVF lists scanned (default: the engine's)")
    parser.add_argument("--threads", type=int, default=None, help="FAISS threads (default: all CPUs)")
    parser.add_argument("--encode-repeats", type=int, default=10)
    parser.add_argument(
        "--identification-queries",
        type=int,
        default=IDENTIFICATION_QUERIES,
        help="mated and as many non-mated searches for FNIR at FPIR 0.1 %% (at most the gallery's size)",
    )
    parser.add_argument(
        "--real-photos", action="store_true", help="also FNIR at FPIR 0.1 %% on real photos (about 40 s)"
    )
    parser.add_argument("--seed", type=int, default=20240229)
    return parser.parse_args(list(argv))


def main(argv: Sequence[str]) -> dict[str, Any]:
    import faiss

    args = parse(argv)
    if args.threads:
        faiss.omp_set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)
    gallery = synthetic_templates(args.gallery, rng)
    ids = np.arange(args.gallery, dtype=np.int64)
    queries = min(args.queries, args.gallery)
    mates, genuine = genuine_queries(gallery, queries, rng)
    impostors = synthetic_templates(queries, rng)

    started = time.perf_counter()
    index = (
        TemplateIndex.build(ids, gallery)
        if args.nprobe is None
        else TemplateIndex.build(ids, gallery, nprobe=args.nprobe)
    )
    build_seconds = time.perf_counter() - started

    with tempfile.TemporaryDirectory(prefix="hbm-bench-biometric-") as folder:
        path = Path(folder) / "faces.index"
        index_bytes = index.save(path)
        started = time.perf_counter()
        index = TemplateIndex.load(path)
        load_seconds = time.perf_counter() - started

    latencies = []
    first_hits = []
    for query in genuine:
        started = time.perf_counter()
        hits = index.search(query, 1)
        latencies.append(time.perf_counter() - started)
        first_hits.append(hits[0].id)
    impostor_distances = [hits[0].distance for hits in index.search_many(impostors, 1)]
    rates = identification_rates(index, gallery, min(args.identification_queries, args.gallery), rng)

    exact = faiss.IndexFlatL2(gallery.shape[1])
    exact.add(gallery)
    _, exact_ids = exact.search(genuine, 1)
    del exact
    found = np.asarray(first_hits, dtype=np.int64)

    erase = mates[: min(100, queries)]
    remove_latencies = []
    for template_id in erase:
        started = time.perf_counter()
        index.remove([int(template_id)])
        remove_latencies.append(time.perf_counter() - started)
    forgotten = all(
        hit.id != int(i) for i, q in zip(erase, genuine, strict=False) for hit in index.search(q, 5)
    )

    return {
        "benchmark": "dedup-biometric",
        "gallery": args.gallery,
        "queries": queries,
        "kind": index.kind.value,
        "nprobe": index.nprobe,
        "faiss_threads": faiss.omp_get_max_threads(),
        "build_seconds": round(build_seconds, 2),
        "index_mb": round(index_bytes / 1_000_000, 1),
        "load_seconds": round(load_seconds, 2),
        "search_p50_ms": percentile_ms(latencies, 0.5),
        "search_p95_ms": percentile_ms(latencies, 0.95),
        "recall_at_1": round(float(np.mean(found == exact_ids[:, 0])), 4),
        "mate_at_1": round(float(np.mean(found == mates)), 4),
        "impostor_nearest_distance_p1": round(float(np.percentile(impostor_distances, 1)), 3),
        **rates,
        "real_photos": real_photo_rates() if args.real_photos else None,
        "remove_p95_ms": percentile_ms(remove_latencies, 0.95),
        "erased_never_returned": forgotten,
        **_photo_encode_ms(args.encode_repeats),
        "seed": args.seed,
        "machine": {**machine_info(), "cpus_usable": len(os.sched_getaffinity(0))},
    }
