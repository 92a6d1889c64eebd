"""The embedded mode: every service in one process, events delivered in-process.

Same domain, mapping and consumer code as the distributed mode; only the transport
differs (an in-process sink instead of Kafka, a dead-letter table instead of a topic).

Every route verifies bearer tokens with the identity service's own keys, and asks its
event store whether a token or its session was revoked: a revocation takes effect on
the next request.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from trellis_analytics.wiring import build_analytics
from trellis_budget.wiring import SCHEMA as BUDGET_SCHEMA
from trellis_budget.wiring import build_budget
from trellis_identity.wiring import build_identity
from trellis_local.paths import local_paths
from trellis_local.portal_documents import InProcessPlanningDocuments
from trellis_planning.wiring import build_planning
from trellis_platform.auth.tokens import TokenSettings
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


def create_embedded_app(database_url: str, *, token_settings: TokenSettings | None = None) -> FastAPI:
    identity = build_identity(database_url, token_settings=token_settings)
    # TRELLIS_DOCUMENT_STORE=disk without TRELLIS_DOCUMENT_DIR keeps documents under .local/.
    planning = build_planning(database_url, document_dir=local_paths().root / "documents")
    # The portal's downloads read planning's document store in process (no token needed).
    portal = build_portal(database_url, documents=InProcessPlanningDocuments(planning.application,
                                                                             planning.records.documents))
    budget = build_budget(database_url)
    risk = build_risk(database_url)
    analytics = build_analytics(database_url)

    planning_events = InProcessSink(source_name="planning")
    identity_events = InProcessSink(source_name="identity")
    portal_dead_letters = TableDeadLetters(database_url, PORTAL_SCHEMA)
    for consumer in portal.consumers():
        # Each sink hands a consumer only the topics it subscribed to.
        for events in (planning_events, identity_events):
            events.subscribe(Delivery(consumer, portal_dead_letters), consumer.topics)
    relays: list[NotificationRelay] = [planning.relay(planning_events), identity.relay(identity_events)]
    # Budget's ledger follows planning's record of work and budget's own costs and rates.
    budget_events = InProcessSink(source_name="budget")
    budget_dead_letters = TableDeadLetters(database_url, BUDGET_SCHEMA)
    for consumer in budget.consumers():
        for events in (planning_events, budget_events):
            events.subscribe(Delivery(consumer, budget_dead_letters), consumer.topics)
    relays.append(budget.relay(budget_events))
    for consumer in portal.consumers():
        budget_events.subscribe(Delivery(consumer, portal_dead_letters), consumer.topics)
    # The client's decisions (approvals, change orders), for planning's and budget's consumers.
    portal_events = InProcessSink(source_name="portal")
    for consumer in budget.consumers():
        portal_events.subscribe(Delivery(consumer, budget_dead_letters), consumer.topics)
    relays.append(portal.relay(portal_events))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        tasks = [asyncio.create_task(relay.run(), name=f"relay-{relay.tracking_name}") for relay in relays]
        tasks.append(asyncio.create_task(portal.projector.run(), name="portal-own-events"))
        try:
            yield
        finally:
            for relay in relays:
                relay.stop()
            portal.projector.stop()
            await asyncio.gather(*tasks, return_exceptions=True)
            await portal.reads.close()
            for service in (planning, portal, budget, risk, analytics, identity):
                service.close()

    checks = {"database": database_check(database_url)}
    app = new_http_app(
        title="Trellis",
        routers=[*identity.routers(), *planning.routers(), *portal.routers(), *budget.routers(),
                 *risk.routers(), *analytics.routers(), health_router(checks)],
        lifespan=lifespan,
        token_verifier=identity.token_verifier(),
    )
    origins = [o.strip() for o in os.environ.get("TRELLIS_CORS_ORIGINS", "").split(",") if o.strip()]
    if origins:
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["*"],
                           allow_headers=["authorization", "content-type", "x-request-id", "traceparent"],
                           expose_headers=["location", "x-request-id", "retry-after"], max_age=600)
    app.state.relays = relays
    app.state.identity = identity
    return app
