"""The distributed mode on infrastructure of its own, for the fault suite and the soak.

Its own PostgreSQL and Kafka under its own state directory: the suite stops, kills and
restarts them, which it must never do to the servers the rest of the tests share. Each
run starts from empty data (the Kafka jars are kept). The consumers run two instances
each, as a cluster would scale them, so that pausing one hands its partitions to the
other (a real rebalance) rather than to nobody.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psutil  # type: ignore[import-untyped]

from trellis_contracts.topics import (
    BUDGET_EVENTS_V1,
    IDENTITY_EVENTS_V1,
    PLANNING_EVENTS_V1,
    PORTAL_EVENTS_V1,
    dead_letter_topic,
)
from trellis_local import ports
from trellis_local.kafka import LocalKafka
from trellis_local.logs import with_log_tail
from trellis_local.paths import LocalPaths, local_paths
from trellis_local.postgres import LocalPostgres
from trellis_local.processes import kill_process, process_status, start_process, stop_process
from trellis_local.stack import ROLES_BY_NAME, Stack
from trellis_platform.kafka_sink import ensure_topics

# Generous limits: one tenant sends the whole workload; the limits are not under test here.
WORKLOAD_ENV = {
    "TRELLIS_GATEWAY_TENANT_RATE": "100000/s",
    "TRELLIS_GATEWAY_SIGN_IN_PER_ADDRESS": "1000/min",
    "TRELLIS_GATEWAY_SIGN_IN_PER_EMAIL": "1000/min",
    "TRELLIS_IDENTITY_SIGNUPS_PER_ADDRESS": "1000/min",
    "TRELLIS_IDENTITY_ATTEMPTS_PER_ADDRESS": "1000/min",
}

EVENT_TOPICS = (IDENTITY_EVENTS_V1, PLANNING_EVENTS_V1, PORTAL_EVENTS_V1, BUDGET_EVENTS_V1)
APIS = ("identity-api", "planning-api", "portal-api", "budget-api", "gateway")
RELAYS = ("identity-relay", "planning-relay", "portal-relay", "budget-relay")
# A second instance of each consumers process: (its name, the role it copies).
SECOND_INSTANCES = {"portal-consumers-2": "portal-consumers", "budget-consumers-2": "budget-consumers"}
PORTAL_CONSUMERS = ("portal-consumers", "portal-consumers-2")
BUDGET_CONSUMERS = ("budget-consumers", "budget-consumers-2")


@dataclass
class FaultStack:
    """One Stack on its own PostgreSQL and Kafka, plus second consumer instances."""

    root: Path
    extra_env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.paths: LocalPaths = local_paths(self.root)
        # Generous: on a busy machine a broker reloading its partitions takes minutes.
        self.postgres = LocalPostgres(self.paths, start_timeout=180.0)
        self.kafka = LocalKafka(self.paths, start_timeout=300.0)
        self.stack = Stack(self.paths, extra_env={**WORKLOAD_ENV, **self.extra_env})

    @property
    def gateway_url(self) -> str:
        return self.stack.gateway_url

    @property
    def database_url(self) -> str:
        return self.stack.infrastructure()[0]

    @property
    def bootstrap(self) -> str:
        return self.stack.infrastructure()[1]

    @property
    def process_names(self) -> tuple[str, ...]:
        return (*(role for role in ROLES_BY_NAME), *SECOND_INSTANCES)

    def wipe(self) -> None:
        """Stops whatever an earlier run left and empties the data; keeps Kafka's jars."""
        self.down()
        for path in (self.paths.postgres_dir, self.paths.kafka_data, self.paths.logs, self.paths.run):
            shutil.rmtree(path, ignore_errors=True)
        self.paths.kafka_format_record.unlink(missing_ok=True)

    @contextmanager
    def fresh(self) -> Iterator[FaultStack]:
        """A fresh stack for the block (an earlier run's leftovers wiped), stopped after."""
        self.wipe()
        try:
            self.up()
            yield self
        finally:
            self.down()

    def up(self) -> None:
        # Topics provisioned first, as a cluster's would be: the APIs' revocation readers
        # wait for identity's topic, which otherwise only its relay (started after the
        # APIs are ready) would create.
        _, bootstrap = self.stack.infrastructure()
        topics = [t for topic in EVENT_TOPICS for t in (topic, dead_letter_topic(topic))]
        asyncio.run(ensure_topics(bootstrap, topics))
        self.stack.up()
        for name in SECOND_INSTANCES:
            self.start(name)

    def down(self) -> None:
        for name in SECOND_INSTANCES:
            stop_process(name, paths=self.paths)
        self.stack.down(infrastructure=True)

    # -- processes ----------------------------------------------------------------------

    def start(self, name: str) -> None:
        copied = SECOND_INSTANCES.get(name)
        if copied is None:
            self.stack.start(name)
            return
        role = ROLES_BY_NAME[copied]
        # Its own metrics port: two processes cannot listen on one.
        env = {**self.stack.env_for(role),
               "TRELLIS_METRICS_PORT": str(ports.assigned_port(self.paths, f"{name}-metrics"))}
        start_process(name, [sys.executable, "-m", role.module, *role.args], env, paths=self.paths)

    def kill(self, name: str) -> None:
        kill_process(name, paths=self.paths)

    def pid(self, name: str) -> int | None:
        pid = process_status(name, paths=self.paths)["pid"]
        return int(pid) if pid is not None else None

    def running(self, name: str) -> bool:
        return bool(process_status(name, paths=self.paths)["running"])

    def log_tail(self, name: str) -> str:
        return with_log_tail(f"{name}:", self.paths.log(name))

    def rss_bytes(self) -> dict[str, int]:
        """Resident memory of every Trellis process and of the broker."""
        sizes: dict[str, int] = {}
        for name in self.process_names:
            pid = self.pid(name)
            if pid is not None:
                sizes[name] = _rss_of(pid)
        kafka = self.kafka.status()
        if kafka["pid"] is not None:
            sizes["kafka"] = _rss_of(int(kafka["pid"]))
        return sizes

    # -- infrastructure -----------------------------------------------------------------

    def stop_kafka(self) -> None:
        self.kafka.stop()

    def crash_kafka(self) -> None:
        self.kafka.kill()

    def start_kafka(self) -> None:
        self.kafka.start()

    def stop_postgres(self) -> None:
        self.postgres.stop()

    def crash_postgres(self) -> None:
        self.postgres.kill()

    def start_postgres(self) -> None:
        self.postgres.start()


def _rss_of(pid: int) -> int:
    """From /proc: the process's resident set, summed over its children (uvicorn has none)."""
    try:
        proc = psutil.Process(pid)
        return int(proc.memory_info().rss) + sum(int(c.memory_info().rss) for c in proc.children(True))
    except psutil.Error:
        return 0
