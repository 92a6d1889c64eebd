"""Resource and booking routes: people and equipment, their capacity, their bookings.

Managers (and API keys with ``planning.resources:write``) change them; every staff
member (and ``planning.resources:read``) reads them.
"""

from __future__ import annotations

from datetime import date
from typing import Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response, status

from trellis_planning.api.common import PREFIX, PROBLEM_RESPONSES
from trellis_planning.api.cursors import encode_cursor, name_cursor
from trellis_planning.api.record_problems import answering_problems
from trellis_planning.api.resource_schemas import (
    BookingResponse,
    BookRequest,
    CapacityRequest,
    RegisterResourceRequest,
    ResourceListItem,
    ResourcePage,
    ResourceResponse,
)
from trellis_planning.application.planning import PlanningApplication
from trellis_planning.domain.booking import Booking
from trellis_planning.domain.capacity import hours_from_minutes
from trellis_planning.domain.plan_errors import NotInOrganisation
from trellis_planning.domain.resource import Resource, ResourceKind
from trellis_planning.views.catch_up import catch_up
from trellis_planning.views.records import RecordsView
from trellis_platform.auth.access import MANAGERS, READERS, access
from trellis_platform.auth.guards import CurrentCaller, guarded
from trellis_platform.command_meta import command_meta

WRITERS = access(staff=MANAGERS, permission="planning.resources:write")
READ = access(staff=READERS, permission="planning.resources:read")


def resource_response(resource: Resource) -> ResourceResponse:
    return ResourceResponse(
        id=resource.id, organisation_id=resource.organisation_id, kind=resource.kind.value,
        name=resource.name, role=resource.role, user_id=resource.user_id,
        hours_per_day=resource.hours_per_day, working_weekdays=sorted(resource.working_weekdays),
        days_off=sorted(resource.days_off), version=resource.version,
    )


def booking_response(resource_id: UUID, booking: Booking) -> BookingResponse:
    return BookingResponse(
        id=booking.booking_id, resource_id=resource_id, project_id=booking.project_id,
        starts_on=booking.starts_on, ends_on=booking.ends_on,
        hours_per_day=hours_from_minutes(booking.minutes_per_day),
    )


def resources_router(app: PlanningApplication, records: RecordsView) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["resources"], responses=PROBLEM_RESPONSES)

    def meta_of(caller: CurrentCaller, request: Request) -> dict[str, str]:
        return command_meta(actor=caller.actor(), request_id=request.headers.get("x-request-id"))

    @router.post("/resources", status_code=status.HTTP_201_CREATED, response_model=ResourceResponse,
                 **guarded(WRITERS))
    def register_resource(body: RegisterResourceRequest, caller: CurrentCaller, request: Request,
                          response: Response) -> ResourceResponse:
        with answering_problems():
            resource = app.register_resource(
                organisation_id=caller.organisation_id, kind=ResourceKind(body.kind), name=body.name,
                role=body.role, user_id=body.user_id, hours_per_day=body.hours_per_day,
                working_weekdays=frozenset(body.working_weekdays), meta=meta_of(caller, request),
            )
        response.headers["Location"] = f"{PREFIX}/resources/{resource.id}"
        return resource_response(resource)

    @router.get("/resources", response_model=ResourcePage, **guarded(READ))
    def list_resources(
        caller: CurrentCaller,
        kind: Literal["person", "equipment"] | None = None,
        limit: int = Query(100, ge=1, le=500),
        cursor: str | None = None,
    ) -> ResourcePage:
        after = name_cursor(cursor)
        catch_up(app, records)
        page = records.resources(caller.organisation_id, kind=kind, limit=limit, after=after)
        last = page.items[-1] if page.items else None
        return ResourcePage(
            items=[ResourceListItem(id=r.id, kind=r.kind, name=r.name, role=r.role, user_id=r.user_id,
                                    hours_per_day=r.hours_per_day) for r in page.items],
            next_cursor=encode_cursor(last.name, last.id) if page.has_more and last else None,
        )

    @router.get("/resources/{resource_id}", response_model=ResourceResponse, **guarded(READ))
    def get_resource(resource_id: UUID, caller: CurrentCaller) -> ResourceResponse:
        with answering_problems():
            return resource_response(app.get_resource(caller.organisation_id, resource_id))

    @router.put("/resources/{resource_id}/capacity", response_model=ResourceResponse, **guarded(WRITERS))
    def change_capacity(resource_id: UUID, body: CapacityRequest, caller: CurrentCaller,
                        request: Request) -> ResourceResponse:
        with answering_problems():
            return resource_response(app.change_capacity(
                organisation_id=caller.organisation_id, resource_id=resource_id,
                hours_per_day=body.hours_per_day, working_weekdays=frozenset(body.working_weekdays),
                meta=meta_of(caller, request),
            ))

    @router.put("/resources/{resource_id}/days-off/{day}", response_model=ResourceResponse,
                **guarded(WRITERS))
    def add_day_off(resource_id: UUID, day: date, caller: CurrentCaller,
                    request: Request) -> ResourceResponse:
        with answering_problems():
            return resource_response(app.add_day_off(organisation_id=caller.organisation_id,
                                                     resource_id=resource_id, day=day,
                                                     meta=meta_of(caller, request)))

    @router.delete("/resources/{resource_id}/days-off/{day}", response_model=ResourceResponse,
                   **guarded(WRITERS))
    def remove_day_off(resource_id: UUID, day: date, caller: CurrentCaller,
                       request: Request) -> ResourceResponse:
        with answering_problems():
            return resource_response(app.remove_day_off(organisation_id=caller.organisation_id,
                                                        resource_id=resource_id, day=day,
                                                        meta=meta_of(caller, request)))

    @router.post("/resources/{resource_id}/bookings", status_code=status.HTTP_201_CREATED,
                 response_model=BookingResponse, **guarded(WRITERS))
    def book(resource_id: UUID, body: BookRequest, caller: CurrentCaller, request: Request,
             response: Response) -> BookingResponse:
        with answering_problems():
            booking = app.book_resource(
                organisation_id=caller.organisation_id, resource_id=resource_id, project_id=body.project_id,
                starts_on=body.starts_on, ends_on=body.ends_on, hours_per_day=body.hours_per_day,
                meta=meta_of(caller, request),
            )
        response.headers["Location"] = f"{PREFIX}/resources/{resource_id}/bookings/{booking.booking_id}"
        return booking_response(resource_id, booking)

    @router.get("/resources/{resource_id}/bookings", response_model=list[BookingResponse], **guarded(READ))
    def list_bookings(resource_id: UUID, caller: CurrentCaller) -> list[BookingResponse]:
        with answering_problems():
            resource = app.get_resource(caller.organisation_id, resource_id)
        bookings = sorted(resource.bookings.values(), key=lambda b: (b.starts_on, b.booking_id))
        return [booking_response(resource_id, b) for b in bookings]

    @router.get("/resources/{resource_id}/bookings/{booking_id}", response_model=BookingResponse,
                **guarded(READ))
    def get_booking(resource_id: UUID, booking_id: UUID, caller: CurrentCaller) -> BookingResponse:
        with answering_problems():
            booking = app.get_resource(caller.organisation_id, resource_id).bookings.get(booking_id)
            if booking is None:
                raise NotInOrganisation("booking", booking_id)
        return booking_response(resource_id, booking)

    @router.delete("/resources/{resource_id}/bookings/{booking_id}", status_code=status.HTTP_204_NO_CONTENT,
                   response_class=Response, **guarded(WRITERS))
    def cancel_booking(resource_id: UUID, booking_id: UUID, caller: CurrentCaller,
                       request: Request) -> Response:
        with answering_problems():
            app.cancel_booking(organisation_id=caller.organisation_id, resource_id=resource_id,
                               booking_id=booking_id, meta=meta_of(caller, request))
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    return router
