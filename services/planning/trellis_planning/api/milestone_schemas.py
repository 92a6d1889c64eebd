"""What the milestone routes accept and return."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator


class AddMilestoneRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    starts_on: date
    due_on: date

    @model_validator(mode="after")
    def _due_after_start(self) -> AddMilestoneRequest:
        if self.due_on < self.starts_on:
            raise ValueError(f"due_on ({self.due_on}) is before starts_on ({self.starts_on})")
        return self


class ChangeMilestoneRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(None, min_length=1, max_length=200)
    starts_on: date | None = None
    due_on: date | None = None


class MilestoneResponse(BaseModel):
    id: UUID
    organisation_id: UUID
    project_id: UUID
    name: str
    starts_on: date
    due_on: date
    completed_on: date | None
    version: int


class MilestoneList(BaseModel):
    items: list[MilestoneResponse]
