"""Where events that cannot be applied are kept, with the reason: Kafka or a table."""

from __future__ import annotations

import asyncio

import psycopg
from aiokafka import AIOKafkaProducer
from psycopg import sql
from psycopg.types.json import Jsonb

from trellis_contracts.topics import dead_letter_topic
from trellis_platform.incoming import IncomingEvent


class KafkaDeadLetters:
    """Publishes to ``<topic>.dlq`` with the original bytes and the reason in headers."""

    def __init__(self, producer: AIOKafkaProducer) -> None:
        self._producer = producer

    async def send(self, event: IncomingEvent, consumer: str, reason: str) -> None:
        headers = {
            **event.headers,
            "dlq-reason": reason[:1000],
            "dlq-consumer": consumer,
            "dlq-original-topic": event.topic,
            "dlq-original-position": f"{event.position.application_name}@{event.position.notification_id}",
        }
        await self._producer.send_and_wait(
            dead_letter_topic(event.topic),
            value=event.value,
            key=event.key.encode() if event.key else None,
            headers=[(k, v.encode()) for k, v in headers.items()],
        )


class TableDeadLetters:
    """Keeps dead letters in the consumer's schema when there is no broker (embedded mode)."""

    def __init__(self, database_url: str, schema: str) -> None:
        self._database_url = database_url
        self._table = sql.Identifier(schema, "dead_letters")
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} ("
                    " id bigserial PRIMARY KEY, consumer text NOT NULL, topic text NOT NULL,"
                    " position text NOT NULL, reason text NOT NULL, headers jsonb NOT NULL,"
                    " value bytea NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())"
                ).format(self._table)
            )

    async def send(self, event: IncomingEvent, consumer: str, reason: str) -> None:
        await asyncio.to_thread(self._insert, event, consumer, reason)

    def _insert(self, event: IncomingEvent, consumer: str, reason: str) -> None:
        with psycopg.connect(self._database_url) as conn:
            conn.execute(
                sql.SQL(
                    "INSERT INTO {} (consumer, topic, position, reason, headers, value)"
                    " VALUES (%s, %s, %s, %s, %s, %s)"
                ).format(self._table),
                (consumer, event.topic,
                 f"{event.position.application_name}@{event.position.notification_id}",
                 reason, Jsonb(event.headers), event.value),
            )
