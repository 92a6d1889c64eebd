"""The ledger on PostgreSQL: the same events in another delivery order (each aggregate's
own order kept), in other batch sizes, or with duplicates give the same ledger; and a
poison event in a batch is set aside with its reason while the rest is applied."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import psycopg
import pytest
from budget_test_kit import envelope, incoming, person, time_logged
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trellis_budget.consumers.batch_delivery import BatchDelivery
from trellis_budget.wiring import Budget, build_budget
from trellis_contracts.budget.rate_cards_v1 import RateRevisedV1, RateSetV1
from trellis_contracts.planning.time_entries_v1 import TimeEntryCorrectedV1, TimeEntryDeletedV1
from trellis_platform.dead_letters import TableDeadLetters

UUIDS = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture(scope="module")
def budget(module_database_url: str) -> Iterator[Budget]:
    service = build_budget(module_database_url, pool_size=2)
    yield service
    service.close()


def scenario(org: UUID, rng: random.Random) -> list[list[bytes]]:
    """Each inner list is one aggregate's events, in its order."""
    project = uuid4()
    streams: list[list[bytes]] = []
    people = [person(org, rng.choice(["developer", "designer"])) for _ in range(3)]
    streams += [[envelope(p, subject=p.resource_id)] for p in people]
    for role in ("developer", "designer"):
        card, period = uuid4(), uuid4()
        fields = {
            "rate_card_id": card,
            "organisation_id": org,
            "subject_kind": "role",
            "subject": role,
            "period_id": period,
            "effective_from": date(2026, 1, 1),
            "effective_to": None,
            "unit": "hour",
            "bill_rate": Decimal("150.00"),
            "currency": "EUR",
        }
        streams.append(
            [
                envelope(RateSetV1(**fields, cost_rate=Decimal(rng.randrange(50, 120))), subject=card),
                envelope(
                    RateRevisedV1(**fields, cost_rate=Decimal("99.99"), reason="retro"),
                    subject=card,
                    version=2,
                ),
            ]
        )
    for _ in range(12):
        who = rng.choice(people)
        logged = time_logged(
            org,
            project,
            who.resource_id,
            date(2026, 1, 1) + timedelta(days=rng.randrange(60)),
            rng.randrange(15, 500),
        )
        events = [envelope(logged, subject=logged.time_entry_id)]
        if rng.random() < 0.4:
            corrected = TimeEntryCorrectedV1(**{**logged.model_dump(), "minutes": rng.randrange(15, 500)})
            events.append(envelope(corrected, subject=logged.time_entry_id, version=2))
        if rng.random() < 0.3:
            deleted = TimeEntryDeletedV1(
                time_entry_id=logged.time_entry_id, organisation_id=org, project_id=project
            )
            events.append(envelope(deleted, subject=logged.time_entry_id, version=len(events) + 1))
        streams.append(events)
    return streams


def interleave(streams: list[list[bytes]], rng: random.Random, duplicates: bool) -> list[bytes]:
    queues = [list(s) for s in streams]
    out: list[bytes] = []
    while any(queues):
        queue = rng.choice([q for q in queues if q])
        out.append(queue.pop(0))
        if duplicates and rng.random() < 0.2:
            out.append(rng.choice(out))
    return out


def apply(budget: Budget, events: list[bytes], batch: int) -> None:
    stream = f"test:{uuid4()}"
    consumer = budget.ledger_consumer()
    for start in range(0, len(events), batch):
        consumer.apply_batch(
            [incoming(v, start + n, stream) for n, v in enumerate(events[start : start + batch])]
        )


def ledger_of(database_url: str, org: UUID) -> dict[tuple[str, str, str], Decimal]:
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT source_id, worked_on, currency, sum(amount) FROM budget.ledger_entries"
            " WHERE organisation_id = %s GROUP BY 1, 2, 3 HAVING sum(amount) <> 0",
            (org,),
        ).fetchall()
    return {(str(r[0]), str(r[1]), r[2]): r[3] for r in rows}


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32), batch=st.integers(1, 40))
def test_another_order_other_batches_and_duplicates_give_the_same_ledger(
    budget: Budget,
    module_database_url: str,
    seed: int,
    batch: int,
) -> None:
    rng = random.Random(seed)
    first_org = uuid4()
    streams = scenario(first_org, rng)
    apply(budget, [e for s in streams for e in s], batch=500)
    # The same facts under fresh ids (another organisation, a fresh ledger), delivered differently.
    fresh: dict[str, str] = {}
    renamed = [
        [UUIDS.sub(lambda m: fresh.setdefault(m.group(), str(uuid4())), e.decode()).encode() for e in s]
        for s in streams
    ]
    second_org = UUID(fresh[str(first_org)])
    apply(budget, interleave(renamed, rng, duplicates=True), batch=batch)
    back = {v: k for k, v in fresh.items()}
    first = ledger_of(module_database_url, first_org)
    second = {(back[s], d, c): v for (s, d, c), v in ledger_of(module_database_url, second_org).items()}
    assert first == second
    assert first, "the scenario costs something"


async def test_a_poison_event_in_a_batch_is_set_aside_and_the_rest_applied(
    budget: Budget,
    module_database_url: str,
) -> None:
    org = uuid4()
    ada = person(org, "developer")
    good = time_logged(org, uuid4(), ada.resource_id, date(2026, 1, 5), 60)
    stream = f"test:{uuid4()}"
    wrong_tenant = json.loads(
        envelope(time_logged(org, uuid4(), ada.resource_id, date(2026, 1, 5), 60), subject=uuid4())
    )
    wrong_tenant["organisationid"] = str(uuid4())
    batch = [
        incoming(envelope(ada, subject=ada.resource_id), 0, stream),
        incoming(b"{not json", 1, stream),
        incoming(json.dumps(wrong_tenant).encode(), 2, stream),
        incoming(envelope(good, subject=good.time_entry_id), 3, stream),
    ]
    delivery = BatchDelivery(budget.ledger_consumer(), TableDeadLetters(module_database_url, "budget"))
    await delivery.deliver(batch)
    await delivery.deliver(batch)  # redelivered after a crash: nothing changes
    with psycopg.connect(module_database_url) as conn:
        letters = conn.execute(
            "SELECT position, reason FROM budget.dead_letters WHERE position LIKE %s ORDER BY 1",
            (f"{stream}%",),
        ).fetchall()
        people = conn.execute(
            "SELECT count(*) FROM budget.ledger_people WHERE organisation_id = %s", (org,)
        ).fetchone()
        sources = conn.execute(
            "SELECT count(*) FROM budget.ledger_sources WHERE organisation_id = %s", (org,)
        ).fetchone()
    assert [p for p, _ in letters] == [f"{stream}@1", f"{stream}@2"]
    assert "not a CloudEvent" in letters[0][1]
    assert "differs from envelope" in letters[1][1]
    assert people == (1,)
    assert sources == (1,)
    assert budget.ledger.has_tracking_id(stream, 3)
