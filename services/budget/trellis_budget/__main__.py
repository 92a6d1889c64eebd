"""Budget's processes in the distributed mode: ``python -m trellis_budget api|relay|consumers``."""

from __future__ import annotations

import asyncio
import sys

from trellis_budget.runners import run_budget_consumers
from trellis_budget.wiring import PUBLISHED_TOPICS, build_budget
from trellis_platform.auth.revocations import kafka_revocations
from trellis_platform.database import when_database_answers
from trellis_platform.logs import configure_logging
from trellis_platform.runners import run_kafka_relay, serve_service_api
from trellis_platform.settings import Settings
from trellis_platform.telemetry import configure_telemetry


def main(role: str) -> None:
    settings = Settings.from_env("budget", needs_kafka=True)
    assert settings.kafka_bootstrap is not None
    configure_logging("trellis_budget")
    tracer_provider = configure_telemetry(f"trellis-budget-{role}")
    budget = when_database_answers(lambda: build_budget(settings.database_url), what=f"budget {role}")
    if role == "api":
        serve_service_api(
            title="Trellis budget",
            routers=budget.routers(),
            database_url=settings.database_url,
            kafka_bootstrap=settings.kafka_bootstrap,
            default_port=8103,
            # Refuses revoked tokens itself, from identity's published revocations.
            revocations=kafka_revocations(settings.kafka_bootstrap, client_id="budget-api"),
        )
    elif role == "relay":
        asyncio.run(
            run_kafka_relay(
                budget.relay,
                bootstrap=settings.kafka_bootstrap,
                topics=PUBLISHED_TOPICS,
                client_id="budget-relay",
            )
        )
    elif role == "consumers":
        asyncio.run(
            run_budget_consumers(
                budget,
                bootstrap=settings.kafka_bootstrap,
                client_id="budget-consumers",
                tracer_provider=tracer_provider,
            )
        )
    else:
        sys.exit("usage: python -m trellis_budget api|relay|consumers")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
