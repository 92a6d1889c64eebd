"""What planning's HTTP API accepts and returns."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator


class CreateProjectRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    client_id: UUID
    name: str = Field(min_length=1, max_length=200)
    starts_on: date
    ends_on: date

    @model_validator(mode="after")
    def _ends_after_start(self) -> CreateProjectRequest:
        if self.ends_on < self.starts_on:
            raise ValueError(
                f"ends_on ({self.ends_on.isoformat()}) is before starts_on ({self.starts_on.isoformat()})"
            )
        return self


class ProjectResponse(BaseModel):
    id: UUID
    organisation_id: UUID
    client_id: UUID
    name: str
    starts_on: date
    ends_on: date
    version: int
