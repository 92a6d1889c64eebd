"""What the resource, booking and capacity routes accept and return."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Hours = Annotated[Decimal, Field(gt=0, le=24, decimal_places=2, description="Hours a day, e.g. 7.5")]
Weekdays = Annotated[list[Annotated[int, Field(ge=1, le=7)]],
                     Field(min_length=1, max_length=7, description="ISO weekdays: 1 = Monday .. 7 = Sunday")]


def _distinct(weekdays: list[int]) -> list[int]:
    if len(set(weekdays)) != len(weekdays):
        raise ValueError("working_weekdays lists a weekday twice")
    return sorted(weekdays)


class RegisterResourceRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: Literal["person", "equipment"]
    name: str = Field(min_length=1, max_length=200)
    role: str | None = Field(None, max_length=100, description="For people: the role rate cards price by")
    user_id: str | None = Field(
        None, min_length=1, max_length=200,
        description="For people: the staff login (token subject) that logs their time",
    )
    hours_per_day: Hours
    working_weekdays: Weekdays = [1, 2, 3, 4, 5]

    _weekdays = field_validator("working_weekdays")(_distinct)


class CapacityRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hours_per_day: Hours
    working_weekdays: Weekdays

    _weekdays = field_validator("working_weekdays")(_distinct)


class ResourceResponse(BaseModel):
    id: UUID
    organisation_id: UUID
    kind: str
    name: str
    role: str | None
    user_id: str | None
    hours_per_day: Decimal
    working_weekdays: list[int]
    days_off: list[date]
    version: int


class ResourceListItem(BaseModel):
    id: UUID
    kind: str
    name: str
    role: str | None
    user_id: str | None
    hours_per_day: Decimal


class ResourcePage(BaseModel):
    items: list[ResourceListItem]
    next_cursor: str | None


class BookRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    project_id: UUID
    starts_on: date
    ends_on: date
    hours_per_day: Hours

    @model_validator(mode="after")
    def _ends_after_start(self) -> BookRequest:
        if self.ends_on < self.starts_on:
            raise ValueError(
                f"ends_on ({self.ends_on.isoformat()}) is before starts_on ({self.starts_on.isoformat()})"
            )
        return self


class BookingResponse(BaseModel):
    id: UUID
    resource_id: UUID
    project_id: UUID
    starts_on: date
    ends_on: date
    hours_per_day: Decimal


class DayCapacity(BaseModel):
    day: date
    capacity_minutes: int
    allocated_minutes: int
    free_minutes: int
    capacity_hours: Decimal
    allocated_hours: Decimal
    free_hours: Decimal
    overallocated: bool
    project_ids: list[UUID]


class WeekCapacity(BaseModel):
    week_starting: date = Field(description="The Monday of the ISO week")
    capacity_minutes: int
    allocated_minutes: int
    free_minutes: int
    capacity_hours: Decimal
    allocated_hours: Decimal
    free_hours: Decimal
    overallocated: bool = Field(description="More allocated than the week's capacity in total")
    overallocated_days: int = Field(description="Days of the week allocated beyond their own capacity")


class ResourceCapacity(BaseModel):
    resource_id: UUID
    name: str
    kind: str
    days: list[DayCapacity] | None = None
    weeks: list[WeekCapacity] | None = None


class CapacityPage(BaseModel):
    items: list[ResourceCapacity]
    # Left out of the answer on the last page (the route excludes None fields).
    next_cursor: str | None = None
