"""``make run``: every service in one process on 127.0.0.1:8000, on the project's PostgreSQL.

Uses TRELLIS_DATABASE_URL when given; otherwise starts the local PostgreSQL (data under
.local/postgres, kept across restarts).
"""

from __future__ import annotations

import logging
import os

import uvicorn

from trellis_local.embedded import create_embedded_app
from trellis_local.postgres import LocalPostgres
from trellis_platform.auth.tokens import TokenSettings
from trellis_platform.logs import configure_logging
from trellis_platform.telemetry import configure_telemetry

logger = logging.getLogger("trellis_local.run")


def main() -> None:
    configure_logging("trellis")
    configure_telemetry("trellis-embedded")
    given_database = os.environ.get("TRELLIS_DATABASE_URL")
    postgres = LocalPostgres()
    started_postgres = not given_database and not postgres.status()["running"]
    database_url = given_database or postgres.start()
    host = os.environ.get("TRELLIS_HOST", "127.0.0.1")
    port = int(os.environ.get("TRELLIS_PORT", "8000"))
    # The built-in issuer names itself by where it is served, so its OpenID discovery
    # document (/api/identity/.well-known/openid-configuration) points at its JWKS.
    os.environ.setdefault("TRELLIS_AUTH_ISSUER", f"http://{host}:{port}/api/identity")
    logger.info("Trellis (embedded) on http://%s:%d, OpenAPI at /docs", host, port)
    app = create_embedded_app(database_url, token_settings=TokenSettings.from_env())
    try:
        uvicorn.run(app, host=host, port=port, log_config=None,
                    access_log=False, timeout_graceful_shutdown=10, reset_contextvars=True)
    finally:
        # `make run` is one command: Ctrl-C stops the PostgreSQL it started (its data stays).
        if started_postgres:
            postgres.stop()


if __name__ == "__main__":
    main()
