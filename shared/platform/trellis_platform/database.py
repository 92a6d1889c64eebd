"""PostgreSQL plumbing: one schema per service, and eventsourcing's settings from a DSN."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import psycopg
from eventsourcing.persistence import InterfaceError as StoreInterfaceError
from eventsourcing.persistence import OperationalError as StoreOperationalError
from eventsourcing.postgres import PostgresDatastore
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

logger = logging.getLogger(__name__)
T = TypeVar("T")

# The database does not answer or dropped the connection: worth trying again. eventsourcing's
# datastores and recorders re-raise psycopg's errors as classes of their own, which are not
# psycopg's subclasses, so both families are named.
TRANSIENT_DATABASE_ERRORS: tuple[type[BaseException], ...] = (
    psycopg.OperationalError, psycopg.InterfaceError, StoreOperationalError, StoreInterfaceError,
)


def when_database_answers(build: Callable[[], T], *, what: str) -> T:
    """``build()``, tried again for as long as the database does not answer.

    A process of the distributed mode that starts while PostgreSQL is down or restarting
    waits for it, as its relay and consumers wait for Kafka, instead of exiting.
    """
    backoff = 0.5
    while True:
        try:
            return build()
        except TRANSIENT_DATABASE_ERRORS as error:
            logger.warning("%s: the database does not answer (%s); retrying in %.1fs", what,
                           str(error).splitlines()[0] if str(error) else type(error).__name__, backoff)
            time.sleep(backoff)
            backoff = min(backoff * 2, 5.0)


def ensure_schema(database_url: str, schema: str) -> None:
    """Each service owns one schema; its event store and read models live there."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))


@contextmanager
def schema_setup(database_url: str, schema: str) -> Iterator[None]:
    """Creates the service's schema, and holds it while the block creates its tables.

    Two processes of one service starting together on an empty database would otherwise
    both run CREATE TABLE IF NOT EXISTS and one would fail on PostgreSQL's catalog
    (duplicate pg_type). A session advisory lock per schema makes the second wait.
    """
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (f"trellis.schema.{schema}",))
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
        yield
        # Closing the session releases the lock, also when the block raised.


def eventsourcing_env(database_url: str, schema: str, *, pool_size: int = 5) -> dict[str, str]:
    """The environment eventsourcing's PostgreSQL factory reads, derived from our DSN."""
    params = conninfo_to_dict(database_url)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": str(params.get("dbname", "postgres")),
        "POSTGRES_HOST": str(params.get("host", "127.0.0.1")),
        "POSTGRES_PORT": str(params.get("port", "5432")),
        "POSTGRES_USER": str(params.get("user", "postgres")),
        "POSTGRES_PASSWORD": str(params.get("password", "")),
        "POSTGRES_SCHEMA": schema,
        "POSTGRES_POOL_SIZE": str(pool_size),
        "POSTGRES_MAX_OVERFLOW": str(pool_size),
        "POSTGRES_PRE_PING": "y",
        "POSTGRES_LOCK_TIMEOUT": "5",
        "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "10",
    }


def datastore(database_url: str, schema: str, *, pool_size: int = 5) -> PostgresDatastore:
    """A connection pool on a service's schema, shaped as eventsourcing recorders want it."""
    params = conninfo_to_dict(database_url)
    return PostgresDatastore(
        dbname=str(params.get("dbname", "postgres")),
        host=str(params.get("host", "127.0.0.1")),
        port=str(params.get("port", "5432")),
        user=str(params.get("user", "postgres")),
        password=str(params.get("password", "")),
        schema=schema,
        pool_size=pool_size,
        max_overflow=pool_size,
        pre_ping=True,
    )
