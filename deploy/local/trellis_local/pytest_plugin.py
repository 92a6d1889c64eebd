"""Real PostgreSQL and Kafka for the test suite, as fixtures.

Addresses given in the environment win (TRELLIS_TEST_DATABASE_URL, TRELLIS_TEST_KAFKA_BOOTSTRAP),
for a user's own servers. Otherwise the project's own scripts start them under
``.local/test`` and the session stops what it started. ``TRELLIS_TEST_INFRA=testcontainers``
asks for Docker containers instead, where a Docker engine exists (not exercised on the
project's own machines, which have none).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from trellis_local.paths import REPO_ROOT, LocalPaths, local_paths

TEST_STATE_DIR = Path(os.environ.get("TRELLIS_TEST_LOCAL_DIR", REPO_ROOT / ".local" / "test"))


def _use_testcontainers() -> bool:
    return os.environ.get("TRELLIS_TEST_INFRA") == "testcontainers"


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A PostgreSQL server DSN (its ``trellis`` database) for the whole session."""
    given = os.environ.get("TRELLIS_TEST_DATABASE_URL")
    if given:
        yield given
        return
    if _use_testcontainers():
        from testcontainers.postgres import PostgresContainer

        with PostgresContainer("postgres:18", driver=None) as container:
            yield container.get_connection_url()
        return
    from trellis_local.postgres import LocalPostgres

    server = LocalPostgres(local_paths(TEST_STATE_DIR))
    was_running = server.status()["running"]
    dsn = server.start()
    yield dsn
    if not was_running:
        server.stop()


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    """A Kafka bootstrap address for the whole session."""
    given = os.environ.get("TRELLIS_TEST_KAFKA_BOOTSTRAP")
    if given:
        yield given
        return
    if _use_testcontainers():
        from testcontainers.kafka import KafkaContainer

        with KafkaContainer().with_kraft() as container:
            yield container.get_bootstrap_server()
        return
    from trellis_local.kafka import LocalKafka

    paths = local_paths(TEST_STATE_DIR)
    broker = LocalKafka(paths)
    was_running = broker.status()["running"]
    if not was_running:
        # Each session starts from empty topics, so consumer groups and assertions
        # never see a previous run's events.
        shutil.rmtree(paths.kafka_data, ignore_errors=True)
    bootstrap = broker.start()
    yield bootstrap
    if not was_running:
        broker.stop()


@contextmanager
def fresh_database(postgres_server_url: str) -> Iterator[str]:
    """Creates an empty database, yields its DSN, and drops it afterwards."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    params = conninfo_to_dict(postgres_server_url)
    params["dbname"] = name
    try:
        yield make_conninfo("", **params)
    finally:
        with psycopg.connect(postgres_server_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def database_url(postgres_server_url: str) -> Iterator[str]:
    """A fresh, empty database for one test."""
    with fresh_database(postgres_server_url) as url:
        yield url


@pytest.fixture(scope="module")
def module_database_url(postgres_server_url: str) -> Iterator[str]:
    """A fresh, empty database shared by the tests of one module."""
    with fresh_database(postgres_server_url) as url:
        yield url


@pytest.fixture(scope="session")
def test_paths() -> LocalPaths:
    """The state directory of the test session's infrastructure and processes."""
    return local_paths(TEST_STATE_DIR)
