"""The project overview: progress, health, milestones, budget and time as the firm shows them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from trellis_portal.domain.visibility import BudgetMode, Visibility
from trellis_portal.views import fact_kinds as kinds
from trellis_portal.views.client.activity import recent_activity
from trellis_portal.views.client.budget import budget_usage
from trellis_portal.views.client.shapes import (
    MilestoneItem,
    Progress,
    ProjectHeader,
    ProjectOverview,
    Sections,
)
from trellis_portal.views.client.snapshot import ProjectSnapshot
from trellis_portal.views.client.time import time_summary


def sections(visibility: Visibility) -> Sections:
    return Sections(milestones=visibility.milestones, tasks=visibility.tasks, documents=visibility.documents,
                    time=visibility.time, health=visibility.health, budget=visibility.budget.value)


def header(snapshot: ProjectSnapshot) -> ProjectHeader:
    project = snapshot.project
    assert project is not None
    return ProjectHeader(id=snapshot.project_id, name=project["name"],
                         starts_on=date.fromisoformat(project["starts_on"]),
                         ends_on=date.fromisoformat(project["ends_on"]))


def progress(snapshot: ProjectSnapshot) -> Progress | None:
    found = snapshot.one(kinds.PROGRESS)
    if found is None:
        return None
    return Progress(percent_complete=Decimal(found["percent_complete"]),
                    as_of=date.fromisoformat(found["as_of"]))


def health(snapshot: ProjectSnapshot) -> str | None:
    found = snapshot.one(kinds.PROGRESS)
    return str(found["health"]) if found is not None and snapshot.visibility.health else None


def milestones(snapshot: ProjectSnapshot) -> list[MilestoneItem]:
    percentages: dict[str, Any] = (snapshot.one(kinds.PROGRESS) or {}).get("milestones", {})
    items = [_milestone(key, body, percentages.get(key))
             for key, body in snapshot.all(kinds.MILESTONE).items()]
    return sorted(items, key=lambda m: (m.due_on or date.max, m.name, str(m.id)))


def _milestone(key: str, body: dict[str, Any], percent: str | None) -> MilestoneItem:
    completed_on = _day(body.get("completed_on"))
    share = Decimal(percent) if percent is not None else None
    state: Literal["planned", "in_progress", "completed"]
    if completed_on is not None:
        state = "completed"
    elif share is not None and share > 0:
        state = "in_progress"
    else:
        state = "planned"
    return MilestoneItem(id=UUID(key), name=body.get("name", ""), starts_on=_day(body.get("starts_on")),
                         due_on=_day(body.get("due_on")), state=state, percent_complete=share,
                         completed_on=completed_on)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def overview(snapshot: ProjectSnapshot, as_of: datetime) -> ProjectOverview:
    shown = snapshot.visibility
    return ProjectOverview(
        as_of=as_of, project=header(snapshot), sections=sections(shown), progress=progress(snapshot),
        health=health(snapshot),
        milestones=milestones(snapshot) if shown.milestones else None,
        budget=budget_usage(snapshot) if shown.budget != BudgetMode.HIDDEN else None,
        time=time_summary(snapshot) if shown.time else None,
        recent_activity=recent_activity(snapshot),
    )
