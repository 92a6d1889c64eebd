"""Planning's processes in the distributed mode: ``python -m trellis_planning api|relay``."""

from __future__ import annotations

import asyncio
import sys

from trellis_planning.wiring import PUBLISHED_TOPICS, build_planning
from trellis_platform.auth.revocations import kafka_revocations
from trellis_platform.database import when_database_answers
from trellis_platform.logs import configure_logging
from trellis_platform.runners import run_kafka_relay, serve_service_api
from trellis_platform.settings import Settings
from trellis_platform.telemetry import configure_telemetry


def main(role: str) -> None:
    settings = Settings.from_env("planning", needs_kafka=True)
    assert settings.kafka_bootstrap is not None
    configure_logging("trellis_planning")
    configure_telemetry(f"trellis-planning-{role}")
    planning = when_database_answers(lambda: build_planning(settings.database_url), what=f"planning {role}")
    if role == "api":
        serve_service_api(title="Trellis planning", routers=planning.routers(),
                          database_url=settings.database_url,
                          kafka_bootstrap=settings.kafka_bootstrap, default_port=8101,
                          # Refuses revoked tokens itself, from identity's published revocations.
                          revocations=kafka_revocations(settings.kafka_bootstrap,
                                                        client_id="planning-api"))
    elif role == "relay":
        asyncio.run(run_kafka_relay(planning.relay, bootstrap=settings.kafka_bootstrap,
                                    topics=PUBLISHED_TOPICS, client_id="planning-relay"))
    else:
        sys.exit("usage: python -m trellis_planning api|relay")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
