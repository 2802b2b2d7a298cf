"""Review groups: pairs waiting for a person, gathered so that each bunch of records is read once."""

from __future__ import annotations

import itertools

import pytest

from hbm.engines.matching import GROUP_LIMIT, group_rulings, review_groups


def _records(groups: list[list[int]], pairs: list[tuple[str, str]]) -> list[set[str]]:
    return [{key for index in group for key in pairs[index]} for group in groups]


def test_six_namesakes_fifteen_pairs_are_one_group() -> None:
    pairs = list(itertools.combinations("abcdef", 2))
    groups = review_groups(pairs)
    assert groups == [list(range(15))]


def test_unrelated_pairs_are_separate_groups_in_the_order_of_their_first_pair() -> None:
    pairs = [("a", "b"), ("c", "d"), ("b", "e"), ("f", "g")]
    assert review_groups(pairs) == [[0, 2], [1], [3]]


def test_a_chain_of_namesakes_is_cut_at_the_limit_and_no_pair_is_lost() -> None:
    chain = [(f"r{i}", f"r{i + 1}") for i in range(20)]
    groups = review_groups(chain, limit=4)
    assert sorted(index for group in groups for index in group) == list(range(20))
    assert all(len(records) <= 4 for records in _records(groups, chain))
    assert _records(groups, chain)[0] == {"r0", "r1", "r2", "r3"}


def test_the_strongest_pairs_stay_together_when_a_bunch_is_larger_than_a_screen() -> None:
    bunch = list(itertools.combinations([f"r{i}" for i in range(GROUP_LIMIT + 3)], 2))
    groups = review_groups(bunch)
    records = _records(groups, bunch)
    assert records[0] == {f"r{i}" for i in range(GROUP_LIMIT)}
    assert all(len(r) <= GROUP_LIMIT for r in records)
    assert sorted(index for group in groups for index in group) == list(range(len(bunch)))


def test_a_group_needs_room_for_one_pair() -> None:
    with pytest.raises(ValueError, match="two records"):
        review_groups([("a", "b")], limit=1)


def test_letters_decide_every_pair_of_the_group() -> None:
    pairs = [("a", "b"), ("a", "c"), ("b", "c"), ("c", "d")]
    rulings = group_rulings(pairs, {"a": "A", "b": "A", "c": "B", "d": "B"})
    assert rulings.same == (0, 3)
    assert rulings.distinct == (1, 2)
    assert rulings.unpaired == ()


def test_records_given_one_letter_that_no_pair_joins_are_a_pair_to_record() -> None:
    # x and y were each found like z, not like each other; the adjudicator says x and y are one person
    pairs = [("x", "z"), ("z", "y")]
    rulings = group_rulings(pairs, {"x": "A", "y": "A", "z": "B"})
    assert rulings.same == ()
    assert rulings.distinct == (0, 1)
    assert rulings.unpaired == (("x", "y"),)


def test_one_new_pair_is_enough_to_join_three_records_given_one_letter() -> None:
    pairs = [("a", "d"), ("b", "d"), ("c", "d")]
    rulings = group_rulings(pairs, {"a": "A", "b": "A", "c": "A", "d": "B"})
    assert rulings.unpaired == (("a", "b"), ("a", "c"))


def test_a_record_without_a_letter_is_named() -> None:
    with pytest.raises(KeyError, match="b"):
        group_rulings([("a", "b")], {"a": "A", "b": ""})
