"""Milestone use cases: add a milestone to a plan, rename or move it, complete it by hand.

A milestone with tasks completes by itself when its last task is done (see plan upkeep);
completing one by hand is for milestones without tasks (a contract signed, a site handed
over), or confirms one whose tasks are all done.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from trellis_planning.application.plan_access import retried_on_conflict
from trellis_planning.application.plan_upkeep import PlanUpkeep, Settled
from trellis_planning.domain.errors import PlanningRuleBroken
from trellis_planning.domain.milestone import Milestone
from trellis_planning.domain.naming import NamingSubject, check_name
from trellis_planning.domain.plan import Plan


class MilestoneUseCases(PlanUpkeep):
    @retried_on_conflict
    def add_milestone(
        self,
        *,
        organisation_id: UUID,
        project_id: UUID,
        name: str,
        starts_on: date,
        due_on: date,
        meta: dict[str, str],
    ) -> tuple[Milestone, Settled]:
        plan = self.load_plan(organisation_id, project_id)
        milestone = self.new_milestone(plan, name=name, starts_on=starts_on, due_on=due_on, meta=meta)
        return milestone, self.settle_and_save(plan, command="add milestone", meta=meta)

    def new_milestone(
        self, plan: Plan, *, name: str, starts_on: date, due_on: date, meta: dict[str, str]
    ) -> Milestone:
        check_name(plan.settings.naming_rules(), NamingSubject.MILESTONE_NAME, name.strip())
        plan.project.check_within(starts_on, "The milestone's start date")
        plan.project.check_within(due_on, "The milestone's due date")
        milestone = Milestone.create(
            organisation_id=plan.project.organisation_id,
            project_id=plan.project.id,
            name=name,
            starts_on=starts_on,
            due_on=due_on,
            meta=meta,
        )
        plan.project.add_milestone(milestone.id, meta)
        plan.milestones[milestone.id] = milestone
        return milestone

    @retried_on_conflict
    def change_milestone(
        self,
        *,
        organisation_id: UUID,
        milestone_id: UUID,
        meta: dict[str, str],
        name: str | None = None,
        starts_on: date | None = None,
        due_on: date | None = None,
    ) -> tuple[Milestone, Settled]:
        found = self.milestone_in(organisation_id, milestone_id)
        plan = self.load_plan(organisation_id, found.project_id)
        milestone = plan.milestones[milestone_id]
        if name is not None:
            check_name(plan.settings.naming_rules(), NamingSubject.MILESTONE_NAME, name.strip())
            milestone.rename(name, meta)
        if starts_on is not None or due_on is not None:
            new_start, new_due = starts_on or milestone.starts_on, due_on or milestone.due_on
            plan.project.check_within(new_start, "The milestone's start date")
            plan.project.check_within(new_due, "The milestone's due date")
            milestone.reschedule(new_start, new_due, meta)
        return milestone, self.settle_and_save(plan, command="change milestone", meta=meta)

    @retried_on_conflict
    def complete_milestone(
        self, *, organisation_id: UUID, milestone_id: UUID, meta: dict[str, str]
    ) -> Milestone:
        found = self.milestone_in(organisation_id, milestone_id)
        plan = self.load_plan(organisation_id, found.project_id)
        milestone = plan.milestones[milestone_id]
        open_tasks = [t for t in plan.milestone_tasks(milestone_id) if not t.is_done]
        if open_tasks:
            titles = ", ".join(f"'{t.title}'" for t in open_tasks[:5])
            raise PlanningRuleBroken(
                f"Milestone '{milestone.name}' has {len(open_tasks)} task(s) not done: {titles}."
            )
        milestone.complete(self.today(), meta)
        self.settle_and_save(plan, command="complete milestone", meta=meta)
        return milestone

    def get_milestone(self, organisation_id: UUID, milestone_id: UUID) -> Milestone:
        return self.milestone_in(organisation_id, milestone_id)
