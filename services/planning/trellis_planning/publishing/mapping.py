"""Domain events to integration events: the one place that imports both.

A domain event without a public counterpart maps to nothing; it stays inside planning.
Each area's module maps its own events; this module asks each in turn.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from trellis_planning.publishing.projects import project_events
from trellis_platform.outgoing import OutgoingEvent

Translator = Callable[[Any, int], Sequence[OutgoingEvent]]

TRANSLATORS: tuple[Translator, ...] = (project_events,)


def to_integration_events(domain_event: Any, notification_id: int) -> Sequence[OutgoingEvent]:
    for translate in TRANSLATORS:
        outgoing = translate(domain_event, notification_id)
        if outgoing:
            return outgoing
    return []
