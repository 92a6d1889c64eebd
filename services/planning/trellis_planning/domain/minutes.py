"""Meeting minutes: who attended, what was decided, and the action items that became tasks.

Recording minutes turns every action item into a task in the same command; the minutes
keep each item's task id so either can be found from the other.

Stored event topics are ``trellis_planning.domain.minutes:Minutes.<Event>``.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from trellis_planning.domain.errors import PlanningRuleBroken

MAX_TITLE_LENGTH = 200
MAX_NOTES_LENGTH = 20_000
MAX_ITEMS = 100


class Minutes(Aggregate):
    class Created(Aggregate.Created):
        """``attendees``: ``{name, person_id (or None for a guest)}``; ``action_items``:
        ``{title, task_id, assignee_ids, due_on}``."""

        organisation_id: UUID
        project_id: UUID
        title: str
        held_on: date
        attendees: list[dict[str, Any]]
        notes: str
        decisions: list[str]
        action_items: list[dict[str, Any]]
        meta: dict[str, str]

    @event(Created)
    def __init__(
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
    ) -> None:
        self.organisation_id = organisation_id
        self.project_id = project_id
        self.title = title
        self.held_on = held_on
        self.attendees = list(attendees)
        self.notes = notes
        self.decisions = list(decisions)
        self.action_items = list(action_items)

    @classmethod
    def record(
        cls,
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
    ) -> Minutes:
        title = title.strip()
        if not title or len(title) > MAX_TITLE_LENGTH:
            raise PlanningRuleBroken(f"Minutes need a title of 1 to {MAX_TITLE_LENGTH} characters.")
        if not attendees:
            raise PlanningRuleBroken("Minutes name at least one attendee.")
        if any(not str(a.get("name", "")).strip() for a in attendees):
            raise PlanningRuleBroken("Every attendee has a name.")
        if len(notes) > MAX_NOTES_LENGTH:
            raise PlanningRuleBroken(f"Notes have at most {MAX_NOTES_LENGTH} characters.")
        cleaned = [d.strip() for d in decisions if d.strip()]
        if len(cleaned) > MAX_ITEMS or len(action_items) > MAX_ITEMS:
            raise PlanningRuleBroken(
                f"Minutes hold at most {MAX_ITEMS} decisions and {MAX_ITEMS} action items."
            )
        return cls(
            organisation_id=organisation_id,
            project_id=project_id,
            title=title,
            held_on=held_on,
            attendees=attendees,
            notes=notes,
            decisions=cleaned,
            action_items=action_items,
            meta=meta,
        )
