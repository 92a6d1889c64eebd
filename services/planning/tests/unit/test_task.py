"""A task keeps its own invariants and records each kind of change as its own event."""

from datetime import date
from uuid import uuid4

import pytest

from trellis_planning.domain.errors import PlanningRuleBroken
from trellis_planning.domain.task import Task

META = {"actor": "staff:pm"}


def new_task(**overrides: object) -> Task:
    fields: dict[str, object] = {
        "organisation_id": uuid4(),
        "project_id": uuid4(),
        "title": " Pour slab ",
        "status": "todo",
        "status_category": "todo",
        "rank": "V",
        "meta": META,
    }
    fields.update(overrides)
    return Task.create(**fields)  # type: ignore[arg-type]


def test_a_new_task_records_one_created_event_with_its_facts() -> None:
    person = uuid4()
    task = new_task(assignee_ids=[person, person], tags=[" concrete ", "", "concrete"], estimate_minutes=480)
    (created,) = task.collect_events()
    assert isinstance(created, Task.Created)
    assert created.title == "Pour slab"
    assert created.assignee_ids == [person]
    assert created.tags == ["concrete"]
    assert created.priority == "normal"


@pytest.mark.parametrize(
    ("overrides", "says"),
    [
        ({"title": "  "}, "needs a title"),
        ({"estimate_minutes": -1}, "estimate"),
        ({"duration_days": -2}, "working days"),
        ({"starts_on": date(2026, 3, 5), "due_on": date(2026, 3, 4)}, "cannot be due"),
        ({"priority": "whenever"}, "Priority 'whenever'"),
    ],
)
def test_a_task_refuses_what_cannot_be(overrides: dict[str, object], says: str) -> None:
    with pytest.raises(PlanningRuleBroken, match=says):
        new_task(**overrides)


def test_each_change_is_its_own_event_naming_the_tenant_and_project_and_no_change_records_nothing() -> None:
    task = new_task()
    task.collect_events()
    task.retitle("Pour slab", META)
    task.estimate(0, META)
    assert task.collect_events() == []
    task.retitle("Pour the slab", META)
    task.reschedule(starts_on=date(2026, 3, 4), duration_days=3, due_on=None, meta=META)
    task.change_status(status="doing", status_category="in_progress", rank="W", meta=META)
    task.change_status(status="doing", status_category="in_progress", rank="X", meta=META)
    events = task.collect_events()
    assert [type(e).__name__ for e in events] == ["Retitled", "Rescheduled", "StatusChanged", "Reranked"]
    assert all(e.organisation_id == task.organisation_id and e.project_id == task.project_id for e in events)


def test_a_task_cannot_be_its_own_subtask() -> None:
    task = new_task()
    with pytest.raises(PlanningRuleBroken, match="own subtask"):
        task.move(milestone_id=None, parent_id=task.id, meta=META)
