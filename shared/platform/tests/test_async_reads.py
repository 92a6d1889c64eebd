"""Read-model queries awaited on the event loop: each loop gets its own pool, a connection
the server closed is replaced before use, and a closed pool is opened again if asked."""

from __future__ import annotations

import asyncio

import psycopg
from psycopg import sql

from trellis_platform.async_reads import AsyncReads

WHO_AM_I = sql.SQL("SELECT pg_backend_pid() AS pid, %s::int AS asked")


def terminate(database_url: str, pid: int) -> None:
    with psycopg.connect(database_url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s, 10000)", (pid,))


def test_a_row_comes_back_as_a_dict_and_no_row_as_none(database_url: str) -> None:
    reads = AsyncReads(database_url, max_size=2)

    async def ask() -> tuple[object, object]:
        try:
            found = await reads.fetchone(WHO_AM_I, (7,))
            missing = await reads.fetchone(sql.SQL("SELECT 1 WHERE %s::int = 0"), (1,))
            return found, missing
        finally:
            await reads.close()

    found, missing = asyncio.run(ask())
    assert isinstance(found, dict)
    assert found["asked"] == 7
    assert missing is None


def test_a_connection_the_server_closed_is_replaced_before_use(database_url: str) -> None:
    reads = AsyncReads(database_url, max_size=1)

    async def ask_twice() -> tuple[int, int]:
        try:
            first = await reads.fetchone(WHO_AM_I, (1,))
            assert first is not None
            await asyncio.to_thread(terminate, database_url, first["pid"])
            second = await reads.fetchone(WHO_AM_I, (2,))
            assert second is not None
            return first["pid"], second["pid"]
        finally:
            await reads.close()

    closed, replaced = asyncio.run(ask_twice())
    assert replaced != closed


def test_every_event_loop_gets_a_pool_of_its_own(database_url: str) -> None:
    """A test client's loop, then the next one: connections never cross loops."""
    reads = AsyncReads(database_url, max_size=1)

    async def ask(n: int) -> int:
        try:
            row = await reads.fetchone(WHO_AM_I, (n,))
            assert row is not None
            return int(row["asked"])
        finally:
            await reads.close()

    assert [asyncio.run(ask(n)) for n in range(3)] == [0, 1, 2]


def test_concurrent_first_queries_share_one_pool(database_url: str) -> None:
    reads = AsyncReads(database_url, max_size=2)

    async def many() -> list[int]:
        try:
            rows = await asyncio.gather(*(reads.fetchone(WHO_AM_I, (n,)) for n in range(20)))
            return sorted({int(row["pid"]) for row in rows if row is not None})
        finally:
            await reads.close()

    assert 1 <= len(asyncio.run(many())) <= 2, "at most the pool's two connections answered"
