"""Thresholds fire once per crossing, and again only after the value fell back below."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from trellis_budget.domain.thresholds import Reading, Thresholds, changes


def crossings(values: list[Decimal | None], thresholds: Thresholds | None = None) -> list[str]:
    thresholds = thresholds or Thresholds()
    crossed: frozenset[str] = frozenset()
    fired = []
    for value in values:
        for change in changes(thresholds, crossed, Reading(value, None)):
            if change.crossed:
                fired.append(change.key)
                crossed = crossed | {change.key}
            else:
                crossed = crossed - {change.key}
    return fired


def test_defaults_are_50_80_100_percent_and_eac_above_budget() -> None:
    assert Thresholds().keys() == ["used_50", "used_80", "used_100", "eac_above_budget"]


def test_a_jump_past_two_thresholds_fires_both_once() -> None:
    assert crossings([Decimal(10), Decimal(85), Decimal(90), Decimal(85)]) == ["used_50", "used_80"]


def test_a_threshold_fires_again_only_after_falling_back_below_it() -> None:
    values = [Decimal(81), Decimal("79.99"), Decimal(80), Decimal(81)]
    assert crossings(values) == ["used_50", "used_80", "used_80"]


def test_an_unknown_reading_neither_fires_nor_rearms() -> None:
    assert crossings([Decimal(81), None, Decimal(82)]) == ["used_50", "used_80"]


def test_eac_above_budget_is_a_threshold_of_its_own() -> None:
    thresholds = Thresholds()
    first = changes(thresholds, frozenset(), Reading(Decimal(10), True))
    assert [(c.key, c.crossed) for c in first] == [("eac_above_budget", True)]
    assert changes(thresholds, frozenset({"eac_above_budget"}), Reading(Decimal(10), True)) == []


@given(st.lists(st.decimals(0, 150, places=2), max_size=40))
def test_each_threshold_fires_once_per_upward_crossing(values: list[Decimal]) -> None:
    fired = crossings(list(values))
    for percent in (50, 80, 100):
        upward, above = 0, False
        for value in values:
            if value >= percent and not above:
                upward += 1
            above = value >= percent
        assert fired.count(f"used_{percent}") == upward
