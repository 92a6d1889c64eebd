"""The critical path method over working calendars.

Conventions (all dates are working days; all day counts are working days):

- An activity occupies whole working days, inclusive at both ends: one of duration d >= 1
  starting on S finishes on the d-th working day counting S as the first, so a one-day
  activity starts and finishes on the same day. Its days are working days of the project
  calendar and of every one of its resources (see ``calendar``).
- A milestone (duration 0) takes no time. It happens at the start of a working day, and its
  start and finish are that day.
- Underneath, the engine places every activity on the working-day index of the project
  calendar as a half-open interval of instants: it starts at the beginning of its first day
  and finishes at the beginning of the working day after its last (a milestone starts and
  finishes at the same instant). Dependencies compare those instants, the lag counting
  working days of the project calendar:

  - FS: successor start >= predecessor finish + lag. With lag 0 the successor starts at the
    earliest on the next working day after the predecessor's finish (on the milestone's own
    day when the predecessor is a milestone); lag 2 leaves two working days between them;
    lag -1 (a one-day lead) lets the successor start on the predecessor's last day.
  - SS: successor start >= predecessor start + lag (lag 0: the same day at the earliest).
  - FF: successor finish >= predecessor finish + lag (lag 0, between two tasks: the same
    last day at the earliest).
  - SF: successor finish >= predecessor start + lag (lag 0: the successor's last day is at
    the earliest the working day before the predecessor's first).

  An activity with resources then moves to the first instant its resources work (forward
  pass) or the last (backward pass).
- The forward pass gives early start and finish: as early as the dependencies allow, never
  before ``project_start`` or the activity's ``start_no_earlier_than``. The project finish
  date is the latest early finish. The backward pass gives late start and finish: as late
  as the successors' late dates allow without finishing after the project finish date, nor
  after ``project_deadline`` or the activity's ``finish_no_later_than`` when those are
  earlier. So a deadline the schedule meets adds no float, and one it misses makes float
  negative by the miss: only those two constraints ever make float negative.
- Total float is the working days (of the activity's own calendar) from early to late start.
  Free float is the working days it can slip without moving any successor's early dates or
  the project finish date, never more than its total float. An activity is critical when
  its total float is <= 0. ``critical_path`` is one chain of the most critical activities
  (those with the smallest total float) linked by driving dependencies (ones that set the
  successor's early date exactly), in order, ending with the one that finishes last.

Textbook examples count time in integer units from 0, an activity occupying [ES, EF). To
reproduce one, schedule on a calendar where every day works (``weekend_days=frozenset()``,
no holidays) with ``project_start`` as day 0, and map times to days: a start time t is day
t, a finish time t is day t - 1 (the last day of work), and a milestone at time t is day t
for both. ES, EF, LS, LF and total float then match the book's numbers under that mapping.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from trellis_planning.domain.scheduling.calendar import DaysOff, WorkingCalendar
from trellis_planning.domain.scheduling.errors import (
    DependencyCycle,
    DuplicateActivity,
    DuplicateDependency,
    SelfDependency,
    UnknownActivity,
)
from trellis_planning.domain.scheduling.model import Activity, Dependency, DependencyType

_FS, _SS, _FF, _SF = 0, 1, 2, 3
_KINDS = {DependencyType.FS: _FS, DependencyType.SS: _SS, DependencyType.FF: _FF, DependencyType.SF: _SF}
_NEVER = -(1 << 62)
_ALWAYS = 1 << 62
# A window of working days is walked once when it spans at most this many days per
# activity (plus a fixed allowance); wider ones (far deadlines) are searched per index.
_WINDOW_PER_ACTIVITY = 8
_WINDOW_SLACK = 5_000

# One dependency, shared by both ends' lists: (predecessor position, successor position,
# kind, lag).
_Link = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class ScheduledActivity:
    id: str
    early_start: date
    early_finish: date
    late_start: date
    late_finish: date
    total_float: int
    free_float: int
    critical: bool


@dataclass(frozen=True)
class Schedule:
    project_start: date
    project_finish: date
    """The latest early finish of any activity (``project_start`` when there are none)."""
    entries: Mapping[str, ScheduledActivity]
    """Every activity, in the order given."""
    critical_path: tuple[str, ...]
    critical: frozenset[str]
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    """The calendar the schedule was computed on."""


@dataclass(frozen=True, slots=True)
class _Network:
    ids: tuple[str, ...]
    predecessors: list[list[_Link]]
    successors: list[list[_Link]]


def schedule(
    activities: Sequence[Activity],
    dependencies: Sequence[Dependency],
    calendar: WorkingCalendar,
    project_start: date,
    project_deadline: date | None = None,
) -> Schedule:
    """Early and late dates, floats and the critical path of ``activities``.

    Raises ``DuplicateActivity``, ``UnknownActivity``, ``SelfDependency``,
    ``DuplicateDependency`` or ``DependencyCycle`` (naming the cycle) when the network
    cannot be scheduled at all.
    """
    network = _network(activities, dependencies)
    order = _topological_order(network)
    count = len(activities)
    predecessors = network.predecessors
    successors = network.successors

    durations = [a.duration for a in activities]
    days_off = _days_off(activities, calendar)
    start_index = calendar.index_on_or_after(project_start)
    floors = [
        start_index
        if a.start_no_earlier_than is None
        else max(start_index, calendar.index_on_or_after(a.start_no_earlier_than))
        for a in activities
    ]

    early_start = [0] * count
    early_finish = [0] * count
    for i in order:
        lowest_start = floors[i]
        lowest_finish = _NEVER
        for other, _, kind, lag in predecessors[i]:
            if kind == _FS:
                bound = early_finish[other] + lag
                if bound > lowest_start:
                    lowest_start = bound
            elif kind == _SS:
                bound = early_start[other] + lag
                if bound > lowest_start:
                    lowest_start = bound
            elif kind == _FF:
                bound = early_finish[other] + lag
                if bound > lowest_finish:
                    lowest_finish = bound
            else:
                bound = early_start[other] + lag
                if bound > lowest_finish:
                    lowest_finish = bound
        duration = durations[i]
        off = days_off[i]
        if off is None:
            # The project calendar: instants are plain working-day indexes.
            start = lowest_finish - duration
            if start < lowest_start:
                start = lowest_start
            early_start[i] = start
            early_finish[i] = start + duration
        else:
            start = _earliest_start(lowest_start, lowest_finish, duration, off)
            early_start[i] = start
            early_finish[i] = _finish(start, duration, off)

    # The index of the project's finish date: the last day of work, or a final milestone's day.
    project_last = max(
        (f - 1 if d else f for f, d in zip(early_finish, durations, strict=True)), default=start_index
    )
    caps = _finish_caps(activities, calendar, project_last, project_deadline)

    late_start = [0] * count
    late_finish = [0] * count
    total_float = [0] * count
    free_float = [0] * count
    for i in reversed(order):
        highest_start = _ALWAYS
        highest_finish = caps[i]
        free_start = _ALWAYS
        free_finish = project_last + 1 if durations[i] else project_last
        for _, other, kind, lag in successors[i]:
            if kind == _FS:
                bound = late_start[other] - lag
                if bound < highest_finish:
                    highest_finish = bound
                bound = early_start[other] - lag
                if bound < free_finish:
                    free_finish = bound
            elif kind == _SS:
                bound = late_start[other] - lag
                if bound < highest_start:
                    highest_start = bound
                bound = early_start[other] - lag
                if bound < free_start:
                    free_start = bound
            elif kind == _FF:
                bound = late_finish[other] - lag
                if bound < highest_finish:
                    highest_finish = bound
                bound = early_finish[other] - lag
                if bound < free_finish:
                    free_finish = bound
            else:
                bound = late_finish[other] - lag
                if bound < highest_start:
                    highest_start = bound
                bound = early_finish[other] - lag
                if bound < free_start:
                    free_start = bound
        duration = durations[i]
        off = days_off[i]
        early = early_start[i]
        if off is None:
            start = highest_finish - duration
            if start > highest_start:
                start = highest_start
            late_start[i] = start
            late_finish[i] = start + duration
            slack = start - early
            latest_free = free_finish - duration
            if latest_free > free_start:
                latest_free = free_start
            free = latest_free - early
        else:
            start = _latest_start(highest_start, highest_finish, duration, off)
            late_start[i] = start
            late_finish[i] = _finish(start, duration, off)
            early_rank = off.rank(early)
            slack = off.rank(start) - early_rank
            free = off.rank(_latest_start(free_start, free_finish, duration, off)) - early_rank
        total_float[i] = slack
        free_float[i] = free if free < slack else slack

    return _assemble(
        activities,
        network,
        calendar,
        project_start,
        project_last,
        durations,
        (early_start, early_finish, late_start, late_finish),
        total_float,
        free_float,
    )


def _network(activities: Sequence[Activity], dependencies: Sequence[Dependency]) -> _Network:
    position: dict[str, int] = {}
    for i, activity in enumerate(activities):
        if activity.id in position:
            raise DuplicateActivity(activity.id)
        position[activity.id] = i
    # Build first and look for what is wrong only if something is: the usual case stays fast.
    try:
        links = [
            (position[d.predecessor], position[d.successor], _KINDS[d.type], d.lag) for d in dependencies
        ]
    except KeyError:
        _refuse(position, dependencies)
        raise
    count = len(activities)
    distinct = {(kind * count + before) * count + after for before, after, kind, _ in links}
    if len(distinct) < len(links) or any(before == after for before, after, _, _ in links):
        _refuse(position, dependencies)
    predecessors: list[list[_Link]] = [[] for _ in activities]
    successors: list[list[_Link]] = [[] for _ in activities]
    for link in links:
        predecessors[link[1]].append(link)
        successors[link[0]].append(link)
    return _Network(tuple(a.id for a in activities), predecessors, successors)


def _refuse(position: Mapping[str, int], dependencies: Sequence[Dependency]) -> None:
    """Raise for the first dependency, in the order given, that names an unknown activity,
    ties an activity to itself or repeats an earlier one."""
    seen: set[tuple[str, str, DependencyType]] = set()
    for d in dependencies:
        for activity_id in (d.predecessor, d.successor):
            if activity_id not in position:
                raise UnknownActivity(activity_id)
        if d.predecessor == d.successor:
            raise SelfDependency(d.predecessor)
        if (d.predecessor, d.successor, d.type) in seen:
            raise DuplicateDependency(d.predecessor, d.successor, d.type)
        seen.add((d.predecessor, d.successor, d.type))


def _topological_order(network: _Network) -> list[int]:
    """Kahn's algorithm, ties in the order given; raises DependencyCycle naming one cycle."""
    waiting = [len(links) for links in network.predecessors]
    ready = deque(i for i, count in enumerate(waiting) if count == 0)
    order: list[int] = []
    successors = network.successors
    while ready:
        i = ready.popleft()
        order.append(i)
        for _, other, _, _ in successors[i]:
            waiting[other] -= 1
            if waiting[other] == 0:
                ready.append(other)
    if len(order) < len(waiting):
        raise DependencyCycle(_a_cycle(network, waiting))
    return order


def _a_cycle(network: _Network, waiting: list[int]) -> tuple[str, ...]:
    """Walk back from an unordered activity through unordered predecessors until one repeats.

    Every activity Kahn's algorithm left unordered still waits on an unordered predecessor,
    so the walk always continues, and ends on a cycle.
    """
    current = next(i for i, count in enumerate(waiting) if count > 0)
    walked: list[int] = []
    step_of: dict[int, int] = {}
    while current not in step_of:
        step_of[current] = len(walked)
        walked.append(current)
        current = next(other for other, _, _, _ in network.predecessors[current] if waiting[other] > 0)
    # walked[k + 1] precedes walked[k], and current == walked[j] precedes walked[-1].
    loop = walked[step_of[current] :][::-1]
    first = loop.index(min(loop))
    return tuple(network.ids[i] for i in loop[first:] + loop[:first])


def _days_off(activities: Sequence[Activity], calendar: WorkingCalendar) -> list[DaysOff | None]:
    """Each activity's days off beyond the project calendar's, None when it has none."""
    by_resources: dict[tuple[str, ...], DaysOff | None] = {(): None}
    days_off: list[DaysOff | None] = []
    for activity in activities:
        resources = activity.resources
        try:
            days_off.append(by_resources[resources])
        except KeyError:
            found = by_resources[resources] = calendar.days_off_for(resources)
            days_off.append(found)
    return days_off


def _finish(start: int, duration: int, off: DaysOff | None) -> int:
    if off is None or duration == 0:
        return start + duration
    return off.finish_after(start, duration)


def _earliest_start(lowest_start: int, lowest_finish: int, duration: int, off: DaysOff | None) -> int:
    """The first start (an on-day) >= lowest_start whose finish is >= lowest_finish."""
    if off is None:
        by_finish = lowest_finish - duration
        return lowest_start if lowest_start >= by_finish else by_finish
    start = off.on_or_after(lowest_start)
    if lowest_finish == _NEVER:
        return start
    if duration == 0:
        return start if start >= lowest_finish else off.on_or_after(lowest_finish)
    if off.finish_after(start, duration) >= lowest_finish:
        return start
    return off.start_before(off.on_or_after(lowest_finish - 1), duration)


def _latest_start(highest_start: int, highest_finish: int, duration: int, off: DaysOff | None) -> int:
    """The last start (an on-day) <= highest_start whose finish is <= highest_finish."""
    if off is None:
        by_finish = highest_finish - duration
        return highest_start if highest_start <= by_finish else by_finish
    if duration == 0:
        by_finish = off.on_or_before(highest_finish)
    else:
        by_finish = off.start_before(off.on_or_before(highest_finish - 1), duration)
    if highest_start >= by_finish:
        return by_finish
    return off.on_or_before(highest_start)


def _finish_caps(
    activities: Sequence[Activity], calendar: WorkingCalendar, project_last: int, deadline: date | None
) -> list[int]:
    """The latest finish instant of each activity: none finishes after the project's early
    finish date, nor after the project deadline or its own finish-no-later-than date."""
    last = project_last
    if deadline is not None:
        last = min(last, calendar.index_on_or_before(deadline))
    caps: list[int] = []
    for activity in activities:
        limit = last
        if activity.finish_no_later_than is not None:
            limit = min(limit, calendar.index_on_or_before(activity.finish_no_later_than))
        # A task finishing on day D finishes at the instant after D; a milestone on D, at D.
        caps.append(limit + 1 if activity.duration else limit)
    return caps


def _assemble(
    activities: Sequence[Activity],
    network: _Network,
    calendar: WorkingCalendar,
    project_start: date,
    project_last: int,
    durations: list[int],
    instants: tuple[list[int], list[int], list[int], list[int]],
    total_float: list[int],
    free_float: list[int],
) -> Schedule:
    if not activities:
        return Schedule(project_start, project_start, MappingProxyType({}), (), frozenset(), calendar)
    early_start, early_finish, late_start, late_finish = instants
    days, first = _days_of(calendar, instants)
    entries: dict[str, ScheduledActivity] = {}
    critical: list[str] = []
    for i, activity in enumerate(activities):
        # The last day of work is the day before the finish instant (a milestone's is its own).
        before = first + 1 if durations[i] else first
        slack = total_float[i]
        entries[activity.id] = ScheduledActivity(
            activity.id,
            days[early_start[i] - first],
            days[early_finish[i] - before],
            days[late_start[i] - first],
            days[late_finish[i] - before],
            slack,
            free_float[i],
            slack <= 0,
        )
        if slack <= 0:
            critical.append(activity.id)
    return Schedule(
        project_start=project_start,
        project_finish=days[project_last - first],
        entries=MappingProxyType(entries),
        critical_path=_critical_path(network, durations, early_start, early_finish, total_float),
        critical=frozenset(critical),
        calendar=calendar,
    )


def _days_of(
    calendar: WorkingCalendar, instants: tuple[list[int], list[int], list[int], list[int]]
) -> tuple[Sequence[date] | Mapping[int, date], int]:
    """The dates of the working-day indexes a schedule uses, to look up as ``days[index - first]``:
    one walk over the schedule's window when it is compact (the usual case), else one search
    per distinct index (a far deadline or constraint can stretch the window)."""
    early_start, early_finish, late_start, late_finish = instants
    first = min(min(early_start), min(late_start))
    last = max(max(early_finish), max(late_finish))
    if last - first <= _WINDOW_PER_ACTIVITY * len(early_start) + _WINDOW_SLACK:
        return calendar.days_at(first, last), first
    used = {*early_start, *late_start, *(f - 1 for f in early_finish), *(f - 1 for f in late_finish)}
    used |= {*early_finish, *late_finish}
    return {index: calendar.day_at(index) for index in used}, 0


def _critical_path(
    network: _Network,
    durations: list[int],
    early_start: list[int],
    early_finish: list[int],
    total_float: list[int],
) -> tuple[str, ...]:
    """The most critical activity with the latest finish date, and back from it through
    driving dependencies (those that set the successor's early date exactly) to equally
    critical predecessors."""
    if not total_float:
        return ()
    least = min(total_float)
    current = -1
    latest = _NEVER
    for i, slack in enumerate(total_float):
        finish_day = early_finish[i] - 1 if durations[i] else early_finish[i]
        if slack == least and finish_day > latest:
            current = i
            latest = finish_day
    path = [current]
    while True:
        driving = -1
        for other, _, kind, lag in network.predecessors[current]:
            if total_float[other] != least:
                continue
            if kind == _FS:
                drives = early_finish[other] + lag == early_start[current]
            elif kind == _SS:
                drives = early_start[other] + lag == early_start[current]
            elif kind == _FF:
                drives = early_finish[other] + lag == early_finish[current]
            else:
                drives = early_start[other] + lag == early_finish[current]
            if drives:
                driving = other
                break
        if driving < 0:
            break
        path.append(driving)
        current = driving
    return tuple(network.ids[i] for i in reversed(path))
