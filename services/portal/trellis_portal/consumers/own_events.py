"""The portal's own decisions in its client views: grants, visibility, approvals,
messages and survey answers, projected from its event store.

Followed in order from the notification log (ids are gap-free in commit order, so
reading past the last position misses nothing). The API catches up right after each
command, so a 2xx is already in the views; the consumers process (or the embedded app)
follows continuously, for whatever a crash between commit and catch-up left behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Tracking

from trellis_portal.domain.approval import Approval
from trellis_portal.domain.project_access import ProjectAccess
from trellis_portal.domain.survey_response import SurveyResponse
from trellis_portal.domain.thread import Thread
from trellis_portal.views import fact_kinds as kinds
from trellis_portal.views.facts import FactWriter
from trellis_portal.views.tracked_facts import Effect, TrackedFacts

logger = logging.getLogger(__name__)

STREAM = "portal"


def effect_of(event: Any) -> Effect | None:
    source, version = str(event.originator_id), event.originator_version

    def put(w: FactWriter, scope: UUID, kind: str, key: str, body: dict[str, Any],
            merge: bool = False) -> None:
        w.put(scope, kind, key, body, source=source, version=version, merge=merge)

    if isinstance(event, ProjectAccess.Granted):
        return lambda w, _: put(w, event.project_id, kinds.GRANT, str(event.client_user_id),
                                {"granted_at": event.timestamp})
    if isinstance(event, ProjectAccess.Revoked):
        return lambda w, _: w.remove(event.project_id, kinds.GRANT, str(event.client_user_id),
                                     source=source, version=version)
    if isinstance(event, ProjectAccess.VisibilityChanged):
        return lambda w, _: put(w, event.project_id, kinds.VISIBILITY, "", dict(event.visibility))
    if isinstance(event, Approval.Requested):
        return lambda w, _: put(w, event.project_id, kinds.APPROVAL, source, {
            "subject": event.subject, "subject_id": event.subject_id,
            "deliverable_kind": event.deliverable_kind, "document_version": event.document_version,
            "title": event.title, "description": event.description, "status": "pending",
            "requested_at": event.timestamp})
    if isinstance(event, Approval.Approved | Approval.Rejected):
        status = "approved" if isinstance(event, Approval.Approved) else "rejected"
        return lambda w, _: put(w, event.project_id, kinds.APPROVAL, source, {
            "status": status, "decided_by": event.client_user_id, "comment": event.comment,
            "decided_at": event.timestamp}, merge=True)
    if isinstance(event, Thread.Started):
        return lambda w, _: put(w, event.project_id, kinds.THREAD, source, {
            "subject": event.subject, "started_at": event.timestamp})
    if isinstance(event, Thread.MessagePosted):
        return lambda w, _: put(w, event.project_id, kinds.MESSAGE, str(event.message_id), {
            "thread_id": source, "author": event.author, "author_kind": event.author_kind,
            "body": event.body, "internal": event.internal, "posted_at": event.timestamp})
    if isinstance(event, SurveyResponse.Answered):
        return lambda w, _: put(w, event.project_id, kinds.SURVEY_RESPONSE,
                                f"{event.survey_id}/{event.client_user_id}", {
                                    "survey_id": event.survey_id, "client_user_id": event.client_user_id,
                                    "csat": event.csat, "nps": event.nps, "comment": event.comment,
                                    "answered_at": event.timestamp})
    return None


class OwnEventsProjector:
    name = "portal.own_events"

    def __init__(self, application: Application[UUID], tracked: TrackedFacts, *,
                 batch_size: int = 500) -> None:
        self._application = application
        self._tracked = tracked
        self._batch_size = batch_size
        self._stopping = asyncio.Event()

    def catch_up(self) -> int:
        """Projects every stored event not projected yet; returns how many it looked at."""
        seen = 0
        while True:
            position = self._tracked.max_tracking_id(STREAM) or 0
            notifications = self._application.recorder.select_notifications(
                position, self._batch_size, inclusive_of_start=False)
            if not notifications:
                return seen
            for notification in notifications:
                event: Any = self._application.mapper.to_domain_event(notification)
                tracking = Tracking(STREAM, notification.id)
                effect = effect_of(event)
                if effect is None:
                    self._tracked.skip(tracking)
                else:
                    self._tracked.apply(tracking, event.organisation_id, effect)
            seen += len(notifications)

    async def run(self, *, poll_seconds: float = 1.0) -> None:
        """Follows the event store until ``stop()``; retries what fails."""
        while not self._stopping.is_set():
            try:
                await asyncio.to_thread(self.catch_up)
            except Exception:
                logger.warning("projecting the portal's own events failed; retrying", exc_info=True)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=poll_seconds)

    def stop(self) -> None:
        self._stopping.set()
