"""A resource (a person or a piece of equipment) and everything that loads it.

The resource is the ledger of its own capacity: its work pattern and days off, its
bookings, and its share of the tasks it is assigned to all live here, so that every
change sees the whole load and can tell, exactly once, when a day goes over capacity.
That crossing is recorded as ``Overallocated`` (published); a day that stays over
capacity through later changes records nothing more, and a day that comes back within
capacity and goes over again records a new crossing. Whether a day is over capacity is
always computed from the load, never stored, so replaying the events gives it back.

Stored event topics are ``trellis_planning.domain.resource:Resource.<Event>``: this
module and these class names stay where they are.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from enum import StrEnum
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from trellis_planning.domain.assignment import Assignment
from trellis_planning.domain.booking import Booking, check_booking_span
from trellis_planning.domain.capacity import (
    DayLoad,
    WorkPattern,
    check_weekdays,
    days,
    minutes_from_hours,
)
from trellis_planning.domain.errors import PlanningRuleBroken
from trellis_planning.domain.plan_errors import NotInOrganisation

MAX_NAME_LENGTH = 200
MAX_ROLE_LENGTH = 100


class ResourceKind(StrEnum):
    PERSON = "person"
    EQUIPMENT = "equipment"


class Resource(Aggregate):
    """``user_id`` links a person to the staff login (token subject) that logs their time."""

    class Registered(Aggregate.Created):
        organisation_id: UUID
        kind: str
        name: str
        role: str | None
        user_id: str | None
        hours_per_day: Decimal
        working_weekdays: list[int]
        meta: dict[str, str]

    @event(Registered)
    def __init__(
        self,
        *,
        organisation_id: UUID,
        kind: str,
        name: str,
        role: str | None,
        user_id: str | None,
        hours_per_day: Decimal,
        working_weekdays: list[int],
        meta: dict[str, str],
    ) -> None:
        self.organisation_id = organisation_id
        self.kind = ResourceKind(kind)
        self.name = name
        self.role = role
        self.user_id = user_id
        self.hours_per_day = hours_per_day
        self.working_weekdays = frozenset(working_weekdays)
        self.days_off: set[date] = set()
        self.bookings: dict[UUID, Booking] = {}
        self.assignments: dict[UUID, Assignment] = {}

    @classmethod
    def register(
        cls,
        *,
        organisation_id: UUID,
        kind: ResourceKind,
        name: str,
        hours_per_day: Decimal,
        working_weekdays: frozenset[int],
        meta: dict[str, str],
        role: str | None = None,
        user_id: str | None = None,
    ) -> Resource:
        name = name.strip()
        if not 0 < len(name) <= MAX_NAME_LENGTH:
            raise PlanningRuleBroken(f"A resource needs a name of 1 to {MAX_NAME_LENGTH} characters.")
        if role is not None and len(role) > MAX_ROLE_LENGTH:
            raise PlanningRuleBroken(f"A role has at most {MAX_ROLE_LENGTH} characters.")
        if user_id is not None and kind != ResourceKind.PERSON:
            raise PlanningRuleBroken("Only a person can be linked to a staff login (user_id).")
        minutes_from_hours(hours_per_day)
        check_weekdays(working_weekdays)
        return cls(
            organisation_id=organisation_id, kind=kind.value, name=name, role=role, user_id=user_id,
            hours_per_day=hours_per_day, working_weekdays=sorted(working_weekdays), meta=meta,
        )

    @property
    def pattern(self) -> WorkPattern:
        return WorkPattern(
            minutes_per_day=minutes_from_hours(self.hours_per_day),
            weekdays=self.working_weekdays,
            days_off=frozenset(self.days_off),
        )

    # -- capacity ---------------------------------------------------------------------

    class CapacityChanged(Aggregate.Event):
        organisation_id: UUID
        hours_per_day: Decimal
        working_weekdays: list[int]
        meta: dict[str, str]

    def change_capacity(self, *, hours_per_day: Decimal, working_weekdays: frozenset[int],
                        meta: dict[str, str]) -> None:
        minutes_from_hours(hours_per_day)
        check_weekdays(working_weekdays)
        if (hours_per_day, working_weekdays) == (self.hours_per_day, self.working_weekdays):
            return
        with self._watching_load(meta):
            self._capacity_changed(organisation_id=self.organisation_id, hours_per_day=hours_per_day,
                                   working_weekdays=sorted(working_weekdays), meta=meta)

    @event(CapacityChanged)
    def _capacity_changed(self, organisation_id: UUID, hours_per_day: Decimal, working_weekdays: list[int],
                          meta: dict[str, str]) -> None:
        self.hours_per_day = hours_per_day
        self.working_weekdays = frozenset(working_weekdays)

    class DayOffAdded(Aggregate.Event):
        organisation_id: UUID
        day: date
        meta: dict[str, str]

    def add_day_off(self, day: date, meta: dict[str, str]) -> None:
        if day not in self.days_off:
            with self._watching_load(meta):
                self._day_off_added(organisation_id=self.organisation_id, day=day, meta=meta)

    @event(DayOffAdded)
    def _day_off_added(self, organisation_id: UUID, day: date, meta: dict[str, str]) -> None:
        self.days_off.add(day)

    class DayOffRemoved(Aggregate.Event):
        organisation_id: UUID
        day: date
        meta: dict[str, str]

    def remove_day_off(self, day: date, meta: dict[str, str]) -> None:
        if day in self.days_off:
            with self._watching_load(meta):
                self._day_off_removed(organisation_id=self.organisation_id, day=day, meta=meta)

    @event(DayOffRemoved)
    def _day_off_removed(self, organisation_id: UUID, day: date, meta: dict[str, str]) -> None:
        self.days_off.discard(day)

    # -- bookings ---------------------------------------------------------------------

    class Booked(Aggregate.Event):
        organisation_id: UUID
        kind: str
        booking_id: UUID
        project_id: UUID
        starts_on: date
        ends_on: date
        hours_per_day: Decimal
        meta: dict[str, str]

    def book(self, *, project_id: UUID, starts_on: date, ends_on: date, hours_per_day: Decimal,
             meta: dict[str, str]) -> Booking:
        """Overlapping bookings on different projects are allowed (and may over-allocate);
        two bookings of one project whose spans overlap are refused: change one instead."""
        check_booking_span(starts_on, ends_on)
        minutes_from_hours(hours_per_day)
        for other in self.bookings.values():
            if other.project_id == project_id and other.overlaps(starts_on, ends_on):
                raise PlanningRuleBroken(
                    f"Booking {other.booking_id} already books this resource on this project from "
                    f"{other.starts_on.isoformat()} to {other.ends_on.isoformat()}; the spans overlap."
                )
        booking_id = uuid4()
        with self._watching_load(meta):
            self._booked(organisation_id=self.organisation_id, kind=self.kind.value,
                         booking_id=booking_id, project_id=project_id, starts_on=starts_on,
                         ends_on=ends_on, hours_per_day=hours_per_day, meta=meta)
        return self.bookings[booking_id]

    @event(Booked)
    def _booked(self, organisation_id: UUID, kind: str, booking_id: UUID, project_id: UUID,
                starts_on: date, ends_on: date, hours_per_day: Decimal, meta: dict[str, str]) -> None:
        self.bookings[booking_id] = Booking(
            booking_id=booking_id, project_id=project_id, starts_on=starts_on, ends_on=ends_on,
            minutes_per_day=minutes_from_hours(hours_per_day),
        )

    class BookingCancelled(Aggregate.Event):
        organisation_id: UUID
        booking_id: UUID
        project_id: UUID
        meta: dict[str, str]

    def cancel_booking(self, booking_id: UUID, meta: dict[str, str]) -> Booking:
        booking = self.bookings.get(booking_id)
        if booking is None:
            raise NotInOrganisation("booking", booking_id)
        with self._watching_load(meta):
            self._booking_cancelled(organisation_id=self.organisation_id, booking_id=booking_id,
                                    project_id=booking.project_id, meta=meta)
        return booking

    @event(BookingCancelled)
    def _booking_cancelled(self, organisation_id: UUID, booking_id: UUID, project_id: UUID,
                           meta: dict[str, str]) -> None:
        del self.bookings[booking_id]

    # -- assignments ------------------------------------------------------------------

    class AssignmentSet(Aggregate.Event):
        task_id: UUID
        project_id: UUID
        starts_on: date | None
        due_on: date | None
        duration_days: int
        minutes: int
        meta: dict[str, str]

    def set_assignment(self, assignment: Assignment, meta: dict[str, str]) -> None:
        """Records this resource's share of a task; nothing when it is unchanged."""
        if self.assignments.get(assignment.task_id) == assignment:
            return
        with self._watching_load(meta):
            self._assignment_set(
                task_id=assignment.task_id, project_id=assignment.project_id,
                starts_on=assignment.starts_on, due_on=assignment.due_on,
                duration_days=assignment.duration_days, minutes=assignment.minutes, meta=meta,
            )

    @event(AssignmentSet)
    def _assignment_set(self, task_id: UUID, project_id: UUID, starts_on: date | None,
                        due_on: date | None, duration_days: int, minutes: int,
                        meta: dict[str, str]) -> None:
        self.assignments[task_id] = Assignment(
            task_id=task_id, project_id=project_id, starts_on=starts_on, due_on=due_on,
            duration_days=duration_days, minutes=minutes,
        )

    class AssignmentRemoved(Aggregate.Event):
        task_id: UUID
        meta: dict[str, str]

    def remove_assignment(self, task_id: UUID, meta: dict[str, str]) -> None:
        if task_id in self.assignments:
            with self._watching_load(meta):
                self._assignment_removed(task_id=task_id, meta=meta)

    @event(AssignmentRemoved)
    def _assignment_removed(self, task_id: UUID, meta: dict[str, str]) -> None:
        del self.assignments[task_id]

    # -- load -------------------------------------------------------------------------

    class Overallocated(Aggregate.Event):
        """A day went from within capacity to over it (published once per crossing)."""

        organisation_id: UUID
        day: date
        capacity_minutes: int
        allocated_minutes: int
        project_ids: list[UUID]
        meta: dict[str, str]

    @event(Overallocated)
    def _overallocated(self, organisation_id: UUID, day: date, capacity_minutes: int,
                       allocated_minutes: int, project_ids: list[UUID], meta: dict[str, str]) -> None:
        """Changes nothing: whether a day is over capacity is computed from the load."""

    def loads(self, first: date, last: date) -> list[DayLoad]:
        """Capacity and allocation of every day from ``first`` to ``last``."""
        allocated, projects = self._allocation()
        pattern = self.pattern
        return [
            DayLoad(day=day, capacity=pattern.capacity_on(day), allocated=allocated.get(day, 0),
                    project_ids=frozenset(projects.get(day, ())))
            for day in days(first, last)
        ]

    def overallocated_days(self) -> dict[date, DayLoad]:
        allocated, projects = self._allocation()
        pattern = self.pattern
        return {
            day: DayLoad(day=day, capacity=pattern.capacity_on(day), allocated=minutes,
                         project_ids=frozenset(projects[day]))
            for day, minutes in allocated.items()
            if minutes > pattern.capacity_on(day)
        }

    def _allocation(self) -> tuple[dict[date, int], dict[date, set[UUID]]]:
        pattern = self.pattern
        allocated: dict[date, int] = {}
        projects: dict[date, set[UUID]] = {}
        sources: list[tuple[UUID, dict[date, int]]] = [
            (b.project_id, b.minutes_by_day(pattern)) for b in self.bookings.values()
        ]
        sources += [(a.project_id, a.minutes_by_day(pattern)) for a in self.assignments.values()]
        for project_id, by_day in sources:
            for day, minutes in by_day.items():
                allocated[day] = allocated.get(day, 0) + minutes
                projects.setdefault(day, set()).add(project_id)
        return allocated, projects

    @contextmanager
    def _watching_load(self, meta: dict[str, str]) -> Iterator[None]:
        """Records a crossing for every day the change inside the block takes over capacity."""
        before = set(self.overallocated_days())
        yield
        for day, load in sorted(self.overallocated_days().items()):
            if day not in before:
                self._overallocated(
                    organisation_id=self.organisation_id, day=day, capacity_minutes=load.capacity,
                    allocated_minutes=load.allocated,
                    project_ids=sorted(load.project_ids, key=str),
                    meta=meta,
                )
