"""The organisations' plan settings kept between commands that only read them.

Creating a project reads its organisation's settings (the naming rule for project names,
the workflow it follows) and changes nothing in them. Loading them costs two queries
(the snapshot, then the events), and usually finds nothing: most organisations keep the
defaults. Kept here instead, they cost one indexed query for their current version in
the event store: the same version, the same settings; another one (changed by this
process or any other), loaded again. So a change is seen by the very next command,
wherever it runs.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder

from trellis_planning.domain.plan_settings import PlanSettings, settings_id

MAX_ORGANISATIONS = 1024


class SharedSettings:
    """Read-only settings: what ``get`` returns is shared between threads, never changed
    or saved (a command that changes settings loads its own copy)."""

    def __init__(self, recorder: ApplicationRecorder, load: Callable[[UUID], PlanSettings], *,
                 max_size: int = MAX_ORGANISATIONS) -> None:
        self._recorder = recorder
        self._load = load
        self._max_size = max_size
        self._kept: OrderedDict[UUID, tuple[int | None, PlanSettings]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, organisation_id: UUID) -> PlanSettings:
        aggregate_id = settings_id(organisation_id)
        latest = self._recorder.select_events(aggregate_id, desc=True, limit=1)
        version = latest[0].originator_version if latest else None
        with self._lock:
            kept = self._kept.get(aggregate_id)
            if kept is not None and kept[0] == version:
                self._kept.move_to_end(aggregate_id)
                return kept[1]
        settings = self._load(organisation_id)
        # Unsaved defaults stand for "nothing stored"; loaded settings may be newer than
        # the version just read (a change in between), and are kept under their own.
        kept_version = None if settings.pending_events else settings.version
        with self._lock:
            self._kept[aggregate_id] = (kept_version, settings)
            self._kept.move_to_end(aggregate_id)
            while len(self._kept) > self._max_size:
                self._kept.popitem(last=False)
        return settings
