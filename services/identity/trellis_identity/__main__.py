"""Identity's processes in the distributed mode:
``python -m trellis_identity api|relay|rotate-key``."""

from __future__ import annotations

import asyncio
import sys

from trellis_identity.wiring import PUBLISHED_TOPICS, build_identity
from trellis_platform.database import when_database_answers
from trellis_platform.logs import configure_logging
from trellis_platform.runners import run_kafka_relay, serve_service_api
from trellis_platform.settings import Settings
from trellis_platform.telemetry import configure_telemetry

USAGE = "usage: python -m trellis_identity api|relay|rotate-key"


def main(role: str) -> None:
    if role not in ("api", "relay", "rotate-key"):
        sys.exit(USAGE)
    settings = Settings.from_env("identity", needs_kafka=role != "rotate-key")
    configure_logging("trellis_identity")
    configure_telemetry(f"trellis-identity-{role}")
    identity = when_database_answers(lambda: build_identity(settings.database_url), what=f"identity {role}")
    if role == "api":
        # Identity verifies with its own keys and its own revocation records, not a JWKS URL.
        serve_service_api(title="Trellis identity", routers=identity.routers(),
                          database_url=settings.database_url, kafka_bootstrap=settings.kafka_bootstrap,
                          default_port=8106, token_verifier=identity.token_verifier())
    elif role == "relay":
        assert settings.kafka_bootstrap is not None
        asyncio.run(run_kafka_relay(identity.relay, bootstrap=settings.kafka_bootstrap,
                                    topics=PUBLISHED_TOPICS, client_id="identity-relay"))
    else:
        key = identity.key_store.rotate()
        print(f"new signing key {key.key_id}; the previous one stays published until the next rotation")
        identity.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
