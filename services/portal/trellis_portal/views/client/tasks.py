"""Tasks the client may see, by due day: never one tagged internal."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from trellis_portal.views import fact_kinds as kinds
from trellis_portal.views.client.shapes import TaskItem
from trellis_portal.views.client.snapshot import ProjectSnapshot


def tasks(snapshot: ProjectSnapshot) -> list[TaskItem]:
    items = [
        TaskItem(id=UUID(key), title=body["title"], state=body["status_category"],
                 milestone_id=UUID(body["milestone_id"]) if body.get("milestone_id") else None,
                 starts_on=_day(body.get("starts_on")), due_on=_day(body.get("due_on")))
        for key, body in snapshot.all(kinds.TASK).items()
        if not body.get("internal", True) and "title" in body
    ]
    return sorted(items, key=lambda t: (t.due_on or date.max, t.title, str(t.id)))


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
