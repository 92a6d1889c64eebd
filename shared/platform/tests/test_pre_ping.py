"""A pooled connection the server closed is replaced before anyone uses it, though a quiet
one is handed out without a round trip."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from psycopg_pool import ConnectionPool

from trellis_platform import pre_ping
from trellis_platform.database import datastore
from trellis_platform.pre_ping import check_unless_quiet, quick_pre_ping


def terminate(database_url: str, pid: int) -> None:
    """Returns once the backend has exited: it sent its goodbye on the socket before that."""
    with psycopg.connect(database_url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s, 10000)", (pid,))


def test_a_connection_the_server_closed_is_replaced_before_use(database_url: str) -> None:
    store = quick_pre_ping(datastore(database_url, "public", pool_size=1))
    try:
        with store.get_connection() as conn:
            closed_pid = conn.info.backend_pid
        terminate(database_url, closed_pid)
        with store.get_connection() as conn:
            assert conn.execute("SELECT 1").fetchone() is not None
            assert conn.info.backend_pid != closed_pid
    finally:
        store.close()


class CountingPings:
    pings = 0

    @classmethod
    def check_connection(cls, conn: Any) -> None:
        cls.pings += 1
        ConnectionPool.check_connection(conn)


def test_only_a_connection_with_something_to_read_is_pinged(database_url: str,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pre_ping, "ConnectionPool", CountingPings)
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("SELECT 1")
        check_unless_quiet(conn)
        assert CountingPings.pings == 0
        terminate(database_url, conn.info.backend_pid)
        with pytest.raises(psycopg.OperationalError):
            check_unless_quiet(conn)
        assert CountingPings.pings == 1
