"""The adjudication queue benchmark at a tiny size: a fresh SQLite, bunches of open pairs stored,
the pair list, the review groups and one group timed, every figure reported."""

from __future__ import annotations

import json
from random import Random

import pytest

from hbm.bench.adjudication import GIANT, bunch_pairs, bunch_sizes, main


def test_a_small_run_stores_the_pairs_and_times_every_read() -> None:
    figures = main(["--pairs", "300", "--queries", "2", "--seed", "3"])

    assert json.loads(json.dumps(figures)) == figures
    assert (figures["benchmark"], figures["backend"], figures["queries"]) == ("adjudication", "sqlite", 2)
    assert figures["pairs"] >= 300
    assert figures["persons"] > figures["open_groups"] > 0
    assert 0 < figures["posted_open_pairs"] < figures["pairs"]  # the posted officer sees some, not all
    for kind in ("pairs_list", "groups", "groups_posted", "group_open", "review_next", "registered"):
        assert 0 < figures[f"{kind}_p50_ms"] <= figures[f"{kind}_p95_ms"]
    assert 0 < figures["registered_point_p50_ms"] <= figures["registered_point_p95_ms"]
    assert figures["registered_waiting"] == figures["pairs"]  # every stored pair is open


def test_bunches_are_connected_trees_with_a_few_more_pairs() -> None:
    rng = Random(0)
    for size in (2, 3, 8, 40):
        pairs = bunch_pairs(size, rng)
        joined = {0}
        for a, b in pairs:  # each record joins an earlier one: one connected bunch
            assert a < b
            if a in joined:
                joined.add(b)
        assert joined == set(range(size))
        assert size - 1 <= len(pairs) <= size - 1 + size // 4


def test_sizes_follow_the_measured_bunches_and_the_giant_comes_at_national_scale() -> None:
    small = bunch_sizes(5_000, Random(1))
    large = bunch_sizes(40_000, Random(1))
    assert GIANT not in small
    assert large[0] == GIANT
    assert sum(s - 1 for s in small) >= 5_000
    assert 0.6 < small.count(2) / len(small) < 0.9  # most bunches are two records, as measured


def test_bad_options_are_refused() -> None:
    with pytest.raises(SystemExit):
        main(["--pairs", "0"])
