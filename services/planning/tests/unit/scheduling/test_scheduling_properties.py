"""Properties of every schedule, on random networks and random calendars.

Projects: up to 12 activities (milestones included) with random resources and
start-no-earlier-than dates, every kind of dependency with lags and leads, on calendars with
random weekends, holidays and resource days off. The checks use only the calendar's public
arithmetic, never the engine's internals:

- a predecessor's *finish boundary* is the first working day after its last day of work (a
  milestone's own day), so FS lag L means: successor start >= the L-th working day from the
  predecessor's finish boundary; SS, FF and SF likewise with the start and finish boundaries.
"""

from __future__ import annotations

import graphlib
import itertools
from dataclasses import dataclass, replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trellis_planning.domain.scheduling import (
    Activity,
    Dependency,
    DependencyCycle,
    DependencyType,
    Schedule,
    ScheduledActivity,
    WorkingCalendar,
    moved,
    schedule,
)

PROPERTY = settings(deadline=None, max_examples=100)
BASE = date(2026, 1, 5)
RESOURCES = ("ana", "ben", "cy")
TYPES = tuple(DependencyType)
days_near = st.integers(-7, 60).map(lambda n: BASE + timedelta(days=n))


@dataclass(frozen=True)
class Project:
    activities: tuple[Activity, ...]
    dependencies: tuple[Dependency, ...]
    calendar: WorkingCalendar
    start: date
    deadline: date | None = None

    def run(self, activities: tuple[Activity, ...] | None = None) -> Schedule:
        chosen = self.activities if activities is None else activities
        return schedule(chosen, self.dependencies, self.calendar, self.start, self.deadline)

    def activity(self, activity_id: str) -> Activity:
        return next(a for a in self.activities if a.id == activity_id)

    @property
    def constrained(self) -> bool:
        return self.deadline is not None or any(a.finish_no_later_than for a in self.activities)

    def descendants(self, activity_id: str) -> set[str]:
        found, frontier = set(), [activity_id]
        while frontier:
            current = frontier.pop()
            for d in self.dependencies:
                if d.predecessor == current and d.successor not in found:
                    found.add(d.successor)
                    frontier.append(d.successor)
        return found


@st.composite
def calendars(draw: st.DrawFn) -> WorkingCalendar:
    weekend = draw(st.frozensets(st.integers(0, 6), max_size=3))
    holidays = draw(st.frozensets(days_near, max_size=20))
    days_off = draw(st.dictionaries(st.sampled_from(RESOURCES), st.frozensets(days_near, max_size=20)))
    return WorkingCalendar(weekend, holidays, days_off)


@st.composite
def projects(draw: st.DrawFn, constraints: bool = False) -> Project:
    size = draw(st.integers(1, 12))
    names = draw(st.permutations([f"a{k}" for k in range(size)]))  # topological rank -> id
    activities = [
        Activity(
            names[k],
            draw(st.integers(0, 6)),
            tuple(draw(st.lists(st.sampled_from(RESOURCES), max_size=2, unique=True))),
            draw(st.none() | days_near),
            draw(st.none() | days_near) if constraints else None,
        )
        for k in range(size)
    ]
    rank = st.integers(0, size - 1)
    link = st.tuples(rank, rank, st.sampled_from(TYPES), st.integers(-3, 4))
    links = draw(st.lists(link, max_size=3 * size))
    seen: set[tuple[int, int, DependencyType]] = set()
    dependencies = []
    for a, b, kind, lag in links:
        if a < b and (a, b, kind) not in seen:  # edges follow the rank, so the network is acyclic
            seen.add((a, b, kind))
            dependencies.append(Dependency(names[a], names[b], kind, lag))
    listed = draw(st.permutations(activities))  # listed in an order unrelated to the rank
    deadline = draw(st.none() | days_near) if constraints else None
    return Project(tuple(listed), tuple(dependencies), draw(calendars()), draw(days_near), deadline)


# What the calendar says an activity's dates mean.


def finish_of(project: Project, start: date, activity: Activity) -> date:
    if activity.duration == 0:
        return start
    return project.calendar.add_working_days(start, activity.duration - 1, activity.resources)


def boundary(project: Project, finish: date, activity: Activity) -> date:
    """The first working day after the work (a milestone's own day)."""
    return finish if activity.duration == 0 else project.calendar.add_working_days(finish, 1)


def allows(
    project: Project, dependency: Dependency, before: tuple[date, date], after: tuple[date, date]
) -> bool:
    """Whether successor dates ``after`` (start, finish boundary) respect ``dependency`` on
    predecessor dates ``before`` (start, finish boundary)."""
    shift = project.calendar.add_working_days
    lag = dependency.lag
    if dependency.type is DependencyType.FS:
        return after[0] >= shift(before[1], lag)
    if dependency.type is DependencyType.SS:
        return after[0] >= shift(before[0], lag)
    if dependency.type is DependencyType.FF:
        return after[1] >= shift(before[1], lag)
    return after[1] >= shift(before[0], lag)


def early_dates(project: Project, entry: ScheduledActivity) -> tuple[date, date]:
    return entry.early_start, boundary(project, entry.early_finish, project.activity(entry.id))


def late_dates(project: Project, entry: ScheduledActivity) -> tuple[date, date]:
    return entry.late_start, boundary(project, entry.late_finish, project.activity(entry.id))


def delayed(project: Project, activity_id: str, start: date) -> tuple[Activity, ...]:
    return tuple(
        replace(a, start_no_earlier_than=start) if a.id == activity_id else a for a in project.activities
    )


# The properties.


@PROPERTY
@given(projects(constraints=True))
def test_successors_never_start_or_finish_before_a_dependency_allows(project: Project) -> None:
    result = project.run()
    for d in project.dependencies:
        before, after = result.entries[d.predecessor], result.entries[d.successor]
        assert allows(project, d, early_dates(project, before), early_dates(project, after)), d
        assert allows(project, d, late_dates(project, before), late_dates(project, after)), d


@PROPERTY
@given(projects(constraints=True))
def test_activities_work_their_duration_on_their_own_working_days(project: Project) -> None:
    result = project.run()
    for activity in project.activities:
        entry = result.entries[activity.id]
        for start, finish in ((entry.early_start, entry.early_finish), (entry.late_start, entry.late_finish)):
            assert project.calendar.is_working_day(start, activity.resources)
            assert finish == finish_of(project, start, activity)
        assert entry.early_start >= max(project.start, activity.start_no_earlier_than or project.start)


@PROPERTY
@given(projects(constraints=True))
def test_every_activity_starts_as_early_as_it_may(project: Project) -> None:
    """One working day earlier would break the project start, its own start-no-earlier-than
    date, or a dependency on a predecessor's early dates."""
    result = project.run()
    for activity in project.activities:
        entry = result.entries[activity.id]
        earlier = project.calendar.add_working_days(entry.early_start, -1, activity.resources)
        if earlier < max(project.start, activity.start_no_earlier_than or project.start):
            continue
        dates = (earlier, boundary(project, finish_of(project, earlier, activity), activity))
        assert any(
            not allows(project, d, early_dates(project, result.entries[d.predecessor]), dates)
            for d in project.dependencies
            if d.successor == activity.id
        ), activity.id


@PROPERTY
@given(projects(constraints=True))
def test_every_activity_starts_as_late_as_it_may(project: Project) -> None:
    """One working day later would finish after the project finish, the deadline or its own
    finish-no-later-than date, or break a dependency on a successor's late dates."""
    result = project.run()
    for activity in project.activities:
        entry = result.entries[activity.id]
        later = project.calendar.add_working_days(entry.late_start, 1, activity.resources)
        finish = finish_of(project, later, activity)
        caps = [result.project_finish, project.deadline, activity.finish_no_later_than]
        if finish > min(c for c in caps if c is not None):
            continue
        dates = (later, boundary(project, finish, activity))
        assert any(
            not allows(project, d, dates, late_dates(project, result.entries[d.successor]))
            for d in project.dependencies
            if d.predecessor == activity.id
        ), activity.id


@PROPERTY
@given(projects())
def test_without_deadlines_float_is_never_negative_and_the_critical_have_none(project: Project) -> None:
    result = project.run()
    for activity in project.activities:
        entry = result.entries[activity.id]
        assert entry.total_float == project.calendar.working_days_between(
            entry.early_start, entry.late_start, activity.resources
        )
        assert 0 <= entry.free_float <= entry.total_float
        assert entry.critical == (entry.total_float == 0)
    assert result.critical == {a for a, e in result.entries.items() if e.critical}
    path = result.critical_path
    assert path
    assert set(path) <= result.critical
    assert result.entries[path[-1]].early_finish == result.project_finish
    linked = {(d.predecessor, d.successor) for d in project.dependencies}
    assert all(pair in linked for pair in itertools.pairwise(path))


@PROPERTY
@given(projects(constraints=True))
def test_only_a_deadline_or_finish_constraint_makes_float_negative(project: Project) -> None:
    result = project.run()
    for entry in result.entries.values():
        assert entry.free_float <= entry.total_float
        assert entry.critical == (entry.total_float <= 0)
    if any(e.total_float < 0 for e in result.entries.values()):
        assert project.constrained
    least = min(e.total_float for e in result.entries.values())
    assert {result.entries[a].total_float for a in result.critical_path} == {least}


@PROPERTY
@given(projects(constraints=True))
def test_rescheduling_is_deterministic_and_idempotent(project: Project) -> None:
    """Pinning every activity at its early start changes nothing."""
    result = project.run()
    assert project.run() == result
    pinned = tuple(
        replace(a, start_no_earlier_than=result.entries[a.id].early_start) for a in project.activities
    )
    assert project.run(pinned) == result


@PROPERTY
@given(projects(), st.data())
def test_slipping_an_activity_by_its_free_float_moves_nothing_else(
    project: Project, data: st.DataObject
) -> None:
    result = project.run()
    activity = data.draw(st.sampled_from(project.activities))
    entry = result.entries[activity.id]
    later = project.calendar.add_working_days(entry.early_start, entry.free_float, activity.resources)
    after = project.run(delayed(project, activity.id, later))
    assert after.entries[activity.id].early_start == later
    assert after.project_finish == result.project_finish
    assert [m.activity_id for m in moved(result, after)] in ([], [activity.id])


@PROPERTY
@given(projects(), st.data())
def test_slipping_an_activity_by_its_total_float_keeps_the_finish_and_one_more_day_does_not(
    project: Project, data: st.DataObject
) -> None:
    result = project.run()
    activity = data.draw(st.sampled_from(project.activities))
    entry = result.entries[activity.id]
    shift = project.calendar.add_working_days
    within = shift(entry.early_start, entry.total_float, activity.resources)
    assert project.run(delayed(project, activity.id, within)).project_finish == result.project_finish
    beyond = shift(entry.early_start, entry.total_float + 1, activity.resources)
    assert project.run(delayed(project, activity.id, beyond)).project_finish > result.project_finish


@PROPERTY
@given(projects(), st.data())
def test_moving_an_activity_moves_only_it_and_its_successors_and_only_later(
    project: Project, data: st.DataObject
) -> None:
    result = project.run()
    activity = data.draw(st.sampled_from(project.activities))
    days = data.draw(st.integers(1, 15))
    start = result.entries[activity.id].early_start
    later = project.calendar.add_working_days(start, days, activity.resources)
    moves = moved(result, project.run(delayed(project, activity.id, later)))
    assert {m.activity_id for m in moves} <= {activity.id} | project.descendants(activity.id)
    assert activity.id in {m.activity_id for m in moves}
    for m in moves:
        assert m.new_start >= m.old_start
        assert m.new_finish >= m.old_finish
        assert m.shift_days > 0


@st.composite
def any_networks(draw: st.DrawFn) -> tuple[list[Activity], list[Dependency]]:
    size = draw(st.integers(1, 8))
    names = [f"n{k}" for k in range(size)]
    pairs = draw(
        st.lists(st.tuples(st.sampled_from(names), st.sampled_from(names)).filter(lambda p: p[0] != p[1]),
                 unique=True, max_size=14)
    )
    kinds = draw(st.lists(st.sampled_from(TYPES), min_size=len(pairs), max_size=len(pairs)))
    dependencies = [Dependency(a, b, kind) for (a, b), kind in zip(pairs, kinds, strict=True)]
    return [Activity(n, 1) for n in names], dependencies


@PROPERTY
@given(any_networks())
def test_cycles_are_always_found_and_the_named_cycle_is_real(
    network: tuple[list[Activity], list[Dependency]],
) -> None:
    activities, dependencies = network
    graph: dict[str, set[str]] = {a.id: set() for a in activities}
    for d in dependencies:
        graph[d.successor].add(d.predecessor)
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError:
        with pytest.raises(DependencyCycle) as refused:
            schedule(activities, dependencies, WorkingCalendar(), BASE)
        cycle = refused.value.cycle
        assert len(set(cycle)) == len(cycle) >= 2
        edges = {(d.predecessor, d.successor) for d in dependencies}
        assert all((a, b) in edges for a, b in zip(cycle, cycle[1:] + cycle[:1], strict=True))
        assert str(refused.value).endswith(" -> ".join((*cycle, cycle[0])))
    else:
        schedule(activities, dependencies, WorkingCalendar(), BASE)
