"""What the template routes accept and return."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

from trellis_planning.api.schemas import ProjectResponse
from trellis_planning.api.settings_schemas import CustomFieldResponse, WorkflowResponse


class TemplateSummary(BaseModel):
    id: str = Field(description="An industry template's key, or the id of the organisation's own")
    name: str
    industry: str
    description: str
    built_in: bool
    workflow_id: str
    milestone_count: int
    task_count: int
    dependency_count: int


class TemplateMilestone(BaseModel):
    key: str
    name: str
    offset_days: int
    duration_days: int


class TemplateTask(BaseModel):
    key: str
    title: str
    milestone: str | None
    parent: str | None
    offset_days: int | None = Field(description="Working days after the project's first working day")
    duration_days: int
    estimate_minutes: int
    priority: str
    tags: list[str]


class TemplateDependency(BaseModel):
    predecessor: str
    successor: str
    type: str
    lag_days: int


class TemplateDetail(TemplateSummary):
    workflow: WorkflowResponse
    custom_fields: list[CustomFieldResponse]
    milestones: list[TemplateMilestone]
    tasks: list[TemplateTask]
    dependencies: list[TemplateDependency]


class TemplateList(BaseModel):
    items: list[TemplateSummary]


class ProjectFromTemplateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    template_id: str = Field(min_length=1, max_length=64)
    client_id: UUID
    name: str = Field(min_length=1, max_length=200)
    starts_on: date
    ends_on: date | None = Field(None, description="Omit to end when the template's work does")

    @model_validator(mode="after")
    def _ends_after_start(self) -> ProjectFromTemplateRequest:
        if self.ends_on is not None and self.ends_on < self.starts_on:
            raise ValueError(f"ends_on ({self.ends_on}) is before starts_on ({self.starts_on})")
        return self


class ProjectFromTemplateResponse(BaseModel):
    project: ProjectResponse
    template_id: str
    workflow_id: str
    milestone_ids: list[UUID]
    task_ids: list[UUID]
    dependency_count: int
    forecast_finish: date


class SaveAsTemplateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    industry: str = Field("", max_length=60)
    description: str = Field("", max_length=2000)
