"""Read-model queries awaited on the event loop, from an async connection pool.

A read route that sends its query to the threadpool pays for the hand-off there and
back and, under load, for its threads taking turns with the event loop at the GIL: on
the portal project view that was 1.3 of 2.8 ms of CPU per request, and most of its p99
(bench/results/profile-and-fixes.md). Here the query is awaited on the loop itself.

A pool belongs to the event loop that opened it (its connections and its maintenance
tasks do), so each loop that asks gets its own, opened on its first query: the server's
one loop in production, a test client's loop in tests. ``close`` closes the pool of the
loop it is awaited in (an app's lifespan does it on shutdown); the pool of a loop that
is gone is dropped with it.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Sequence
from typing import Any

from psycopg import AsyncConnection, sql
from psycopg.rows import DictRow, dict_row
from psycopg_pool import AsyncConnectionPool

from trellis_platform.pre_ping import check_unless_quiet_async

Pool = AsyncConnectionPool[AsyncConnection[DictRow]]
# A query waits this long for a connection (the database restarting, say) before the
# request is answered 503, as the synchronous pools do.
CONNECTION_TIMEOUT_SECONDS = 5.0


class AsyncReads:
    def __init__(self, database_url: str, *, max_size: int = 10) -> None:
        self._database_url = database_url
        self._max_size = max_size
        self._pools: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Task[Pool]] = (
            weakref.WeakKeyDictionary()
        )

    async def fetchone(self, query: sql.Composed, params: Sequence[Any]) -> dict[str, Any] | None:
        """One row or None, on an autocommit connection: one statement, one round trip."""
        pool = await self._pool()
        async with pool.connection() as conn:
            cursor = await conn.execute(query, params, prepare=True)
            row: dict[str, Any] | None = await cursor.fetchone()
            return row

    async def close(self) -> None:
        opening = self._pools.pop(asyncio.get_running_loop(), None)
        if opening is not None:
            await (await opening).close()

    def _pool(self) -> asyncio.Task[Pool]:
        # The task, not the pool, is kept: requests arriving while it opens await the same one.
        loop = asyncio.get_running_loop()
        opening = self._pools.get(loop)
        if opening is None or (opening.done() and (opening.cancelled() or opening.exception() is not None)):
            opening = self._pools[loop] = loop.create_task(self._open())
        return opening

    async def _open(self) -> Pool:
        pool: Pool = AsyncConnectionPool(
            self._database_url,
            connection_class=AsyncConnection[DictRow],
            kwargs={"autocommit": True, "row_factory": dict_row},
            min_size=1,
            max_size=self._max_size,
            timeout=CONNECTION_TIMEOUT_SECONDS,
            check=check_unless_quiet_async,
            open=False,
        )
        await pool.open()
        return pool
