"""Budget's processes in the distributed mode: ``python -m trellis_budget api``."""

from __future__ import annotations

import sys

from trellis_budget.wiring import build_budget
from trellis_platform.logs import configure_logging
from trellis_platform.runners import serve_service_api
from trellis_platform.settings import Settings
from trellis_platform.telemetry import configure_telemetry


def main(role: str) -> None:
    settings = Settings.from_env("budget", needs_kafka=True)
    configure_logging("trellis_budget")
    configure_telemetry(f"trellis-budget-{role}")
    service = build_budget(settings.database_url)
    if role != "api":
        sys.exit("usage: python -m trellis_budget api")
    serve_service_api(title="Trellis budget", routers=service.routers(),
                      database_url=settings.database_url,
                      kafka_bootstrap=settings.kafka_bootstrap, default_port=8103)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
