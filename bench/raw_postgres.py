"""Raw PostgreSQL baselines: single-row insert-and-commit, and reading a table end to end."""

from __future__ import annotations

import asyncio
import time
import uuid

import psycopg
from psycopg import sql

from bench.http_load import LoadResult

RAW_TABLE = "bench_raw_commits"


def create_raw_table(database_url: str) -> None:
    """Shaped like an event store's table (bigserial notification id, primary key), no lock."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(sql.SQL(
            "CREATE TABLE IF NOT EXISTS {} (originator_id uuid NOT NULL, originator_version bigint NOT NULL,"
            " topic text, state bytea, notification_id bigserial UNIQUE,"
            " PRIMARY KEY (originator_id, originator_version))").format(sql.Identifier(RAW_TABLE)))


async def raw_commits(database_url: str, *, topic: str, state: bytes, concurrency: int, seconds: float,
                      warmup_seconds: float = 1.0) -> LoadResult:
    """``concurrency`` connections each inserting one row and committing, back to back."""
    latencies: list[float] = []
    started = time.perf_counter()
    measure_from = started + warmup_seconds
    stop_at = measure_from + seconds
    statement = sql.SQL(
        "INSERT INTO {} (originator_id, originator_version, topic, state) VALUES (%s, 1, %s, %s)"
    ).format(sql.Identifier(RAW_TABLE))

    async def client() -> None:
        async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
            while True:
                sent = time.perf_counter()
                if sent >= stop_at:
                    return
                # autocommit: the INSERT is its own transaction, committed when it returns.
                await conn.execute(statement, (uuid.uuid4(), topic, state), prepare=True)
                done = time.perf_counter()
                if sent >= measure_from:
                    latencies.append(done - sent)

    await asyncio.gather(*(client() for _ in range(concurrency)))
    return LoadResult(latencies, time.perf_counter() - measure_from, 0, {}, [])


def raw_read(database_url: str, table: sql.Composable, *, fetch: int = 10_000) -> tuple[int, float, int]:
    """Reads every row of ``table`` in notification order with a server-side cursor.

    Returns (rows, seconds, bytes of state read).
    """
    rows = 0
    size = 0
    started = time.perf_counter()
    with psycopg.connect(database_url) as conn, conn.cursor(name="bench_raw_read") as cursor:
        cursor.itersize = fetch
        cursor.execute(sql.SQL("SELECT notification_id, originator_id, originator_version, topic, state"
                               " FROM {} ORDER BY notification_id").format(table))
        for row in cursor:
            rows += 1
            size += len(row[4])
    return rows, time.perf_counter() - started, size
