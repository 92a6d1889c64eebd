"""A task's estimate loads its assignees over the task's days, in the same transaction."""

from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest
from records_support import META, in_memory_application, organisation

from trellis_planning.application.planning import PlanningApplication
from trellis_planning.domain.assignment import Assignment, shares
from trellis_planning.domain.capacity import WorkPattern
from trellis_planning.domain.resource import Resource, ResourceKind

MONDAY = date(2026, 3, 2)
WEEKDAYS = WorkPattern(minutes_per_day=480, weekdays=frozenset(range(1, 6)))


def assignment(
    starts_on: date | None, due_on: date | None, minutes: int, duration_days: int = 1
) -> Assignment:
    return Assignment(
        task_id=uuid4(),
        project_id=uuid4(),
        starts_on=starts_on,
        due_on=due_on,
        duration_days=duration_days,
        minutes=minutes,
    )


def test_a_share_is_spread_evenly_over_working_days_in_whole_minutes() -> None:
    spread = assignment(MONDAY, MONDAY + timedelta(days=6), 1000).minutes_by_day(WEEKDAYS)
    assert spread == {MONDAY + timedelta(days=n): (200) for n in range(5)}
    uneven = assignment(MONDAY, MONDAY + timedelta(days=2), 100).minutes_by_day(WEEKDAYS)
    assert list(uneven.values()) == [34, 33, 33]


def test_days_off_move_the_work_to_the_other_days() -> None:
    pattern = WorkPattern(minutes_per_day=480, weekdays=frozenset(range(1, 6)), days_off=frozenset({MONDAY}))
    spread = assignment(MONDAY, MONDAY + timedelta(days=1), 600).minutes_by_day(pattern)
    assert spread == {MONDAY + timedelta(days=1): 600}


def test_a_span_without_an_available_day_lands_where_there_is_no_capacity() -> None:
    saturday = MONDAY + timedelta(days=5)
    spread = assignment(saturday, saturday + timedelta(days=1), 120).minutes_by_day(WEEKDAYS)
    assert spread == {saturday: 60, saturday + timedelta(days=1): 60}


def test_a_start_and_a_duration_take_that_many_working_days() -> None:
    friday = MONDAY + timedelta(days=4)
    spread = assignment(friday, None, 300, duration_days=3).minutes_by_day(WEEKDAYS)
    assert list(spread) == [friday, friday + timedelta(days=3), friday + timedelta(days=4)]
    before_due = assignment(None, friday, 200, duration_days=2).minutes_by_day(WEEKDAYS)
    assert list(before_due) == [friday - timedelta(days=1), friday]
    assert assignment(None, None, 300).minutes_by_day(WEEKDAYS) == {}


@pytest.mark.parametrize(
    ("total", "people", "expected"), [(600, 2, [300, 300]), (100, 3, [34, 33, 33]), (5, 0, [])]
)
def test_an_estimate_is_shared_between_assignees_exactly(
    total: int, people: int, expected: list[int]
) -> None:
    assert shares(total, people) == expected


@pytest.fixture
def app() -> PlanningApplication:
    return in_memory_application()


def person(app: PlanningApplication, organisation_id: UUID, name: str, hours: int = 8) -> UUID:
    return app.register_resource(
        organisation_id=organisation_id,
        kind=ResourceKind.PERSON,
        name=name,
        hours_per_day=Decimal(hours),
        working_weekdays=frozenset(range(1, 6)),
        meta=META,
    ).id


def allocated(app: PlanningApplication, organisation_id: UUID, resource_id: UUID) -> dict[date, int]:
    resource = app.get_resource(organisation_id, resource_id)
    return {d.day: d.allocated for d in resource.loads(MONDAY, MONDAY + timedelta(days=27)) if d.allocated}


def test_assigning_a_task_loads_its_assignees_over_its_scheduled_days(app: PlanningApplication) -> None:
    org = organisation(app)
    bob = person(app, org.id, "Bob")
    task, _ = app.create_task(
        organisation_id=org.id,
        project_id=org.project_id,
        title="Lay cables",
        meta=META,
        details={"assignee_ids": [org.alice, bob], "estimate_minutes": 1200, "duration_days": 3},
    )
    scheduled = app.project_in(org.id, org.project_id).scheduled[str(task.id)]
    assert scheduled == [MONDAY, MONDAY + timedelta(days=2)]
    assert allocated(app, org.id, org.alice) == {MONDAY + timedelta(days=n): 200 for n in range(3)}
    assert allocated(app, org.id, bob) == {MONDAY + timedelta(days=n): 200 for n in range(3)}


def test_reassigning_moves_the_load_and_finishing_releases_it(app: PlanningApplication) -> None:
    org = organisation(app)
    bob = person(app, org.id, "Bob")
    task, _ = app.create_task(
        organisation_id=org.id,
        project_id=org.project_id,
        title="Lay cables",
        meta=META,
        details={"assignee_ids": [org.alice], "estimate_minutes": 960, "duration_days": 2},
    )
    app.update_task(organisation_id=org.id, task_id=task.id, changes={"assignee_ids": [bob]}, meta=META)
    assert allocated(app, org.id, org.alice) == {}
    assert sum(allocated(app, org.id, bob).values()) == 960
    app.update_task(organisation_id=org.id, task_id=task.id, changes={"estimate_minutes": 480}, meta=META)
    assert sum(allocated(app, org.id, bob).values()) == 480
    app.change_status(organisation_id=org.id, task_id=task.id, status="done", meta=META)
    assert allocated(app, org.id, bob) == {}


def test_an_assignment_that_overloads_someone_is_recorded_once_by_the_command_that_caused_it(
    app: PlanningApplication,
) -> None:
    org = organisation(app)
    app.book_resource(
        organisation_id=org.id,
        resource_id=org.alice,
        project_id=org.project_id,
        starts_on=MONDAY,
        ends_on=MONDAY,
        hours_per_day=Decimal(6),
        meta=META,
    )
    task, _ = app.create_task(
        organisation_id=org.id,
        project_id=org.project_id,
        title="Urgent fix",
        meta=META,
        details={"assignee_ids": [org.alice], "estimate_minutes": 240, "duration_days": 1},
    )
    app.update_task(organisation_id=org.id, task_id=task.id, changes={"estimate_minutes": 300}, meta=META)
    crossings = [e for e in app.events.get(org.alice) if isinstance(e, Resource.Overallocated)]
    assert [(e.day, e.capacity_minutes, e.allocated_minutes) for e in crossings] == [(MONDAY, 480, 600)]


def test_a_schedule_shift_moves_the_load_of_the_tasks_it_moved(app: PlanningApplication) -> None:
    org = organisation(app)
    bob = person(app, org.id, "Bob")
    first, _ = app.create_task(
        organisation_id=org.id,
        project_id=org.project_id,
        title="Dig",
        meta=META,
        details={"assignee_ids": [org.alice], "estimate_minutes": 960, "duration_days": 2},
    )
    second, _ = app.create_task(
        organisation_id=org.id,
        project_id=org.project_id,
        title="Pour",
        meta=META,
        details={"assignee_ids": [bob], "estimate_minutes": 480, "duration_days": 1},
    )
    app.add_dependency(
        organisation_id=org.id,
        project_id=org.project_id,
        predecessor_id=first.id,
        successor_id=second.id,
        type_="FS",
        lag_days=0,
        meta=META,
    )
    assert allocated(app, org.id, bob) == {MONDAY + timedelta(days=2): 480}
    app.update_task(organisation_id=org.id, task_id=first.id, changes={"duration_days": 4}, meta=META)
    assert allocated(app, org.id, bob) == {MONDAY + timedelta(days=4): 480}, "Pour follows Dig"
