"""Board order by fractional ranks: moving one card never renumbers the others.

A rank is a base-62 fraction written without its leading "0.": ``"V"`` is 31/62,
``"0V"`` is 31/62². Digits are ``0-9A-Za-z`` in ASCII order, so comparing two ranks as
plain strings compares the fractions. A rank never ends in ``0`` (the same fraction would
have two spellings), so between any two ranks there is always another one.

Placing a card between two neighbours gives it a rank strictly between theirs (their
midpoint) and changes nobody else; a card put at the bottom or top of a column takes a
short rank in the first sliver of the free space, so appending stays at 2-3 digits.
Ranks grow longer only when cards keep landing in the same gap (a digit per ~6); a
column whose ranks grew past ``MAX_RANK_LENGTH`` is respaced by ``spaced_ranks`` as a
separate housekeeping step that keeps the order. Two cards may end up with the same
rank (two concurrent moves into the same gap): the order is by (rank, card id), which
is total and stable.
"""

from __future__ import annotations

import math

from trellis_planning.domain.errors import PlanningRuleBroken

DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
BASE = len(DIGITS)
_VALUE = {d: i for i, d in enumerate(DIGITS)}
MAX_RANK_LENGTH = 12


def check_rank(rank: str) -> None:
    if not rank or rank.endswith("0") or any(c not in _VALUE for c in rank):
        raise PlanningRuleBroken(f"{rank!r} is not a rank: base-62 digits, not ending in 0.")


def between(lower: str | None, upper: str | None) -> str:
    """A rank strictly between ``lower`` and ``upper`` (None: the column's top or bottom)."""
    if lower is not None and upper is not None and not lower < upper:
        raise PlanningRuleBroken(f"No rank between {lower!r} and {upper!r}: they are not in order.")
    if lower is None and upper is not None:
        return _shortest_below(upper)
    if upper is None:
        return _shortest_above(lower or "")
    return _midpoint(lower or "", upper)


def _midpoint(lower: str, upper: str | None) -> str:
    """Greenspan's midpoint on digit strings; ``upper=None`` stands for 1."""
    if upper is not None:
        common = 0
        while common < len(upper) and _digit(lower, common) == upper[common]:
            common += 1
        if common:
            return upper[:common] + _midpoint(lower[common:], upper[common:])
    low = _VALUE[lower[0]] if lower else 0
    high = _VALUE[upper[0]] if upper else BASE
    if high - low > 1:
        return DIGITS[(low + high) // 2]
    if upper is not None and len(upper) > 1:
        return upper[0]
    return DIGITS[low] + _midpoint(lower[1:], None)


def _shortest_above(lower: str) -> str:
    """The shortest rank in the first 1/62² of the space above ``lower``: appending card after
    card keeps ranks at two or three digits for some hundred thousand cards."""
    if not lower:
        return DIGITS[BASE // 2]
    width = len(lower) + 3
    low = _value(lower, width)
    high = low + (BASE**width - low) // BASE**2
    for length in range(1, width + 1):
        unit = BASE ** (width - length)
        candidate = (low // unit + 1) * unit
        if candidate <= high:
            return _rank(candidate, width)
    raise AssertionError("a rank always fits above another")


def _shortest_below(upper: str) -> str:
    """The shortest rank in the last 1/62² of the space below ``upper`` (cards put on top)."""
    width = len(upper) + 3
    high = _value(upper, width)
    low = high - high // BASE**2
    for length in range(1, width + 1):
        unit = BASE ** (width - length)
        candidate = ((high - 1) // unit) * unit
        if low <= candidate and candidate > 0:
            return _rank(candidate, width)
    raise AssertionError("a rank always fits below another")


def _value(rank: str, width: int) -> int:
    value = 0
    for digit in rank.ljust(width, DIGITS[0]):
        value = value * BASE + _VALUE[digit]
    return value


def _rank(value: int, width: int) -> str:
    digits = []
    for _ in range(width):
        value, remainder = divmod(value, BASE)
        digits.append(DIGITS[remainder])
    return "".join(reversed(digits)).rstrip(DIGITS[0])


def _digit(rank: str, index: int) -> str:
    return rank[index] if index < len(rank) else DIGITS[0]


def spaced_ranks(count: int) -> list[str]:
    """``count`` ranks in increasing order, evenly spread and as short as they can be."""
    if count <= 0:
        return []
    width = max(1, math.ceil(math.log(count + 1, BASE)) + 1)
    span = BASE**width
    return [_rank(position * span // (count + 1), width) for position in range(1, count + 1)]


def needs_rebalance(ranks: list[str]) -> bool:
    return any(len(rank) > MAX_RANK_LENGTH for rank in ranks)
