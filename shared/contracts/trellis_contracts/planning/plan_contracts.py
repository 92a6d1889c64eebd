"""Every contract of the plan's structure (tasks, schedule, settings, templates, minutes)."""

from __future__ import annotations

from trellis_contracts.event_contract import EventContract
from trellis_contracts.planning.milestones_v1 import MilestoneReopenedV1
from trellis_contracts.planning.minutes_v1 import MeetingMinutesRecordedV1
from trellis_contracts.planning.schedule_v1 import SCHEDULE_CONTRACTS_V1
from trellis_contracts.planning.settings_v1 import SETTINGS_CONTRACTS_V1
from trellis_contracts.planning.tasks_v1 import TASK_CONTRACTS_V1
from trellis_contracts.planning.templates_v1 import TemplateSavedV1

PLAN_CONTRACTS_V1: tuple[type[EventContract], ...] = (
    *TASK_CONTRACTS_V1,
    MilestoneReopenedV1,
    *SCHEDULE_CONTRACTS_V1,
    *SETTINGS_CONTRACTS_V1,
    TemplateSavedV1,
    MeetingMinutesRecordedV1,
)
