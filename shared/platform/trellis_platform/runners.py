"""How a service's processes run in the distributed mode: API, relay, consumers.

Each runner retries until its dependencies answer (a broker or database that starts
later, or restarts, is waited for), and stops cleanly on SIGTERM.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from collections.abc import Callable, Sequence

import uvicorn
from aiokafka import AIOKafkaProducer
from fastapi import APIRouter, FastAPI
from faststream import FastStream
from opentelemetry.sdk.trace import TracerProvider

from trellis_contracts.topics import dead_letter_topic
from trellis_platform.auth.tokens import TokenVerifier, verifier_from_env
from trellis_platform.dead_letters import KafkaDeadLetters
from trellis_platform.delivery import Delivery
from trellis_platform.health import database_check, health_router, kafka_check
from trellis_platform.http_app import new_http_app
from trellis_platform.incoming import EventConsumer
from trellis_platform.kafka_consumer import new_broker, subscribe
from trellis_platform.kafka_sink import KafkaSink, ensure_topics, new_producer
from trellis_platform.outgoing import EventSink
from trellis_platform.relay import NotificationRelay

logger = logging.getLogger(__name__)


def serve_http(app: FastAPI, *, host: str, port: int) -> None:
    # reset_contextvars: without it uvicorn may start a keep-alive connection's next
    # request inside the previous request's trace (CPython issue 140947).
    uvicorn.run(app, host=host, port=port, log_config=None, access_log=False,
                timeout_graceful_shutdown=10, reset_contextvars=True)


async def _started_producer(bootstrap: str, client_id: str) -> AIOKafkaProducer:
    backoff = 0.5
    while True:
        producer = new_producer(bootstrap, client_id=client_id)
        try:
            await producer.start()
            return producer
        except Exception:
            await producer.stop()
            logger.warning("Kafka at %s not reachable; retrying in %.1fs", bootstrap, backoff)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 5.0)


async def _ensure_topics_with_retry(bootstrap: str, topics: Sequence[str]) -> None:
    backoff = 0.5
    while True:
        try:
            await ensure_topics(bootstrap, topics)
            return
        except Exception:
            logger.warning("cannot create topics on %s yet; retrying", bootstrap, exc_info=True)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 5.0)


async def run_kafka_relay(
    make_relay: Callable[[EventSink], NotificationRelay],
    *,
    bootstrap: str,
    topics: Sequence[str],
    client_id: str,
) -> None:
    await _ensure_topics_with_retry(bootstrap, topics)
    producer = await _started_producer(bootstrap, client_id)
    relay = make_relay(KafkaSink(producer))
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, relay.stop)
    logger.info("relay %s started at position %d", client_id, relay.position())
    try:
        await relay.run()
    finally:
        await producer.stop()


async def run_kafka_consumers(
    consumers: Sequence[EventConsumer],
    *,
    bootstrap: str,
    client_id: str,
    tracer_provider: TracerProvider,
) -> None:
    topics = sorted({t for c in consumers for t in c.topics})
    await _ensure_topics_with_retry(bootstrap, [*topics, *(dead_letter_topic(t) for t in topics)])
    dead_letter_producer = await _started_producer(bootstrap, f"{client_id}-dlq")
    broker = new_broker(bootstrap, client_id=client_id, tracer_provider=tracer_provider)
    for consumer in consumers:
        subscribe(broker, Delivery(consumer, KafkaDeadLetters(dead_letter_producer)), consumer.topics)
    try:
        await FastStream(broker).run()
    finally:
        await dead_letter_producer.stop()


def serve_service_api(*, title: str, routers: Sequence[APIRouter], database_url: str,
                      kafka_bootstrap: str | None, default_port: int,
                      token_verifier: TokenVerifier | None = None) -> None:
    """A service's HTTP process: its routes, /healthz and /readyz (database and broker).

    Every service verifies bearer tokens itself (the gateway is not the only wall): by
    default with the identity service's JWKS or an external OpenID Connect issuer, as
    ``verifier_from_env`` reads them from the environment.
    """
    checks = {"database": database_check(database_url)}
    if kafka_bootstrap:
        checks["kafka"] = kafka_check(kafka_bootstrap)
    app = new_http_app(title=title, routers=[*routers, health_router(checks)],
                       token_verifier=token_verifier or verifier_from_env())
    serve_http(app, host=os.environ.get("TRELLIS_HOST", "127.0.0.1"),
               port=int(os.environ.get("TRELLIS_PORT", str(default_port))))
