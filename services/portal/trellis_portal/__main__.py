"""The portal's processes in the distributed mode: ``python -m trellis_portal api|relay|consumers``.

``consumers`` applies other contexts' events to the client views and follows the
portal's own event store into them (the API also catches up after each command).
"""

from __future__ import annotations

import asyncio
import sys

from opentelemetry.sdk.trace import TracerProvider

from trellis_platform.auth.revocations import kafka_revocations
from trellis_platform.database import when_database_answers
from trellis_platform.logs import configure_logging
from trellis_platform.runners import run_kafka_consumers, run_kafka_relay, serve_service_api
from trellis_platform.settings import Settings
from trellis_platform.telemetry import configure_telemetry
from trellis_portal.wiring import PUBLISHED_TOPICS, Portal, build_portal


async def _consume(portal: Portal, bootstrap: str, tracer_provider: TracerProvider) -> None:
    follower = asyncio.create_task(portal.projector.run(), name="portal-own-events")
    try:
        await run_kafka_consumers(portal.consumers(), bootstrap=bootstrap, client_id="portal-consumers",
                                  tracer_provider=tracer_provider)
    finally:
        portal.projector.stop()
        await follower


def main(role: str) -> None:
    settings = Settings.from_env("portal", needs_kafka=True)
    assert settings.kafka_bootstrap is not None
    configure_logging("trellis_portal")
    tracer_provider = configure_telemetry(f"trellis-portal-{role}")
    portal = when_database_answers(lambda: build_portal(settings.database_url), what=f"portal {role}")
    if role == "api":
        serve_service_api(title="Trellis portal", routers=portal.routers(),
                          database_url=settings.database_url,
                          kafka_bootstrap=settings.kafka_bootstrap, default_port=8102,
                          # Refuses revoked tokens itself, from identity's published revocations.
                          revocations=kafka_revocations(settings.kafka_bootstrap,
                                                        client_id="portal-api"),
                          on_shutdown=[portal.reads.close])
    elif role == "relay":
        asyncio.run(run_kafka_relay(portal.relay, bootstrap=settings.kafka_bootstrap,
                                    topics=PUBLISHED_TOPICS, client_id="portal-relay"))
    elif role == "consumers":
        asyncio.run(_consume(portal, settings.kafka_bootstrap, tracer_provider))
    else:
        sys.exit("usage: python -m trellis_portal api|relay|consumers")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
