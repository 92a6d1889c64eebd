"""Concurrent commands grouped into one append: one transaction for many aggregates.

eventsourcing's PostgreSQL recorder takes a table lock for every append so that the
notification log has no gaps; appends therefore run one after another, each paying a
lock, a few round trips and a commit. Commands that arrive while an append is in flight
wait anyway: here they wait in a queue instead, and the next append writes all of them
at once (``Application._record`` of their events together), so one commit serves many
commands. No command waits longer than it would have behind the lock, and a lone
command is written at once, exactly as before.

A group that cannot be written whole (an optimistic-concurrency conflict on one
aggregate, a value the database refuses) is written again member by member, so each
command gets its own outcome: one conflict fails only the command that caused it.

Leadership passes from thread to thread: the caller that finds nobody writing writes
(its own group), and hands the pen to the oldest waiting caller when it is done.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar
from uuid import UUID

from eventsourcing.application import Application, ProcessingEvent
from eventsourcing.persistence import Recording

T = TypeVar("T", bound=UUID | str)

# Enough to amortise the lock and the commit; small enough that one append stays short.
MAX_GROUP_EVENTS = 1000
# TRELLIS_GROUP_COMMIT=0 writes every save on its own, as eventsourcing does (to compare).
SWITCH = "TRELLIS_GROUP_COMMIT"


class _Waiting(Generic[T]):
    __slots__ = ("error", "finished", "processing_event", "recordings", "wake")

    def __init__(self, processing_event: ProcessingEvent[T]) -> None:
        self.processing_event = processing_event
        self.wake = threading.Event()
        self.finished = False
        self.recordings: list[Recording[T]] = []
        self.error: BaseException | None = None


class GroupCommit(Generic[T]):
    """Writes processing events through ``write``, grouping those that arrive together."""

    def __init__(self, write: Callable[[ProcessingEvent[T]], list[Recording[T]]], *,
                 max_group_events: int = MAX_GROUP_EVENTS) -> None:
        self._write = write
        self._max_events = max_group_events
        self._lock = threading.Lock()
        self._queue: list[_Waiting[T]] = []
        self._writing = False
        self.appends = 0
        self.grouped = 0

    def record(self, processing_event: ProcessingEvent[T]) -> list[Recording[T]]:
        me = _Waiting(processing_event)
        with self._lock:
            self._queue.append(me)
            lead = not self._writing
            self._writing = True
        if not lead:
            me.wake.wait()
        if not me.finished:
            self._lead()
        if me.error is not None:
            raise me.error
        return me.recordings

    def _lead(self) -> None:
        """Writes one group (the leader's own request is first in it), then hands over."""
        try:
            with self._lock:
                group = self._take_group()
            self._write_group(group)
        finally:
            with self._lock:
                if self._queue:
                    self._queue[0].wake.set()
                else:
                    self._writing = False

    def _take_group(self) -> list[_Waiting[T]]:
        size = 0
        taken = 0
        for waiting in self._queue:
            events = len(waiting.processing_event.events)
            if taken and size + events > self._max_events:
                break
            size += events
            taken += 1
        group = self._queue[:taken]
        del self._queue[:taken]
        return group

    def _write_group(self, group: Sequence[_Waiting[T]]) -> None:
        self.appends += 1
        if len(group) == 1:
            self._write_alone(group[0])
            return
        combined: ProcessingEvent[T] = ProcessingEvent()
        for waiting in group:
            combined.events.extend(waiting.processing_event.events)
            combined.aggregates.update(waiting.processing_event.aggregates)
        try:
            recordings = self._write(combined)
        except Exception:
            # Someone's events cannot be written: give everyone their own outcome.
            for waiting in group:
                self._write_alone(waiting)
            return
        self.grouped += len(group)
        split = len(recordings) == len(combined.events)
        start = 0
        for waiting in group:
            count = len(waiting.processing_event.events)
            waiting.recordings = recordings[start:start + count] if split else []
            start += count
            self._finish(waiting)

    def _write_alone(self, waiting: _Waiting[T]) -> None:
        try:
            waiting.recordings = self._write(waiting.processing_event)
        except BaseException as error:  # handed to the caller's own thread
            waiting.error = error
        self._finish(waiting)

    @staticmethod
    def _finish(waiting: _Waiting[T]) -> None:
        waiting.finished = True
        waiting.wake.set()


class GroupCommitting(Application[Any]):
    """An Application whose concurrent saves are grouped into one append each.

    Saves that carry a tracking record or recorder arguments (process applications)
    are written on their own, as eventsourcing writes them.
    """

    def _record(self, processing_event: ProcessingEvent[Any]) -> list[Recording[Any]]:
        if (processing_event.tracking is not None or processing_event.saved_kwargs
                or os.environ.get(SWITCH) == "0"):
            return super()._record(processing_event)
        return self.group_commit.record(processing_event)

    @property
    def group_commit(self) -> GroupCommit[Any]:
        group: GroupCommit[Any] | None = self.__dict__.get("_group_commit")
        if group is None:
            with _creating:
                group = self.__dict__.get("_group_commit")
                if group is None:
                    group = GroupCommit(super()._record)
                    self.__dict__["_group_commit"] = group
        return group


_creating = threading.Lock()
