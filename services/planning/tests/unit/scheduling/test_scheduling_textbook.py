"""Published critical path examples come out exactly as their books print them.

Each table row is (activity, duration, immediate predecessors, ES, EF, LS, LF, slack) as
printed in the source. The books count integer time from 0 with no calendar, an activity
occupying [ES, EF); the engine works in calendar days, so these run on a calendar where every
day is a working day, with the mapping documented in ``engine``: day 0 is the project start,
a start time t is day t, a finish time t is day t - 1 (the last day of work), and a milestone
(a dummy activity of duration 0) at time t is day t.

Every number in these tables was also recomputed by hand (forward and backward pass) before
being written down here.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from trellis_planning.domain.scheduling import Activity, Dependency, Schedule, WorkingCalendar, schedule

EVERY_DAY = WorkingCalendar(weekend_days=frozenset())
DAY_0 = date(2026, 3, 2)

Row = tuple[str, int, tuple[str, ...], int, int, int, int, int]


def start_day(t: int) -> date:
    return DAY_0 + timedelta(days=t)


def finish_day(t: int, duration: int) -> date:
    return DAY_0 + timedelta(days=t - 1 if duration else t)


def run(table: list[Row]) -> Schedule:
    activities = [Activity(name, duration) for name, duration, *_ in table]
    dependencies = [Dependency(p, name) for name, _, predecessors, *_ in table for p in predecessors]
    return schedule(activities, dependencies, EVERY_DAY, DAY_0)


def assert_matches(result: Schedule, table: list[Row], duration: int, critical_path: tuple[str, ...]) -> None:
    for name, length, _, es, ef, ls, lf, slack in table:
        entry = result.entries[name]
        printed = (start_day(es), finish_day(ef, length), start_day(ls), finish_day(lf, length), slack)
        computed = (
            entry.early_start, entry.early_finish, entry.late_start, entry.late_finish, entry.total_float,
        )
        assert computed == printed, name
        assert entry.critical == (slack == 0), name
    assert result.project_finish == finish_day(duration, 1)
    assert result.critical == {name for name, *_, slack in table if slack == 0}
    assert result.critical_path == critical_path


# Hillier, F. S. & Lieberman, G. J., "Introduction to Operations Research" (McGraw-Hill;
# chapter "Project Management with PERT/CPM", chapter 10 in the 7th to 9th editions), the
# Reliable Construction Co. project (activity list with immediate predecessors and durations in
# weeks, earliest/latest times and the slack table): project duration 44 weeks, critical path
# START -> A -> B -> C -> E -> F -> J -> L -> N -> FINISH; slack 4 for D, G, H and M, 2 for I,
# 1 for K, 0 for the rest.
RELIABLE_CONSTRUCTION: list[Row] = [
    ("A", 2, (), 0, 2, 0, 2, 0),  # excavate
    ("B", 4, ("A",), 2, 6, 2, 6, 0),  # lay the foundation
    ("C", 10, ("B",), 6, 16, 6, 16, 0),  # put up the rough wall
    ("D", 6, ("C",), 16, 22, 20, 26, 4),  # put up the roof
    ("E", 4, ("C",), 16, 20, 16, 20, 0),  # install the exterior plumbing
    ("F", 5, ("E",), 20, 25, 20, 25, 0),  # install the interior plumbing
    ("G", 7, ("D",), 22, 29, 26, 33, 4),  # put up the exterior siding
    ("H", 9, ("E", "G"), 29, 38, 33, 42, 4),  # do the exterior painting
    ("I", 7, ("C",), 16, 23, 18, 25, 2),  # do the electrical work
    ("J", 8, ("F", "I"), 25, 33, 25, 33, 0),  # put up the wallboard
    ("K", 4, ("J",), 33, 37, 34, 38, 1),  # install the flooring
    ("L", 5, ("J",), 33, 38, 33, 38, 0),  # do the interior painting
    ("M", 2, ("H",), 38, 40, 42, 44, 4),  # install the exterior fixtures
    ("N", 6, ("K", "L"), 38, 44, 38, 44, 0),  # install the interior fixtures
]


def test_hillier_lieberman_reliable_construction() -> None:
    result = run(RELIABLE_CONSTRUCTION)
    assert_matches(result, RELIABLE_CONSTRUCTION, 44, ("A", "B", "C", "E", "F", "J", "L", "N"))


def test_hillier_lieberman_reliable_construction_with_its_start_and_finish_milestones() -> None:
    """The book draws START and FINISH nodes of duration 0; as milestones they sit on day 0
    and day 44, and change nothing else."""
    table: list[Row] = [("START", 0, (), 0, 0, 0, 0, 0)]
    for name, length, predecessors, *times in RELIABLE_CONSTRUCTION:
        table.append((name, length, predecessors or ("START",), *times))  # type: ignore[arg-type]
    table.append(("FINISH", 0, ("M", "N"), 44, 44, 44, 44, 0))
    result = run(table)
    for name, length, _, es, ef, ls, lf, slack in table:
        entry = result.entries[name]
        assert (entry.early_start, entry.early_finish) == (start_day(es), finish_day(ef, length)), name
        assert (entry.late_start, entry.late_finish, entry.total_float) == (
            start_day(ls), finish_day(lf, length), slack,
        ), name
    assert result.project_finish == start_day(44)  # FINISH's day: the morning after the last work
    assert result.critical_path == ("START", "A", "B", "C", "E", "F", "J", "L", "N", "FINISH")


# Heizer, J., Render, B. (and Munson, C. from the 12th edition), "Operations Management"
# (Pearson), chapter 3 "Project Management", the Milwaukee Paper Manufacturing air pollution
# control project (durations in weeks; the forward and backward pass examples and the slack
# table): 15 weeks,
# critical path A-C-E-G-H, slack 1 for B and D, 6 for F.
MILWAUKEE_PAPER: list[Row] = [
    ("A", 2, (), 0, 2, 0, 2, 0),  # build internal components
    ("B", 3, (), 0, 3, 1, 4, 1),  # modify roof and floor
    ("C", 2, ("A",), 2, 4, 2, 4, 0),  # construct collection stack
    ("D", 4, ("A", "B"), 3, 7, 4, 8, 1),  # pour concrete and install frame
    ("E", 4, ("C",), 4, 8, 4, 8, 0),  # build high-temperature burner
    ("F", 3, ("C",), 4, 7, 10, 13, 6),  # install pollution control system
    ("G", 5, ("D", "E"), 8, 13, 8, 13, 0),  # install air pollution device
    ("H", 2, ("F", "G"), 13, 15, 13, 15, 0),  # inspect and test
]


def test_heizer_render_milwaukee_paper_manufacturing() -> None:
    result = run(MILWAUKEE_PAPER)
    assert_matches(result, MILWAUKEE_PAPER, 15, ("A", "C", "E", "G", "H"))


# Anderson, D. R., Sweeney, D. J., Williams, T. A. et al., "An Introduction to Management
# Science: Quantitative Approaches to Decision Making" (South-Western/Cengage), chapter
# "Project Scheduling: PERT/CPM", the Western Hills Shopping Center expansion (durations in
# weeks): 26 weeks, critical path A-E-F-G-I; slack 6 for B, 3 for C and H, 2 for D.
WESTERN_HILLS: list[Row] = [
    ("A", 5, (), 0, 5, 0, 5, 0),  # prepare architectural drawings
    ("B", 6, (), 0, 6, 6, 12, 6),  # identify potential new tenants
    ("C", 4, ("A",), 5, 9, 8, 12, 3),  # develop prospectus for tenants
    ("D", 3, ("A",), 5, 8, 7, 10, 2),  # select contractor
    ("E", 1, ("A",), 5, 6, 5, 6, 0),  # prepare building permits
    ("F", 4, ("E",), 6, 10, 6, 10, 0),  # obtain approval for building permits
    ("G", 14, ("D", "F"), 10, 24, 10, 24, 0),  # perform construction
    ("H", 12, ("B", "C"), 9, 21, 12, 24, 3),  # finalize contracts with tenants
    ("I", 2, ("G", "H"), 24, 26, 24, 26, 0),  # tenants move in
]


def test_anderson_sweeney_williams_western_hills_shopping_center() -> None:
    result = run(WESTERN_HILLS)
    assert_matches(result, WESTERN_HILLS, 26, ("A", "E", "F", "G", "I"))


# Taylor, B. W. III, "Introduction to Management Science", Instructor's Solutions Manual,
# chapter 8 "Project Management", the worked ES/EF/LS/LF/slack tables printed on pp. 114 and
# 115 (problems on network analysis with earliest and latest times and slack; published at
# scribd.com/doc/47113515/TaylCh08). The networks are activity-on-arrow: activity i-j can
# start once every activity ending at node i is done, which gives the predecessors below.
TAYLOR_P114: list[Row] = [
    ("1-2", 7, (), 0, 7, 2, 9, 2),
    ("1-3", 10, (), 0, 10, 0, 10, 0),
    ("2-4", 6, ("1-2",), 7, 13, 9, 15, 2),
    ("3-4", 5, ("1-3",), 10, 15, 10, 15, 0),
    ("3-5", 4, ("1-3",), 10, 14, 14, 18, 4),
    ("4-5", 3, ("2-4", "3-4"), 15, 18, 15, 18, 0),
    ("5-6", 2, ("3-5", "4-5"), 18, 20, 18, 20, 0),
]

# The p. 115 network has a dummy activity 4-5 of duration 0: a milestone here.
TAYLOR_P115: list[Row] = [
    ("1-2", 8, (), 0, 8, 1, 9, 1),
    ("1-3", 10, (), 0, 10, 0, 10, 0),
    ("1-4", 9, (), 0, 9, 6, 15, 6),
    ("2-5", 6, ("1-2",), 8, 14, 9, 15, 1),
    ("2-6", 4, ("1-2",), 8, 12, 16, 20, 8),
    ("3-5", 5, ("1-3",), 10, 15, 10, 15, 0),
    ("4-5", 0, ("1-4",), 9, 9, 15, 15, 6),
    ("4-7", 7, ("1-4",), 9, 16, 20, 27, 11),
    ("5-7", 12, ("2-5", "3-5", "4-5"), 15, 27, 15, 27, 0),
    ("5-8", 15, ("2-5", "3-5", "4-5"), 15, 30, 16, 31, 1),
    ("6-9", 18, ("2-6",), 12, 30, 20, 38, 8),
    ("7-8", 4, ("4-7", "5-7"), 27, 31, 27, 31, 0),
    ("8-9", 7, ("5-8", "7-8"), 31, 38, 31, 38, 0),
]


@pytest.mark.parametrize(
    ("table", "duration", "critical_path"),
    [
        (TAYLOR_P114, 20, ("1-3", "3-4", "4-5", "5-6")),  # printed: 1 - 3 - 4 - 5 - 6
        (TAYLOR_P115, 38, ("1-3", "3-5", "5-7", "7-8", "8-9")),  # the zero-slack chain
    ],
)
def test_taylor_solutions_manual_tables(
    table: list[Row], duration: int, critical_path: tuple[str, ...]
) -> None:
    assert_matches(run(table), table, duration, critical_path)


def test_free_float_of_the_reliable_construction_project_by_hand() -> None:
    """Free float (not tabulated in the book): how far each activity can slip before the
    earliest start of a successor moves, or the project end for the last ones."""
    result = run(RELIABLE_CONSTRUCTION)
    free = {name: entry.free_float for name, entry in result.entries.items() if entry.free_float}
    # D, G and H have slack 4 but share it along D-G-H-M: only M, at the end, owns it.
    assert free == {"I": 2, "K": 1, "M": 4}


def test_free_float_of_milwaukee_paper_by_hand() -> None:
    result = run(MILWAUKEE_PAPER)
    free = {name: entry.free_float for name, entry in result.entries.items() if entry.free_float}
    assert free == {"D": 1, "F": 6}  # B's slack is shared with D, which follows it
