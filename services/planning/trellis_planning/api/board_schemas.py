"""What the board routes accept and return."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

from trellis_planning.api.task_schemas import TaskResponse


class CardResponse(BaseModel):
    task_id: UUID
    title: str
    rank: str = Field(description="Cards are ordered by (rank, task_id); ranks compare as plain strings")
    priority: str
    assignee_ids: list[UUID]
    milestone_id: UUID | None
    due_on: date | None
    estimate_minutes: int
    tags: list[str]


class ColumnResponse(BaseModel):
    status: str
    name: str
    category: str
    wip_limit: int | None
    over_limit: bool
    cards: list[CardResponse]


class BoardResponse(BaseModel):
    project_id: UUID
    workflow_id: str
    columns: list[ColumnResponse]


class MoveCardRequest(BaseModel):
    """Drop a card into a column, right after one card or right before one (neither: on top)."""

    model_config = ConfigDict(extra="forbid")

    task_id: UUID
    to_status: str = Field(min_length=1, max_length=40)
    after_task_id: UUID | None = None
    before_task_id: UUID | None = None

    @model_validator(mode="after")
    def _one_anchor(self) -> MoveCardRequest:
        if self.after_task_id is not None and self.before_task_id is not None:
            raise ValueError("give after_task_id or before_task_id, not both")
        return self


class MoveCardResponse(BaseModel):
    task: TaskResponse
    warnings: list[str] = Field(description="e.g. the column is now over its WIP limit (the move stands)")
    rebalanced: bool = Field(description="The column's ranks were respaced afterwards (order unchanged)")
