"""Bringing a read model up to date with planning's notification log, on demand.

Queries call ``catch_up`` first, so a list answers with every change acknowledged
before the query arrived (read-your-writes) without a separate projection process in
either run mode. Notification ids are gap-free in commit order (eventsourcing appends
under a table lock), so everything up to the log's current maximum is already there:
reading after the recorded position up to that maximum misses nothing, and the view
moves its position to the maximum even when none of those events concerned it, so the
next catch-up starts where this one looked, not where the last relevant event was.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.application import Application

from trellis_planning.views.records import FOLLOWED_TOPICS, Change, RecordsView, changes_of

BATCH_SIZE = 500


def catch_up(application: Application[Any], view: RecordsView, *, batch_size: int = BATCH_SIZE) -> int:
    """Applies what the view has not seen yet; returns how many notifications that was."""
    last = application.recorder.max_notification_id() or 0
    applied = 0
    while (position := view.position()) < last:  # another catch-up may have moved it on
        notifications = application.recorder.select_notifications(
            position, batch_size, stop=last, topics=FOLLOWED_TOPICS, inclusive_of_start=False,
        )
        changes: list[tuple[int, list[Change]]] = [
            (n.id, changes_of(application.mapper.to_domain_event(n))) for n in notifications
        ]
        up_to = notifications[-1].id if len(notifications) == batch_size else last
        view.apply(changes, up_to=up_to)
        applied += len(notifications)
    return applied
