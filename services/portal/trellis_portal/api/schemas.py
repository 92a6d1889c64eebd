"""What the portal's HTTP API returns."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel


class PortalProject(BaseModel):
    id: UUID
    client_id: UUID
    name: str
    starts_on: date
    ends_on: date
    version: int
    created_at: datetime


class PortalProjectPage(BaseModel):
    items: list[PortalProject]
    next_after: UUID | None
