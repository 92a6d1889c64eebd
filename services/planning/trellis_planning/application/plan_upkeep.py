"""What every change to a plan is followed by, in the same transaction as the change.

After a command changed tasks, milestones or dependencies, the schedule is computed again
and the tasks it moved are recorded on the project (``ScheduleShifted``, naming the
command and who gave it); milestones whose tasks are all done complete (or reopen); and
progress and health are recorded when they changed. Everything is saved at once: the
command's own changes and these consequences are stored atomically, or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.domain import Aggregate

from trellis_planning.application.plan_access import PlanAccess
from trellis_planning.domain.milestone import Milestone
from trellis_planning.domain.plan import Plan
from trellis_planning.domain.plan_settings import PlanSettings
from trellis_planning.domain.progress import PROGRESS_RULE
from trellis_planning.domain.scheduling import Schedule


@dataclass(frozen=True)
class Settled:
    plan: Plan
    """The plan as saved."""
    schedule: Schedule
    moves: list[dict[str, Any]] = field(default_factory=list)
    """Tasks already on the schedule whose dates this command moved (new ones excluded)."""
    completed: list[Milestone] = field(default_factory=list)
    reopened: list[Milestone] = field(default_factory=list)


class PlanUpkeep(PlanAccess):
    def settle_and_save(
        self, plan: Plan, *, command: str, meta: dict[str, str], also: Iterable[Aggregate] = ()
    ) -> Settled:
        self.read_resources(plan)
        computed = plan.schedule()
        recorded = plan.project.record_schedule(plan.scheduled_dates(computed), command, meta)
        today = self.today()
        to_complete, to_reopen = plan.milestone_state_changes()
        for milestone in to_complete:
            milestone.complete(today, meta)
        for milestone in to_reopen:
            milestone.reopen(meta)
        efforts = plan.efforts(computed, self.logged_minutes(plan.project.organisation_id, plan.tasks))
        report = plan.health(computed, efforts, today)
        plan.project.record_progress(
            as_of=today,
            percent_complete=report.percent_complete,
            milestones=plan.milestone_percents(efforts),
            health=report.health.value,
            rule=PROGRESS_RULE,
            meta=meta,
        )
        self.save(
            *_changed(plan.settings), plan.project, *plan.milestones.values(), *plan.tasks.values(), *also
        )
        return Settled(
            plan=plan,
            schedule=computed,
            moves=[m for m in recorded if m["previous_starts_on"] is not None],
            completed=to_complete,
            reopened=to_reopen,
        )


def _changed(settings: PlanSettings) -> list[PlanSettings]:
    """Default settings are not stored until something in them changes."""
    if any(not isinstance(e, PlanSettings.Created) for e in settings.pending_events):
        return [settings]
    return []
