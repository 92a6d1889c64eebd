"""Domain events to integration events: the one place that imports both.

A domain event without a public counterpart maps to nothing; it stays inside planning.
Each area's module maps its own events; this module asks each in turn, once per kind of
event: an area decides by the event's type alone, so the one that answered (or that none
did) is remembered for the type.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from trellis_planning.publishing.documents import document_events
from trellis_planning.publishing.milestones import milestone_events
from trellis_planning.publishing.minutes import minutes_events
from trellis_planning.publishing.projects import project_events
from trellis_planning.publishing.resources import resource_events
from trellis_planning.publishing.schedule import schedule_events
from trellis_planning.publishing.settings import settings_events
from trellis_planning.publishing.tasks import task_events
from trellis_planning.publishing.time_entries import time_entry_events
from trellis_platform.outgoing import OutgoingEvent

Translator = Callable[[Any, int], Sequence[OutgoingEvent]]

TRANSLATORS: tuple[Translator, ...] = (
    project_events, time_entry_events, resource_events, document_events,
    task_events, milestone_events, schedule_events, settings_events, minutes_events,
)


_TRANSLATOR_OF: dict[type[Any], Translator | None] = {}


def to_integration_events(domain_event: Any, notification_id: int) -> Sequence[OutgoingEvent]:
    kind = type(domain_event)
    if kind in _TRANSLATOR_OF:
        known = _TRANSLATOR_OF[kind]
        return known(domain_event, notification_id) if known is not None else []
    for translate in TRANSLATORS:
        outgoing = translate(domain_event, notification_id)
        if outgoing:
            _TRANSLATOR_OF[kind] = translate
            return outgoing
    _TRANSLATOR_OF[kind] = None
    return []
