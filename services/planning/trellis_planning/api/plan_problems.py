"""How the plan's routes turn what went wrong into a problem answer: which rule, in words.

| what went wrong                                         | status | title                    |
|---------------------------------------------------------|--------|--------------------------|
| the addressed project/task/... is not in the caller's organisation | 404 | Not found      |
| a task that is not the caller's (planners edit their own) | 403  | Forbidden                |
| an id in the body that is unknown in the organisation   | 422    | Unknown reference        |
| a dependency cycle, cross-project link or duplicate     | 422    | Dependency rejected      |
| a workflow transition not allowed                       | 422    | Workflow rule broken     |
| a name not matching the naming rule                     | 422    | Naming rule broken       |
| a custom field value of the wrong type, a missing required one | 422 | Invalid custom field value |
| a date outside the project                              | 422    | Date outside the project |
| any other rule of the plan                              | 422    | Planning rule broken     |
| a concurrent change kept winning                        | 409    | Conflict                 |
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import RecordConflictError

from trellis_planning.application.dependencies import DependencyCycleRefused
from trellis_planning.application.plan_access import NotYourTask, UnknownReference
from trellis_planning.domain.errors import PlanningRuleBroken, ProjectNotFound
from trellis_planning.domain.plan_errors import (
    CustomFieldInvalid,
    DateOutsideProject,
    DependencyRejected,
    NamingRuleBroken,
    NotInOrganisation,
    WorkflowRuleBroken,
)
from trellis_planning.domain.scheduling import DependencyCycle
from trellis_platform.problems import Problem

_TITLES: tuple[tuple[type[PlanningRuleBroken], str], ...] = (
    (UnknownReference, "Unknown reference"),
    (DependencyRejected, "Dependency rejected"),
    (DependencyCycle, "Dependency rejected"),
    (WorkflowRuleBroken, "Workflow rule broken"),
    (NamingRuleBroken, "Naming rule broken"),
    (CustomFieldInvalid, "Invalid custom field value"),
    (DateOutsideProject, "Date outside the project"),
)


@contextmanager
def plan_problems() -> Iterator[None]:
    try:
        yield
    except (NotInOrganisation, ProjectNotFound) as missing:
        detail = (
            f"No project {missing} in this organisation."
            if isinstance(missing, ProjectNotFound)
            else str(missing)
        )
        raise Problem(404, "Not found", detail) from None
    except NotYourTask as refused:
        raise Problem(403, "Forbidden", str(refused)) from None
    except PlanningRuleBroken as broken:
        raise Problem(422, _title(broken), str(broken), errors=_errors(broken)) from None
    except RecordConflictError:
        raise Problem(
            409,
            "Conflict",
            "The plan was changed by others at the same time, again and again; "
            "nothing was saved. Retry the request.",
        ) from None


def _title(broken: PlanningRuleBroken) -> str:
    for kind, title in _TITLES:
        if isinstance(broken, kind):
            return title
    return "Planning rule broken"


def _errors(broken: PlanningRuleBroken) -> list[dict[str, Any]] | None:
    if isinstance(broken, DependencyCycleRefused):
        return [
            {"location": "cycle", "message": " -> ".join(str(i) for i in [*broken.cycle, broken.cycle[0]])}
        ]
    return None
