"""One run of the fault suite: workload on, faults one after another, workload off, wait
for the system to come to rest, check every invariant, report.

``TRELLIS_FAULTS=full`` (``make test-faults``) runs every fault kind three times and kills
every process of each kind at least once, over several minutes; the default, short form
(what ``make test`` runs) injects each kind once in two to three minutes.
``TRELLIS_FAULTS_SEED`` replays a run's choices (the report names its seed).
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from dataclasses import dataclass
from typing import Any

from tests.faults.harness import FaultStack
from tests.faults.injectors import Injectors
from tests.faults.invariants import Findings, check_everything, settled
from tests.faults.report import build_report, summary, write_report
from tests.faults.workload import Workload

MODE_ENV = "TRELLIS_FAULTS"
SEED_ENV = "TRELLIS_FAULTS_SEED"
SETTLE_SECONDS = 420.0


@dataclass(frozen=True)
class Mode:
    name: str
    rounds: int
    every_target: bool
    gap: tuple[float, float]  # seconds of workload between two faults
    warm_up: float
    cool_down: float
    rate: float  # commands per second
    concurrency: int

    @classmethod
    def from_env(cls) -> Mode:
        name = os.environ.get(MODE_ENV, "short")
        if name == "full":
            return cls("full", rounds=3, every_target=True, gap=(4.0, 12.0), warm_up=15.0, cool_down=10.0,
                       rate=12.0, concurrency=8)
        if name == "short":
            return cls("short", rounds=1, every_target=False, gap=(2.0, 5.0), warm_up=8.0, cool_down=5.0,
                       rate=12.0, concurrency=8)
        raise ValueError(f"{MODE_ENV} must be 'short' or 'full', not {name!r}")


async def wait_until_settled(stack: FaultStack, timeout: float = SETTLE_SECONDS) -> dict[str, int]:
    """Polls until nothing is owed twice in a row; returns what is still owed at the end."""
    deadline = time.monotonic() + timeout
    calm = 0
    owed: dict[str, int] = {"nothing checked yet": 1}
    while time.monotonic() < deadline:
        try:
            owed = await settled(stack.database_url, stack.bootstrap)
        except Exception as error:  # the infrastructure may still be coming back
            owed = {f"cannot tell yet: {type(error).__name__}": 1}
        calm = calm + 1 if not owed else 0
        if calm >= 2:
            return {}
        await asyncio.sleep(2.0)
    return owed


async def _ready(workload: Workload, load: asyncio.Task[None], timeout: float = 300.0) -> None:
    """Until a first scenario went through every service end to end (so every process is
    up and serving before the first fault); the workload's failure if it fails first."""
    deadline = time.monotonic() + timeout
    while not any(s.finished for s in workload.scenarios):
        if load.done():
            await load
            raise AssertionError("the workload stopped before any scenario finished")
        if time.monotonic() > deadline:
            raise AssertionError(f"no scenario finished within {timeout:.0f}s of the start")
        await asyncio.sleep(0.5)


async def run_suite(stack: FaultStack, mode: Mode) -> dict[str, Any]:
    seed = int(os.environ.get(SEED_ENV, str(random.SystemRandom().randrange(1, 10**6))))
    rng = random.Random(seed)
    workload = Workload(stack.gateway_url, rate=mode.rate, concurrency=mode.concurrency)
    injectors = Injectors(stack, rng)
    started = time.monotonic()
    stopping, watching = asyncio.Event(), asyncio.Event()
    load = asyncio.create_task(workload.run(stopping), name="workload")
    watchdog = asyncio.create_task(injectors.watch(watching), name="watchdog")
    try:
        try:
            await _ready(workload, load)
            await asyncio.sleep(mode.warm_up)
            for kind in injectors.schedule(mode.rounds, every_target=mode.every_target):
                await injectors.inject(kind)
                await asyncio.sleep(rng.uniform(*mode.gap))
            await asyncio.sleep(mode.cool_down)
        finally:
            stopping.set()
            await load
        owed = await wait_until_settled(stack)
    finally:
        watching.set()
        await watchdog
    findings: Findings = await check_everything(stack.database_url, stack.bootstrap, workload,
                                                injectors.poison, injectors.unexpected_exits)
    findings.add("every pause made the paused consumer's groups rebalance",
                 [f"{i.target} paused at {i.at:.0f}s: no rebalance seen" for i in injectors.injected
                  if i.kind == "rebalance" and not i.rebalanced],
                 pauses=sum(1 for i in injectors.injected if i.kind == "rebalance"))
    findings.add("the system came to rest after the faults",
                 [f"{who} still owes {n}" for who, n in owed.items()])
    report = build_report(mode=mode.name, seed=seed, seconds=time.monotonic() - started, workload=workload,
                          injectors=injectors, findings=findings)
    path = write_report(report, stack.root)
    print(f"\n{summary(report)}\n  report: {path}")
    return report
