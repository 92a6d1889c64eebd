"""Project templates: a workflow, custom fields, milestones, tasks and their dependencies,
laid out relative to the day the project starts.

Offsets and durations count working days of the organisation's calendar. A template task
with an ``offset_days`` may not start before that many working days after the project
starts; one without is placed by its dependencies. A milestone spans the work of its tasks
(its ``offset_days``/``duration_days`` place it only when it has no tasks).

Built-in templates live in ``domain.templates``; an organisation's own (saved from one of
its projects) are ``Template`` aggregates holding the same definition as a record.
Stored event topics are ``trellis_planning.domain.template:Template.<Event>``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from trellis_planning.domain.custom_fields import CustomField
from trellis_planning.domain.dependencies import check_dependency
from trellis_planning.domain.errors import PlanningRuleBroken
from trellis_planning.domain.priority import priority_of
from trellis_planning.domain.task import check_duration, check_estimate, check_title
from trellis_planning.domain.workflow import Workflow

SPEC_KEY = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")
MAX_TEMPLATE_TASKS = 1_000
_KEY_NAMESPACE = UUID("3a0c1cf4-24a4-4b49-8f8e-6a3f1f3c2b70")


@dataclass(frozen=True)
class MilestoneSpec:
    key: str
    name: str
    offset_days: int = 0
    duration_days: int = 0


@dataclass(frozen=True)
class TaskSpec:
    key: str
    title: str
    milestone: str | None = None
    parent: str | None = None
    offset_days: int | None = None
    duration_days: int = 1
    estimate_minutes: int = 0
    priority: str = "normal"
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class DependencySpec:
    predecessor: str
    successor: str
    type: str = "FS"
    lag_days: int = 0


@dataclass(frozen=True)
class TemplateDefinition:
    key: str
    name: str
    industry: str
    description: str
    workflow: Workflow
    custom_fields: tuple[CustomField, ...] = ()
    milestones: tuple[MilestoneSpec, ...] = ()
    tasks: tuple[TaskSpec, ...] = ()
    dependencies: tuple[DependencySpec, ...] = field(default=())

    def to_record(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "industry": self.industry,
            "description": self.description,
            "workflow": self.workflow.to_record(),
            "custom_fields": [f.to_record() for f in self.custom_fields],
            "milestones": [vars_of(m) for m in self.milestones],
            "tasks": [{**vars_of(t), "tags": list(t.tags)} for t in self.tasks],
            "dependencies": [vars_of(d) for d in self.dependencies],
        }

    @classmethod
    def from_record(cls, key: str, record: Mapping[str, Any]) -> TemplateDefinition:
        return cls(
            key=key,
            name=record["name"],
            industry=record["industry"],
            description=record["description"],
            workflow=Workflow.from_record(record["workflow"]),
            custom_fields=tuple(CustomField.from_record(f) for f in record["custom_fields"]),
            milestones=tuple(MilestoneSpec(**m) for m in record["milestones"]),
            tasks=tuple(TaskSpec(**{**t, "tags": tuple(t["tags"])}) for t in record["tasks"]),
            dependencies=tuple(DependencySpec(**d) for d in record["dependencies"]),
        )

    def task_spec(self, key: str) -> TaskSpec:
        for spec in self.tasks:
            if spec.key == key:
                return spec
        raise PlanningRuleBroken(f"Template '{self.name}' has no task {key!r}.")


def vars_of(spec: MilestoneSpec | TaskSpec | DependencySpec) -> dict[str, Any]:
    return dict(spec.__dict__)


def check_definition(definition: TemplateDefinition) -> TemplateDefinition:
    """Every key distinct and known, every task sane, no dependency cycle."""
    name = definition.name.strip()
    if not name or len(name) > 200:
        raise PlanningRuleBroken("A template needs a name of 1 to 200 characters.")
    if len(definition.tasks) > MAX_TEMPLATE_TASKS:
        raise PlanningRuleBroken(f"A template has at most {MAX_TEMPLATE_TASKS} tasks.")
    milestone_keys = _distinct_keys("milestone", [m.key for m in definition.milestones])
    task_keys = _distinct_keys("task", [t.key for t in definition.tasks])
    for spec in definition.tasks:
        check_title(spec.title)
        check_duration(spec.duration_days)
        check_estimate(spec.estimate_minutes)
        priority_of(spec.priority)
        if spec.milestone is not None and spec.milestone not in milestone_keys:
            raise PlanningRuleBroken(
                f"Template task {spec.key!r} names unknown milestone {spec.milestone!r}."
            )
        if spec.parent is not None and (spec.parent not in task_keys or spec.parent == spec.key):
            raise PlanningRuleBroken(f"Template task {spec.key!r} names unknown parent {spec.parent!r}.")
    links: list[dict[str, Any]] = []
    for dep in definition.dependencies:
        for key in (dep.predecessor, dep.successor):
            if key not in task_keys:
                raise PlanningRuleBroken(f"A template dependency names unknown task {key!r}.")
        pred, succ = key_id(dep.predecessor), key_id(dep.successor)
        check_dependency(links, pred, succ, dep.type, dep.lag_days)
        links.append({"predecessor_id": pred, "successor_id": succ, "type": dep.type})
    return definition


def key_id(key: str) -> UUID:
    """A stand-in id for a template key, to check the template's dependencies like a plan's."""
    return uuid5(_KEY_NAMESPACE, key)


def _distinct_keys(kind: str, keys: Sequence[str]) -> set[str]:
    for key in keys:
        if not SPEC_KEY.fullmatch(key):
            raise PlanningRuleBroken(f"Template {kind} key {key!r} must be lowercase letters, digits, '_.-'.")
    if len(set(keys)) != len(keys):
        raise PlanningRuleBroken(f"Template {kind} keys must be distinct.")
    return set(keys)


class Template(Aggregate):
    """An organisation's own template, saved from one of its projects."""

    class Created(Aggregate.Created):
        organisation_id: UUID
        source_project_id: UUID | None
        definition: dict[str, Any]
        meta: dict[str, str]

    @event(Created)
    def __init__(
        self,
        *,
        organisation_id: UUID,
        source_project_id: UUID | None,
        definition: dict[str, Any],
        meta: dict[str, str],
    ) -> None:
        self.organisation_id = organisation_id
        self.source_project_id = source_project_id
        self.record = dict(definition)

    @classmethod
    def save_definition(
        cls,
        *,
        organisation_id: UUID,
        source_project_id: UUID | None,
        definition: TemplateDefinition,
        meta: dict[str, str],
    ) -> Template:
        check_definition(definition)
        return cls(
            organisation_id=organisation_id,
            source_project_id=source_project_id,
            definition=definition.to_record(),
            meta=meta,
        )

    @property
    def definition(self) -> TemplateDefinition:
        return TemplateDefinition.from_record(str(self.id), self.record)
