"""The environment variables services read to find the running infrastructure."""

from __future__ import annotations

from pathlib import Path

from trellis_local.kafka import LocalKafka
from trellis_local.paths import LocalPaths, local_paths
from trellis_local.postgres import LocalPostgres

DATABASE_URL = "TRELLIS_DATABASE_URL"
KAFKA_BOOTSTRAP = "TRELLIS_KAFKA_BOOTSTRAP"


def infra_env(paths: LocalPaths | None = None) -> dict[str, str]:
    """TRELLIS_DATABASE_URL and TRELLIS_KAFKA_BOOTSTRAP, each only if that service runs."""
    paths = paths or local_paths()
    env: dict[str, str] = {}
    postgres = LocalPostgres(paths).status()
    if postgres["running"]:
        env[DATABASE_URL] = postgres["dsn"]
    kafka = LocalKafka(paths).status()
    if kafka["running"]:
        env[KAFKA_BOOTSTRAP] = kafka["bootstrap"]
    return env


def write_infra_env(paths: LocalPaths | None = None) -> Path:
    """Write infra_env() as KEY=value lines to <state>/infra.env (for make and shells)."""
    paths = paths or local_paths()
    lines = "".join(f"{key}={value}\n" for key, value in infra_env(paths).items())
    tmp = paths.infra_env.with_suffix(".env.tmp")
    tmp.write_text(lines)
    tmp.replace(paths.infra_env)
    return paths.infra_env
