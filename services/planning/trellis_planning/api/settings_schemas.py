"""What the plan settings routes accept and return."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

FieldType = Literal["text", "number", "date", "single_choice", "multi_choice", "money", "user"]
Category = Literal["todo", "in_progress", "done"]
Subject = Literal["task_title", "milestone_name", "project_name"]


class DefineFieldRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=100)
    type: FieldType
    required: bool = False
    choices: list[str] = Field(default_factory=list, max_length=200)
    scope: Literal["organisation", "project"] = Field(
        "organisation", description="organisation: every project's tasks; project: projects that adopt it"
    )


class ChangeFieldRequest(BaseModel):
    """Rename (values stay: they are keyed by the field id), (un)require, add choices."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(None, min_length=1, max_length=100)
    required: bool | None = None
    add_choices: list[str] | None = Field(None, max_length=200)


class CustomFieldResponse(BaseModel):
    id: str = Field(description="Stable: task values are keyed by it")
    name: str
    type: FieldType
    required: bool
    choices: list[str]
    scope: Literal["organisation", "project"]
    retired: bool


class StatusBody(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    key: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=60)
    category: Category
    wip_limit: int | None = Field(None, ge=1, description="Board column limit: exceeding it warns")
    retired: bool = False


class DefineWorkflowRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=100)
    statuses: list[StatusBody] = Field(min_length=1, max_length=30, description="In board column order")
    transitions: dict[str, list[str]] = Field(description="From a status key, the keys a task may move to")
    initial: str | None = Field(None, description="Where new tasks start (default: the first 'todo' status)")


class WorkflowResponse(BaseModel):
    id: str
    name: str
    statuses: list[StatusBody]
    transitions: dict[str, list[str]]
    initial: str


class NamingRuleRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pattern: str = Field(
        min_length=1, max_length=200, description="A regular expression names must match in full"
    )
    description: str = Field("", max_length=200, description="The rule in words, quoted when it is broken")


class NamingRuleResponse(BaseModel):
    subject: Subject
    pattern: str
    description: str


class CalendarBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    weekend_days: list[int] = Field(description="0 (Monday) to 6 (Sunday)", max_length=7)
    holidays: list[date] = Field(default_factory=list, max_length=2000)


class PlanSettingsResponse(BaseModel):
    custom_fields: list[CustomFieldResponse]
    workflows: list[WorkflowResponse]
    naming_rules: list[NamingRuleResponse]
    calendar: CalendarBody
