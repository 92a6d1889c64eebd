"""Thread domain events to integration events: that someone wrote, never what."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from trellis_contracts.portal.messages_v1 import MessagePostedV1
from trellis_platform.outgoing import OutgoingEvent
from trellis_portal.domain.thread import Thread
from trellis_portal.publishing.envelopes import outgoing


def message_events(domain_event: Any, notification_id: int) -> Sequence[OutgoingEvent]:
    if isinstance(domain_event, Thread.MessagePosted):
        posted = MessagePostedV1.model_validate({
            "organisation_id": domain_event.organisation_id, "project_id": domain_event.project_id,
            "thread_id": domain_event.originator_id, "message_id": domain_event.message_id,
            "author": domain_event.author, "author_kind": domain_event.author_kind,
            "internal": domain_event.internal})
        return [outgoing(domain_event, posted, notification_id)]
    return []
