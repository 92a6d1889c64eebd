"""The ledger engine, as a specification: every change is booked as compensating
entries, the net per source is what the source costs at the rates known now, and the
order events arrive in (across aggregates) or arriving twice changes nothing."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID, uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from trellis_budget.domain.ledger.engine import LedgerEngine
from trellis_budget.domain.ledger.model import (
    CostKind,
    Entry,
    FixedFacts,
    Person,
    SourceFacts,
    SourceKind,
    SubjectRate,
    TimeFacts,
)
from trellis_budget.domain.ledger.state import MemoryLedgerState
from trellis_budget.domain.rate_card import RatePeriod

ORG = UUID("00000000-0000-0000-0000-0000000000aa")
PROJECT = UUID("00000000-0000-0000-0000-0000000000bb")
AT = datetime(2026, 3, 1, tzinfo=UTC)


def time_source(
    entry_id: UUID,
    person_id: UUID,
    worked_on: date,
    minutes: int,
    project: UUID = PROJECT,
    billable: bool = True,
) -> SourceFacts:
    return SourceFacts(
        entry_id,
        ORG,
        project,
        SourceKind.TIME,
        "labour",
        CostKind.ACTUAL,
        person_id,
        None,
        TimeFacts(worked_on, minutes, billable),
    )


def role_rate(
    role: str, starts: date, ends: date | None, cost: str, version: int = 1, period_id: UUID | None = None
) -> SubjectRate:
    return SubjectRate(
        ORG,
        "role",
        role,
        RatePeriod(period_id or uuid4(), starts, ends, "hour", Decimal(cost), Decimal(cost) * 2, "EUR"),
        version,
    )


def net(entries: list[Entry]) -> dict[tuple[UUID, date, str], Decimal]:
    totals: dict[tuple[UUID, date, str], Decimal] = defaultdict(Decimal)
    for e in entries:
        totals[(e.source_id, e.worked_on, e.currency)] += e.amount
    return {k: v for k, v in totals.items() if v != 0}


def engine_with_dev(rates: list[SubjectRate]) -> tuple[LedgerEngine, UUID]:
    engine = LedgerEngine(MemoryLedgerState())
    ada = uuid4()
    engine.put_person(Person(ORG, ada, "developer", Decimal(8), 1), recorded_at=AT)
    for rate in rates:
        engine.put_rate(rate, recorded_at=AT)
    return engine, ada


def test_time_is_costed_at_the_rate_in_force_on_the_day_worked() -> None:
    engine, ada = engine_with_dev(
        [
            role_rate("developer", date(2026, 1, 1), date(2026, 1, 31), "100.00"),
            role_rate("developer", date(2026, 2, 1), None, "120.00"),
        ]
    )
    engine.put_source(time_source(uuid4(), ada, date(2026, 1, 20), 90), version=1, recorded_at=AT, cause="t")
    engine.put_source(time_source(uuid4(), ada, date(2026, 2, 3), 90), version=1, recorded_at=AT, cause="t")
    january, february = engine.take_entries()
    assert (january.amount, january.rate, january.quantity) == (
        Decimal("150.00"),
        Decimal("100.00"),
        Decimal("1.5"),
    )
    assert (february.amount, february.rate) == (Decimal("180.00"), Decimal("120.00"))
    assert january.bill_amount == Decimal("300.00"), "billable time also carries its bill amount"


def test_a_correction_reverses_the_old_cost_and_books_the_new() -> None:
    engine, ada = engine_with_dev([role_rate("developer", date(2026, 1, 1), None, "100.00")])
    entry = uuid4()
    engine.put_source(
        time_source(entry, ada, date(2026, 1, 5), 60), version=1, recorded_at=AT, cause="logged"
    )
    engine.put_source(
        time_source(entry, ada, date(2026, 1, 6), 30), version=2, recorded_at=AT, cause="corrected"
    )
    entries = engine.take_entries()
    assert [(e.worked_on.day, e.amount, e.reversal) for e in entries] == [
        (5, Decimal("100.00"), False),
        (5, Decimal("-100.00"), True),
        (6, Decimal("50.00"), False),
    ]


def test_moving_an_entry_to_another_project_reverses_it_on_the_old_one() -> None:
    engine, ada = engine_with_dev([role_rate("developer", date(2026, 1, 1), None, "100.00")])
    entry, other = uuid4(), uuid4()
    engine.put_source(
        time_source(entry, ada, date(2026, 1, 5), 60), version=1, recorded_at=AT, cause="logged"
    )
    engine.put_source(
        time_source(entry, ada, date(2026, 1, 5), 60, project=other),
        version=2,
        recorded_at=AT,
        cause="corrected",
    )
    by_project: dict[UUID, Decimal] = defaultdict(Decimal)
    for e in engine.take_entries():
        by_project[e.project_id] += e.amount
    assert by_project == {PROJECT: Decimal(0), other: Decimal("100.00")}


def test_deleting_an_entry_books_its_reversal_and_a_late_duplicate_changes_nothing() -> None:
    engine, ada = engine_with_dev([role_rate("developer", date(2026, 1, 1), None, "80.00")])
    entry = uuid4()
    facts = time_source(entry, ada, date(2026, 1, 5), 45)
    engine.put_source(facts, version=1, recorded_at=AT, cause="logged")
    engine.remove_source(entry, ORG, version=2, recorded_at=AT, cause="deleted")
    engine.put_source(facts, version=1, recorded_at=AT, cause="logged")  # redelivered
    assert net(engine.take_entries()) == {}


def test_time_without_a_rate_waits_and_is_costed_when_a_rate_arrives() -> None:
    engine, ada = engine_with_dev([])
    engine.put_source(
        time_source(uuid4(), ada, date(2026, 1, 5), 60), version=1, recorded_at=AT, cause="logged"
    )
    assert engine.take_entries() == []
    engine.put_rate(role_rate("developer", date(2026, 1, 1), None, "90.00"), recorded_at=AT)
    (entry,) = engine.take_entries()
    assert (entry.amount, entry.cause) == (Decimal("90.00"), "rate_changed")


def test_a_retroactive_rate_change_re_costs_past_entries_with_compensating_entries() -> None:
    period = uuid4()
    engine, ada = engine_with_dev(
        [role_rate("developer", date(2026, 1, 1), None, "100.00", period_id=period)]
    )
    engine.put_source(
        time_source(uuid4(), ada, date(2026, 1, 5), 60), version=1, recorded_at=AT, cause="logged"
    )
    engine.take_entries()
    later = AT + timedelta(days=30)
    engine.put_rate(
        role_rate("developer", date(2026, 1, 1), None, "110.00", version=2, period_id=period),
        recorded_at=later,
    )
    reversal, rebooked = engine.take_entries()
    assert (reversal.amount, rebooked.amount) == (Decimal("-100.00"), Decimal("110.00"))
    assert reversal.recorded_at == rebooked.recorded_at == later, "recorded when the rate changed"
    assert reversal.worked_on == rebooked.worked_on == date(2026, 1, 5), "still belongs to the day worked"


def test_a_person_rate_overrides_the_role_rate_on_its_dates() -> None:
    engine, ada = engine_with_dev([role_rate("developer", date(2026, 1, 1), None, "100.00")])
    engine.put_rate(
        SubjectRate(
            ORG,
            "person",
            str(ada),
            RatePeriod(
                uuid4(), date(2026, 1, 10), date(2026, 1, 20), "day", Decimal("960.00"), Decimal(0), "EUR"
            ),
            1,
        ),
        recorded_at=AT,
    )
    engine.put_source(time_source(uuid4(), ada, date(2026, 1, 15), 240), version=1, recorded_at=AT, cause="t")
    engine.put_source(time_source(uuid4(), ada, date(2026, 1, 25), 240), version=1, recorded_at=AT, cause="t")
    own, role = engine.take_entries()
    assert own.amount == Decimal("480.00"), "half of an 8-hour day at 960 a day"
    assert role.amount == Decimal("400.00")


# -- properties --------------------------------------------------------------------------

ROLES = ("developer", "designer")
MONTHS = (date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1))


@st.composite
def histories(draw: st.DrawFn) -> dict[str, list[tuple[str, object, int]]]:
    """Per aggregate, its events in order: (what, payload, version)."""
    streams: dict[str, list[tuple[str, object, int]]] = {}
    people = [uuid4() for _ in range(draw(st.integers(1, 3)))]
    for n, person_id in enumerate(people):
        roles = draw(st.lists(st.sampled_from(ROLES), min_size=1, max_size=2))
        streams[f"person{n}"] = [
            ("person", Person(ORG, person_id, role, Decimal(8), v + 1), v + 1) for v, role in enumerate(roles)
        ]
    for role in ROLES:
        for m, month in enumerate(MONTHS):
            if draw(st.booleans()):
                period = uuid4()
                ends = MONTHS[m + 1] - timedelta(days=1) if m + 1 < len(MONTHS) else None
                costs = draw(st.lists(st.decimals("10.00", "200.00", places=2), min_size=1, max_size=2))
                streams[f"rate-{role}-{m}"] = [
                    ("rate", role_rate(role, month, ends, str(c), v + 1, period), v + 1)
                    for v, c in enumerate(costs)
                ]
    for n in range(draw(st.integers(1, 8))):
        entry = uuid4()
        states = draw(
            st.lists(
                st.tuples(st.sampled_from(people), st.integers(0, 80), st.integers(1, 600), st.booleans()),
                min_size=1,
                max_size=3,
            )
        )
        events: list[tuple[str, object, int]] = [
            (
                "time",
                time_source(entry, who, date(2026, 1, 1) + timedelta(days=day), minutes, billable=billable),
                v + 1,
            )
            for v, (who, day, minutes, billable) in enumerate(states)
        ]
        if draw(st.booleans()):
            events.append(("delete", entry, len(events) + 1))
        streams[f"entry{n}"] = events
    for n in range(draw(st.integers(0, 3))):
        expense = uuid4()
        amount = draw(st.decimals("0.01", "5000.00", places=2))
        facts = SourceFacts(
            expense,
            ORG,
            PROJECT,
            SourceKind.EXPENSE,
            "materials",
            CostKind.ACTUAL,
            None,
            None,
            FixedFacts(date(2026, 1, 15), amount, "EUR"),
        )
        events = [("time", facts, 1)]
        if draw(st.booleans()):
            events.append(("delete", expense, 2))
        streams[f"expense{n}"] = events
    return streams


@st.composite
def deliveries(
    draw: st.DrawFn, streams: dict[str, list[tuple[str, object, int]]]
) -> list[tuple[str, object, int]]:
    """One interleaving that keeps each aggregate's order, with some events delivered twice."""
    cursors = {name: 0 for name in streams}
    delivered: list[tuple[str, object, int]] = []
    while any(cursors[n] < len(streams[n]) for n in streams):
        name = draw(st.sampled_from(sorted(n for n in streams if cursors[n] < len(streams[n]))))
        event = streams[name][cursors[name]]
        cursors[name] += 1
        delivered.append(event)
        if draw(st.integers(0, 5)) == 0:
            delivered.append(event)
        if draw(st.integers(0, 8)) == 0 and delivered:
            delivered.append(draw(st.sampled_from(delivered)))  # an old event published again
    return delivered


def run(events: list[tuple[str, object, int]]) -> tuple[LedgerEngine, list[Entry]]:
    engine = LedgerEngine(MemoryLedgerState())
    for what, payload, version in events:
        if what == "person":
            assert isinstance(payload, Person)
            engine.put_person(payload, recorded_at=AT)
        elif what == "rate":
            assert isinstance(payload, SubjectRate)
            engine.put_rate(payload, recorded_at=AT)
        elif what == "time":
            assert isinstance(payload, SourceFacts)
            engine.put_source(payload, version=version, recorded_at=AT, cause="t")
        else:
            assert isinstance(payload, UUID)
            engine.remove_source(payload, ORG, version=version, recorded_at=AT, cause="d")
    return engine, engine.take_entries()


def expected_cost(engine: LedgerEngine, source: SourceFacts) -> Decimal | None:
    """An independent reading of the rules: the rate in force for the person's role now."""
    if isinstance(source.facts, FixedFacts):
        return source.facts.amount
    assert isinstance(source.facts, TimeFacts)
    assert source.subject_id is not None
    state = engine.state
    person = state.person(ORG, source.subject_id)
    assert person is not None
    assert person.role is not None
    for rate in state.rates(ORG, "role", person.role):
        if rate.period.covers(source.facts.worked_on):
            return (Decimal(source.facts.minutes) * rate.period.cost_rate / 60).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
    return None


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_the_ledger_balances_source_by_source(data: st.DataObject) -> None:
    streams = data.draw(histories())
    engine, entries = run(data.draw(deliveries(streams)))
    booked: dict[UUID, Decimal] = defaultdict(Decimal)
    for e in entries:
        booked[e.source_id] += e.amount
    state = engine.state
    assert isinstance(state, MemoryLedgerState)
    for source in state.sources.values():
        expected = None if source.removed else expected_cost(engine, source.facts)
        assert booked.get(source.source_id, Decimal(0)) == (expected or Decimal(0))
    reversals = [e for e in entries if e.reversal]
    assert all(e.amount <= 0 for e in reversals)
    assert all(e.amount >= 0 for e in entries if not e.reversal)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_delivery_order_across_aggregates_and_duplicates_give_the_same_ledger(data: st.DataObject) -> None:
    streams = data.draw(histories())
    in_order = [event for name in sorted(streams) for event in streams[name]]
    _, first = run(in_order)
    _, second = run(data.draw(deliveries(streams)))
    assert net(first) == net(second)
