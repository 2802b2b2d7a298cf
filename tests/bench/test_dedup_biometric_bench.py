"""The biometric benchmark at a tiny size: every figure present, exact kind, perfect recall, FNIR
at the threshold that lets 0.1 % of non-mated searches through."""

from __future__ import annotations

import json

import numpy as np

from hbm.bench import BENCHMARKS
from hbm.bench.dedup_biometric import fpir_threshold, genuine_queries, synthetic_templates


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
    # FNIR at FPIR 0.1 %: 2,000 non-mated searches (the gallery's size), so 2 may find someone.
    assert figures["identification_queries"] == 2000
    assert figures["fpir"] == 0.001
    assert 0.3 < figures["fpir_threshold"] < 0.8
    assert 0 <= figures["fnir_at_fpir_0_1pct"] <= 1
    assert figures["at_match_distance"]["distance"] == 0.5
    assert figures["real_photos"] is None


def test_the_fpir_threshold_lets_one_in_a_thousand_through() -> None:
    nearest_stranger = np.linspace(0.4, 1.0, 10_000)[::-1]

    threshold = fpir_threshold(nearest_stranger)

    assert threshold == nearest_stranger[-11]  # the 11th smallest: 10 of 10,000 lie below it
    assert np.mean(nearest_stranger < threshold) == 0.001
    assert fpir_threshold([0.7, 0.5, 0.9]) == 0.5  # under 1,000 searches, none may find someone


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
