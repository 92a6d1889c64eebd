"""Each client-facing read, as a function of one project snapshot: None where the route
answers 404 (the section is hidden)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pydantic import BaseModel

from trellis_portal.domain.visibility import BudgetMode
from trellis_portal.views import fact_kinds as kinds
from trellis_portal.views.client.approvals import approvals
from trellis_portal.views.client.budget import budget_usage
from trellis_portal.views.client.documents import documents
from trellis_portal.views.client.overview import overview
from trellis_portal.views.client.shapes import (
    ProjectApprovals,
    ProjectBudget,
    ProjectDocuments,
    ProjectOverview,
    ProjectSurveyResults,
    ProjectSurveys,
    ProjectTasks,
    ProjectThreads,
    ProjectTime,
    StaffProjectThreads,
)
from trellis_portal.views.client.snapshot import ProjectSnapshot, Viewer
from trellis_portal.views.client.surveys import results, surveys
from trellis_portal.views.client.tasks import tasks
from trellis_portal.views.client.threads import client_threads, staff_threads
from trellis_portal.views.client.time import time_summary

Section = Callable[[ProjectSnapshot, Viewer, datetime], BaseModel | None]

WALLS = (kinds.PROJECT, kinds.VISIBILITY, kinds.GRANT)
"""What every read needs: whether the viewer may see the project, and how much of it."""


def overview_section(snapshot: ProjectSnapshot, viewer: Viewer, as_of: datetime) -> ProjectOverview:
    return overview(snapshot, as_of)


def documents_section(snapshot: ProjectSnapshot, viewer: Viewer, as_of: datetime) -> ProjectDocuments | None:
    if not snapshot.visibility.documents:
        return None
    return ProjectDocuments(as_of=as_of, project_id=snapshot.project_id, items=documents(snapshot))


def budget_section(snapshot: ProjectSnapshot, viewer: Viewer, as_of: datetime) -> ProjectBudget | None:
    if snapshot.visibility.budget == BudgetMode.HIDDEN:
        return None
    return ProjectBudget(as_of=as_of, project_id=snapshot.project_id, usage=budget_usage(snapshot))


def time_section(snapshot: ProjectSnapshot, viewer: Viewer, as_of: datetime) -> ProjectTime | None:
    if not snapshot.visibility.time:
        return None
    return ProjectTime(as_of=as_of, project_id=snapshot.project_id, time=time_summary(snapshot))


def tasks_section(snapshot: ProjectSnapshot, viewer: Viewer, as_of: datetime) -> ProjectTasks | None:
    if not snapshot.visibility.tasks:
        return None
    return ProjectTasks(as_of=as_of, project_id=snapshot.project_id, items=tasks(snapshot))


def approvals_section(snapshot: ProjectSnapshot, viewer: Viewer, as_of: datetime) -> ProjectApprovals:
    pending, decided = approvals(snapshot)
    return ProjectApprovals(as_of=as_of, project_id=snapshot.project_id, pending=pending, decided=decided)


def threads_section(snapshot: ProjectSnapshot, viewer: Viewer, as_of: datetime) -> ProjectThreads:
    if viewer.is_client:
        return ProjectThreads(as_of=as_of, project_id=snapshot.project_id, items=client_threads(snapshot))
    return StaffProjectThreads(as_of=as_of, project_id=snapshot.project_id, items=staff_threads(snapshot))


def surveys_section(snapshot: ProjectSnapshot, viewer: Viewer, as_of: datetime) -> ProjectSurveys:
    return ProjectSurveys(as_of=as_of, project_id=snapshot.project_id,
                          items=surveys(snapshot, viewer.user_id))


def survey_results_section(snapshot: ProjectSnapshot, viewer: Viewer,
                           as_of: datetime) -> ProjectSurveyResults:
    return ProjectSurveyResults(as_of=as_of, project_id=snapshot.project_id, items=results(snapshot))


NEEDS: dict[Section, tuple[str, ...]] = {
    documents_section: (kinds.DOCUMENT_VERSION,),
    budget_section: (kinds.BUDGET, kinds.BUDGET_COST),
    time_section: (kinds.TIME_ENTRY,),
    tasks_section: (kinds.TASK,),
    approvals_section: (kinds.APPROVAL, kinds.CHANGE_ORDER),
    threads_section: (kinds.THREAD, kinds.MESSAGE),
    surveys_section: (kinds.SURVEY, kinds.SURVEY_RESPONSE),
    survey_results_section: (kinds.SURVEY, kinds.SURVEY_RESPONSE),
}


def needs(section: Section) -> tuple[str, ...] | None:
    """The kinds of fact a section is made of; None: all of them (the overview)."""
    found = NEEDS.get(section)
    return (*WALLS, *found) if found is not None else None
