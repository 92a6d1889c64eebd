"""What the access routes accept and answer."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from trellis_portal.domain.visibility import BudgetMode, Visibility


class VisibilityBody(BaseModel):
    """Every section said explicitly: a setting left out is an error, not a default."""

    model_config = ConfigDict(extra="forbid")

    milestones: bool
    tasks: bool
    documents: bool
    time: bool
    health: bool
    budget: Literal["hidden", "percent", "full"]

    def visibility(self) -> Visibility:
        return Visibility(milestones=self.milestones, tasks=self.tasks, documents=self.documents,
                          time=self.time, health=self.health, budget=BudgetMode(self.budget))

    @classmethod
    def of(cls, visibility: Visibility) -> VisibilityBody:
        return cls.model_validate(visibility.fields())


class Grantee(BaseModel):
    user_id: UUID
    name: str | None
    email: str | None
    role: str | None
    active: bool


class AccessResponse(BaseModel):
    project_id: UUID
    client_id: UUID
    visibility: VisibilityBody
    grants: list[Grantee]
