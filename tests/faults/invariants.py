"""The promises, checked after the faults: each check says what it counted and what broke.

- every command that got a 2xx is in its service's event store (its request id in an
  event's meta);
- every stored event is on Kafka (the relay's own mapping of the store, by CloudEvent
  id), and nothing is on Kafka that the store does not hold, except the poison;
- every consumer applied every event exactly once: each read model equals a rebuild
  from history, and every consumer group is at the end of its topics;
- each poison message is in the dead-letter topic, from every consumer that reads its
  topic, with a reason, and the records behind it on its partition were consumed;
- no alert lost or sent twice: each budget threshold crossing the stored expenses imply
  is on Kafka exactly once (one CloudEvent id), each stored capacity over-allocation
  too, and no crossing has two;
- no process exited except those the suite killed.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

import psycopg
from psycopg import sql

from tests.faults.harness import EVENT_TOPICS
from tests.faults.kafka_io import (
    DEAD_LETTER_TOPICS,
    GROUPS,
    Record,
    committed_offsets,
    end_offsets,
    lagging,
    read_all,
    subscribers,
)
from tests.faults.rebuild import Comparison, rebuild_and_compare
from tests.faults.workload import BUDGET, EXPENSE, THRESHOLDS, Workload
from trellis_budget.publishing.mapping import to_integration_events as budget_mapping
from trellis_budget.wiring import build_budget
from trellis_contracts.budget.costs_v1 import ExpenseRecordedV1
from trellis_contracts.budget.thresholds_v1 import BudgetThresholdCrossedV1
from trellis_contracts.planning.resources_v1 import ResourceBookedV1, ResourceOverallocatedV1
from trellis_identity.publishing.mapping import to_integration_events as identity_mapping
from trellis_identity.wiring import build_identity
from trellis_planning.publishing.mapping import to_integration_events as planning_mapping
from trellis_planning.wiring import build_planning
from trellis_platform.outgoing import OutgoingEvent
from trellis_portal.publishing.mapping import to_integration_events as portal_mapping
from trellis_portal.wiring import build_portal

SERVICES = ("identity", "planning", "portal", "budget")


@dataclass(frozen=True)
class Poison:
    """A message no consumer can apply, published straight to an event topic."""

    topic: str
    partition: int
    offset: int
    kind: str

    @property
    def position(self) -> str:
        return f"{self.topic}:{self.partition}@{self.offset}"


@dataclass
class Check:
    name: str
    holds: bool
    counted: dict[str, Any]
    problems: list[str] = field(default_factory=list)


@dataclass
class Findings:
    checks: list[Check] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    def add(self, name: str, problems: list[str], **counted: Any) -> None:
        self.checks.append(Check(name, not problems, counted, problems[:20]))

    @property
    def broken(self) -> list[Check]:
        return [c for c in self.checks if not c.holds]


# -- settling -------------------------------------------------------------------------------


def _scalar(conn: psycopg.Connection[Any], query: sql.SQL | sql.Composed) -> int:
    row = conn.execute(query).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def backlog(database_url: str) -> dict[str, int]:
    """What the relays, the portal's projector and budget's threshold watch still owe."""
    owed: dict[str, int] = {}
    with psycopg.connect(database_url) as conn:
        for service in SERVICES:
            stored = _scalar(conn, sql.SQL("SELECT max(notification_id) FROM {}").format(
                sql.Identifier(service, f"{service}_events")))
            relayed = _scalar(conn, sql.SQL("SELECT max(notification_id) FROM {}").format(
                sql.Identifier(service, f"{service}_relay_tracking")))
            owed[f"{service}-relay"] = stored - relayed
            if service == "portal":
                projected = _scalar(conn, sql.SQL(
                    "SELECT max(notification_id) FROM portal.own_events_tracking"))
                owed["portal-own-events"] = stored - projected
        owed["budget-threshold-checks"] = _scalar(conn, sql.SQL(
            "SELECT count(*) FROM budget.threshold_checks_pending"))
    return owed


async def settled(database_url: str, bootstrap: str) -> dict[str, int]:
    """Everything still owed, by whom: empty when the system is at rest."""
    owed = await asyncio.to_thread(backlog, database_url)
    owed.update(await lagging(bootstrap))
    return {who: n for who, n in owed.items() if n}


# -- the checks -----------------------------------------------------------------------------


def stored_request_ids(database_url: str) -> dict[str, set[str]]:
    ids: dict[str, set[str]] = {}
    with psycopg.connect(database_url) as conn:
        for service in SERVICES:
            rows = conn.execute(sql.SQL(
                "SELECT DISTINCT convert_from(state, 'UTF8')::jsonb -> 'meta' ->> 'request_id' FROM {}"
            ).format(sql.Identifier(service, f"{service}_events"))).fetchall()
            ids[service] = {r[0] for r in rows if r[0]}
    return ids


def published_by_store(database_url: str) -> tuple[list[OutgoingEvent], dict[str, int]]:
    """What each relay's mapping makes of its whole event store: what must be on Kafka."""
    identity = build_identity(database_url, pool_size=1)
    apps: list[tuple[Any, Callable[[Any, int], Sequence[OutgoingEvent]]]] = [
        (identity.application, partial(identity_mapping, lifetimes=identity.application.lifetimes)),
        (build_planning(database_url, pool_size=1).application, planning_mapping),
        (build_budget(database_url, pool_size=1).application, budget_mapping),
        (build_portal(database_url, pool_size=1).application, portal_mapping),
    ]
    published: list[OutgoingEvent] = []
    stored: dict[str, int] = {}
    for app, translate in apps:
        position = 0
        while notifications := app.recorder.select_notifications(position, 1000, inclusive_of_start=False):
            for notification in notifications:
                published.extend(translate(app.mapper.to_domain_event(notification), notification.id))
            position = notifications[-1].id
        stored[app.name] = position
        app.close()
    return published, stored


def _envelope(record: Record) -> dict[str, Any] | None:
    try:
        found = json.loads(record.value)
    except ValueError:
        return None
    return found if isinstance(found, dict) and "id" in found and "type" in found else None


async def check_everything(
    database_url: str,
    bootstrap: str,
    workload: Workload,
    poison: list[Poison],
    unexpected_exits: list[str],
) -> Findings:
    findings = Findings()
    records = await read_all(bootstrap, EVENT_TOPICS + DEAD_LETTER_TOPICS)
    poisoned = {p.position for p in poison}

    # 1. Every 2xx is in its event store.
    in_store = await asyncio.to_thread(stored_request_ids, database_url)
    missing = [f"{a.service} {a.kind} {a.request_id}" for a in workload.acknowledged
               if a.request_id not in in_store[a.service]]
    findings.add("every command that got a 2xx is in its event store", missing,
                 commands=len(workload.acknowledged))

    # 2. Every stored event is on Kafka; nothing else is, but the poison.
    published, stored = await asyncio.to_thread(published_by_store, database_url)
    expected = {(e.topic, e.envelope.id) for e in published}
    on_kafka: Counter[tuple[str, str]] = Counter()
    strangers: list[str] = []
    for topic in EVENT_TOPICS:
        for record in records[topic]:
            envelope = _envelope(record)
            if record.position in poisoned:
                continue
            if envelope is None:
                strangers.append(f"unreadable record at {record.position}")
                continue
            on_kafka[(topic, str(envelope["id"]))] += 1
    lost = sorted(expected - set(on_kafka))
    strangers += [f"{t} {i} on Kafka but not in any store" for t, i in sorted(set(on_kafka) - expected)]
    findings.add("every stored event is on Kafka", [f"{t} {i} never published" for t, i in lost[:20]],
                 stored_events=sum(stored.values()), integration_events=len(expected),
                 kafka_records=sum(on_kafka.values()),
                 republished_duplicates=sum(on_kafka.values()) - len(on_kafka))
    findings.add("nothing on Kafka that no event store holds (but the poison)", strangers,
                 kafka_records=sum(len(records[t]) for t in EVENT_TOPICS))
    findings.facts["stored_events_by_service"] = stored
    findings.facts["integration_events_by_topic"] = dict(Counter(t for t, _ in expected))

    # 3. Exactly once: every group at the end, read models equal to a rebuild from history.
    ends = await end_offsets(bootstrap, EVENT_TOPICS)
    committed = await committed_offsets(bootstrap, list(GROUPS))
    behind = [f"{group} at {committed[group].get(tp, 0)} of {end} on {tp}"
              for group, topics in GROUPS.items() for tp, end in ends.items()
              if tp.rsplit(":", 1)[0] in topics and committed[group].get(tp, 0) < end]
    findings.add("every consumer group consumed its topics to the end", behind, groups=len(GROUPS),
                 partitions=len(ends))
    comparison: Comparison = await rebuild_and_compare(database_url, records)
    findings.add("every read model equals a rebuild from history (each event applied exactly once)",
                 [f"{model}: {'; '.join(diff)}" for model, diff in comparison.differences.items()],
                 rows_compared=sum(comparison.rows.values()), read_models=len(comparison.rows),
                 rebuild_applied=comparison.applied)
    findings.facts["read_model_rows"] = comparison.rows

    # 4. Poison: dead-lettered with a reason by every reader, and nothing behind it blocked.
    letters: dict[tuple[str, str], list[str]] = defaultdict(list)
    for topic in DEAD_LETTER_TOPICS:
        for record in records[topic]:
            key = (record.headers.get("dlq-original-position", ""), record.headers.get("dlq-consumer", ""))
            letters[key].append(record.headers.get("dlq-reason", ""))
    rebuilt_letters = {(position, consumer) for consumer, position, _ in comparison.dead_letters}
    poison_problems: list[str] = []
    behind_poison = 0
    for p in poison:
        for group in subscribers(p.topic):
            reasons = letters.get((p.position, group), [])
            if not reasons or not all(reasons):
                poison_problems.append(
                    f"{p.kind} poison at {p.position}: no dead letter with a reason from {group}")
            # The rebuild runs the read models' consumers (not budget's policy, which issues commands).
            if group in comparison.applied and (p.position, group) not in rebuilt_letters:
                poison_problems.append(f"{p.kind} poison at {p.position}: the rebuild's {group} applied it")
            tp = f"{p.topic}:{p.partition}"
            if committed[group].get(tp, 0) <= p.offset:
                poison_problems.append(f"{group} is stuck at the poison on {tp}")
        behind_poison += sum(1 for r in records[p.topic]
                             if r.partition == p.partition and r.offset > p.offset)
    live_letters = {k for k in letters if k[0] not in poisoned}
    poison_problems += [f"dead letter of a good event: {where} by {consumer}: {letters[(where, consumer)]}"
                        for where, consumer in sorted(live_letters)]
    findings.add("poison is dead-lettered with a reason and blocks nothing behind it", poison_problems,
                 poison_messages=len(poison), dead_letters=sum(len(v) for v in letters.values()),
                 records_behind_poison=behind_poison)

    # 5. Alerts: each crossing on Kafka exactly once.
    problems, counted = _threshold_alerts(published, records)
    findings.add("every budget threshold crossing sent once, none lost", problems, **counted)
    problems, counted = _overallocations(published, records)
    findings.add("every capacity over-allocation sent once, none lost", problems, **counted)

    # 6. Processes.
    findings.add("no process exited but those the suite killed", unexpected_exits)
    return findings


def _distinct_ids_on_kafka(records: dict[str, list[Record]], event_type: str) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for topic in EVENT_TOPICS:
        for record in records[topic]:
            envelope = _envelope(record)
            if envelope is not None and envelope["type"] == event_type:
                found[str(envelope["id"])] = envelope
    return found


AlertIds = dict[tuple[str, str], set[str]]


def _alert_ids(published: list[OutgoingEvent], records: dict[str, list[Record]], event_type: str,
               subject: str, what: str) -> tuple[AlertIds, AlertIds]:
    """The ids of one kind of alert by (subject, what) it is about: as the event stores
    published them, and as they are on Kafka (each distinct id once)."""
    stored: AlertIds = defaultdict(set)
    for e in published:
        if e.envelope.type == event_type:
            stored[(str(e.envelope.data[subject]), str(e.envelope.data[what]))].add(e.envelope.id)
    sent: AlertIds = defaultdict(set)
    for event_id, envelope in _distinct_ids_on_kafka(records, event_type).items():
        sent[(str(envelope["data"][subject]), str(envelope["data"][what]))].add(event_id)
    return stored, sent


def _threshold_alerts(
    published: list[OutgoingEvent], records: dict[str, list[Record]]
) -> tuple[list[str], dict[str, Any]]:
    """Expenses only grow a project's cost, so each threshold crosses at most once; the
    thresholds it must have crossed follow from the expenses in budget's store (the 50.00
    of labour a scenario logs never moves a project into another band)."""
    expenses: Counter[str] = Counter(str(e.envelope.data["project_id"]) for e in published
                                     if e.envelope.type == ExpenseRecordedV1.event_type)
    stored, sent = _alert_ids(published, records, BudgetThresholdCrossedV1.event_type,
                              "project_id", "threshold")
    problems: list[str] = []
    expected = 0
    for project, count in expenses.items():
        cost = Decimal(EXPENSE) * count
        for percent in THRESHOLDS:
            key = (project, f"used_{percent}")
            must = cost * 100 >= Decimal(BUDGET) * Decimal(percent)
            expected += must
            if must and len(sent[key]) != 1:
                problems.append(f"{project} {key[1]}: crossed, sent {len(sent[key])} times")
            if not must and sent[key]:
                problems.append(f"{project} {key[1]}: not crossed, sent {len(sent[key])} times")
    for key, ids in sent.items():
        if len(ids) > 1:
            problems.append(f"{key[0]} {key[1]}: {len(ids)} distinct alerts")
        if ids != stored.get(key, set()):
            problems.append(f"{key[0]} {key[1]}: on Kafka {sorted(ids)}, "
                            f"stored {sorted(stored.get(key, set()))}")
    return problems, {"crossings_expected": expected, "crossings_sent": sum(len(v) for v in sent.values()),
                      "projects_with_expenses": len(expenses)}


def _overallocations(
    published: list[OutgoingEvent], records: dict[str, list[Record]]
) -> tuple[list[str], dict[str, Any]]:
    """Bookings are only added, so each (resource, day) goes over capacity at most once."""
    stored, sent = _alert_ids(published, records, ResourceOverallocatedV1.event_type, "resource_id", "day")
    booked_twice = Counter(str(e.envelope.data["resource_id"]) for e in published
                           if e.envelope.type == ResourceBookedV1.event_type)
    problems = [f"{r} {d}: sent {len(sent[(r, d)])}, stored {len(ids)}" for (r, d), ids in stored.items()
                if sent[(r, d)] != ids or len(ids) != 1]
    problems += [f"{r} {d}: sent but not stored" for (r, d) in sent if (r, d) not in stored]
    over_days = Counter(r for r, _ in stored)
    problems += [f"resource {r} booked twice but over capacity on {over_days[r]} days, not 5"
                 for r, n in booked_twice.items() if n >= 2 and over_days[r] != 5]
    return problems, {"overallocations_stored": sum(len(v) for v in stored.values()),
                      "overallocations_sent": sum(len(v) for v in sent.values())}
