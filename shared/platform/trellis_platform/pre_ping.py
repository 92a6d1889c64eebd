"""Checking a pooled connection before use, without a round trip when nothing happened.

A pool with ``pre_ping`` runs an empty query each time it hands out a connection, so that
one the server closed (a restart, a terminated backend) is replaced rather than failing
the request. That is a round trip per connection taken: a command took three, and paid
three more for the checks. The server does not close a connection silently: it sends
an error and closes the socket, which makes the socket readable. So a connection whose
socket has nothing to read is handed out as it is, and only one with something to read
is pinged (and replaced by the pool if that fails), exactly as before.
"""

from __future__ import annotations

import select
from typing import Any

import psycopg
from eventsourcing.application import Application
from eventsourcing.postgres import PostgresDatastore
from psycopg_pool import AsyncConnectionPool, ConnectionPool


def check_unless_quiet(conn: psycopg.Connection[Any]) -> None:
    """The pool's check: raises when the connection cannot be used (the pool then takes
    another); pings only a connection whose socket has something to say."""
    if _has_something_to_say(conn.pgconn, conn.closed):
        ConnectionPool.check_connection(conn)


async def check_unless_quiet_async(conn: psycopg.AsyncConnection[Any]) -> None:
    """``check_unless_quiet`` for an async pool."""
    if _has_something_to_say(conn.pgconn, conn.closed):
        await AsyncConnectionPool.check_connection(conn)


def _has_something_to_say(pgconn: psycopg.pq.abc.PGconn, closed: bool) -> bool:
    """Raises when the connection is closed; True when its socket is readable."""
    if closed or pgconn.status != psycopg.pq.ConnStatus.OK:
        raise psycopg.OperationalError("the connection is closed")
    poll = select.poll()
    poll.register(pgconn.socket, select.POLLIN | select.POLLPRI)
    return bool(poll.poll(0))


def quick_pre_ping(datastore: PostgresDatastore) -> PostgresDatastore:
    """Gives a pre-pinging datastore's pool ``check_unless_quiet`` as its check.

    psycopg_pool takes its check at construction only and eventsourcing builds the pool
    itself, hence the private attribute; if a later psycopg_pool names it otherwise, the
    pool keeps its full ping (slower, as safe).
    """
    pool: Any = datastore.pool
    if getattr(pool, "_check", None) is not None:
        pool._check = check_unless_quiet
    return datastore


def quick_pre_ping_of(application: Application[Any]) -> None:
    """The same for an eventsourcing application's own pool (when it is on PostgreSQL)."""
    found = getattr(application.factory, "datastore", None)
    if isinstance(found, PostgresDatastore):
        quick_pre_ping(found)
