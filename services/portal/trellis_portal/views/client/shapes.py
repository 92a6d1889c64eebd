"""The JSON the client-facing routes answer with.

Every field here may reach a client: nothing internal (rates, notes, who logged time,
internal notes) has a field to land in. Amounts are decimals serialised as strings.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field


class Sections(BaseModel):
    milestones: bool
    tasks: bool
    documents: bool
    time: bool
    health: bool
    budget: Literal["hidden", "percent", "full"]


class ProjectHeader(BaseModel):
    id: UUID
    name: str
    starts_on: date
    ends_on: date


class Progress(BaseModel):
    percent_complete: Decimal
    as_of: date


class MilestoneItem(BaseModel):
    id: UUID
    name: str
    starts_on: date | None
    due_on: date | None
    state: Literal["planned", "in_progress", "completed"]
    percent_complete: Decimal | None
    completed_on: date | None


class PercentBudget(BaseModel):
    mode: Literal["percent"] = "percent"
    percent_used: Decimal | None


class FullBudget(BaseModel):
    mode: Literal["full"] = "full"
    currency: str
    budget: Decimal
    used: Decimal | None
    remaining: Decimal | None
    percent_used: Decimal | None
    revision: int


BudgetUsage = Annotated[PercentBudget | FullBudget, Field(discriminator="mode")]


class MonthHours(BaseModel):
    month: str = Field(description="YYYY-MM of the days worked")
    hours: Decimal


class TimeSummary(BaseModel):
    total_hours: Decimal
    by_month: list[MonthHours]


class Activity(BaseModel):
    at: datetime
    kind: str
    summary: str


class ProjectOverview(BaseModel):
    as_of: datetime = Field(description="The moment this view is of: reconstructing it gives it again")
    project: ProjectHeader
    sections: Sections
    progress: Progress | None
    health: str | None
    milestones: list[MilestoneItem] | None
    budget: BudgetUsage | None
    time: TimeSummary | None
    recent_activity: list[Activity]


class ProjectSummary(BaseModel):
    id: UUID
    name: str
    starts_on: date
    ends_on: date
    percent_complete: Decimal | None
    health: str | None


class MyProjects(BaseModel):
    as_of: datetime
    items: list[ProjectSummary]


class DocumentVersion(BaseModel):
    version_number: int
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    added_at: datetime
    download: str


class DocumentItem(BaseModel):
    id: UUID
    name: str
    latest_version: int
    versions: list[DocumentVersion]


class ProjectDocuments(BaseModel):
    as_of: datetime
    project_id: UUID
    items: list[DocumentItem]


class ProjectBudget(BaseModel):
    as_of: datetime
    project_id: UUID
    usage: BudgetUsage | None = Field(description="None until the firm sets a budget")


class ProjectTime(BaseModel):
    as_of: datetime
    project_id: UUID
    time: TimeSummary


class TaskItem(BaseModel):
    id: UUID
    title: str
    state: Literal["todo", "in_progress", "done"]
    milestone_id: UUID | None
    starts_on: date | None
    due_on: date | None


class ProjectTasks(BaseModel):
    as_of: datetime
    project_id: UUID
    items: list[TaskItem]


class ChangeOrderTerms(BaseModel):
    change_order_id: UUID
    scope: str | None
    schedule_impact_days: int | None
    currency: str | None = Field(description="Only when the client sees the budget in full")
    cost_impact: Decimal | None = Field(description="Only when the client sees the budget in full")


class ApprovalItem(BaseModel):
    id: UUID
    subject: Literal["deliverable", "change_order"]
    title: str
    description: str
    status: Literal["pending", "approved", "rejected"]
    requested_at: datetime | None
    deliverable_kind: str | None
    deliverable_id: UUID | None
    document_version: int | None
    change_order: ChangeOrderTerms | None
    decided_at: datetime | None
    decided_by: UUID | None
    comment: str | None


class ProjectApprovals(BaseModel):
    as_of: datetime
    project_id: UUID
    pending: list[ApprovalItem]
    decided: list[ApprovalItem]


class Message(BaseModel):
    id: UUID
    author: str
    author_kind: Literal["staff", "client"]
    body: str
    posted_at: datetime


class StaffMessage(Message):
    internal: bool


class ThreadItem(BaseModel):
    id: UUID
    subject: str
    started_at: datetime
    messages: list[Message]


class StaffThreadItem(ThreadItem):
    messages: list[StaffMessage]  # type: ignore[assignment]


class ProjectThreads(BaseModel):
    as_of: datetime
    project_id: UUID
    items: list[ThreadItem]


class StaffProjectThreads(ProjectThreads):
    items: list[StaffThreadItem]  # type: ignore[assignment]


class SurveyAnswer(BaseModel):
    csat: int
    nps: int
    comment: str
    answered_at: datetime


class SurveyItem(BaseModel):
    id: UUID
    milestone_id: UUID
    milestone_name: str
    completed_on: date
    sent_at: datetime
    my_response: SurveyAnswer | None


class ProjectSurveys(BaseModel):
    as_of: datetime
    project_id: UUID
    items: list[SurveyItem]


class SurveyResponseItem(BaseModel):
    client_user_id: UUID
    csat: int
    nps: int
    comment: str
    answered_at: datetime


class SurveyResult(BaseModel):
    id: UUID
    milestone_id: UUID
    milestone_name: str
    sent_at: datetime
    responses: list[SurveyResponseItem]
    average_csat: Decimal | None
    net_promoter_score: Decimal | None = Field(description="Promoters (9-10) less detractors (0-6), in %")


class ProjectSurveyResults(BaseModel):
    as_of: datetime
    project_id: UUID
    items: list[SurveyResult]


class ProjectClientView(BaseModel):
    """Everything one client user was shown of one project at one moment: each member is
    exactly what that route answered then, null where it answered 404."""

    as_of: datetime
    user_id: UUID
    project_id: UUID
    overview: ProjectOverview | None
    documents: ProjectDocuments | None
    budget: ProjectBudget | None
    time: ProjectTime | None
    tasks: ProjectTasks | None
    approvals: ProjectApprovals | None
    threads: ProjectThreads | None
    surveys: ProjectSurveys | None


class ClientProjectsView(BaseModel):
    """The list of projects one client user was shown at one moment."""

    as_of: datetime
    user_id: UUID
    my_projects: MyProjects
