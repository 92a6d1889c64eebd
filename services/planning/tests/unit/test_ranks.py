"""Board ranks: a rank between any two neighbours exists, and the order is the string order."""

from hypothesis import given
from hypothesis import strategies as st

from trellis_planning.domain.ranks import DIGITS, MAX_RANK_LENGTH, between, check_rank, spaced_ranks

ranks = st.text(alphabet=DIGITS, min_size=1, max_size=14).filter(lambda r: not r.endswith("0"))


@given(ranks, ranks)
def test_between_two_ranks_lies_a_valid_rank_strictly_inside(a: str, b: str) -> None:
    if a == b:
        return
    lower, upper = sorted((a, b))
    middle = between(lower, upper)
    check_rank(middle)
    assert lower < middle < upper


@given(ranks)
def test_there_is_always_room_above_and_below(rank: str) -> None:
    above, below = between(rank, None), between(None, rank)
    check_rank(above)
    check_rank(below)
    assert below < rank < above


@given(st.lists(st.integers(min_value=0), min_size=1, max_size=60))
def test_inserting_anywhere_keeps_every_other_rank_and_the_intended_order(positions: list[int]) -> None:
    """Simulates drag and drop: each card lands between two neighbours; nobody else's rank
    changes and the column reads in the order the cards were placed."""
    column: list[str] = []
    for position in positions:
        index = position % (len(column) + 1)
        before = list(column)
        lower = column[index - 1] if index > 0 else None
        upper = column[index] if index < len(column) else None
        column.insert(index, between(lower, upper))
        assert [r for i, r in enumerate(column) if i != index] == before, "no other card renumbered"
        assert column == sorted(column), "the string order is the column order"
        assert len(set(column)) == len(column)


def test_appending_keeps_ranks_short() -> None:
    column: list[str] = []
    for _ in range(500):
        column.append(between(column[-1] if column else None, None))
    assert column == sorted(column)
    assert max(len(r) for r in column) <= 4


@given(st.integers(min_value=0, max_value=3000))
def test_respaced_ranks_are_short_distinct_and_ordered(count: int) -> None:
    spaced = spaced_ranks(count)
    assert len(spaced) == count
    assert spaced == sorted(spaced)
    assert len(set(spaced)) == count
    for rank in spaced:
        check_rank(rank)
        assert len(rank) < MAX_RANK_LENGTH


def test_a_bad_rank_is_refused() -> None:
    for bad in ["", "A0", "a-b"]:
        try:
            check_rank(bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} accepted")
