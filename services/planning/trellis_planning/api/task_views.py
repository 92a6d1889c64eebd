"""Turning tasks into what the task routes answer."""

from __future__ import annotations

from trellis_planning.api.task_schemas import CustomFieldValue, TaskResponse
from trellis_planning.domain.plan_settings import PlanSettings
from trellis_planning.domain.project import Project
from trellis_planning.domain.task import Task


def task_response(task: Task, project: Project, settings: PlanSettings) -> TaskResponse:
    scheduled = project.scheduled.get(str(task.id))
    fields = settings.fields()
    named = [
        CustomFieldValue(
            field_id=f, name=fields[f].name, type=fields[f].type.value, value=v, retired=fields[f].retired
        )
        for f, v in task.custom_values.items()
        if f in fields
    ]
    return TaskResponse(
        id=task.id,
        organisation_id=task.organisation_id,
        project_id=task.project_id,
        title=task.title,
        description=task.description,
        parent_id=task.parent_id,
        milestone_id=task.milestone_id,
        assignee_ids=task.assignee_ids,
        estimate_minutes=task.estimate_minutes,
        duration_days=task.duration_days,
        starts_on=task.starts_on,
        due_on=task.due_on,
        scheduled_start=scheduled[0] if scheduled else None,
        scheduled_finish=scheduled[1] if scheduled else None,
        priority=task.priority,  # type: ignore[arg-type]
        tags=task.tags,
        custom_values=task.custom_values,
        custom_fields=named,
        status=task.status,
        status_category=task.status_category,  # type: ignore[arg-type]
        rank=task.rank,
        version=task.version,
    )
