"""Shapes several plan routes share."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field


class MoveResponse(BaseModel):
    task_id: UUID
    title: str
    starts_on: date
    finishes_on: date
    previous_starts_on: date
    previous_finishes_on: date


def moves_of(moves: list[dict[str, Any]], titles: dict[UUID, str]) -> list[MoveResponse]:
    return [
        MoveResponse(
            task_id=m["task_id"],
            title=titles.get(m["task_id"], ""),
            starts_on=m["starts_on"],
            finishes_on=m["finishes_on"],
            previous_starts_on=m["previous_starts_on"],
            previous_finishes_on=m["previous_finishes_on"],
        )
        for m in moves
    ]


class Created(BaseModel):
    id: UUID = Field(description="The new resource's id (also in the Location header)")
