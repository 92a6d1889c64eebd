"""The issuer's private keys, kept in identity's schema so that every identity process
signs with the same key and a restart keeps issued tokens valid.

Keys are infrastructure, not domain facts: a table, not events. With
TRELLIS_IDENTITY_KEY_PASSPHRASE set, new keys are stored encrypted (PKCS#8, best
available encryption) and that passphrase decrypts them.
"""

from __future__ import annotations

import psycopg
from psycopg import sql

from trellis_platform.auth.signing import SigningKey

PUBLISHED = 2  # the current key and the one before it
_LOCK_KEY = "trellis_identity.signing_keys"


class PostgresKeyStore:
    def __init__(self, database_url: str, schema: str, *, passphrase: bytes | None = None) -> None:
        self._database_url = database_url
        self._table = sql.Identifier(schema, "signing_keys")
        self._passphrase = passphrase

    def create_table(self) -> None:
        with psycopg.connect(self._database_url, autocommit=True) as conn:
            conn.execute(sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} ("
                " key_id text PRIMARY KEY,"
                " private_key_pem text NOT NULL,"
                " created_at timestamptz NOT NULL DEFAULT clock_timestamp(),"
                " retired_at timestamptz)"
            ).format(self._table))

    def published_keys(self) -> list[SigningKey]:
        """The current key first, then the previous one; the first call makes a key."""
        with psycopg.connect(self._database_url) as conn:
            rows = self._published(conn)
            if not rows:
                # Two processes starting at once must not both make a "first" key.
                conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (_LOCK_KEY,))
                rows = self._published(conn)
                if not rows:
                    self._insert(conn, SigningKey.generate())
                    rows = self._published(conn)
        return [SigningKey.from_pem(key_id, pem.encode(), passphrase=self._passphrase)
                for key_id, pem in rows]

    def rotate(self) -> SigningKey:
        """A new current key; the old current stays published as previous, older ones retire."""
        key = SigningKey.generate()
        with psycopg.connect(self._database_url) as conn:
            conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (_LOCK_KEY,))
            self._insert(conn, key)
            conn.execute(sql.SQL(
                "UPDATE {0} SET retired_at = clock_timestamp() WHERE retired_at IS NULL AND key_id NOT IN"
                " (SELECT key_id FROM {0} WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT %s)"
            ).format(self._table), (PUBLISHED,))
        return key

    def _published(self, conn: psycopg.Connection[tuple[str, str]]) -> list[tuple[str, str]]:
        return conn.execute(sql.SQL(
            "SELECT key_id, private_key_pem FROM {} WHERE retired_at IS NULL"
            " ORDER BY created_at DESC LIMIT %s"
        ).format(self._table), (PUBLISHED,)).fetchall()

    def _insert(self, conn: psycopg.Connection[tuple[str, str]], key: SigningKey) -> None:
        conn.execute(
            sql.SQL("INSERT INTO {} (key_id, private_key_pem) VALUES (%s, %s)").format(self._table),
            (key.key_id, key.to_pem(passphrase=self._passphrase).decode()),
        )
