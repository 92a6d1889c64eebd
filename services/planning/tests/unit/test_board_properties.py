"""The board: a move is one command that changes only the moved card; the order is total."""

from uuid import UUID, uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from plan_support import META, in_memory_application, project, task

from trellis_planning.application.planning import PlanningApplication
from trellis_planning.domain.ranks import MAX_RANK_LENGTH
from trellis_planning.domain.task import Task
from trellis_planning.views.board import card_order


def column(app: PlanningApplication, org: UUID, project_id: UUID, status: str) -> list[UUID]:
    board = app.board_of(org, project_id)
    return [c.task_id for c in next(col for col in board.columns if col.status == status).cards]


def events_of(app: PlanningApplication, task_id: UUID) -> list[object]:
    return list(app.repository.event_store.get(task_id))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.sampled_from(["todo", "in_progress"]), st.integers(0, 10)),
        min_size=1,
        max_size=25,
    )
)
def test_a_move_changes_only_the_moved_card_and_lands_it_where_it_was_dropped(
    moves: list[tuple[int, str, int]],
) -> None:
    app = in_memory_application()
    org = uuid4()
    plan = project(app, org)
    cards = [task(app, org, plan.id, f"Card {n}").id for n in range(6)]
    expected = {"todo": list(cards), "in_progress": [], "done": []}
    for pick, to_status, slot in moves:
        moved = cards[pick]
        source = next(s for s, ids in expected.items() if moved in ids)
        target = [i for i in expected[to_status] if i != moved]
        index = slot % (len(target) + 1)
        after = target[index - 1] if index > 0 else None
        versions = {i: app.get_task(org, i).version for i in cards if i != moved}
        result = app.move_card(
            organisation_id=org,
            project_id=plan.id,
            task_id=moved,
            to_status=to_status,
            after_task_id=after,
            before_task_id=None,
            meta=META,
        )
        expected[source].remove(moved)
        expected[to_status] = [*target[:index], moved, *target[index:]]
        for other, version in versions.items():
            later = events_of(app, other)[version:]
            assert all(isinstance(e, Task.RankRebalanced) for e in later), "no other card was renumbered"
        assert result.rebalanced or all(v == app.get_task(org, i).version for i, v in versions.items())
        for status, ids in expected.items():
            assert column(app, org, plan.id, status) == ids


def test_the_order_is_total_and_stable_even_with_equal_ranks() -> None:
    app = in_memory_application()
    org = uuid4()
    plan = project(app, org)
    a, b = task(app, org, plan.id, "A"), task(app, org, plan.id, "B")
    tasks = [app.get_task(org, a.id), app.get_task(org, b.id)]
    for t in tasks:
        t.rebalance_rank("V", META)
    app.save(*tasks)
    order = sorted(tasks, key=card_order)
    assert [t.id for t in order] == sorted([a.id, b.id], key=str)
    assert column(app, org, plan.id, "todo") == [t.id for t in order]
    app.move_card(
        organisation_id=org,
        project_id=plan.id,
        task_id=task(app, org, plan.id, "C").id,
        to_status="todo",
        after_task_id=order[0].id,
        before_task_id=None,
        meta=META,
    )
    assert column(app, org, plan.id, "todo")[1] != order[1].id, "C landed between the two equal ranks"


def test_a_full_column_warns_and_the_move_stands() -> None:
    app = in_memory_application()
    org = uuid4()
    plan = project(app, org)
    app.define_workflow(
        organisation_id=org,
        workflow_id="default",
        name="Limited",
        statuses=[
            ("todo", "To do", "todo", None, False),
            ("in_progress", "Doing", "in_progress", 1, False),
            ("done", "Done", "done", None, False),
        ],
        transitions={"todo": ["in_progress"], "in_progress": ["done", "todo"]},
        initial=None,
        meta=META,
    )
    first, second = task(app, org, plan.id, "First"), task(app, org, plan.id, "Second")
    quiet = app.move_card(
        organisation_id=org,
        project_id=plan.id,
        task_id=first.id,
        to_status="in_progress",
        after_task_id=None,
        before_task_id=None,
        meta=META,
    )
    assert quiet.warnings == []
    loud = app.move_card(
        organisation_id=org,
        project_id=plan.id,
        task_id=second.id,
        to_status="in_progress",
        after_task_id=first.id,
        before_task_id=None,
        meta=META,
    )
    assert loud.warnings == ["Column 'Doing' now holds 2 tasks, over its WIP limit of 1."]
    assert column(app, org, plan.id, "in_progress") == [first.id, second.id]


def test_ranks_that_grew_too_long_are_respaced_afterwards_keeping_the_order() -> None:
    app = in_memory_application()
    org = uuid4()
    plan = project(app, org)
    first, last = task(app, org, plan.id, "First"), task(app, org, plan.id, "Last")
    rebalanced = False
    for n in range(MAX_RANK_LENGTH * 8):
        card = task(app, org, plan.id, f"Squeezed {n}")
        result = app.move_card(
            organisation_id=org,
            project_id=plan.id,
            task_id=card.id,
            to_status="todo",
            after_task_id=first.id,
            before_task_id=None,
            meta=META,
        )
        rebalanced = rebalanced or result.rebalanced
        ids = column(app, org, plan.id, "todo")
        assert ids[0] == first.id
        assert ids[1] == card.id
        assert ids[-1] == last.id
    assert rebalanced
    assert max(len(app.get_task(org, i).rank) for i in column(app, org, plan.id, "todo")) <= MAX_RANK_LENGTH


def test_a_move_the_workflow_forbids_is_refused_and_an_anchor_must_be_in_the_column() -> None:
    app = in_memory_application()
    org = uuid4()
    plan = project(app, org)
    card, other = task(app, org, plan.id, "Card"), task(app, org, plan.id, "Other")
    app.change_status(organisation_id=org, task_id=card.id, status="done", meta=META)
    with pytest.raises(Exception, match="does not allow 'Done' -> 'To do'"):
        app.move_card(
            organisation_id=org,
            project_id=plan.id,
            task_id=card.id,
            to_status="todo",
            after_task_id=None,
            before_task_id=None,
            meta=META,
        )
    with pytest.raises(Exception, match="is not in column 'Done'"):
        app.move_card(
            organisation_id=org,
            project_id=plan.id,
            task_id=card.id,
            to_status="done",
            after_task_id=other.id,
            before_task_id=None,
            meta=META,
        )
