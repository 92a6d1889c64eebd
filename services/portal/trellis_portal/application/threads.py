"""Thread use cases: start a conversation on a project, post in it."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError, Application

from trellis_portal.application.refs import ProjectRef
from trellis_portal.application.saving import conflicts_as
from trellis_portal.domain.errors import NotFound
from trellis_portal.domain.thread import AuthorKind, Thread


class ThreadUseCases(Application[UUID]):
    def start_thread(self, project: ProjectRef, *, subject: str, body: str, author: str,
                     author_kind: AuthorKind, meta: dict[str, str]) -> tuple[Thread, UUID]:
        """The first message opens the thread, so it is one the client may read."""
        thread = Thread.start(organisation_id=project.organisation_id, project_id=project.project_id,
                              subject=subject, started_by=author, meta=meta)
        message_id = uuid4()
        thread.post(message_id=message_id, author=author, author_kind=author_kind, body=body,
                    internal=False, meta=meta)
        self.save(thread)
        return thread, message_id

    def post_message(self, project: ProjectRef, thread_id: UUID, *, body: str, author: str,
                     author_kind: AuthorKind, internal: bool, meta: dict[str, str]) -> UUID:
        thread = self._thread(project, thread_id)
        message_id = uuid4()
        thread.post(message_id=message_id, author=author, author_kind=author_kind, body=body,
                    internal=internal, meta=meta)
        with conflicts_as("Someone posted in this thread at the same moment; retry."):
            self.save(thread)
        return message_id

    def _thread(self, project: ProjectRef, thread_id: UUID) -> Thread:
        try:
            found: Any = self.repository.get(thread_id)
        except AggregateNotFoundError:
            raise NotFound(f"No thread {thread_id} on this project.") from None
        if (not isinstance(found, Thread) or found.organisation_id != project.organisation_id
                or found.project_id != project.project_id):
            raise NotFound(f"No thread {thread_id} on this project.")
        return found
