"""The kanban board: one column per workflow status, cards in rank order.

Cards are ordered by (rank, task id): total and stable even when two concurrent moves
gave two cards the same rank. A column over its WIP limit says so (``over_limit``).
Retired statuses appear only while tasks are still in them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from trellis_planning.domain.plan import Plan
from trellis_planning.domain.task import Task


@dataclass(frozen=True)
class Card:
    task_id: UUID
    title: str
    rank: str
    priority: str
    assignee_ids: tuple[UUID, ...]
    milestone_id: UUID | None
    due_on: date | None
    estimate_minutes: int
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Column:
    status: str
    name: str
    category: str
    wip_limit: int | None
    cards: tuple[Card, ...]

    @property
    def over_limit(self) -> bool:
        return self.wip_limit is not None and len(self.cards) > self.wip_limit


@dataclass(frozen=True)
class Board:
    project_id: UUID
    workflow_id: str
    columns: tuple[Column, ...]


def card_order(task: Task) -> tuple[str, str]:
    return (task.rank, str(task.id))


def column_tasks(plan: Plan, status: str) -> list[Task]:
    return sorted((t for t in plan.tasks.values() if t.status == status), key=card_order)


def build_board(plan: Plan) -> Board:
    workflow = plan.workflow
    columns = []
    for status in workflow.statuses:
        tasks = column_tasks(plan, status.key)
        if status.retired and not tasks:
            continue
        cards = tuple(
            Card(
                task_id=t.id,
                title=t.title,
                rank=t.rank,
                priority=t.priority,
                assignee_ids=tuple(t.assignee_ids),
                milestone_id=t.milestone_id,
                due_on=t.due_on,
                estimate_minutes=t.estimate_minutes,
                tags=tuple(t.tags),
            )
            for t in tasks
        )
        columns.append(
            Column(
                status=status.key,
                name=status.name,
                category=status.category.value,
                wip_limit=status.wip_limit,
                cards=cards,
            )
        )
    return Board(project_id=plan.project.id, workflow_id=workflow.id, columns=tuple(columns))
