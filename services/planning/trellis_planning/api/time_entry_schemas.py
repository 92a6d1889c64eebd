"""What the time entry routes accept and return."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

MINUTES_PER_DAY = 24 * 60


class LogTimeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    task_id: UUID
    person_id: UUID = Field(description="The person resource who did the work")
    worked_on: date = Field(description="The day the work was done (not when it is recorded)")
    minutes: int = Field(gt=0, le=MINUTES_PER_DAY, description="How long, in whole minutes")
    billable: bool = True
    note: str = Field("", max_length=2000)


class CorrectTimeRequest(BaseModel):
    """Only the fields given change; the others keep their value."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    task_id: UUID | None = None
    person_id: UUID | None = None
    worked_on: date | None = None
    minutes: int | None = Field(None, gt=0, le=MINUTES_PER_DAY)
    billable: bool | None = None
    note: str | None = Field(None, max_length=2000)

    @model_validator(mode="after")
    def _no_nulls(self) -> CorrectTimeRequest:
        nulls = sorted(name for name in self.model_fields_set if getattr(self, name) is None)
        if nulls:
            raise ValueError(f"{', '.join(nulls)} cannot be null; leave a field out to keep it")
        return self

    def changes(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in sorted(self.model_fields_set)}


class TimeEntryResponse(BaseModel):
    id: UUID
    organisation_id: UUID
    project_id: UUID
    task_id: UUID
    person_id: UUID
    worked_on: date
    minutes: int
    billable: bool
    note: str
    version: int


class TimeEntryListItem(TimeEntryResponse):
    recorded_at: datetime = Field(description="When the entry was first logged")
    changed_at: datetime = Field(description="When it was last logged or corrected")


class TimeEntryPage(BaseModel):
    items: list[TimeEntryListItem]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null on the last")
