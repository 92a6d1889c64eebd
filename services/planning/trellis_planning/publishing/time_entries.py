"""Time entry domain events to integration events (a person's timesheet day stays inside)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from trellis_contracts.planning.time_entries_v1 import (
    TimeEntryCorrectedV1,
    TimeEntryDeletedV1,
    TimeEntryLoggedV1,
)
from trellis_planning.domain.time_entry import TimeEntry
from trellis_planning.publishing.envelopes import outgoing
from trellis_platform.outgoing import OutgoingEvent


def time_entry_events(domain_event: Any, notification_id: int) -> Sequence[OutgoingEvent]:
    if isinstance(domain_event, TimeEntry.Logged | TimeEntry.Corrected):
        contract = TimeEntryLoggedV1 if isinstance(domain_event, TimeEntry.Logged) else TimeEntryCorrectedV1
        payload = contract(
            time_entry_id=domain_event.originator_id,
            organisation_id=domain_event.organisation_id,
            project_id=domain_event.project_id,
            task_id=domain_event.task_id,
            person_id=domain_event.person_id,
            worked_on=domain_event.worked_on,
            minutes=domain_event.minutes,
            billable=domain_event.billable,
            note=domain_event.note,
        )
        return [outgoing(domain_event, payload, notification_id)]
    if isinstance(domain_event, TimeEntry.Deleted):
        deleted = TimeEntryDeletedV1(
            time_entry_id=domain_event.originator_id,
            organisation_id=domain_event.organisation_id,
            project_id=domain_event.project_id,
        )
        return [outgoing(domain_event, deleted, notification_id)]
    return []
