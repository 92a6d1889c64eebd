"""The portal's processes in the distributed mode: ``python -m trellis_portal api|consumers``."""

from __future__ import annotations

import asyncio
import sys

from trellis_platform.logs import configure_logging
from trellis_platform.runners import run_kafka_consumers, serve_service_api
from trellis_platform.settings import Settings
from trellis_platform.telemetry import configure_telemetry
from trellis_portal.wiring import build_portal


def main(role: str) -> None:
    settings = Settings.from_env("portal", needs_kafka=True)
    assert settings.kafka_bootstrap is not None
    configure_logging("trellis_portal")
    tracer_provider = configure_telemetry(f"trellis-portal-{role}")
    portal = build_portal(settings.database_url)
    if role == "api":
        serve_service_api(title="Trellis portal", routers=portal.routers(),
                          database_url=settings.database_url,
                          kafka_bootstrap=settings.kafka_bootstrap, default_port=8102)
    elif role == "consumers":
        asyncio.run(run_kafka_consumers(portal.consumers(), bootstrap=settings.kafka_bootstrap,
                                        client_id="portal-consumers", tracer_provider=tracer_provider))
    else:
        sys.exit("usage: python -m trellis_portal api|consumers")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
