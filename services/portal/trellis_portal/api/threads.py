"""Message threads between the client and the firm's team, per project: both sides post."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response, status

from trellis_platform.auth.caller import Caller
from trellis_platform.auth.guards import CurrentCaller, guarded
from trellis_portal.api.common import (
    CONVERSING,
    PREFIX,
    PROBLEM_RESPONSES,
    PortalContext,
    answering_problems,
    meta,
    not_found,
    seen,
)
from trellis_portal.api.thread_schemas import PostMessageBody, StartThreadBody
from trellis_portal.domain.thread import AuthorKind
from trellis_portal.views.client.sections import threads_section
from trellis_portal.views.client.shapes import StaffThreadItem, ThreadItem


def threads_router(context: PortalContext) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["portal messages"], responses=PROBLEM_RESPONSES)

    @router.post("/projects/{project_id}/threads", status_code=status.HTTP_201_CREATED,
                 response_model=StaffThreadItem | ThreadItem, **guarded(CONVERSING))
    def start_thread(project_id: UUID, body: StartThreadBody, caller: CurrentCaller, request: Request,
                     response: Response) -> ThreadItem:
        now = seen(context, caller, project_id)
        with answering_problems():
            thread, _ = context.application.start_thread(
                now.ref, subject=body.subject, body=body.body, author=caller.actor(),
                author_kind=_kind(caller), meta=meta(caller, request))
        context.catch_up()
        response.headers["Location"] = f"{PREFIX}/projects/{project_id}/threads"
        return _thread(context, caller, project_id, thread.id)

    @router.post("/projects/{project_id}/threads/{thread_id}/messages", status_code=status.HTTP_201_CREATED,
                 response_model=StaffThreadItem | ThreadItem, **guarded(CONVERSING))
    def post_message(project_id: UUID, thread_id: UUID, body: PostMessageBody, caller: CurrentCaller,
                     request: Request) -> ThreadItem:
        """Answers the thread with the new message in it."""
        now = seen(context, caller, project_id)
        with answering_problems():
            context.application.post_message(
                now.ref, thread_id, body=body.body, author=caller.actor(), author_kind=_kind(caller),
                internal=body.internal, meta=meta(caller, request))
        context.catch_up()
        return _thread(context, caller, project_id, thread_id)

    return router


def _kind(caller: Caller) -> AuthorKind:
    return AuthorKind.CLIENT if caller.is_client else AuthorKind.STAFF


def _thread(context: PortalContext, caller: Caller, project_id: UUID, thread_id: UUID) -> ThreadItem:
    now = seen(context, caller, project_id)
    for item in threads_section(now.snapshot, now.viewer, now.as_of).items:
        if item.id == thread_id:
            return item
    raise not_found(project_id, f"thread {thread_id}")
