"""Read models rebuilt from history into a fresh database, compared with the live ones.

The portal's and budget's consumers are built on an empty database and fed every record
of their topics from Kafka, at the positions the live consumers saw them (so the same
duplicates are recognised the same way), partition by partition in batches: another
interleaving than the live run's, which only per-aggregate order may matter to. The
portal's own decisions come from its event store, as its projector follows it live.
What a consumer dead-letters in the rebuild is kept in memory and compared with the
live dead-letter topics.

Compared: every row of each read model, except what says when the live system did
something (a fact's valid_from, the ledger's entry numbers and its reversal entries
when net amounts agree): those record the run, not the history.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import psycopg
from eventsourcing.persistence import Tracking
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from tests.faults.kafka_io import GROUPS, Record
from trellis_budget.consumers.ledger_consumer import LedgerConsumer
from trellis_budget.wiring import build_budget
from trellis_platform.delivery import Delivery
from trellis_platform.incoming import EventConsumer, IncomingEvent
from trellis_portal.consumers.own_events import OwnEventsProjector
from trellis_portal.wiring import build_portal

BATCH = 1000

# (read model, query): rows compared as multisets, every value as text.
READ_MODELS: tuple[tuple[str, str], ...] = (
    ("portal.projects", "SELECT project_id, organisation_id, client_id, name, starts_on, ends_on, version,"
                        " created_at FROM portal.projects"),
    ("portal.view_facts (current)", "SELECT organisation_id, scope, kind, key, body::text, source,"
                                    " source_version FROM portal.view_facts WHERE valid_to IS NULL"),
    ("budget.ledger_entries (net)", "SELECT organisation_id, project_id, source_kind, source_id, category,"
                                    " cost_kind, worked_on, currency, sum(amount), sum(bill_amount)"
                                    " FROM budget.ledger_entries GROUP BY 1, 2, 3, 4, 5, 6, 7, 8"
                                    " HAVING sum(amount) <> 0 OR sum(bill_amount) <> 0"),
    ("budget.ledger_sources", "SELECT source_id, organisation_id, project_id, subject_id, first_day,"
                              " last_day, version, removed, uncosted, data::text FROM budget.ledger_sources"),
    ("budget.ledger_people", "SELECT * FROM budget.ledger_people"),
    ("budget.ledger_rates", "SELECT * FROM budget.ledger_rates"),
    ("budget.plan_projects", "SELECT * FROM budget.plan_projects"),
    ("budget.plan_milestones", "SELECT * FROM budget.plan_milestones"),
    ("budget.plan_progress", "SELECT event_id, organisation_id, project_id, as_of, percent_complete,"
                             " milestones::text, recorded_at FROM budget.plan_progress"),
    ("budget.budget_revisions", "SELECT project_id, revision, organisation_id, currency, total, lines::text,"
                                " reason, change_order_id, recorded_at FROM budget.budget_revisions"),
    ("budget.exchange_rates", "SELECT * FROM budget.exchange_rates"),
    ("budget.reporting_currencies", "SELECT * FROM budget.reporting_currencies"),
)


@dataclass
class KeptDeadLetters:
    """Dead letters of the rebuild: (consumer, position, reason)."""

    kept: list[tuple[str, str, str]] = field(default_factory=list)

    async def send(self, event: IncomingEvent, consumer: str, reason: str) -> None:
        position = f"{event.position.application_name}@{event.position.notification_id}"
        self.kept.append((consumer, position, reason))


@dataclass
class Comparison:
    rows: dict[str, int]
    differences: dict[str, list[str]]
    dead_letters: list[tuple[str, str, str]]
    applied: dict[str, int]

    @property
    def equal(self) -> bool:
        return not self.differences


def database_beside(database_url: str, name: str) -> str:
    """An empty database ``name`` on the same server (dropped first if it exists)."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    params = conninfo_to_dict(database_url)
    params["dbname"] = name
    return make_conninfo("", **params)


def drop_database(database_url: str, name: str) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


async def rebuild_and_compare(live_url: str, records: dict[str, list[Record]]) -> Comparison:
    name = "trellis_rebuild"
    fresh_url = database_beside(live_url, name)
    dead_letters = KeptDeadLetters()
    portal = build_portal(fresh_url, pool_size=2)
    budget = build_budget(fresh_url, pool_size=2)
    live_portal = build_portal(live_url, pool_size=2)
    applied: dict[str, int] = {}
    try:
        consumers: list[EventConsumer] = [*portal.consumers(), LedgerConsumer(budget.ledger, None)]
        for consumer in consumers:
            assert consumer.name in GROUPS, consumer.name
            delivery = Delivery(consumer, dead_letters)
            for batch in _batches([r for topic in consumer.topics for r in records.get(topic, [])]):
                await delivery.deliver_batch([_incoming(r) for r in batch])
            applied[consumer.name] = delivery.applied
        projector = OwnEventsProjector(live_portal.application, portal.tracking["own"])
        applied[projector.name] = await asyncio.to_thread(projector.catch_up)
        rows, differences = _compare(live_url, fresh_url)
    finally:
        portal.close()
        budget.close()
        live_portal.close()
        drop_database(live_url, name)
    return Comparison(rows=rows, differences=differences, dead_letters=dead_letters.kept, applied=applied)


def _batches(records: Sequence[Record]) -> list[list[Record]]:
    """Up to BATCH records of one partition each, taking partitions in turn."""
    by_partition: dict[tuple[str, int], list[Record]] = {}
    for record in records:
        by_partition.setdefault((record.topic, record.partition), []).append(record)
    queues = [sorted(rs, key=lambda r: r.offset) for _, rs in sorted(by_partition.items())]
    batches: list[list[Record]] = []
    while any(queues):
        for queue in queues:
            if queue:
                batches.append(queue[:BATCH])
                del queue[:BATCH]
    return batches


def _incoming(record: Record) -> IncomingEvent:
    return IncomingEvent(topic=record.topic, key=record.key, value=record.value,
                         position=Tracking(f"{record.topic}:{record.partition}", record.offset),
                         headers=dict(record.headers))


def _rows(database_url: str, query: str) -> Counter[tuple[str, ...]]:
    with psycopg.connect(database_url) as conn:
        found: list[tuple[Any, ...]] = conn.execute(query).fetchall()
    return Counter(tuple("" if v is None else str(v) for v in row) for row in found)


def _compare(live_url: str, fresh_url: str) -> tuple[dict[str, int], dict[str, list[str]]]:
    rows: dict[str, int] = {}
    differences: dict[str, list[str]] = {}
    for name, query in READ_MODELS:
        live, rebuilt = _rows(live_url, query), _rows(fresh_url, query)
        rows[name] = sum(live.values())
        if live != rebuilt:
            only_live = list((live - rebuilt).elements())[:5]
            only_rebuilt = list((rebuilt - live).elements())[:5]
            differences[name] = ([f"live only: {r}" for r in only_live]
                                 + [f"rebuild only: {r}" for r in only_rebuilt]
                                 + [f"rows: live {sum(live.values())}, rebuild {sum(rebuilt.values())}"])
    return rows, differences
