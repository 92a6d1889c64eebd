"""Time entry routes: log, correct, delete, read and list the record of work.

Members log and change only their own time (the person resource linked to their
login); managers and API keys with ``planning.time:write`` log anyone's.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response, status

from trellis_planning.api.common import PREFIX, PROBLEM_RESPONSES
from trellis_planning.api.cursors import date_cursor, encode_cursor
from trellis_planning.api.record_problems import answering_problems
from trellis_planning.api.time_entry_schemas import (
    CorrectTimeRequest,
    LogTimeRequest,
    TimeEntryListItem,
    TimeEntryPage,
    TimeEntryResponse,
)
from trellis_planning.application.planning import PlanningApplication
from trellis_planning.domain.time_entry import TimeEntry
from trellis_planning.views.catch_up import catch_up
from trellis_planning.views.records import RecordsView, TimeEntryFilter
from trellis_platform.auth.access import MANAGERS, PLANNERS, READERS, access
from trellis_platform.auth.caller import Caller
from trellis_platform.auth.guards import CurrentCaller, guarded
from trellis_platform.command_meta import command_meta
from trellis_platform.problems import Problem

WRITERS = access(staff=PLANNERS, permission="planning.time:write")
READ = access(staff=READERS, permission="planning.time:read")


def _only_for(caller: Caller) -> str | None:
    """Staff who are not managers may log only their own time."""
    if caller.is_staff and not caller.staff_roles & MANAGERS:
        return caller.subject
    return None


def _response(entry: TimeEntry) -> TimeEntryResponse:
    work = entry.work
    return TimeEntryResponse(
        id=entry.id, organisation_id=entry.organisation_id, project_id=work.project_id,
        task_id=work.task_id, person_id=work.person_id, worked_on=work.worked_on, minutes=work.minutes,
        billable=work.billable, note=work.note, version=entry.version,
    )


def time_entries_router(app: PlanningApplication, records: RecordsView) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["time entries"], responses=PROBLEM_RESPONSES)

    @router.post("/time-entries", status_code=status.HTTP_201_CREATED, response_model=TimeEntryResponse,
                 **guarded(WRITERS))
    def log_time(body: LogTimeRequest, caller: CurrentCaller, request: Request,
                 response: Response) -> TimeEntryResponse:
        meta = command_meta(actor=caller.actor(), request_id=request.headers.get("x-request-id"))
        with answering_problems():
            entry = app.log_time(
                organisation_id=caller.organisation_id, task_id=body.task_id, person_id=body.person_id,
                worked_on=body.worked_on, minutes=body.minutes, billable=body.billable, note=body.note,
                meta=meta, only_for_user=_only_for(caller),
            )
        response.headers["Location"] = f"{PREFIX}/time-entries/{entry.id}"
        return _response(entry)

    @router.get("/time-entries/{entry_id}", response_model=TimeEntryResponse, **guarded(READ))
    def get_time_entry(entry_id: UUID, caller: CurrentCaller) -> TimeEntryResponse:
        with answering_problems():
            return _response(app.get_time_entry(caller.organisation_id, entry_id))

    @router.patch("/time-entries/{entry_id}", response_model=TimeEntryResponse, **guarded(WRITERS))
    def correct_time_entry(entry_id: UUID, body: CorrectTimeRequest, caller: CurrentCaller,
                           request: Request) -> TimeEntryResponse:
        meta = command_meta(actor=caller.actor(), request_id=request.headers.get("x-request-id"))
        changes: dict[str, Any] = body.changes()
        with answering_problems():
            entry = app.correct_time_entry(organisation_id=caller.organisation_id, entry_id=entry_id,
                                           meta=meta, only_for_user=_only_for(caller), **changes)
        return _response(entry)

    @router.delete("/time-entries/{entry_id}", status_code=status.HTTP_204_NO_CONTENT,
                   response_class=Response, **guarded(WRITERS))
    def delete_time_entry(entry_id: UUID, caller: CurrentCaller, request: Request) -> Response:
        meta = command_meta(actor=caller.actor(), request_id=request.headers.get("x-request-id"))
        with answering_problems():
            app.delete_time_entry(organisation_id=caller.organisation_id, entry_id=entry_id, meta=meta,
                                  only_for_user=_only_for(caller))
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    @router.get("/time-entries", response_model=TimeEntryPage, **guarded(READ))
    def list_time_entries(
        caller: CurrentCaller,
        project_id: UUID | None = None,
        task_id: UUID | None = None,
        person_id: UUID | None = None,
        worked_from: Annotated[date | None, Query(alias="from", description="First day, inclusive")] = None,
        worked_to: Annotated[date | None, Query(alias="to", description="Last day, inclusive")] = None,
        limit: int = Query(100, ge=1, le=500),
        cursor: str | None = Query(None, description="next_cursor of the previous page"),
    ) -> TimeEntryPage:
        if worked_from is not None and worked_to is not None and worked_to < worked_from:
            raise Problem(422, "Invalid request",
                          f"query.to ({worked_to}) is before query.from ({worked_from})")
        after = date_cursor(cursor)
        catch_up(app, records)
        page = records.time_entries(
            TimeEntryFilter(organisation_id=caller.organisation_id, project_id=project_id, task_id=task_id,
                            person_id=person_id, worked_from=worked_from, worked_to=worked_to),
            limit=limit, after=after,
        )
        last = page.items[-1] if page.items else None
        return TimeEntryPage(
            items=[TimeEntryListItem(
                id=r.id, organisation_id=r.organisation_id, project_id=r.project_id, task_id=r.task_id,
                person_id=r.person_id, worked_on=r.worked_on, minutes=r.minutes, billable=r.billable,
                note=r.note, version=r.version, recorded_at=r.recorded_at, changed_at=r.changed_at,
            ) for r in page.items],
            next_cursor=encode_cursor(last.worked_on, last.id) if page.has_more and last else None,
        )

    return router
