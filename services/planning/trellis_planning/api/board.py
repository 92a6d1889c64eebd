"""Board routes: the kanban board of a project, and moving a card (drag and drop).

A move is one command that changes only the moved card: its status (if the workflow
allows the move) and a rank between its new neighbours. Ranks are base-62 fractions
compared as strings; when one grows past 12 characters the column is respaced in a
separate housekeeping step. A column over its WIP limit warns; the move stands.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool

from trellis_planning.api.board_schemas import (
    BoardResponse,
    CardResponse,
    ColumnResponse,
    MoveCardRequest,
    MoveCardResponse,
)
from trellis_planning.api.callers import READ_PLAN, WORK_ON_TASKS, meta_of, only_for
from trellis_planning.api.common import PREFIX, PROBLEM_RESPONSES
from trellis_planning.api.plan_problems import plan_problems
from trellis_planning.api.task_views import task_response
from trellis_planning.application.planning import PlanningApplication
from trellis_planning.views.board import Board
from trellis_platform.auth.guards import CurrentCaller, guarded


def board_response(board: Board) -> BoardResponse:
    return BoardResponse(
        project_id=board.project_id,
        workflow_id=board.workflow_id,
        columns=[
            ColumnResponse(
                status=c.status,
                name=c.name,
                category=c.category,
                wip_limit=c.wip_limit,
                over_limit=c.over_limit,
                cards=[
                    CardResponse(
                        task_id=k.task_id,
                        title=k.title,
                        rank=k.rank,
                        priority=k.priority,
                        assignee_ids=list(k.assignee_ids),
                        milestone_id=k.milestone_id,
                        due_on=k.due_on,
                        estimate_minutes=k.estimate_minutes,
                        tags=list(k.tags),
                    )
                    for k in c.cards
                ],
            )
            for c in board.columns
        ],
    )


def board_router(app: PlanningApplication) -> APIRouter:
    router = APIRouter(
        prefix=f"{PREFIX}/projects/{{project_id}}/board", tags=["board"], responses=PROBLEM_RESPONSES
    )

    @router.get("", response_model=BoardResponse, **guarded(READ_PLAN))
    async def get_board(project_id: UUID, caller: CurrentCaller) -> BoardResponse:
        # Async, with only the loading in the threadpool: a sync route hops there twice
        # (the route, then FastAPI validating its answer).
        with plan_problems():
            board = await run_in_threadpool(app.board_of, caller.organisation_id, project_id)
        return board_response(board)

    @router.post("/moves", response_model=MoveCardResponse, **guarded(WORK_ON_TASKS))
    def move_card(
        project_id: UUID, body: MoveCardRequest, caller: CurrentCaller, request: Request
    ) -> MoveCardResponse:
        """Drops a card into ``to_status`` right after ``after_task_id`` or right before
        ``before_task_id`` (neither: on top), in one command that changes only this card.

        Rank rule: ranks are base-62 fractions (digits 0-9A-Za-z, compared as plain strings);
        the card takes the midpoint of its new neighbours' ranks, so nobody else is
        renumbered; cards are ordered by (rank, task id). When a rank grows past 12
        characters the column is respaced afterwards in a separate housekeeping step
        (events ``RankRebalanced``, order unchanged; ``rebalanced`` says so). A column over
        its WIP limit keeps the card and answers with a warning."""
        with plan_problems():
            moved = app.move_card(
                organisation_id=caller.organisation_id,
                project_id=project_id,
                task_id=body.task_id,
                to_status=body.to_status,
                after_task_id=body.after_task_id,
                before_task_id=body.before_task_id,
                meta=meta_of(caller, request),
                only_for_user=only_for(caller),
            )
            project = app.project_in(caller.organisation_id, project_id)
            settings = app.plan_settings(caller.organisation_id)
            return MoveCardResponse(
                task=task_response(moved.task, project, settings),
                warnings=moved.warnings,
                rebalanced=moved.rebalanced,
            )

    return router
