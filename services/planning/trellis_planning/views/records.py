"""The records read model: time entries, documents and resources, listed and filtered.

A list no single aggregate can answer (all time on a project, every resource of an
organisation) comes from here. The model follows planning's own notification log
(``catch_up``): each domain event becomes a change to a row, and a batch of changes is
applied with its tracking position in one transaction, so it is exact and replayable.
Two implementations share the behaviour: PostgreSQL for running, memory for tests on
the in-memory event store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, Protocol, TypeVar
from uuid import UUID

from eventsourcing.utils import get_topic

from trellis_planning.domain.document import Document
from trellis_planning.domain.resource import Resource
from trellis_planning.domain.time_entry import TimeEntry

Row = TypeVar("Row")


@dataclass(frozen=True)
class TimeEntryRow:
    id: UUID
    organisation_id: UUID
    project_id: UUID
    task_id: UUID
    person_id: UUID
    worked_on: date
    minutes: int
    billable: bool
    note: str
    recorded_at: datetime
    """When the entry was first logged; corrections keep it and change ``changed_at``."""
    changed_at: datetime
    version: int


@dataclass(frozen=True)
class DocumentRow:
    id: UUID
    organisation_id: UUID
    project_id: UUID
    name: str
    latest_version: int
    size: int
    sha256: str
    content_type: str
    changed_at: datetime


@dataclass(frozen=True)
class ResourceRow:
    id: UUID
    organisation_id: UUID
    kind: str
    name: str
    role: str | None
    user_id: str | None
    hours_per_day: Decimal


@dataclass(frozen=True)
class TimeEntryRemoved:
    id: UUID


@dataclass(frozen=True)
class ResourceHoursSet:
    id: UUID
    hours_per_day: Decimal


Change = TimeEntryRow | TimeEntryRemoved | DocumentRow | ResourceRow | ResourceHoursSet

FOLLOWED_TOPICS = tuple(get_topic(cls) for cls in (
    TimeEntry.Logged, TimeEntry.Corrected, TimeEntry.Deleted, Document.VersionAdded,
    Resource.Registered, Resource.CapacityChanged,
))


def changes_of(event: Any) -> list[Change]:
    if isinstance(event, TimeEntry.Logged | TimeEntry.Corrected):
        return [TimeEntryRow(
            id=event.originator_id, organisation_id=event.organisation_id, project_id=event.project_id,
            task_id=event.task_id, person_id=event.person_id, worked_on=event.worked_on,
            minutes=event.minutes, billable=event.billable, note=event.note, recorded_at=event.timestamp,
            changed_at=event.timestamp, version=event.originator_version,
        )]
    if isinstance(event, TimeEntry.Deleted):
        return [TimeEntryRemoved(id=event.originator_id)]
    if isinstance(event, Document.VersionAdded):
        return [DocumentRow(
            id=event.originator_id, organisation_id=event.organisation_id, project_id=event.project_id,
            name=event.name, latest_version=event.number, size=event.size, sha256=event.sha256,
            content_type=event.content_type, changed_at=event.timestamp,
        )]
    if isinstance(event, Resource.Registered):
        return [ResourceRow(
            id=event.originator_id, organisation_id=event.organisation_id, kind=event.kind,
            name=event.name, role=event.role, user_id=event.user_id, hours_per_day=event.hours_per_day,
        )]
    if isinstance(event, Resource.CapacityChanged):
        return [ResourceHoursSet(id=event.originator_id, hours_per_day=event.hours_per_day)]
    return []


@dataclass(frozen=True)
class TimeEntryFilter:
    organisation_id: UUID
    project_id: UUID | None = None
    task_id: UUID | None = None
    person_id: UUID | None = None
    worked_from: date | None = None
    worked_to: date | None = None

    def matches(self, row: TimeEntryRow) -> bool:
        return (
            row.organisation_id == self.organisation_id
            and self.project_id in (None, row.project_id)
            and self.task_id in (None, row.task_id)
            and self.person_id in (None, row.person_id)
            and (self.worked_from is None or row.worked_on >= self.worked_from)
            and (self.worked_to is None or row.worked_on <= self.worked_to)
        )


@dataclass(frozen=True)
class Page(Generic[Row]):
    items: list[Row]
    has_more: bool


class RecordsView(Protocol):
    def position(self) -> int:
        """The last notification id applied."""

    def apply(self, changes: Sequence[tuple[int, list[Change]]], up_to: int) -> None:
        """Applies the changes of notifications after the current position, and records
        ``up_to`` as the new position, atomically; notifications already applied (by a
        concurrent catch-up) are skipped."""

    def time_entries(self, where: TimeEntryFilter, *, limit: int,
                     after: tuple[date, UUID] | None) -> Page[TimeEntryRow]:
        """Ordered by (worked_on, id); ``after`` is the last key of the previous page."""

    def documents(self, organisation_id: UUID, project_id: UUID, *, limit: int,
                  after: tuple[str, UUID] | None) -> Page[DocumentRow]:
        """Ordered by (name, id)."""

    def resources(self, organisation_id: UUID, *, kind: str | None, limit: int,
                  after: tuple[str, UUID] | None) -> Page[ResourceRow]:
        """Ordered by (name, id)."""

    def close(self) -> None: ...
