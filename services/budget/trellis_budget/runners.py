"""Budget's consumers process in the distributed mode: the ledger, in batches.

It reads with budget's aiokafka batch loop rather than FastStream's batch subscriber:
the same delivery, offsets committed after each batch's transaction, without a
framework object per record (see bench/ledger.py for both, measured side by side).
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable

from opentelemetry.sdk.trace import TracerProvider

from trellis_budget.consumers.batch_delivery import BatchDelivery
from trellis_budget.consumers.kafka_batch_loop import run_batch_loop
from trellis_budget.wiring import Budget
from trellis_contracts.topics import dead_letter_topic
from trellis_platform.dead_letters import KafkaDeadLetters
from trellis_platform.kafka_sink import ensure_topics, new_producer
from trellis_platform.runners import run_kafka_consumers

logger = logging.getLogger(__name__)


async def _retrying(what: str, attempt: Callable[[], Awaitable[object]]) -> None:
    backoff = 0.5
    while True:
        try:
            await attempt()
            return
        except Exception:
            logger.warning("%s failed; retrying in %.1fs", what, backoff, exc_info=True)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 5.0)


async def run_budget_consumers(
    budget: Budget, *, bootstrap: str, client_id: str, tracer_provider: TracerProvider
) -> None:
    """The ledger (batches) and the client's change order decisions (one by one) side by side."""
    await asyncio.gather(
        run_ledger_consumer(budget, bootstrap=bootstrap, client_id=client_id),
        run_kafka_consumers(
            [budget.client_decisions()],
            bootstrap=bootstrap,
            client_id=f"{client_id}-decisions",
            tracer_provider=tracer_provider,
        ),
    )


async def run_ledger_consumer(budget: Budget, *, bootstrap: str, client_id: str) -> None:
    consumer = budget.ledger_consumer()
    topics = list(consumer.topics)
    await _retrying(
        "creating topics", lambda: ensure_topics(bootstrap, [*topics, *map(dead_letter_topic, topics)])
    )
    producer = new_producer(bootstrap, client_id=f"{client_id}-dlq")
    await _retrying("starting the dead-letter producer", producer.start)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopping.set)
    # Projects marked before a crash but not yet looked at are looked at now.
    await _retrying("the threshold sweep", lambda: asyncio.to_thread(budget.watch.sweep))
    try:
        while not stopping.is_set():
            try:
                await run_batch_loop(
                    BatchDelivery(consumer, KafkaDeadLetters(producer)),
                    bootstrap=bootstrap,
                    topics=consumer.topics,
                    client_id=client_id,
                    stopping=stopping,
                )
            except Exception:
                logger.warning("ledger consumer lost Kafka; reconnecting", exc_info=True)
                await asyncio.sleep(1.0)
    finally:
        await producer.stop()
