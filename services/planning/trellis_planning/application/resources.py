"""Resource use cases: register people and equipment, shape their capacity, book them.

Every change to a resource sees its whole load (bookings and task assignments), so the
resource itself records each day the change takes over capacity. Concurrent changes to
one resource conflict on its version and are run again from a fresh load.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from trellis_planning.application.plan_access import PlanAccess, retried_on_conflict
from trellis_planning.application.tenant_lookups import aggregate_in
from trellis_planning.domain.booking import Booking
from trellis_planning.domain.plan_errors import DateOutsideProject
from trellis_planning.domain.resource import Resource, ResourceKind


class ResourceUseCases(PlanAccess):
    def register_resource(
        self,
        *,
        organisation_id: UUID,
        kind: ResourceKind,
        name: str,
        hours_per_day: Decimal,
        working_weekdays: frozenset[int],
        meta: dict[str, str],
        role: str | None = None,
        user_id: str | None = None,
    ) -> Resource:
        resource = Resource.register(
            organisation_id=organisation_id, kind=kind, name=name, hours_per_day=hours_per_day,
            working_weekdays=working_weekdays, role=role, user_id=user_id, meta=meta,
        )
        self.save(resource)
        return resource

    def get_resource(self, organisation_id: UUID, resource_id: UUID) -> Resource:
        return aggregate_in(self, Resource, "resource", organisation_id, resource_id)

    @retried_on_conflict
    def change_capacity(self, *, organisation_id: UUID, resource_id: UUID, hours_per_day: Decimal,
                        working_weekdays: frozenset[int], meta: dict[str, str]) -> Resource:
        resource = self.get_resource(organisation_id, resource_id)
        resource.change_capacity(hours_per_day=hours_per_day, working_weekdays=working_weekdays, meta=meta)
        self.save(resource)
        return resource

    @retried_on_conflict
    def add_day_off(self, *, organisation_id: UUID, resource_id: UUID, day: date,
                    meta: dict[str, str]) -> Resource:
        resource = self.get_resource(organisation_id, resource_id)
        resource.add_day_off(day, meta)
        self.save(resource)
        return resource

    @retried_on_conflict
    def remove_day_off(self, *, organisation_id: UUID, resource_id: UUID, day: date,
                       meta: dict[str, str]) -> Resource:
        resource = self.get_resource(organisation_id, resource_id)
        resource.remove_day_off(day, meta)
        self.save(resource)
        return resource

    @retried_on_conflict
    def book_resource(self, *, organisation_id: UUID, resource_id: UUID, project_id: UUID,
                      starts_on: date, ends_on: date, hours_per_day: Decimal,
                      meta: dict[str, str]) -> Booking:
        """A booking lies within its project's dates."""
        resource = self.get_resource(organisation_id, resource_id)
        project = self.project_in(organisation_id, project_id)
        for day in (starts_on, ends_on):
            if not project.starts_on <= day <= project.ends_on:
                raise DateOutsideProject(
                    f"{day.isoformat()} is outside project {project.id}, which runs from "
                    f"{project.starts_on.isoformat()} to {project.ends_on.isoformat()}."
                )
        booking = resource.book(project_id=project_id, starts_on=starts_on, ends_on=ends_on,
                                hours_per_day=hours_per_day, meta=meta)
        self.save(resource)
        return booking

    @retried_on_conflict
    def cancel_booking(self, *, organisation_id: UUID, resource_id: UUID, booking_id: UUID,
                       meta: dict[str, str]) -> Booking:
        resource = self.get_resource(organisation_id, resource_id)
        booking = resource.cancel_booking(booking_id, meta)
        self.save(resource)
        return booking
