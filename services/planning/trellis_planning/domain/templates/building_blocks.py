"""Shorthand for writing templates: tasks in hours and working days, finish-to-start chains."""

from __future__ import annotations

import itertools

from trellis_planning.domain.template import DependencySpec, TaskSpec


def task(
    key: str,
    title: str,
    milestone: str,
    *,
    days: int,
    hours: int,
    tags: tuple[str, ...] = (),
    priority: str = "normal",
    offset: int | None = None,
    parent: str | None = None,
) -> TaskSpec:
    return TaskSpec(
        key=key,
        title=title,
        milestone=milestone,
        parent=parent,
        offset_days=offset,
        duration_days=days,
        estimate_minutes=hours * 60,
        priority=priority,
        tags=tags,
    )


def after(predecessor: str, *successors: str, lag: int = 0) -> list[DependencySpec]:
    """Each successor starts once ``predecessor`` finished (plus ``lag`` working days)."""
    return [DependencySpec(predecessor, s, "FS", lag) for s in successors]


def chain(*keys: str) -> list[DependencySpec]:
    return [DependencySpec(a, b, "FS", 0) for a, b in itertools.pairwise(keys)]


def together(predecessor: str, successor: str, lag: int = 0) -> DependencySpec:
    """The successor starts ``lag`` working days after the predecessor starts (start-to-start)."""
    return DependencySpec(predecessor, successor, "SS", lag)


def finish_with(predecessor: str, successor: str, lag: int = 0) -> DependencySpec:
    """The successor finishes no earlier than ``lag`` days after the predecessor (finish-to-finish)."""
    return DependencySpec(predecessor, successor, "FF", lag)
