"""Capacity routes: per resource and day (or ISO week), what it can take, what is
allocated to it by bookings and task assignments, what is free, and whether it is over.

Figures come from each resource's own ledger (the Resource aggregate, the same state
that decides over-allocation), so they always agree with the published
``ResourceOverallocatedV1`` events; the organisation-wide list pages through the
records view to find the resources.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query

from trellis_planning.api.common import PREFIX, PROBLEM_RESPONSES
from trellis_planning.api.cursors import encode_cursor, name_cursor
from trellis_planning.api.record_problems import answering_problems
from trellis_planning.api.resource_schemas import CapacityPage, DayCapacity, ResourceCapacity, WeekCapacity
from trellis_planning.application.planning import PlanningApplication
from trellis_planning.domain.capacity import hours_from_minutes, monday_of, weeks_of
from trellis_planning.domain.resource import Resource
from trellis_planning.views.catch_up import catch_up
from trellis_planning.views.records import RecordsView
from trellis_platform.auth.access import READERS, access
from trellis_platform.auth.guards import CurrentCaller, guarded
from trellis_platform.problems import Problem

READ = access(staff=READERS, permission="planning.resources:read")
MAX_RANGE_DAYS = 366
Granularity = Literal["day", "week"]


def _range(first: date, last: date, by: Granularity) -> tuple[date, date]:
    if last < first:
        raise Problem(422, "Invalid request", f"query.to ({last}) is before query.from ({first})")
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise Problem(422, "Invalid request", f"query.from to query.to spans at most {MAX_RANGE_DAYS} days")
    if by == "week":
        return monday_of(first), monday_of(last) + timedelta(days=6)
    return first, last


def capacity_of(resource: Resource, first: date, last: date, by: Granularity) -> ResourceCapacity:
    loads = resource.loads(first, last)
    shown = ResourceCapacity(resource_id=resource.id, name=resource.name, kind=resource.kind.value)
    if by == "day":
        shown.days = [DayCapacity(
            day=d.day, capacity_minutes=d.capacity, allocated_minutes=d.allocated, free_minutes=d.free,
            capacity_hours=hours_from_minutes(d.capacity), allocated_hours=hours_from_minutes(d.allocated),
            free_hours=hours_from_minutes(d.free), overallocated=d.is_overallocated,
            project_ids=sorted(d.project_ids, key=str),
        ) for d in loads]
    else:
        shown.weeks = [WeekCapacity(
            week_starting=w.week_starting, capacity_minutes=w.capacity, allocated_minutes=w.allocated,
            free_minutes=w.free, capacity_hours=hours_from_minutes(w.capacity),
            allocated_hours=hours_from_minutes(w.allocated), free_hours=hours_from_minutes(w.free),
            overallocated=w.is_overallocated, overallocated_days=w.overallocated_days,
        ) for w in weeks_of(loads)]
    return shown


def capacity_router(app: PlanningApplication, records: RecordsView) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["capacity"], responses=PROBLEM_RESPONSES)

    @router.get("/resources/{resource_id}/capacity", response_model=ResourceCapacity,
                response_model_exclude_none=True, **guarded(READ))
    def resource_capacity(
        resource_id: UUID,
        caller: CurrentCaller,
        first: Annotated[date, Query(alias="from")],
        last: Annotated[date, Query(alias="to")],
        by: Granularity = "day",
    ) -> ResourceCapacity:
        first, last = _range(first, last, by)
        with answering_problems():
            resource = app.get_resource(caller.organisation_id, resource_id)
        return capacity_of(resource, first, last, by)

    @router.get("/capacity", response_model=CapacityPage, response_model_exclude_none=True,
                **guarded(READ))
    def organisation_capacity(
        caller: CurrentCaller,
        first: Annotated[date, Query(alias="from")],
        last: Annotated[date, Query(alias="to")],
        by: Granularity = "week",
        kind: Literal["person", "equipment"] | None = None,
        limit: int = Query(25, ge=1, le=100),
        cursor: str | None = None,
    ) -> CapacityPage:
        first, last = _range(first, last, by)
        after = name_cursor(cursor)
        catch_up(app, records)
        page = records.resources(caller.organisation_id, kind=kind, limit=limit, after=after)
        with answering_problems():
            items = [capacity_of(app.get_resource(caller.organisation_id, row.id), first, last, by)
                     for row in page.items]
        last_row = page.items[-1] if page.items else None
        return CapacityPage(
            items=items,
            next_cursor=encode_cursor(last_row.name, last_row.id) if page.has_more and last_row else None,
        )

    return router
