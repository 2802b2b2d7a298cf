"""The person search benchmark at a tiny size: a fresh SQLite, a synthetic population stored, every
kind of search timed with the new search and the former, every figure reported."""

from __future__ import annotations

import json
from random import Random

import pytest

from hbm.bench.person_search import KINDS, SOUND_KINDS, main, misspelt, original_names, queries_draw
from hbm.engines.names import canonical
from hbm.engines.synthetic import population
from hbm.registration.values import search_compact


def test_a_small_run_stores_the_persons_and_times_every_kind_of_search() -> None:
    figures = main(["--persons", "2000", "--queries", "3", "--seed", "1"])

    assert json.loads(json.dumps(figures)) == figures
    assert (figures["benchmark"], figures["backend"], figures["persons"], figures["queries"]) == (
        "person-search",
        "sqlite",
        2000,
        3,
    )
    for kind in KINDS:
        for search in ("", "_former"):
            assert 0 < figures[f"{kind}{search}_p50_ms"] <= figures[f"{kind}{search}_p95_ms"]
    # Each query of these kinds is a registered person's (or their father's) names as stored, or
    # part of them: both searches find that person.
    for kind in ("surname", "fragment", "original", "parent"):
        assert figures[f"{kind}_hits"] >= 1
        assert figures[f"{kind}_former_hits"] >= 1
    # Given names first, as officers type: the new search finds the person, words in any order.
    assert figures["full_name_hits"] >= 1
    assert figures["posted_full_name_hits"] <= figures["full_name_hits"]  # half are met elsewhere
    assert figures["absent_hits"] == figures["absent_former_hits"] == 0
    # By sound beside by words: a name spelt another way is found by sound; a name as registered
    # is found both ways, by sound at least as often.
    for kind in SOUND_KINDS:
        for search in ("", "_words"):
            assert 0 < figures[f"{kind}{search}_p50_ms"] <= figures[f"{kind}{search}_p95_ms"]
        assert figures[f"{kind}_hits"] >= figures[f"{kind}_words_hits"]
    assert figures["respelt_hits"] >= 1
    assert figures["parent_respelt_hits"] >= 1  # the father spelt another way: found by sound
    # The person sought, under another spelling and their birth date: found by sound every time.
    assert figures["respelt_born_found"] == 1.0
    assert figures["respelt_born_words_found"] < 1.0
    assert figures["full_name_sounds_words_hits"] == figures["full_name_hits"]
    assert figures["database_mb"] > figures["index_mb"] >= 0
    assert figures["load_seconds"] > 0


def test_the_queries_are_fixed_by_the_seed_and_each_is_of_its_kind() -> None:
    records = population(500, seed=2).records
    stored = "\n".join(search_compact(f"{r.surname} {r.given}") for r in records)

    drawn = queries_draw(records, 20, 7, stored)

    assert drawn == queries_draw(records, 20, 7, stored)
    assert {kind: len(queries) for kind, queries in drawn.items()} == dict.fromkeys(
        (*KINDS[:-1], "respelt", "respelt_born", "parent_respelt"), 20
    )
    latin = {(r.given, r.surname) for r in records}
    surnames = {r.surname for r in records}
    for query, parent in drawn["full_name"]:
        assert parent == ""
        assert any(query.upper() == f"{given} {surname}" for given, surname in latin)
    for query, _ in drawn["fragment"]:
        assert len(query) == 4
        assert any(query.upper() in s[1:-1] for s in surnames)  # inside, neither start nor end
    for query, _ in drawn["absent"]:
        assert query.split()[-1].upper() not in stored
    originals = {" ".join(reversed(original_names(r.original))).strip() for r in records if r.original}
    assert {query for query, _ in drawn["original"]} <= originals
    assert {parent for _, parent in drawn["parent"]} <= {r.father for r in records}
    firsts = {(canonical(r.given.split()[0]), r.given.split()[0], r.surname) for r in records if r.given}
    for query, _ in drawn["respelt"]:  # another spelling of a registered first given name, same set
        given, surname = query.upper().split(" ", 1)
        assert any(c == canonical(given) and g != given and s == surname for c, g, s in firsts)
    born = {(r.given, r.surname, str(r.birth_date)) for r in records if r.birth_date}
    for query, day, given, surname in drawn["respelt_born"]:  # and the person sought, with the date
        assert (given, surname, day) in born
        assert query.upper().split(" ", 1)[1] == surname
        assert canonical(query.split()[0]) == canonical(given.split()[0])
        assert query.split()[0].upper() != given.split()[0]
    fathers = {
        (canonical(f.split()[0]), f.split()[0], " ".join(f.split()[1:]))
        for f in (r.father for r in records)
        if f
    }
    for query, parent in drawn["parent_respelt"]:  # a registered father's name, its first spelt another way
        assert query == ""
        first, *rest = parent.upper().split()
        assert any(c == canonical(first) and f != first and r == " ".join(rest) for c, f, r in fathers)


def test_a_misspelt_surname_has_two_letters_swapped_and_another_changed() -> None:
    rng = Random(3)
    for _ in range(50):
        wrong = misspelt("KOVALENKO", rng)
        assert sum(a != b for a, b in zip(wrong, "KOVALENKO", strict=True)) == 3
        assert sorted(wrong) != sorted("KOVALENKO")  # a letter changed, not only two swapped


@pytest.mark.parametrize("argv", [["--persons", "0"], ["--queries", "0"], ["--backend", "mysql"]])
def test_bad_options_are_refused(argv: list[str]) -> None:
    with pytest.raises(SystemExit):
        main(argv)
