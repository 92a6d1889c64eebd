"""The embedded mode: every service in one process, events delivered in-process.

Same domain, mapping and consumer code as the distributed mode; only the transport
differs (an in-process sink instead of Kafka, a dead-letter table instead of a topic).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from trellis_analytics.wiring import build_analytics
from trellis_budget.wiring import build_budget
from trellis_planning.wiring import build_planning
from trellis_platform.dead_letters import TableDeadLetters
from trellis_platform.delivery import Delivery
from trellis_platform.health import database_check, health_router
from trellis_platform.http_app import new_http_app
from trellis_platform.in_process import InProcessSink
from trellis_platform.relay import NotificationRelay
from trellis_portal.wiring import SCHEMA as PORTAL_SCHEMA
from trellis_portal.wiring import build_portal
from trellis_risk.wiring import build_risk

logger = logging.getLogger(__name__)


def create_embedded_app(database_url: str) -> FastAPI:
    planning = build_planning(database_url)
    portal = build_portal(database_url)
    budget = build_budget(database_url)
    risk = build_risk(database_url)
    analytics = build_analytics(database_url)

    planning_events = InProcessSink(source_name="planning")
    portal_dead_letters = TableDeadLetters(database_url, PORTAL_SCHEMA)
    for consumer in portal.consumers():
        planning_events.subscribe(Delivery(consumer, portal_dead_letters), consumer.topics)
    relays: list[NotificationRelay] = [planning.relay(planning_events)]

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        tasks = [asyncio.create_task(relay.run(), name=f"relay-{relay.tracking_name}") for relay in relays]
        try:
            yield
        finally:
            for relay in relays:
                relay.stop()
            await asyncio.gather(*tasks, return_exceptions=True)
            for service in (planning, portal, budget, risk, analytics):
                service.close()

    checks = {"database": database_check(database_url)}
    app = new_http_app(
        title="Trellis",
        routers=[*planning.routers(), *portal.routers(), *budget.routers(), *risk.routers(),
                 *analytics.routers(), health_router(checks)],
        lifespan=lifespan,
    )
    app.state.relays = relays
    return app
