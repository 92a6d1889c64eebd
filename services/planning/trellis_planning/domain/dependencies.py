"""Dependencies between a project's tasks: which are allowed before anything is scheduled.

Any dependency, whatever its type, orders its predecessor before its successor for the
scheduler, so a loop through any mix of types is a cycle and is refused, named.
The same predecessor, successor and type twice is a duplicate; an SS and an FF between
the same pair are two dependencies (a common way to overlap work).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from uuid import UUID

from trellis_planning.domain.plan_errors import DependencyRejected
from trellis_planning.domain.scheduling import DependencyCycle, DependencyType

MAX_LAG_DAYS = 1_000


def dependency_type(value: str) -> DependencyType:
    try:
        return DependencyType(value)
    except ValueError:
        raise DependencyRejected(f"A dependency type is FS, SS, FF or SF, not {value!r}.") from None


def check_dependency(
    existing: Iterable[Mapping[str, Any]], predecessor_id: UUID, successor_id: UUID, type_: str, lag_days: int
) -> None:
    dependency_type(type_)
    if abs(lag_days) > MAX_LAG_DAYS:
        raise DependencyRejected(f"A lag or lead is at most {MAX_LAG_DAYS} working days, not {lag_days}.")
    if predecessor_id == successor_id:
        raise DependencyRejected(f"Task {predecessor_id} cannot depend on itself.")
    links = list(existing)
    for link in links:
        if (link["predecessor_id"], link["successor_id"], link["type"]) == (
            predecessor_id,
            successor_id,
            type_,
        ):
            raise DependencyRejected(f"Task {successor_id} already depends {type_} on task {predecessor_id}.")
    path = _path(links, successor_id, predecessor_id)
    if path is not None:
        raise DependencyCycle([str(predecessor_id), *(str(step) for step in path[:-1])])


def _path(links: list[Mapping[str, Any]], start: UUID, goal: UUID) -> list[UUID] | None:
    """A chain of tasks from ``start`` to ``goal`` following dependencies, or None."""
    successors: dict[UUID, list[UUID]] = {}
    for link in links:
        successors.setdefault(link["predecessor_id"], []).append(link["successor_id"])
    came_from: dict[UUID, UUID | None] = {start: None}
    frontier = [start]
    while frontier:
        current = frontier.pop()
        if current == goal:
            chain = [current]
            while (previous := came_from[chain[-1]]) is not None:
                chain.append(previous)
            return chain[::-1]
        for following in successors.get(current, []):
            if following not in came_from:
                came_from[following] = current
                frontier.append(following)
    return None
