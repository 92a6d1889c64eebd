"""Meeting minutes use cases: record a meeting, and turn its action items into tasks in the
same command (the minutes keep each item's task id)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from trellis_planning.application.plan_access import retried_on_conflict
from trellis_planning.application.plan_upkeep import Settled
from trellis_planning.application.tasks import TaskUseCases
from trellis_planning.application.tenant_lookups import aggregate_in
from trellis_planning.domain.minutes import Minutes
from trellis_planning.domain.resource import Resource


class MinutesUseCases(TaskUseCases):
    @retried_on_conflict
    def record_minutes(
        self,
        *,
        organisation_id: UUID,
        project_id: UUID,
        title: str,
        held_on: date,
        attendees: list[dict[str, Any]],
        notes: str,
        decisions: list[str],
        action_items: list[dict[str, Any]],
        meta: dict[str, str],
    ) -> tuple[Minutes, Settled]:
        """``attendees``: ``{name, person_id?}``; ``action_items``: ``{title, assignee_ids?,
        due_on?, estimate_minutes?, milestone_id?}``; each item becomes a task."""
        plan = self.load_plan(organisation_id, project_id)
        for attendee in attendees:
            if attendee.get("person_id") is not None:
                self.referenced(Resource, "person", organisation_id, attendee["person_id"])
        items = []
        for item in action_items:
            details = {
                k: item[k]
                for k in ("assignee_ids", "due_on", "estimate_minutes", "milestone_id")
                if item.get(k) is not None
            }
            task = self.new_task(plan, title=item["title"], details=details, status=None, meta=meta)
            items.append(
                {
                    "title": task.title,
                    "task_id": task.id,
                    "assignee_ids": list(task.assignee_ids),
                    "due_on": task.due_on,
                }
            )
        minutes = Minutes.record(
            organisation_id=organisation_id,
            project_id=project_id,
            title=title,
            held_on=held_on,
            attendees=attendees,
            notes=notes,
            decisions=decisions,
            action_items=items,
            meta=meta,
        )
        plan.project.add_minutes(minutes.id, meta)
        settled = self.settle_and_save(
            plan, command=f"record minutes '{minutes.title}'", meta=meta, also=[minutes]
        )
        return minutes, settled

    def minutes_of(self, organisation_id: UUID, project_id: UUID) -> list[Minutes]:
        project = self.project_in(organisation_id, project_id)
        return [self.minutes_in(organisation_id, m) for m in project.minutes_ids]

    def minutes_in(self, organisation_id: UUID, minutes_id: UUID) -> Minutes:
        return aggregate_in(self, Minutes, "minutes", organisation_id, minutes_id)
