"""A message thread on a project between the client and the firm's team.

Both sides post; the team may also leave internal notes, which a client never reads.
Stored event topics are ``trellis_portal.domain.thread:Thread.<Event>``.
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from trellis_portal.domain.errors import PortalRuleBroken
from trellis_portal.domain.text_rules import MAX_MESSAGE, MAX_TITLE, required

MAX_MESSAGES = 10_000


class AuthorKind(StrEnum):
    STAFF = "staff"
    CLIENT = "client"


class Thread(Aggregate):
    class Started(Aggregate.Created):
        organisation_id: UUID
        project_id: UUID
        subject: str
        started_by: str
        meta: dict[str, str]

    @event(Started)
    def __init__(self, *, organisation_id: UUID, project_id: UUID, subject: str, started_by: str,
                 meta: dict[str, str]) -> None:
        self.organisation_id = organisation_id
        self.project_id = project_id
        self.subject = subject
        self.started_by = started_by
        self.message_count = 0

    @classmethod
    def start(cls, *, organisation_id: UUID, project_id: UUID, subject: str, started_by: str,
              meta: dict[str, str]) -> Thread:
        return cls(organisation_id=organisation_id, project_id=project_id,
                   subject=required(subject, "The subject", MAX_TITLE), started_by=started_by, meta=meta)

    class MessagePosted(Aggregate.Event):
        organisation_id: UUID
        project_id: UUID
        message_id: UUID
        author: str
        author_kind: str
        body: str
        internal: bool
        meta: dict[str, str]

    def post(self, *, message_id: UUID, author: str, author_kind: AuthorKind, body: str, internal: bool,
             meta: dict[str, str]) -> None:
        if internal and author_kind != AuthorKind.STAFF:
            raise PortalRuleBroken("Only the firm's staff can write internal notes.")
        if self.message_count >= MAX_MESSAGES:
            raise PortalRuleBroken(f"A thread holds at most {MAX_MESSAGES} messages; start a new one.")
        self._posted(organisation_id=self.organisation_id, project_id=self.project_id, message_id=message_id,
                     author=author, author_kind=author_kind.value,
                     body=required(body, "The message", MAX_MESSAGE), internal=internal, meta=meta)

    @event(MessagePosted)
    def _posted(self, organisation_id: UUID, project_id: UUID, message_id: UUID, author: str,
                author_kind: str, body: str, internal: bool, meta: dict[str, str]) -> None:
        self.message_count += 1
