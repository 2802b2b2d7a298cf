"""The biometric benchmark at a tiny size: every figure present, exact kind, perfect recall."""

from __future__ import annotations

import json

import numpy as np

from hbm.bench import BENCHMARKS
from hbm.bench.dedup_biometric import genuine_queries, synthetic_templates


def test_a_small_run_reports_every_figure() -> None:
    figures = BENCHMARKS["dedup-biometric"](["--gallery", "2000", "--queries", "50", "--encode-repeats", "1"])

    assert json.loads(json.dumps(figures)) == figures
    assert {k: figures[k] for k in ("benchmark", "gallery", "queries", "kind")} == {
        "benchmark": "dedup-biometric",
        "gallery": 2000,
        "queries": 50,
        "kind": "exact",
    }
    assert (figures["recall_at_1"], figures["mate_at_1"], figures["erased_never_returned"]) == (
        1.0,
        1.0,
        True,
    )
    assert figures["build_seconds"] >= 0
    assert figures["search_p95_ms"] >= figures["search_p50_ms"] > 0
    assert figures["index_mb"] == 1.0  # 2,000 × 128 float32 and their ids
    assert figures["encode_ms_p50"] > 0
    assert figures["machine"]["cpus"] >= 1


def test_synthetic_templates_are_shaped_like_dlibs() -> None:
    rng = np.random.default_rng(1)
    gallery = synthetic_templates(4000, rng)
    mates, queries = genuine_queries(gallery, 500, rng)

    norms = np.linalg.norm(gallery, axis=1)
    impostor = np.linalg.norm(gallery[:2000] - gallery[2000:], axis=1)
    genuine = np.linalg.norm(queries - gallery[mates], axis=1)

    assert 1.35 < norms.mean() < 1.45
    assert 0.75 < impostor.mean() < 0.85
    assert 0.35 < genuine.mean() < 0.45
    assert gallery.dtype == np.float32
