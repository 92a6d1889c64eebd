"""LocalKafka: a real single-node broker in a temporary state directory."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from trellis_local.kafka import LocalKafka


@pytest.fixture
def kafka(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalKafka]:
    monkeypatch.setenv("TRELLIS_LOCAL_DIR", str(tmp_path / "state"))
    broker = LocalKafka()
    yield broker
    broker.stop()
    assert broker.status()["running"] is False


async def _round_trip(kafka: LocalKafka, bootstrap: str) -> tuple[bytes | None, bytes | None]:
    # start() again, now from inside a running event loop: same broker, no error.
    assert kafka.start() == bootstrap

    topic = f"local-infra-{uuid.uuid4().hex[:8]}"
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(topic, b"hello", key=b"k1")
    finally:
        await producer.stop()

    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id="local-infra-test",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        message = await asyncio.wait_for(consumer.getone(), timeout=30)
        await consumer.commit()
    finally:
        await consumer.stop()
    return message.key, message.value


def test_produce_and_consume_one_message(kafka: LocalKafka) -> None:
    bootstrap = kafka.start()
    pid = kafka.status()["pid"]
    assert kafka.start() == bootstrap
    assert kafka.status()["pid"] == pid

    assert asyncio.run(_round_trip(kafka, bootstrap)) == (b"k1", b"hello")

    assert kafka.status()["pid"] == pid
    # The SLF4J binding works: without it the broker would log nothing at all.
    assert "Kafka Server started" in Path(kafka.status()["log"]).read_text()
