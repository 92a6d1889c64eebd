"""Process settings, read once from the environment (twelve-factor)."""

from __future__ import annotations

import os
from dataclasses import dataclass


class MissingSetting(RuntimeError):
    pass


@dataclass(frozen=True)
class Settings:
    database_url: str
    kafka_bootstrap: str | None
    service_name: str

    @classmethod
    def from_env(cls, service_name: str, *, needs_kafka: bool) -> Settings:
        database_url = os.environ.get("TRELLIS_DATABASE_URL")
        if not database_url:
            raise MissingSetting(
                "TRELLIS_DATABASE_URL is not set (start PostgreSQL with "
                "`python -m trellis_local postgres start` and source .local/infra.env)"
            )
        kafka_bootstrap = os.environ.get("TRELLIS_KAFKA_BOOTSTRAP")
        if needs_kafka and not kafka_bootstrap:
            raise MissingSetting("TRELLIS_KAFKA_BOOTSTRAP is not set")
        return cls(database_url, kafka_bootstrap, service_name)
