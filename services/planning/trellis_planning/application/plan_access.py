"""Loading the plan on behalf of an organisation: its projects, tasks, milestones, settings.

Every lookup is scoped by organisation: another tenant's aggregate is not found, in the
same words as one that does not exist. An id the caller addressed (in the path) that is
not found is ``NotInOrganisation`` (404); an id a command refers to (in its body) is
``UnknownReference`` (422), since the request, not the resource, is at fault.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any, ParamSpec, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import RecordConflictError

from trellis_planning.application.batch_loads import load_many
from trellis_planning.application.shared_settings import SharedSettings
from trellis_planning.application.tenant_lookups import aggregate_in
from trellis_planning.domain.errors import PlanningRuleBroken
from trellis_planning.domain.milestone import Milestone
from trellis_planning.domain.plan import Plan
from trellis_planning.domain.plan_errors import NotInOrganisation
from trellis_planning.domain.plan_settings import PlanSettings, settings_id
from trellis_planning.domain.project import Project
from trellis_planning.domain.resource import Resource
from trellis_planning.domain.task import Task

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")

CONFLICT_ATTEMPTS = 4
RESOURCE_CALENDAR_REACH = timedelta(days=366)


class UnknownReference(PlanningRuleBroken):
    """A command names something that does not exist in the caller's organisation."""


class NotYourTask(PermissionError):
    """A planner who may change only their own tasks named someone else's."""


def retried_on_conflict(method: Callable[P, R]) -> Callable[P, R]:
    """Runs a command again from a fresh load when a concurrent command saved first.

    A command loads, decides and saves in one go and keeps nothing in between, so running
    it again is safe; after ``CONFLICT_ATTEMPTS`` the conflict reaches the caller (409).
    """

    @functools.wraps(method)
    def attempt(*args: P.args, **kwargs: P.kwargs) -> R:
        for _ in range(CONFLICT_ATTEMPTS - 1):
            try:
                return method(*args, **kwargs)
            except RecordConflictError:
                continue
        return method(*args, **kwargs)

    return attempt


class PlanAccess(Application[UUID]):
    def today(self) -> date:
        """The day commands are recorded on (UTC); tests replace it to fix the date."""
        return datetime.now(UTC).date()

    def project_in(self, organisation_id: UUID, project_id: UUID) -> Project:
        return aggregate_in(self, Project, "project", organisation_id, project_id)

    def task_in(self, organisation_id: UUID, task_id: UUID) -> Task:
        return aggregate_in(self, Task, "task", organisation_id, task_id)

    def milestone_in(self, organisation_id: UUID, milestone_id: UUID) -> Milestone:
        return aggregate_in(self, Milestone, "milestone", organisation_id, milestone_id)

    def referenced(self, kind: type[T], label: str, organisation_id: UUID, aggregate_id: UUID) -> T:
        try:
            return aggregate_in(self, kind, label, organisation_id, aggregate_id)
        except NotInOrganisation as missing:
            raise UnknownReference(str(missing)) from None

    def plan_settings(self, organisation_id: UUID) -> PlanSettings:
        """The organisation's settings; fresh defaults (unsaved) until it changes one."""
        try:
            found: Any = self.repository.get(settings_id(organisation_id))
        except AggregateNotFoundError:
            return PlanSettings(organisation_id=organisation_id)
        assert isinstance(found, PlanSettings)
        return found

    def settings_to_read(self, organisation_id: UUID) -> PlanSettings:
        """The organisation's settings for a command that only reads them: shared, never
        to be changed or saved; one query when they have not changed (see SharedSettings)."""
        shared: SharedSettings | None = self.__dict__.get("_shared_settings")
        if shared is None:
            shared = self.__dict__.setdefault("_shared_settings",
                                              SharedSettings(self.recorder, self.plan_settings))
        return shared.get(organisation_id)

    def load_plan(self, organisation_id: UUID, project_id: UUID) -> Plan:
        """The project, then its tasks, milestones and settings together (one query: see
        batch_loads), each checked as ``aggregate_in`` checks one."""
        project = self.project_in(organisation_id, project_id)
        settings_key = settings_id(organisation_id)
        loaded = load_many(self, [*project.task_ids, *project.milestone_ids, settings_key])
        tasks = {t: _in_organisation(loaded.get(t), Task, "task", organisation_id, t)
                 for t in project.task_ids}
        milestones = {m: _in_organisation(loaded.get(m), Milestone, "milestone", organisation_id, m)
                      for m in project.milestone_ids}
        settings = loaded.get(settings_key)
        if not isinstance(settings, PlanSettings):
            settings = PlanSettings(organisation_id=organisation_id)
        plan = Plan(project=project, tasks=tasks, milestones=milestones, settings=settings)
        self.read_resources(plan)
        return plan

    def read_resources(self, plan: Plan) -> None:
        """Reads the days off of assignees the plan has not read yet (new ones, after a change)."""
        unread = plan.assignees() - plan.resources_read
        if unread:
            project = plan.project
            plan.resource_days_off.update(
                self.resource_days_off(project.organisation_id, unread, project.starts_on, project.ends_on)
            )
            plan.resources_read |= unread

    def resource_days_off(
        self, organisation_id: UUID, resource_ids: Iterable[UUID], first: date, last: date
    ) -> dict[str, frozenset[date]]:
        """Each assigned resource's days off and the weekdays it does not work, over the
        project's span and a year beyond it (work can slip past the end)."""
        found: dict[str, frozenset[date]] = {}
        reach = last + RESOURCE_CALENDAR_REACH
        for resource_id in resource_ids:
            try:
                resource = aggregate_in(self, Resource, "resource", organisation_id, resource_id)
            except NotInOrganisation:
                continue
            pattern = resource.pattern
            off = set(pattern.days_off)
            if len(pattern.weekdays) < 7:
                day = first
                while day <= reach:
                    if not pattern.works_weekday(day):
                        off.add(day)
                    day += timedelta(days=1)
            if off:
                found[str(resource_id)] = frozenset(off)
        return found

    def check_assignees(self, organisation_id: UUID, assignee_ids: Iterable[UUID]) -> None:
        """Assignees are people or equipment registered as resources of the organisation."""
        for resource_id in assignee_ids:
            self.referenced(Resource, "resource (person or equipment)", organisation_id, resource_id)

    def check_own_task(self, organisation_id: UUID, task: Task, only_for_user: str | None) -> None:
        """``only_for_user``: the login of a caller who may change only tasks assigned to them
        (a task is theirs when one of its assignees is the person linked to that login)."""
        if only_for_user is None:
            return
        for resource_id in task.assignee_ids:
            try:
                person = aggregate_in(self, Resource, "resource", organisation_id, resource_id)
            except NotInOrganisation:
                continue
            if person.user_id == only_for_user:
                return
        raise NotYourTask(f"Task '{task.title}' is not assigned to you; a manager can change it.")

    def logged_minutes(self, organisation_id: UUID, task_ids: Iterable[UUID]) -> dict[UUID, int]:
        """Minutes logged per task; progress counts them for tasks in progress. Overridden by
        the time entries area when it can answer; without it, nothing is logged."""
        return {}


def _in_organisation(found: Any, kind: type[T], label: str, organisation_id: UUID, aggregate_id: UUID) -> T:
    if not isinstance(found, kind) or getattr(found, "organisation_id", None) != organisation_id:
        raise NotInOrganisation(label, aggregate_id)
    return found
