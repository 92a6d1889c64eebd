"""Time entry use cases: log, correct and delete time, within the organisation's rules.

An entry names a task of the caller's organisation (its project follows from the task),
a person registered as a resource, and a day within the project's dates. The entry, the
person's timesheet day (at most 24 hours a day) and the project's time ledger (minutes
per task, which progress counts) are saved together: the rule holds under concurrent
requests, whose losers are run again from a fresh load (``retried_on_conflict``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from trellis_planning.application.plan_access import PlanAccess, retried_on_conflict
from trellis_planning.application.tenant_lookups import aggregate_in
from trellis_planning.domain.errors import PlanningRuleBroken
from trellis_planning.domain.plan_errors import DateOutsideProject, NotInOrganisation
from trellis_planning.domain.project_time import ProjectTime, project_time_id
from trellis_planning.domain.resource import Resource, ResourceKind
from trellis_planning.domain.time_entry import TimeEntry, WorkDone
from trellis_planning.domain.timesheet_day import TimesheetDay, timesheet_day_id

UNCHANGED: Any = object()


class NotYourTime(PermissionError):
    """A caller allowed to log only their own time named someone else."""


class TimeEntryUseCases(PlanAccess):
    @retried_on_conflict
    def log_time(
        self,
        *,
        organisation_id: UUID,
        task_id: UUID,
        person_id: UUID,
        worked_on: date,
        minutes: int,
        billable: bool,
        note: str,
        meta: dict[str, str],
        only_for_user: str | None = None,
    ) -> TimeEntry:
        """``only_for_user``: the caller's login when they may log only their own time."""
        work = self._checked_work(organisation_id, task_id, WorkDone(
            project_id=task_id, task_id=task_id, person_id=person_id, worked_on=worked_on,
            minutes=minutes, billable=billable, note=note,
        ), only_for_user)
        entry = TimeEntry.log(organisation_id=organisation_id, work=work, meta=meta)
        day = self._timesheet_day(organisation_id, person_id, worked_on, meta)
        day.count(entry.id, entry.work.minutes, meta)
        ledger = self._project_time(organisation_id, work.project_id, meta)
        ledger.change(work.task_id, work.minutes, meta)
        self.save(entry, day, ledger)
        return entry

    @retried_on_conflict
    def correct_time_entry(
        self,
        *,
        organisation_id: UUID,
        entry_id: UUID,
        meta: dict[str, str],
        only_for_user: str | None = None,
        task_id: UUID = UNCHANGED,
        person_id: UUID = UNCHANGED,
        worked_on: date = UNCHANGED,
        minutes: int = UNCHANGED,
        billable: bool = UNCHANGED,
        note: str = UNCHANGED,
    ) -> TimeEntry:
        entry = self.get_time_entry(organisation_id, entry_id)
        self._check_own(organisation_id, entry.work.person_id, only_for_user)
        changes: dict[str, Any] = {k: v for k, v in {
            "task_id": task_id, "person_id": person_id, "worked_on": worked_on, "minutes": minutes,
            "billable": billable, "note": note,
        }.items() if v is not UNCHANGED}
        before = entry.work
        proposed = replace(before, **changes)
        work = self._checked_work(organisation_id, proposed.task_id, proposed, only_for_user)
        if not entry.correct(work, meta):
            return entry
        days = {}
        old_day = self._timesheet_day(organisation_id, before.person_id, before.worked_on, meta)
        old_day.release(entry.id, meta)
        days[old_day.id] = old_day
        new_day = days.get(timesheet_day_id(organisation_id, work.person_id, work.worked_on)) or \
            self._timesheet_day(organisation_id, work.person_id, work.worked_on, meta)
        new_day.count(entry.id, work.minutes, meta)
        days[new_day.id] = new_day
        ledgers = {before.project_id: self._project_time(organisation_id, before.project_id, meta)}
        ledgers[before.project_id].change(before.task_id, -before.minutes, meta)
        if work.project_id not in ledgers:
            ledgers[work.project_id] = self._project_time(organisation_id, work.project_id, meta)
        ledgers[work.project_id].change(work.task_id, work.minutes, meta)
        self.save(entry, *days.values(), *ledgers.values())
        return entry

    @retried_on_conflict
    def delete_time_entry(self, *, organisation_id: UUID, entry_id: UUID, meta: dict[str, str],
                          only_for_user: str | None = None) -> TimeEntry:
        entry = self.get_time_entry(organisation_id, entry_id)
        work = entry.work
        self._check_own(organisation_id, work.person_id, only_for_user)
        day = self._timesheet_day(organisation_id, work.person_id, work.worked_on, meta)
        ledger = self._project_time(organisation_id, work.project_id, meta)
        entry.delete(meta)
        day.release(entry.id, meta)
        ledger.change(work.task_id, -work.minutes, meta)
        self.save(entry, day, ledger)
        return entry

    def get_time_entry(self, organisation_id: UUID, entry_id: UUID) -> TimeEntry:
        """A deleted entry is not found: its history stays in the event store."""
        entry = aggregate_in(self, TimeEntry, "time entry", organisation_id, entry_id)
        if entry.is_deleted:
            raise NotInOrganisation("time entry", entry_id)
        return entry

    def logged_minutes(self, organisation_id: UUID, task_ids: Iterable[UUID]) -> dict[UUID, int]:
        """Minutes logged per task, for tasks of ONE project (as the plan asks): the
        project is found from the first task, and its ledger answers for all of them."""
        ids = list(task_ids)
        if not ids:
            return {}
        try:
            project_id = self.task_in(organisation_id, ids[0]).project_id
            found: Any = self.repository.get(project_time_id(project_id))
        except (NotInOrganisation, AggregateNotFoundError):
            return {}
        assert isinstance(found, ProjectTime)
        return {t: found.minutes_by_task[t] for t in ids if found.minutes_by_task.get(t)}

    def _checked_work(self, organisation_id: UUID, task_id: UUID, work: WorkDone,
                      only_for_user: str | None) -> WorkDone:
        """The work as it will be recorded: its project is the task's."""
        task = self.task_in(organisation_id, task_id)
        project = self.project_in(organisation_id, task.project_id)
        person = self._person(organisation_id, work.person_id)
        if only_for_user is not None and person.user_id != only_for_user:
            raise NotYourTime(f"You may log time only for yourself, not for {person.name}.")
        if not project.starts_on <= work.worked_on <= project.ends_on:
            raise DateOutsideProject(
                f"{work.worked_on.isoformat()} is outside project {project.id}, which runs from "
                f"{project.starts_on.isoformat()} to {project.ends_on.isoformat()}."
            )
        return replace(work, project_id=project.id)

    def _person(self, organisation_id: UUID, person_id: UUID) -> Resource:
        person = aggregate_in(self, Resource, "person", organisation_id, person_id)
        if person.kind != ResourceKind.PERSON:
            raise PlanningRuleBroken(f"Resource {person_id} is equipment; time is logged by people.")
        return person

    def _check_own(self, organisation_id: UUID, person_id: UUID, only_for_user: str | None) -> None:
        if only_for_user is not None and self._person(organisation_id, person_id).user_id != only_for_user:
            raise NotYourTime("You may change only your own time entries.")

    def _timesheet_day(self, organisation_id: UUID, person_id: UUID, day: date,
                       meta: dict[str, str]) -> TimesheetDay:
        try:
            found: Any = self.repository.get(timesheet_day_id(organisation_id, person_id, day))
        except AggregateNotFoundError:
            return TimesheetDay(organisation_id=organisation_id, person_id=person_id, day=day, meta=meta)
        assert isinstance(found, TimesheetDay)
        return found

    def _project_time(self, organisation_id: UUID, project_id: UUID, meta: dict[str, str]) -> ProjectTime:
        try:
            found: Any = self.repository.get(project_time_id(project_id))
        except AggregateNotFoundError:
            return ProjectTime(organisation_id=organisation_id, project_id=project_id, meta=meta)
        assert isinstance(found, ProjectTime)
        return found
