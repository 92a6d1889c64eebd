"""Nothing acknowledged is lost, and every effect happens once, while processes are killed,
Kafka and PostgreSQL restart, a consumer group rebalances and poison arrives.

The distributed mode runs on a PostgreSQL and a Kafka of its own (under
``<test state>/faults``), because this test stops and kills them. A steady mixed
workload goes through the gateway the whole time; see suite.py for the two lengths
(short under ``make test``, full under ``make test-faults``) and invariants.py for what
is checked afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.faults.harness import FaultStack
from tests.faults.injectors import KINDS
from tests.faults.suite import Mode, run_suite
from trellis_local.paths import LocalPaths

pytestmark = [pytest.mark.e2e, pytest.mark.kafka]

MODE = Mode.from_env()


@pytest.fixture
def fault_stack(test_paths: LocalPaths) -> Iterator[FaultStack]:
    with FaultStack(test_paths.root / "faults").fresh() as stack:
        yield stack


@pytest.mark.timeout(3600 if MODE.name == "full" else 1200)
async def test_promises_hold_through_kills_restarts_a_rebalance_and_poison(fault_stack: FaultStack) -> None:
    report = await run_suite(fault_stack, MODE)

    assert set(report["faults_by_kind"]) == set(KINDS), "every kind of fault was injected"
    assert report["commands"]["acknowledged"] > 0
    assert report["events"]["stored"] > 0
    broken = [f"{c['name']}: {c['problems'][:5]}" for c in report["invariants"] if not c["holds"]]
    assert not broken, "\n".join(broken)


def test_modes_are_named_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRELLIS_FAULTS", "full")
    assert Mode.from_env().rounds > 1
    monkeypatch.setenv("TRELLIS_FAULTS", "sometimes")
    with pytest.raises(ValueError, match="short"):
        Mode.from_env()
