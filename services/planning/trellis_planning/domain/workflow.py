"""An organisation's task workflow: its statuses, their categories, the allowed moves.

Every status belongs to one category (to do, in progress, done): progress, milestone
completion and the board read the category, so an organisation may name its statuses
as it likes. A move not listed in ``transitions`` is refused, and the refusal names the
workflow, the move and the moves that are allowed. A status once defined is never
removed (tasks may sit in it): it can be retired, and nothing new enters it.
Each status doubles as a board column; its ``wip_limit`` warns when exceeded.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from trellis_planning.domain.plan_errors import WorkflowRuleBroken

KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
MAX_STATUSES = 30
DEFAULT_WORKFLOW_ID = "default"


class StatusCategory(StrEnum):
    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"


@dataclass(frozen=True)
class Status:
    key: str
    name: str
    category: StatusCategory
    wip_limit: int | None = None
    retired: bool = False

    def to_record(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "category": self.category.value,
            "wip_limit": self.wip_limit,
            "retired": self.retired,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Status:
        return cls(
            key=record["key"],
            name=record["name"],
            category=StatusCategory(record["category"]),
            wip_limit=record.get("wip_limit"),
            retired=bool(record.get("retired", False)),
        )


@dataclass(frozen=True)
class Workflow:
    id: str
    name: str
    statuses: tuple[Status, ...]
    transitions: tuple[tuple[str, str], ...]
    initial: str

    def status(self, key: str) -> Status:
        for status in self.statuses:
            if status.key == key:
                return status
        known = ", ".join(repr(s.key) for s in self.statuses)
        raise WorkflowRuleBroken(f"Workflow '{self.name}' has no status {key!r}; its statuses are {known}.")

    def allowed_from(self, key: str) -> list[str]:
        return [to for frm, to in self.transitions if frm == key and not self.status(to).retired]

    def check_transition(self, from_key: str, to_key: str) -> Status:
        """The status moved to, if the workflow allows the move; otherwise the rule is named."""
        target = self.status(to_key)
        if from_key == to_key:
            return target
        source = self.status(from_key)
        if target.retired:
            raise WorkflowRuleBroken(f"Workflow '{self.name}': status '{target.name}' is retired.")
        if (from_key, to_key) not in self.transitions:
            allowed = ", ".join(f"'{self.status(k).name}'" for k in self.allowed_from(from_key)) or "nothing"
            raise WorkflowRuleBroken(
                f"Workflow '{self.name}' does not allow '{source.name}' -> '{target.name}'; "
                f"from '{source.name}' a task may move to: {allowed}."
            )
        return target

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "statuses": [s.to_record() for s in self.statuses],
            "transitions": [list(t) for t in self.transitions],
            "initial": self.initial,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Workflow:
        return cls(
            id=record["id"],
            name=record["name"],
            statuses=tuple(Status.from_record(s) for s in record["statuses"]),
            transitions=tuple((str(a), str(b)) for a, b in record["transitions"]),
            initial=record["initial"],
        )


def new_workflow(
    *,
    workflow_id: str,
    name: str,
    statuses: list[Status],
    transitions: Mapping[str, list[str]],
    initial: str | None = None,
    previous: Workflow | None = None,
) -> Workflow:
    """A checked workflow; ``previous`` is the version it replaces (its statuses must stay)."""
    if not KEY.fullmatch(workflow_id):
        raise WorkflowRuleBroken(
            f"Workflow id {workflow_id!r} must be 1-40 lowercase letters, digits, '_' or '-'."
        )
    name = name.strip()
    if not name or len(name) > 100:
        raise WorkflowRuleBroken("A workflow name has 1 to 100 characters.")
    _check_statuses(statuses)
    keys = [s.key for s in statuses]
    if previous is not None:
        dropped = [s.key for s in previous.statuses if s.key not in keys]
        if dropped:
            raise WorkflowRuleBroken(
                f"Workflow '{name}' cannot drop statuses {dropped}: tasks may be in them; retire them."
            )
    pairs: list[tuple[str, str]] = []
    for source, targets in transitions.items():
        for target in targets:
            for key in (source, target):
                if key not in keys:
                    raise WorkflowRuleBroken(f"Workflow '{name}': a transition names unknown status {key!r}.")
            if source != target and (source, target) not in pairs:
                pairs.append((source, target))
    live = [s for s in statuses if not s.retired]
    start = initial or next((s.key for s in live if s.category == StatusCategory.TODO), None)
    if start is None or start not in [s.key for s in live]:
        raise WorkflowRuleBroken(f"Workflow '{name}' needs an initial status that is not retired.")
    return Workflow(
        id=workflow_id, name=name, statuses=tuple(statuses), transitions=tuple(pairs), initial=start
    )


def _check_statuses(statuses: list[Status]) -> None:
    if not statuses or len(statuses) > MAX_STATUSES:
        raise WorkflowRuleBroken(f"A workflow has 1 to {MAX_STATUSES} statuses.")
    keys = [s.key for s in statuses]
    names = [s.name.strip().casefold() for s in statuses]
    if len(set(keys)) != len(keys) or len(set(names)) != len(names):
        raise WorkflowRuleBroken("A workflow's status keys and names must be distinct.")
    for status in statuses:
        if not KEY.fullmatch(status.key):
            raise WorkflowRuleBroken(
                f"Status key {status.key!r} must be 1-40 lowercase letters, digits, '_' or '-'."
            )
        if not status.name.strip() or len(status.name) > 60:
            raise WorkflowRuleBroken(f"Status {status.key!r} needs a name of 1 to 60 characters.")
        if status.wip_limit is not None and status.wip_limit < 1:
            raise WorkflowRuleBroken(f"Status {status.key!r}: a WIP limit is at least 1.")
    if not any(s.category == StatusCategory.DONE and not s.retired for s in statuses):
        raise WorkflowRuleBroken("A workflow needs at least one status in the 'done' category.")


def status(key: str, name: str, category: StatusCategory, wip_limit: int | None = None) -> Status:
    return Status(key=key, name=name, category=category, wip_limit=wip_limit)


DEFAULT_WORKFLOW = new_workflow(
    workflow_id=DEFAULT_WORKFLOW_ID,
    name="Standard",
    statuses=[
        status("todo", "To do", StatusCategory.TODO),
        status("in_progress", "In progress", StatusCategory.IN_PROGRESS),
        status("done", "Done", StatusCategory.DONE),
    ],
    transitions={"todo": ["in_progress", "done"], "in_progress": ["todo", "done"], "done": ["in_progress"]},
)
