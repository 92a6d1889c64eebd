"""LocalPostgres against a real server in a temporary state directory."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from trellis_local import ports
from trellis_local.errors import LocalInfraError
from trellis_local.paths import local_paths
from trellis_local.postgres import LocalPostgres


@pytest.fixture
def postgres(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalPostgres]:
    # Through the environment, as `make up` and the CLI find it, not via a parameter.
    monkeypatch.setenv("TRELLIS_LOCAL_DIR", str(tmp_path / "state"))
    server = LocalPostgres()
    yield server
    server.stop()


def test_data_survives_a_stop_and_start(postgres: LocalPostgres) -> None:
    dsn = postgres.start()
    port = ports.stored_port(postgres.paths, "postgres")
    assert dsn == f"postgresql://postgres@127.0.0.1:{port}/trellis"
    assert postgres.paths.root == local_paths().root
    with psycopg.connect(dsn) as conn:
        conn.execute("CREATE TABLE notes (body text NOT NULL)")
        conn.execute("INSERT INTO notes VALUES ('kept across restarts')")

    postgres.stop()
    assert postgres.status()["running"] is False
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(dsn, connect_timeout=2)

    assert postgres.start() == dsn
    with psycopg.connect(dsn) as conn:
        rows = conn.execute("SELECT body FROM notes").fetchall()
        settings = conn.execute(
            "SELECT current_setting('max_connections'), current_setting('fsync'),"
            " current_setting('server_encoding')"
        ).fetchone()
    assert rows == [("kept across restarts",)]
    assert settings == ("300", "on", "UTF8")
    status = postgres.status()
    assert status["running"] is True
    assert status["dsn"] == dsn
    assert Path(status["log"]).read_text().count("database system is ready to accept connections") == 2


def test_starting_twice_is_harmless(postgres: LocalPostgres) -> None:
    first = postgres.start()
    pid = postgres.status()["pid"]
    assert postgres.start() == first
    assert postgres.status()["pid"] == pid


def test_committed_data_survives_a_kill(postgres: LocalPostgres) -> None:
    dsn = postgres.start()
    with psycopg.connect(dsn) as conn:
        conn.execute("CREATE TABLE ledger (amount int NOT NULL)")
        conn.execute("INSERT INTO ledger VALUES (42)")

    postgres.kill()
    assert postgres.status()["running"] is False

    assert postgres.start() == dsn
    with psycopg.connect(dsn) as conn:
        assert conn.execute("SELECT amount FROM ledger").fetchall() == [(42,)]


def test_a_taken_port_is_reported_with_its_owner(postgres: LocalPostgres) -> None:
    port = ports.assigned_port(postgres.paths, "postgres")
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", port))
        squatter.listen()
        with pytest.raises(LocalInfraError) as caught:
            postgres.start()
    message = str(caught.value)
    assert str(port) in message
    assert f"pid {os.getpid()}" in message
