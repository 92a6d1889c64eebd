"""Consumer processes collect garbage less often, but never rarely."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from trellis_platform.runners import collect_garbage_for_batches


@pytest.fixture
def restored_collector() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


@pytest.mark.usefixtures("restored_collector")
def test_start_up_objects_are_frozen_and_young_objects_collected_in_batches() -> None:
    collect_garbage_for_batches()
    assert gc.get_freeze_count() > 0, "what start-up made is out of the collector's sight"
    young, _, _ = gc.get_threshold()
    assert young >= 10_000, "not every few events of a batch"


@pytest.mark.usefixtures("restored_collector")
def test_a_full_collection_still_comes_every_few_million_allocations() -> None:
    collect_garbage_for_batches()
    young, middle, old = gc.get_threshold()
    assert young * middle * old <= 10_000_000, "cyclic garbage must not wait hours under live load"
