"""Version 1 of the portal's message events. The text stays in the portal: a message may
be an internal note, and other contexts need only that someone wrote."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from trellis_contracts.event_contract import EventContract
from trellis_contracts.topics import PORTAL_EVENTS_V1


class MessagePostedV1(EventContract):
    event_type = "com.trellis.portal.message.posted.v1"
    topic = PORTAL_EVENTS_V1
    version = 1
    summary = "Someone wrote in a project's message thread (internal: a staff-only note)."

    organisation_id: UUID
    project_id: UUID
    thread_id: UUID
    message_id: UUID
    author: str
    author_kind: Literal["staff", "client"]
    internal: bool
