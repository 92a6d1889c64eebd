"""Properties of a resource's load, whatever sequence of changes it goes through:

- allocated minutes on a day are exactly the sum of its bookings and task shares;
- a day is flagged over-allocated exactly when allocated exceeds capacity;
- ``Overallocated`` is recorded once per crossing into over-allocation, never while a
  day stays over, and again only after it came back within capacity;
- replaying the recorded events gives the same load.
"""

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, initialize, invariant, rule

from trellis_planning.domain.assignment import Assignment
from trellis_planning.domain.errors import PlanningRuleBroken
from trellis_planning.domain.resource import Resource, ResourceKind

META = {"actor": "property"}
FIRST = date(2026, 3, 2)
LAST = date(2026, 3, 29)
WINDOW = [FIRST + timedelta(days=n) for n in range((LAST - FIRST).days + 1)]
PROJECTS = [uuid4() for _ in range(3)]
TASKS = [uuid4() for _ in range(4)]

days = st.sampled_from(WINDOW)
hours = st.sampled_from([Decimal("0.5"), Decimal(2), Decimal("3.75"), Decimal(6), Decimal(8), Decimal(10)])
weekday_sets = st.frozensets(st.integers(1, 7), min_size=1)


def span(start: date, length: int) -> tuple[date, date]:
    return start, min(start + timedelta(days=length), LAST)


class ResourceLoad(RuleBasedStateMachine):
    """Drives one resource and keeps an independent model of what should load it."""

    bookings = Bundle("bookings")

    @initialize()
    def register(self) -> None:
        self.resource = Resource.register(
            organisation_id=uuid4(),
            kind=ResourceKind.PERSON,
            name="Model",
            hours_per_day=Decimal(8),
            working_weekdays=frozenset(range(1, 6)),
            meta=META,
        )
        self.recorded: list[Any] = list(self.resource.collect_events())
        self.minutes_per_day = 480
        self.weekdays: frozenset[int] = frozenset(range(1, 6))
        self.days_off: set[date] = set()
        self.booked: dict[UUID, tuple[UUID, date, date, int]] = {}
        self.shares: dict[UUID, tuple[UUID, date, date, int]] = {}
        self.over: set[date] = set()
        self.crossings: Counter[date] = Counter()
        self.expected_crossings: Counter[date] = Counter()

    # -- the model ----------------------------------------------------------------------

    def capacity(self, day: date) -> int:
        working = day.isoweekday() in self.weekdays and day not in self.days_off
        return self.minutes_per_day if working else 0

    def allocated(self, day: date) -> int:
        total = sum(
            minutes
            for _, first, last, minutes in self.booked.values()
            if first <= day <= last and day.isoweekday() in self.weekdays
        )
        for _, first, last, minutes in self.shares.values():
            whole = [first + timedelta(days=n) for n in range((last - first).days + 1)]
            spread_over = [d for d in whole if self.capacity(d) > 0] or whole
            if day in spread_over:
                each, extra = divmod(minutes, len(spread_over))
                total += each + (1 if spread_over.index(day) < extra else 0)
        return total

    # -- changes ------------------------------------------------------------------------

    @rule(
        target=bookings,
        project=st.sampled_from(PROJECTS),
        start=days,
        length=st.integers(0, 12),
        per_day=hours,
    )
    def book(self, project: UUID, start: date, length: int, per_day: Decimal) -> Any:
        first, last = span(start, length)
        try:
            booking = self.resource.book(
                project_id=project, starts_on=first, ends_on=last, hours_per_day=per_day, meta=META
            )
        except PlanningRuleBroken:
            clashing = [b for b in self.booked.values() if b[0] == project and b[1] <= last and first <= b[2]]
            assert clashing, "only an overlap on the same project is refused"
            self.observe()
            return None
        self.booked[booking.booking_id] = (project, first, last, int(per_day * 60))
        self.observe()
        return booking.booking_id

    @rule(booking_id=consumes(bookings))
    def cancel(self, booking_id: UUID | None) -> None:
        if booking_id is not None:
            self.resource.cancel_booking(booking_id, META)
            del self.booked[booking_id]
        self.observe()

    @rule(
        task=st.sampled_from(TASKS),
        project=st.sampled_from(PROJECTS),
        start=days,
        length=st.integers(0, 9),
        minutes=st.integers(0, 3000),
    )
    def assign(self, task: UUID, project: UUID, start: date, length: int, minutes: int) -> None:
        first, last = span(start, length)
        self.resource.set_assignment(
            Assignment(
                task_id=task,
                project_id=project,
                starts_on=first,
                due_on=last,
                duration_days=1,
                minutes=minutes,
            ),
            META,
        )
        self.shares[task] = (project, first, last, minutes)
        self.observe()

    @rule(task=st.sampled_from(TASKS))
    def unassign(self, task: UUID) -> None:
        self.resource.remove_assignment(task, META)
        self.shares.pop(task, None)
        self.observe()

    @rule(day=days)
    def take_a_day_off(self, day: date) -> None:
        self.resource.add_day_off(day, META)
        self.days_off.add(day)
        self.observe()

    @rule(day=days)
    def come_back(self, day: date) -> None:
        self.resource.remove_day_off(day, META)
        self.days_off.discard(day)
        self.observe()

    @rule(per_day=hours, weekdays=weekday_sets)
    def change_capacity(self, per_day: Decimal, weekdays: frozenset[int]) -> None:
        self.resource.change_capacity(hours_per_day=per_day, working_weekdays=weekdays, meta=META)
        self.minutes_per_day, self.weekdays = int(per_day * 60), weekdays
        self.observe()

    def observe(self) -> None:
        """Collects what the change recorded, and what the model says it should have."""
        events = list(self.resource.collect_events())
        self.recorded += events
        now_over = {d for d in WINDOW if self.allocated(d) > self.capacity(d)}
        for day in now_over - self.over:
            self.expected_crossings[day] += 1
        for event in events:
            if isinstance(event, Resource.Overallocated):
                self.crossings[event.day] += 1
                assert event.allocated_minutes == self.allocated(event.day)
                assert event.capacity_minutes == self.capacity(event.day)
                assert event.allocated_minutes > event.capacity_minutes
        self.over = now_over

    # -- properties ---------------------------------------------------------------------

    @invariant()
    def allocated_is_the_sum_of_bookings_and_shares(self) -> None:
        for load in self.resource.loads(FIRST, LAST):
            assert load.allocated == self.allocated(load.day), load.day
            assert load.capacity == self.capacity(load.day), load.day

    @invariant()
    def over_allocation_is_flagged_exactly_when_allocated_exceeds_capacity(self) -> None:
        for load in self.resource.loads(FIRST, LAST):
            assert load.is_overallocated == (load.allocated > load.capacity)
            assert load.free == max(load.capacity - load.allocated, 0)
        assert set(self.resource.overallocated_days()) == self.over

    @invariant()
    def one_overallocated_event_per_crossing(self) -> None:
        assert self.crossings == self.expected_crossings

    def teardown(self) -> None:
        if not hasattr(self, "resource"):
            return
        replayed: Any = None
        for event in self.recorded:
            replayed = event.mutate(replayed)
        assert replayed.loads(FIRST, LAST) == self.resource.loads(FIRST, LAST)


ResourceLoad.TestCase.settings = settings(
    max_examples=150,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestResourceLoad = ResourceLoad.TestCase
