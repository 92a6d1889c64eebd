"""Load held: memory per process stays flat over a soak of ten minutes or more.

Runs only when asked, by ``make soak`` (``pytest tests/faults/soak_run.py``): the file name
keeps it out of ``make test``'s collection rather than a skip. It takes as long as
TRELLIS_SOAK_MINUTES says (default 12). On its own PostgreSQL and Kafka, under
``<test state>/soak``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.faults.harness import FaultStack
from tests.faults.soak import Soak, write_results
from trellis_local.paths import LocalPaths

SOAK_ENV = "TRELLIS_SOAK_MINUTES"
MINUTES = float(os.environ.get(SOAK_ENV, "12"))

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.kafka,
]


@pytest.fixture
def soak_stack(test_paths: LocalPaths) -> Iterator[FaultStack]:
    with FaultStack(test_paths.root / "soak").fresh() as stack:
        yield stack


@pytest.mark.timeout(int(MINUTES * 60) + 1500)
async def test_memory_per_process_stays_flat_under_a_steady_load(soak_stack: FaultStack) -> None:
    result = await Soak(soak_stack, MINUTES).run()
    data, table = write_results(result)
    print(f"\n{table.read_text()}\nresults: {data}, {table}")

    assert MINUTES >= 10, "a soak is ten minutes or more"
    assert not result["too_much_growth"], f"grew past the bound: {result['too_much_growth']}"
    broken = [f"{c['name']}: {c['problems'][:5]}" for c in result["invariants"] if not c["holds"]]
    assert not broken, "\n".join(broken)
