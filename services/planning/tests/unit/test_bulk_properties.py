"""Bulk changes are one command: every task changes, or (naming the task that cannot) none."""

from datetime import date
from uuid import UUID, uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from plan_support import META, chain, in_memory_application, project, stored_events, tenant

from trellis_planning.application.bulk import BulkChangeRefused
from trellis_planning.application.plan_access import UnknownReference
from trellis_planning.application.planning import PlanningApplication
from trellis_planning.domain.errors import PlanningRuleBroken


def snapshot(app: PlanningApplication, org: UUID, task_ids: list[UUID]) -> list[tuple[object, ...]]:
    return [
        (t.version, t.status, tuple(t.assignee_ids), t.milestone_id, t.starts_on, t.priority)
        for t in (app.get_task(org, i) for i in task_ids)
    ]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    picks=st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=6, unique=True),
    shift=st.integers(min_value=-3, max_value=40),
    status=st.sampled_from(["in_progress", "done", "todo", "nonsense"]),
    reassign=st.booleans(),
    stranger=st.booleans(),
)
def test_a_bulk_change_is_all_or_nothing(
    picks: list[int], shift: int, status: str, reassign: bool, stranger: bool
) -> None:
    app = in_memory_application()
    people = tenant(app)
    plan = project(app, people.id, ends_on=date(2026, 4, 30))
    tasks = chain(app, people.id, plan.id, *(f"Step {n}" for n in range(6)), days=3)
    chosen = [tasks[i].id for i in picks]
    if stranger:
        chosen.append(uuid4())
    changes: dict[str, object] = {"shift_working_days": shift, "status": status}
    if reassign:
        changes["assignee_ids"] = [people.alice, people.crane]
    all_ids = [t.id for t in tasks]
    before, events_before = snapshot(app, people.id, all_ids), stored_events(app)
    try:
        changed, _ = app.change_tasks(
            organisation_id=people.id, project_id=plan.id, task_ids=chosen, changes=changes, meta=META
        )
    except PlanningRuleBroken:
        assert snapshot(app, people.id, all_ids) == before, "a refused bulk change changes no task"
        assert stored_events(app) == events_before, "and stores nothing"
        return
    assert not stranger
    assert status != "nonsense"
    after = {t.id: t for t in (app.get_task(people.id, i) for i in all_ids)}
    for task_id in chosen:
        assert after[task_id].status == status
        if reassign:
            assert after[task_id].assignee_ids == [people.alice, people.crane]
    untouched = [i for i in all_ids if i not in chosen]
    assert [after[i].version for i in untouched] == [
        v for (v, *_), i in zip(before, all_ids, strict=True) if i in untouched
    ]
    assert len(changed) == len(chosen)


def test_the_refusal_names_the_task_and_the_rule() -> None:
    app = in_memory_application()
    org = uuid4()
    plan = project(app, org, ends_on=date(2026, 3, 31))
    early, late = chain(app, org, plan.id, "Early", "Late", days=2)
    with pytest.raises(BulkChangeRefused, match=r"Task .Late.*lies outside project"):
        app.change_tasks(
            organisation_id=org,
            project_id=plan.id,
            task_ids=[early.id, late.id],
            changes={"shift_working_days": 20},
            meta=META,
        )
    with pytest.raises(UnknownReference):
        app.change_tasks(
            organisation_id=org,
            project_id=plan.id,
            task_ids=[early.id],
            changes={"milestone_id": uuid4()},
            meta=META,
        )


def test_reassign_move_and_reschedule_many_in_one_command() -> None:
    app = in_memory_application()
    people = tenant(app)
    plan = project(app, people.id)
    milestone, _ = app.add_milestone(
        organisation_id=people.id,
        project_id=plan.id,
        name="Phase 2",
        starts_on=date(2026, 3, 2),
        due_on=date(2026, 4, 30),
        meta=META,
    )
    a, b, c = chain(app, people.id, plan.id, "A", "B", "C", days=2)
    events_before = stored_events(app)
    changed, settled = app.change_tasks(
        organisation_id=people.id,
        project_id=plan.id,
        task_ids=[a.id, b.id],
        changes={"assignee_ids": [people.bob], "milestone_id": milestone.id, "shift_working_days": 5},
        meta=META,
    )
    assert all(t.assignee_ids == [people.bob] and t.milestone_id == milestone.id for t in changed)
    assert changed[0].starts_on == date(2026, 3, 9)
    assert c.id in {m["task_id"] for m in settled.moves}, "the successor moved with them"
    assert stored_events(app) > events_before
