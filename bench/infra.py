"""The real infrastructure for a benchmark run: PostgreSQL and Kafka as `make up` starts them.

State lives in <repo>/.local/bench (or $TRELLIS_BENCH_LOCAL_DIR), apart from `make up`'s
and the tests'. ``infrastructure()`` starts what is not running and stops, at the end,
only what it started: `make bench` starts both once for every benchmark, while a single
`make bench-<name>` starts and stops them for itself. Each benchmark works in a database
and on topics of its own, created fresh and dropped afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import UnknownTopicOrPartitionError
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from trellis_local.kafka import LocalKafka
from trellis_local.paths import REPO_ROOT, LocalPaths, local_paths
from trellis_local.postgres import LocalPostgres

STATE_DIR_ENV = "TRELLIS_BENCH_LOCAL_DIR"


def bench_paths() -> LocalPaths:
    return local_paths(Path(os.environ.get(STATE_DIR_ENV) or REPO_ROOT / ".local" / "bench"))


@dataclass
class Infra:
    paths: LocalPaths
    server_dsn: str
    bootstrap: str
    _databases: list[str] = field(default_factory=list)

    def fresh_database(self, label: str) -> str:
        name = f"bench_{label}_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(self.server_dsn, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        self._databases.append(name)
        params = conninfo_to_dict(self.server_dsn)
        params["dbname"] = name
        return make_conninfo("", **params)

    def memory(self) -> dict[str, float]:
        """PostgreSQL's memory (PSS of the postmaster and its backends) and Kafka's (RSS), MiB."""
        from bench.stats import pss_mib, rss_mib

        found: dict[str, float] = {}
        postgres = LocalPostgres(self.paths).status()
        if postgres["pid"]:
            found["postgresql"] = pss_mib([int(postgres["pid"])])
        kafka = LocalKafka(self.paths).status()
        if kafka["pid"]:
            found["kafka"] = rss_mib([int(kafka["pid"])])
        return found

    def drop_databases(self) -> None:
        with psycopg.connect(self.server_dsn, autocommit=True) as conn:
            for name in self._databases:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        self._databases.clear()


@contextlib.contextmanager
def infrastructure() -> Iterator[Infra]:
    paths = bench_paths()
    postgres = LocalPostgres(paths)
    kafka = LocalKafka(paths)
    started_postgres = not postgres.status()["running"]
    started_kafka = not kafka.status()["running"]
    if started_kafka:
        # Each run starts from empty topics: nothing of a previous run is measured.
        shutil.rmtree(paths.kafka_data, ignore_errors=True)
    infra: Infra | None = None
    try:
        server_dsn = postgres.start()
        bootstrap = kafka.start()
        infra = Infra(paths, server_dsn, bootstrap)
        yield infra
    finally:
        if infra is not None:
            with contextlib.suppress(psycopg.Error):
                infra.drop_databases()
        if started_kafka:
            kafka.stop()
        if started_postgres:
            postgres.stop()


def recreate_topics(bootstrap: str, topics: Sequence[str]) -> None:
    """Deletes the topics (and with them their consumer groups' offsets) if they exist."""

    async def run() -> None:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
        await admin.start()
        try:
            existing = set(await admin.list_topics())
            doomed = [t for t in topics if t in existing]
            if doomed:
                with contextlib.suppress(UnknownTopicOrPartitionError):
                    await admin.delete_topics(doomed)
                for _ in range(100):
                    if not set(await admin.list_topics()) & set(doomed):
                        break
                    await asyncio.sleep(0.1)
        finally:
            await admin.close()

    asyncio.run(run())


async def end_offsets(bootstrap: str, topic: str) -> dict[int, int]:
    # Subscribed at construction, so that start() fetches the topic's metadata.
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=None)
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        ends = await consumer.end_offsets(partitions)
        return {tp.partition: offset for tp, offset in ends.items()}
    finally:
        await consumer.stop()


async def reset_group(bootstrap: str, group_id: str, topic: str) -> None:
    """Rewinds an idle consumer group to the start of a topic (a rebuild from history)."""
    partitions = await end_offsets(bootstrap, topic)
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group_id, enable_auto_commit=False)
    await consumer.start()
    try:
        assigned = [TopicPartition(topic, p) for p in sorted(partitions)]
        consumer.assign(assigned)
        await consumer.commit({tp: 0 for tp in assigned})
    finally:
        await consumer.stop()
