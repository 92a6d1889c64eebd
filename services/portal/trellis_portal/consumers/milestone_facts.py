"""Milestones and progress as the client sees them; a completed milestone sends a survey."""

from __future__ import annotations

from psycopg import Cursor
from psycopg.rows import DictRow

from trellis_contracts.envelope import CloudEvent
from trellis_contracts.event_contract import EventContract
from trellis_contracts.planning.milestones_v1 import MilestoneReopenedV1
from trellis_contracts.planning.progress_v1 import (
    MilestoneCompletedV1,
    MilestoneScheduledV1,
    ProjectProgressChangedV1,
)
from trellis_portal.consumers.facts_consumer import Putter, decimal_text
from trellis_portal.domain.ids import survey_id
from trellis_portal.views import fact_kinds as kinds
from trellis_portal.views.facts import FactWriter
from trellis_portal.views.tracked_facts import Effect


def milestone_effect(envelope: CloudEvent, payload: EventContract) -> Effect | None:
    facts = Putter(envelope)
    if isinstance(payload, MilestoneScheduledV1):
        scheduled = payload
        return lambda w, _: facts.put(w, scheduled.project_id, kinds.MILESTONE, str(scheduled.milestone_id), {
            "name": scheduled.name, "starts_on": scheduled.starts_on, "due_on": scheduled.due_on}, merge=True)
    if isinstance(payload, MilestoneCompletedV1):
        completed = payload

        def milestone_completed(w: FactWriter, _: Cursor[DictRow]) -> None:
            facts.put(w, completed.project_id, kinds.MILESTONE, str(completed.milestone_id), {
                "name": completed.name, "completed_on": completed.completed_on,
                "completed_at": envelope.time}, merge=True)
            facts.put(w, completed.project_id, kinds.SURVEY, str(survey_id(completed.milestone_id)), {
                "milestone_id": completed.milestone_id, "milestone_name": completed.name,
                "completed_on": completed.completed_on, "sent_at": envelope.time})
        return milestone_completed
    if isinstance(payload, MilestoneReopenedV1):
        reopened = payload
        return lambda w, _: facts.put(w, reopened.project_id, kinds.MILESTONE, str(reopened.milestone_id), {
            "name": reopened.name, "completed_on": None, "completed_at": None}, merge=True)
    if isinstance(payload, ProjectProgressChangedV1):
        progress = payload
        return lambda w, _: facts.put(w, progress.project_id, kinds.PROGRESS, "", {
            "as_of": progress.as_of, "percent_complete": decimal_text(progress.percent_complete),
            "health": progress.health,
            "milestones": {str(m.milestone_id): decimal_text(m.percent_complete)
                           for m in progress.milestones}})
    return None
