"""Board use cases: read the kanban board, move a card (drag and drop) in one command.

A move gives the card a rank between its new neighbours and changes no other card. When
that rank grew past ``MAX_RANK_LENGTH``, the column is respaced afterwards in a separate
housekeeping command (``RankRebalanced`` events, order unchanged). A column over its WIP
limit does not refuse the move: the answer carries a warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from trellis_planning.application.plan_access import UnknownReference, retried_on_conflict
from trellis_planning.application.tasks import TaskUseCases
from trellis_planning.domain.errors import PlanningRuleBroken
from trellis_planning.domain.plan import Plan
from trellis_planning.domain.ranks import between, needs_rebalance, spaced_ranks
from trellis_planning.domain.task import Task
from trellis_planning.views.board import Board, build_board, column_tasks

REBALANCE_META = {"actor": "system:board-rebalance"}


@dataclass(frozen=True)
class CardMoved:
    task: Task
    warnings: list[str] = field(default_factory=list)
    rebalanced: bool = False


class BoardUseCases(TaskUseCases):
    def board_of(self, organisation_id: UUID, project_id: UUID) -> Board:
        return build_board(self.load_plan(organisation_id, project_id))

    def move_card(
        self,
        *,
        organisation_id: UUID,
        project_id: UUID,
        task_id: UUID,
        to_status: str,
        after_task_id: UUID | None,
        before_task_id: UUID | None,
        meta: dict[str, str],
        only_for_user: str | None = None,
    ) -> CardMoved:
        """Puts the card right after ``after_task_id`` or right before ``before_task_id`` in
        column ``to_status`` (neither: at the top)."""
        task, warnings = self._move(
            organisation_id=organisation_id,
            project_id=project_id,
            task_id=task_id,
            to_status=to_status,
            after_task_id=after_task_id,
            before_task_id=before_task_id,
            meta=meta,
            only_for_user=only_for_user,
        )
        rebalanced = self.rebalance_column(
            organisation_id=organisation_id, project_id=project_id, status=to_status
        )
        if rebalanced:
            task = self.task_in(organisation_id, task_id)
        return CardMoved(task=task, warnings=warnings, rebalanced=rebalanced)

    @retried_on_conflict
    def _move(
        self,
        *,
        organisation_id: UUID,
        project_id: UUID,
        task_id: UUID,
        to_status: str,
        after_task_id: UUID | None,
        before_task_id: UUID | None,
        meta: dict[str, str],
        only_for_user: str | None,
    ) -> tuple[Task, list[str]]:
        if after_task_id is not None and before_task_id is not None:
            raise PlanningRuleBroken("Place a card after one card or before one card, not both.")
        plan = self.load_plan(organisation_id, project_id)
        task = plan.tasks.get(task_id)
        if task is None:
            raise UnknownReference(f"No task {task_id} in project '{plan.project.name}'.")
        self.check_own_task(organisation_id, task, only_for_user)
        target = plan.workflow.status(to_status)
        column = [t for t in column_tasks(plan, to_status) if t.id != task_id]
        lower, upper = _neighbours(plan, column, to_status, after_task_id, before_task_id)
        if lower is not None and upper is not None and lower >= upper:
            # Two cards share a rank (concurrent moves): respace first, then place.
            self._respace(column, REBALANCE_META)
            lower, upper = _neighbours(plan, column, to_status, after_task_id, before_task_id)
        entering = task.status != to_status
        self.move_to_status(plan, task, to_status, meta, rank=between(lower, upper))
        warnings = []
        if entering and target.wip_limit is not None and len(column) + 1 > target.wip_limit:
            warnings.append(
                f"Column '{target.name}' now holds {len(column) + 1} tasks, over its WIP limit of "
                f"{target.wip_limit}."
            )
        self.settle_and_save(plan, command=f"move card '{task.title}' to '{target.name}'", meta=meta)
        return task, warnings

    @retried_on_conflict
    def rebalance_column(self, *, organisation_id: UUID, project_id: UUID, status: str) -> bool:
        """Respaces a column whose ranks grew too long; False when none did."""
        plan = self.load_plan(organisation_id, project_id)
        column = column_tasks(plan, status)
        if not needs_rebalance([t.rank for t in column]):
            return False
        self._respace(column, REBALANCE_META)
        self.save(*column)
        return True

    def _respace(self, column: list[Task], meta: dict[str, str]) -> None:
        for task, rank in zip(column, spaced_ranks(len(column)), strict=True):
            task.rebalance_rank(rank, meta)


def _neighbours(
    plan: Plan, column: list[Task], status: str, after_task_id: UUID | None, before_task_id: UUID | None
) -> tuple[str | None, str | None]:
    ids = [t.id for t in column]
    anchor = after_task_id or before_task_id
    if anchor is None:
        return None, column[0].rank if column else None
    if anchor not in ids:
        name = plan.workflow.status(status).name
        raise UnknownReference(f"Task {anchor} is not in column '{name}' of this board.")
    index = ids.index(anchor)
    if after_task_id is not None:
        return column[index].rank, column[index + 1].rank if index + 1 < len(column) else None
    return column[index - 1].rank if index > 0 else None, column[index].rank
