"""How a service's processes run in the distributed mode: API, relay, consumers.

Each runner retries until its dependencies answer (a broker or database that starts
later, or restarts, is waited for), and stops cleanly on SIGTERM.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import signal
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager

import uvicorn
from aiokafka import AIOKafkaProducer
from fastapi import APIRouter, FastAPI
from faststream import FastStream
from opentelemetry.sdk.trace import TracerProvider

from trellis_contracts.topics import dead_letter_topic
from trellis_platform.auth.revocations import KafkaRevocations
from trellis_platform.auth.tokens import TokenVerifier, verifier_from_env
from trellis_platform.database import when_database_answers
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
    sink = KafkaSink(producer)
    # Making the relay reads and creates its tracking table: wait for a database restarting.
    relay = await asyncio.to_thread(when_database_answers, lambda: make_relay(sink), what=client_id)
    relay.read_ahead_in_worker_process()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, relay.stop)
    position = await asyncio.to_thread(when_database_answers, relay.position, what=client_id)
    logger.info("relay %s started at position %d", client_id, position)
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
    collect_garbage_for_batches()
    try:
        await FastStream(broker).run()
    finally:
        await dead_letter_producer.stop()


# A consumers process applies batches of up to a thousand events, each parsed into pydantic
# models and dicts: hundreds of thousands of container objects per batch. At CPython's
# default threshold (700) the collector ran every few events, and each full collection
# walked every object the process had made at start-up. Measured on a rebuild, four runs
# alternating: 3,704-3,780 events/s by default, 4,613-4,898 with a gen-0 threshold of
# 50,000. The older generations keep CPython's ratios (10, 10): with (50, 100) a full
# collection came only every 250 million allocations, hours for a process under live
# load, and cyclic garbage waited that long (the soak saw budget's consumers creep up);
# rebuilds ran as fast with either (4,547-5,373 against 4,586-5,737 events/s).
GC_THRESHOLDS_FOR_BATCHES = (50_000, 10, 10)


def collect_garbage_for_batches() -> None:
    """Freezes what start-up made (modules, classes, settings: never garbage) out of the
    collector's sight, and collects less often."""
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS_FOR_BATCHES)


def service_api_app(*, title: str, routers: Sequence[APIRouter], database_url: str,
                    kafka_bootstrap: str | None, token_verifier: TokenVerifier | None = None,
                    revocations: KafkaRevocations | None = None,
                    on_shutdown: Sequence[Callable[[], Awaitable[None]]] = ()) -> FastAPI:
    """A service's HTTP app: its routes, /healthz and /readyz (database and broker).

    Every service verifies bearer tokens itself (the gateway is not the only wall): by
    default with the identity service's JWKS or an external OpenID Connect issuer, as
    ``verifier_from_env`` reads them from the environment, refusing the tokens and
    sessions ``revocations`` knows revoked. Those are read while the app runs (its
    lifespan), and /readyz fails until the ones published before the start are read.
    ``on_shutdown`` is awaited as the app stops (the routes' async pools, say).
    """
    checks = {"database": database_check(database_url)}
    if kafka_bootstrap:
        checks["kafka"] = kafka_check(kafka_bootstrap)
    if revocations is not None:
        if token_verifier is not None:
            raise ValueError("give revocations or a token verifier of your own, not both")
        checks["revocations"] = revocations.readiness

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            for close in on_shutdown:
                stack.push_async_callback(close)
            if revocations is not None:
                await stack.enter_async_context(revocations.running(app))
            yield

    return new_http_app(title=title, routers=[*routers, health_router(checks)], lifespan=lifespan,
                        token_verifier=token_verifier or verifier_from_env(revocation=revocations))


def serve_service_api(*, title: str, routers: Sequence[APIRouter], database_url: str,
                      kafka_bootstrap: str | None, default_port: int,
                      token_verifier: TokenVerifier | None = None,
                      revocations: KafkaRevocations | None = None,
                      on_shutdown: Sequence[Callable[[], Awaitable[None]]] = ()) -> None:
    """Serves ``service_api_app`` on TRELLIS_HOST:TRELLIS_PORT."""
    app = service_api_app(title=title, routers=routers, database_url=database_url,
                          kafka_bootstrap=kafka_bootstrap, token_verifier=token_verifier,
                          revocations=revocations, on_shutdown=on_shutdown)
    serve_http(app, host=os.environ.get("TRELLIS_HOST", "127.0.0.1"),
               port=int(os.environ.get("TRELLIS_PORT", str(default_port))))
