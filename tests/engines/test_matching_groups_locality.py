"""Review groups are decided within connected records: the group of one pair, found among only the
pairs that connect to it, is the group the whole queue puts it in. The pair screen and the group
screen rely on this to find one pair's group without reading every open pair."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hbm.engines.matching import review_groups

# Up to forty distinct pairs among twelve records, in any order: bunches larger than a screen of
# four records (the limit below) are common, so pairs are deferred to later rounds.
PAIRS = st.lists(
    st.tuples(st.integers(0, 11), st.integers(0, 11)).filter(lambda pair: pair[0] < pair[1]),
    max_size=40,
    unique=True,
)


def _connected(pairs: list[tuple[int, int]], start: int) -> list[int]:
    """The indices of the pairs connected to pair ``start`` through shared records, in order."""
    records = set(pairs[start])
    grew = True
    while grew:
        touching = {key for pair in pairs if records & set(pair) for key in pair}
        grew = touching != records
        records = touching
    return [index for index, pair in enumerate(pairs) if records & set(pair)]


@settings(max_examples=300, deadline=None)
@given(pairs=PAIRS, limit=st.integers(2, 5))
def test_a_pairs_group_among_its_connected_pairs_is_its_group_among_all(
    pairs: list[tuple[int, int]], limit: int
) -> None:
    everywhere = {index: group for group in review_groups(pairs, limit) for index in group}
    for start in range(len(pairs)):
        nearby = _connected(pairs, start)
        groups = review_groups([pairs[index] for index in nearby], limit)
        around = next(group for group in groups if nearby.index(start) in group)
        assert [nearby[index] for index in around] == everywhere[start]
