"""The faults, injected one at a time at random moments while the workload runs.

- ``kill-api``, ``kill-relay``, ``kill-portal-consumers``, ``kill-budget-consumers``:
  kill -9 of one process of that kind (chosen at random, every one of them in turn over
  a long run), restarted a moment later;
- ``kafka-restart``: the broker stopped (or, every other time, killed) and started again;
- ``postgres-restart``: PostgreSQL stopped with a fast shutdown (or, every other time,
  killed, so that it recovers from its WAL) and started again;
- ``rebalance``: one consumers process frozen (SIGSTOP) for longer than its group's
  session timeout, so the broker hands its partitions to the other instance, then
  thawed (SIGCONT) to find itself out of the group mid-batch;
- ``poison``: a record no consumer can apply (not JSON, or a known type whose data
  breaks its contract) published straight to an event topic, on its busiest partition.

A watchdog restarts any process that exits on its own and records it: that is a finding.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import random
import signal
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from aiokafka import AIOKafkaProducer

from tests.faults.harness import APIS, BUDGET_CONSUMERS, EVENT_TOPICS, PORTAL_CONSUMERS, RELAYS, FaultStack
from tests.faults.invariants import Poison
from tests.faults.kafka_io import end_offsets
from trellis_contracts.registry import BY_TYPE

logger = logging.getLogger(__name__)

KINDS = ("kill-api", "kill-relay", "kill-portal-consumers", "kill-budget-consumers",
         "kafka-restart", "postgres-restart", "rebalance", "poison")
TARGETS = {"kill-api": APIS, "kill-relay": RELAYS, "kill-portal-consumers": PORTAL_CONSUMERS,
           "kill-budget-consumers": BUDGET_CONSUMERS}
# Longer than the consumers' session timeout (aiokafka's default, 10 s) with room to spare.
FROZEN_SECONDS = 16.0
POISON_KINDS = ("not-json", "contract-violation")


@dataclass(frozen=True)
class Injected:
    kind: str
    target: str
    at: float
    seconds: float
    # For a pause: whether the consumer groups were seen rebalancing.
    rebalanced: bool | None = None


@dataclass
class Injectors:
    stack: FaultStack
    rng: random.Random
    started: float = field(default_factory=time.monotonic)
    injected: list[Injected] = field(default_factory=list)
    poison: list[Poison] = field(default_factory=list)
    unexpected_exits: list[str] = field(default_factory=list)
    # Processes the suite took down on purpose: the watchdog leaves them alone.
    down: set[str] = field(default_factory=set)
    _turns: Counter[str] = field(default_factory=Counter)
    _watching: bool = True

    def schedule(self, rounds: int, *, every_target: bool) -> list[str]:
        """Every kind ``rounds`` times, shuffled; with ``every_target`` each kill kind also
        comes often enough to kill each of its processes at least once."""
        plan = [kind for kind in KINDS for _ in range(rounds)]
        if every_target:
            for kind, targets in TARGETS.items():
                plan += [kind] * max(0, len(targets) - rounds)
        self.rng.shuffle(plan)
        return plan

    async def inject(self, kind: str) -> None:
        turn = self._turns[kind]
        self._turns[kind] += 1
        began = time.monotonic()
        rebalanced: bool | None = None
        if kind in TARGETS:
            target = await self._kill(self._pick(kind, turn))
        elif kind == "kafka-restart":
            target = await self._restart_kafka(crash=turn % 2 == 1)
        elif kind == "postgres-restart":
            target = await self._restart_postgres(crash=turn % 2 == 1)
        elif kind == "rebalance":
            target, rebalanced = await self._freeze((PORTAL_CONSUMERS, BUDGET_CONSUMERS)[turn % 2])
        elif kind == "poison":
            target = await self._poison(EVENT_TOPICS[turn % len(EVENT_TOPICS)], POISON_KINDS[turn % 2])
        else:
            raise ValueError(kind)
        self.injected.append(
            Injected(kind, target, began - self.started, time.monotonic() - began, rebalanced))
        logger.warning("fault %s on %s took %.1fs", kind, target, time.monotonic() - began)

    def _pick(self, kind: str, turn: int) -> str:
        targets = list(TARGETS[kind])
        # In order over a shuffled list: every target once before any twice.
        order = random.Random(f"{kind}").sample(targets, len(targets))
        return order[turn % len(order)] if turn < len(order) else self.rng.choice(targets)

    async def _kill(self, name: str) -> str:
        self.down.add(name)
        try:
            await asyncio.to_thread(self.stack.kill, name)
            await asyncio.sleep(self.rng.uniform(0.5, 3.0))
            await asyncio.to_thread(self.stack.start, name)
        finally:
            self.down.discard(name)
        return name

    async def _restart_kafka(self, *, crash: bool) -> str:
        await asyncio.to_thread(self.stack.crash_kafka if crash else self.stack.stop_kafka)
        await asyncio.sleep(self.rng.uniform(3.0, 10.0))
        await asyncio.to_thread(self.stack.start_kafka)
        return "kafka (killed)" if crash else "kafka (stopped)"

    async def _restart_postgres(self, *, crash: bool) -> str:
        await asyncio.to_thread(self.stack.crash_postgres if crash else self.stack.stop_postgres)
        await asyncio.sleep(self.rng.uniform(3.0, 10.0))
        await asyncio.to_thread(self.stack.start_postgres)
        return "postgres (killed)" if crash else "postgres (stopped)"

    async def _freeze(self, names: tuple[str, ...]) -> tuple[str, bool]:
        """Freezes one instance; True if the groups were then seen rebalancing: the other
        instance told to rejoin, or the thawed one told it was no longer a member."""
        name = self.rng.choice(names)
        other = next(n for n in names if n != name)
        pid = self.stack.pid(name)
        if pid is None:
            return f"{name} (not running)", False
        logs = {n: self.stack.paths.log(n) for n in (name, other)}
        before = {n: path.stat().st_size if path.exists() else 0 for n, path in logs.items()}
        self.down.add(name)
        try:
            os.kill(pid, signal.SIGSTOP)
            try:
                await asyncio.sleep(FROZEN_SECONDS)
            finally:
                os.kill(pid, signal.SIGCONT)
        finally:
            self.down.discard(name)
        deadline = time.monotonic() + 30.0
        while time.monotonic() < deadline:
            said = " ".join(_read_from(path, before[n]) for n, path in logs.items())
            if "rebalancing" in said or "re-joining" in said:
                return name, True
            await asyncio.sleep(1.0)
        return name, False

    async def _poison(self, topic: str, kind: str) -> str:
        """Onto the topic's busiest partition, so that live events queue up behind it."""
        value = b"{not json" if kind == "not-json" else _contract_violation(topic)
        ends = await end_offsets(self.stack.bootstrap, (topic,))
        busiest = int(max(sorted(ends), key=lambda tp: ends[tp]).rsplit(":", 1)[1])
        producer = AIOKafkaProducer(bootstrap_servers=self.stack.bootstrap, acks="all",
                                    enable_idempotence=True)
        await producer.start()
        try:
            sent = await producer.send_and_wait(topic, value=value, key=str(uuid.uuid4()).encode(),
                                                partition=busiest)
        finally:
            await producer.stop()
        self.poison.append(Poison(topic, sent.partition, sent.offset, kind))
        return f"{topic}:{sent.partition}@{sent.offset} ({kind})"

    # -- the watchdog -----------------------------------------------------------------------

    async def watch(self, stopping: asyncio.Event) -> None:
        """Restarts whatever exits without being killed, and records it."""
        while not stopping.is_set():
            for name in self.stack.process_names:
                if name in self.down or self.stack.running(name):
                    continue
                await asyncio.sleep(0.5)  # the injector may be about to mark it
                if name in self.down or self.stack.running(name):
                    continue
                tail = self.stack.log_tail(name)
                self.unexpected_exits.append(f"{name} exited on its own at "
                                             f"{time.monotonic() - self.started:.0f}s; {tail[-1500:]}")
                logger.error("%s exited on its own; restarting it", name)
                self.down.add(name)
                try:
                    await asyncio.to_thread(self.stack.start, name)
                except Exception:
                    logger.exception("restarting %s failed", name)
                finally:
                    self.down.discard(name)
            await asyncio.sleep(1.0)

    def by_kind(self) -> dict[str, int]:
        return dict(sorted(Counter(i.kind for i in self.injected).items()))


def _read_from(path: Path, offset: int) -> str:
    with path.open("rb") as log:
        log.seek(offset)
        return log.read().decode("utf-8", "replace")


def _contract_violation(topic: str) -> bytes:
    """A well-formed CloudEvent of a type this topic carries, whose data breaks its contract."""
    event_type = sorted(t for t, contract in BY_TYPE.items() if contract.topic == topic)[0]
    return json.dumps({
        "specversion": "1.0", "id": str(uuid.uuid4()), "source": "/fault-suite", "type": event_type,
        "subject": str(uuid.uuid4()), "time": datetime.now(UTC).isoformat(),
        "datacontenttype": "application/json", "dataschema": "schemas/poison",
        "organisationid": str(uuid.uuid4()), "aggregateversion": 1, "data": {"poison": True},
    }).encode()
