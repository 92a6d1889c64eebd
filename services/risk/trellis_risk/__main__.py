"""Risk's processes in the distributed mode: ``python -m trellis_risk api``."""

from __future__ import annotations

import sys

from trellis_platform.auth.revocations import kafka_revocations
from trellis_platform.database import when_database_answers
from trellis_platform.logs import configure_logging
from trellis_platform.runners import serve_service_api
from trellis_platform.settings import Settings
from trellis_platform.telemetry import configure_telemetry
from trellis_risk.wiring import build_risk


def main(role: str) -> None:
    settings = Settings.from_env("risk", needs_kafka=True)
    configure_logging("trellis_risk")
    configure_telemetry(f"trellis-risk-{role}")
    service = when_database_answers(lambda: build_risk(settings.database_url), what=f"risk {role}")
    if role != "api":
        sys.exit("usage: python -m trellis_risk api")
    serve_service_api(title="Trellis risk", routers=service.routers(),
                      database_url=settings.database_url,
                      kafka_bootstrap=settings.kafka_bootstrap, default_port=8104,
                      # Refuses revoked tokens itself, from identity's published revocations.
                      revocations=kafka_revocations(settings.kafka_bootstrap, client_id="risk-api"))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
