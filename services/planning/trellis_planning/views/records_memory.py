"""The records read model in memory, for tests on the in-memory event store."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from trellis_planning.views.records import (
    Change,
    DocumentRow,
    Page,
    ResourceHoursSet,
    ResourceRow,
    TimeEntryFilter,
    TimeEntryRemoved,
    TimeEntryRow,
)

R = TypeVar("R")


class MemoryRecordsView:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._position = 0
        self._time_entries: dict[UUID, TimeEntryRow] = {}
        self._documents: dict[UUID, DocumentRow] = {}
        self._resources: dict[UUID, ResourceRow] = {}

    def position(self) -> int:
        return self._position

    def apply(self, changes: Sequence[tuple[int, list[Change]]], up_to: int) -> None:
        with self._lock:
            for notification_id, batch in changes:
                if notification_id > self._position:
                    for change in batch:
                        self._apply(change)
            self._position = max(self._position, up_to)

    def _apply(self, change: Change) -> None:
        if isinstance(change, TimeEntryRow):
            earlier = self._time_entries.get(change.id)
            self._time_entries[change.id] = (
                replace(change, recorded_at=earlier.recorded_at) if earlier else change
            )
        elif isinstance(change, TimeEntryRemoved):
            self._time_entries.pop(change.id, None)
        elif isinstance(change, DocumentRow):
            self._documents[change.id] = change
        elif isinstance(change, ResourceRow):
            self._resources[change.id] = change
        elif change.id in self._resources:
            assert isinstance(change, ResourceHoursSet)
            resource = self._resources[change.id]
            self._resources[change.id] = replace(resource, hours_per_day=change.hours_per_day)

    def time_entries(self, where: TimeEntryFilter, *, limit: int,
                     after: tuple[date, UUID] | None) -> Page[TimeEntryRow]:
        rows = [r for r in self._time_entries.values() if where.matches(r)]
        return _page(rows, lambda r: (r.worked_on, r.id), after, limit)

    def documents(self, organisation_id: UUID, project_id: UUID, *, limit: int,
                  after: tuple[str, UUID] | None) -> Page[DocumentRow]:
        rows = [r for r in self._documents.values()
                if r.organisation_id == organisation_id and r.project_id == project_id]
        return _page(rows, lambda r: (r.name, r.id), after, limit)

    def resources(self, organisation_id: UUID, *, kind: str | None, limit: int,
                  after: tuple[str, UUID] | None) -> Page[ResourceRow]:
        rows = [r for r in self._resources.values()
                if r.organisation_id == organisation_id and kind in (None, r.kind)]
        return _page(rows, lambda r: (r.name, r.id), after, limit)

    def close(self) -> None:
        pass


def _page(rows: Iterable[R], key: Callable[[R], Any], after: Any, limit: int) -> Page[R]:
    ordered = sorted((r for r in rows if after is None or key(r) > after), key=key)
    return Page(items=ordered[:limit], has_more=len(ordered) > limit)
