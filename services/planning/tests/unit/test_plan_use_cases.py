"""The plan's use cases on the in-memory store: tasks, dependencies, moves, milestones,
custom fields, workflow and naming rules, progress and minutes."""

from datetime import date
from decimal import Decimal
from uuid import uuid4

import pytest
from plan_support import META, TODAY, chain, in_memory_application, project, stored_events, task, tenant

from trellis_planning.application.dependencies import DependencyCycleRefused
from trellis_planning.application.plan_access import NotYourTask, UnknownReference
from trellis_planning.application.planning import PlanningApplication
from trellis_planning.domain.plan_errors import (
    CustomFieldInvalid,
    DateOutsideProject,
    DependencyRejected,
    NamingRuleBroken,
    NotInOrganisation,
    WorkflowRuleBroken,
)
from trellis_planning.domain.project import Project


@pytest.fixture
def app() -> PlanningApplication:
    return in_memory_application()


def test_a_dependency_cycle_is_refused_naming_the_loop_by_task_titles(app: PlanningApplication) -> None:
    org = uuid4()
    plan = project(app, org)
    survey, design, build = chain(app, org, plan.id, "Survey", "Design", "Build")
    before = stored_events(app)
    with pytest.raises(DependencyCycleRefused) as refused:
        app.add_dependency(
            organisation_id=org,
            project_id=plan.id,
            predecessor_id=build.id,
            successor_id=survey.id,
            type_="SS",
            lag_days=0,
            meta=META,
        )
    assert "'Build' -> 'Survey' -> 'Design' -> 'Build'" in str(refused.value)
    assert refused.value.cycle == [build.id, survey.id, design.id]
    assert stored_events(app) == before


def test_dependencies_stay_inside_one_project_and_one_organisation(app: PlanningApplication) -> None:
    org = uuid4()
    first, second = project(app, org), project(app, org)
    a = task(app, org, first.id, "A")
    b = task(app, org, second.id, "B")
    with pytest.raises(DependencyRejected, match="belongs to another project"):
        app.add_dependency(
            organisation_id=org,
            project_id=first.id,
            predecessor_id=a.id,
            successor_id=b.id,
            type_="FS",
            lag_days=0,
            meta=META,
        )
    other_org = uuid4()
    foreign = task(app, other_org, project(app, other_org).id, "Foreign")
    with pytest.raises(UnknownReference, match="No task"):
        app.add_dependency(
            organisation_id=org,
            project_id=first.id,
            predecessor_id=a.id,
            successor_id=foreign.id,
            type_="FS",
            lag_days=0,
            meta=META,
        )
    with pytest.raises(DependencyRejected, match="itself"):
        app.add_dependency(
            organisation_id=org,
            project_id=first.id,
            predecessor_id=a.id,
            successor_id=a.id,
            type_="FS",
            lag_days=0,
            meta=META,
        )


def test_moving_a_task_shifts_its_successors_and_says_which_moved(app: PlanningApplication) -> None:
    org = uuid4()
    plan = project(app, org)
    survey, design, build = chain(app, org, plan.id, "Survey", "Design", "Build")
    loose = task(app, org, plan.id, "Unrelated")
    moved_task, settled = app.update_task(
        organisation_id=org, task_id=survey.id, changes={"duration_days": 5}, meta={"actor": "staff:pm"}
    )
    assert {m["task_id"] for m in settled.moves} == {survey.id, design.id, build.id}
    assert loose.id not in {m["task_id"] for m in settled.moves}
    build_move = next(m for m in settled.moves if m["task_id"] == build.id)
    assert build_move["starts_on"] > build_move["previous_starts_on"]
    shifted = app.project_in(org, plan.id)
    assert isinstance(shifted.pending_events, list)
    assert moved_task.duration_days == 5


def test_a_lead_lets_the_successor_start_before_the_predecessor_finishes(app: PlanningApplication) -> None:
    org = uuid4()
    plan = project(app, org)
    a = task(app, org, plan.id, "Frame", duration_days=5)
    b = task(app, org, plan.id, "Roof", duration_days=3)
    settled = app.add_dependency(
        organisation_id=org,
        project_id=plan.id,
        predecessor_id=a.id,
        successor_id=b.id,
        type_="FS",
        lag_days=-2,
        meta=META,
    )
    frame_finish = settled.schedule.entries[str(a.id)].early_finish
    assert settled.schedule.entries[str(b.id)].early_start < frame_finish


def test_dates_outside_the_project_are_refused(app: PlanningApplication) -> None:
    org = uuid4()
    plan = project(app, org)
    with pytest.raises(DateOutsideProject, match="lies outside project 'Office fit-out'"):
        task(app, org, plan.id, "Too late", due_on=date(2027, 1, 1))
    with pytest.raises(DateOutsideProject):
        app.add_milestone(
            organisation_id=org,
            project_id=plan.id,
            name="Early",
            starts_on=date(2026, 1, 1),
            due_on=date(2026, 3, 10),
            meta=META,
        )


def test_custom_fields_are_checked_on_every_write_and_survive_a_rename(app: PlanningApplication) -> None:
    org = uuid4()
    plan = project(app, org)
    value = app.define_custom_field(
        organisation_id=org,
        name="Order value",
        type_="money",
        required=False,
        choices=[],
        scope="organisation",
        meta=META,
    )
    with pytest.raises(CustomFieldInvalid, match="'Order value'"):
        task(app, org, plan.id, "Buy steel", custom_values={value.id: "a lot"})
    bought = task(
        app, org, plan.id, "Buy steel", custom_values={value.id: {"amount": "1200.00", "currency": "GBP"}}
    )
    app.change_custom_field(organisation_id=org, field_id=value.id, name="Purchase value", meta=META)
    assert app.get_task(org, bought.id).custom_values == {value.id: {"amount": "1200.00", "currency": "GBP"}}
    with pytest.raises(CustomFieldInvalid):
        app.update_task(
            organisation_id=org, task_id=bought.id, changes={"custom_values": {value.id: 12}}, meta=META
        )


def test_a_required_field_added_later_is_asked_for_on_the_next_write_of_values(
    app: PlanningApplication,
) -> None:
    org = uuid4()
    plan = project(app, org)
    old = task(app, org, plan.id, "Old task")
    permit = app.define_custom_field(
        organisation_id=org,
        name="Permit",
        type_="text",
        required=True,
        choices=[],
        scope="organisation",
        meta=META,
    )
    with pytest.raises(CustomFieldInvalid, match="Required custom field 'Permit'"):
        task(app, org, plan.id, "New task")
    app.update_task(organisation_id=org, task_id=old.id, changes={"title": "Old task, renamed"}, meta=META)
    app.update_task(
        organisation_id=org, task_id=old.id, changes={"custom_values": {permit.id: "P-7"}}, meta=META
    )


def test_the_workflow_and_naming_rules_govern_every_task(app: PlanningApplication) -> None:
    org = uuid4()
    plan = project(app, org)
    app.define_naming_rule(
        organisation_id=org,
        subject="task_title",
        pattern=r"[A-Z]+-\d+ .+",
        description="Titles start with a ticket key",
        meta=META,
    )
    with pytest.raises(NamingRuleBroken, match="Titles start with a ticket key"):
        task(app, org, plan.id, "fix the door")
    door = task(app, org, plan.id, "OPS-1 Fix the door")
    app.define_workflow(
        organisation_id=org,
        workflow_id="default",
        name="Strict",
        statuses=[
            ("todo", "To do", "todo", None, False),
            ("in_progress", "Doing", "in_progress", None, False),
            ("done", "Done", "done", None, False),
        ],
        transitions={"todo": ["in_progress"], "in_progress": ["done"]},
        initial=None,
        meta=META,
    )
    with pytest.raises(WorkflowRuleBroken, match="'Strict' does not allow 'To do' -> 'Done'"):
        app.change_status(organisation_id=org, task_id=door.id, status="done", meta=META)
    app.change_status(organisation_id=org, task_id=door.id, status="in_progress", meta=META)


def test_members_change_only_their_own_tasks_and_never_who_does_them(app: PlanningApplication) -> None:
    people = tenant(app)
    plan = project(app, people.id)
    hers = task(app, people.id, plan.id, "Hers", assignee_ids=[people.alice])
    his = task(app, people.id, plan.id, "His", assignee_ids=[people.bob])
    app.change_status(
        organisation_id=people.id, task_id=hers.id, status="in_progress", meta=META, only_for_user="alice"
    )
    with pytest.raises(NotYourTask):
        app.change_status(
            organisation_id=people.id, task_id=his.id, status="in_progress", meta=META, only_for_user="alice"
        )
    with pytest.raises(NotYourTask, match="Only a manager"):
        app.update_task(
            organisation_id=people.id,
            task_id=hers.id,
            changes={"assignee_ids": []},
            meta=META,
            only_for_user="alice",
        )


def test_assignees_are_registered_people_or_equipment_of_the_organisation(app: PlanningApplication) -> None:
    people = tenant(app)
    plan = project(app, people.id)
    lift = task(app, people.id, plan.id, "Lift the beams", assignee_ids=[people.bob, people.crane])
    assert lift.assignee_ids == [people.bob, people.crane]
    with pytest.raises(UnknownReference, match="No resource"):
        task(app, people.id, plan.id, "Ghost work", assignee_ids=[uuid4()])


def test_an_assignees_days_off_push_the_work(app: PlanningApplication) -> None:
    people = tenant(app)
    plan = project(app, people.id)
    app.add_day_off(organisation_id=people.id, resource_id=people.alice, day=date(2026, 3, 2), meta=META)
    _, settled = app.create_task(
        organisation_id=people.id,
        project_id=plan.id,
        title="Survey",
        details={"assignee_ids": [people.alice]},
        meta=META,
    )
    (entry,) = settled.schedule.entries.values()
    assert entry.early_start == date(2026, 3, 3)


def test_subtasks_belong_to_the_same_project_and_never_loop(app: PlanningApplication) -> None:
    org = uuid4()
    plan = project(app, org)
    parent = task(app, org, plan.id, "Fit-out")
    child = task(app, org, plan.id, "Paint", parent_id=parent.id)
    with pytest.raises(UnknownReference, match="is a subtask of"):
        app.update_task(organisation_id=org, task_id=parent.id, changes={"parent_id": child.id}, meta=META)
    elsewhere = project(app, org)
    with pytest.raises(UnknownReference):
        task(app, org, elsewhere.id, "Stray", parent_id=parent.id)


def test_a_milestone_completes_when_its_last_task_is_done_and_reopens_when_one_is_not(
    app: PlanningApplication,
) -> None:
    org = uuid4()
    plan = project(app, org)
    milestone, _ = app.add_milestone(
        organisation_id=org,
        project_id=plan.id,
        name="Handover",
        starts_on=date(2026, 3, 2),
        due_on=date(2026, 3, 20),
        meta=META,
    )
    first = task(app, org, plan.id, "Snag", milestone_id=milestone.id)
    second = task(app, org, plan.id, "Clean", milestone_id=milestone.id)
    app.change_status(organisation_id=org, task_id=first.id, status="done", meta=META)
    assert not app.milestone_in(org, milestone.id).is_completed
    _, settled = app.change_status(organisation_id=org, task_id=second.id, status="done", meta=META)
    assert [m.id for m in settled.completed] == [milestone.id]
    assert app.milestone_in(org, milestone.id).completed_on == TODAY
    _, settled = app.change_status(organisation_id=org, task_id=second.id, status="in_progress", meta=META)
    assert [m.id for m in settled.reopened] == [milestone.id]


def test_a_milestone_with_open_tasks_cannot_be_completed_by_hand(app: PlanningApplication) -> None:
    org = uuid4()
    plan = project(app, org)
    milestone, _ = app.add_milestone(
        organisation_id=org,
        project_id=plan.id,
        name="Sign-off",
        starts_on=date(2026, 3, 2),
        due_on=date(2026, 3, 2),
        meta=META,
    )
    task(app, org, plan.id, "Write contract", milestone_id=milestone.id)
    with pytest.raises(Exception, match="1 task\\(s\\) not done: 'Write contract'"):
        app.complete_milestone(organisation_id=org, milestone_id=milestone.id, meta=META)


def test_progress_counts_done_estimates_and_is_recorded_only_when_it_changes(
    app: PlanningApplication,
) -> None:
    org = uuid4()
    plan = project(app, org)
    a, b, _ = chain(app, org, plan.id, "A", "B", "C", days=1)
    app.change_status(organisation_id=org, task_id=a.id, status="done", meta=META)
    recorded = app.project_in(org, plan.id).progress
    assert recorded is not None
    assert recorded["percent_complete"] == Decimal("33.3")
    version = app.project_in(org, plan.id).version
    app.update_task(
        organisation_id=org, task_id=b.id, changes={"description": "no effect on progress"}, meta=META
    )
    assert app.project_in(org, plan.id).version == version, "nothing recorded when progress did not change"
    found = app.progress_of(org, plan.id)
    assert found.report.percent_complete == Decimal("33.3")
    assert found.report.health.value == "on_track"


def test_health_goes_off_track_when_work_trails_the_plan(app: PlanningApplication) -> None:
    org = uuid4()
    plan = project(app, org)
    chain(app, org, plan.id, "A", "B", "C", days=5)
    app.today = lambda: date(2026, 3, 23)  # type: ignore[method-assign]
    found = app.progress_of(org, plan.id)
    assert found.report.health.value == "off_track"
    assert any("behind plan" in r for r in found.report.reasons)
    assert app.refresh_progress(organisation_id=org, project_id=plan.id, meta=META)
    assert app.project_in(org, plan.id).progress["health"] == "off_track"  # type: ignore[index]


def test_logged_time_counts_for_tasks_in_progress_up_to_their_estimate(app: PlanningApplication) -> None:
    org = uuid4()
    plan = project(app, org)
    a = task(app, org, plan.id, "A", estimate_minutes=600)
    task(app, org, plan.id, "B", estimate_minutes=400)
    app.change_status(organisation_id=org, task_id=a.id, status="in_progress", meta=META)
    app.logged_minutes = lambda organisation_id, task_ids: {a.id: 900}  # type: ignore[method-assign]
    found = app.progress_of(org, plan.id)
    assert found.report.percent_complete == Decimal("60.0"), "min(900 logged, 600 estimate) of 1000"


def test_minutes_turn_action_items_into_tasks_in_one_command(app: PlanningApplication) -> None:
    people = tenant(app)
    plan = project(app, people.id)
    minutes, _ = app.record_minutes(
        organisation_id=people.id,
        project_id=plan.id,
        title="Site meeting",
        held_on=date(2026, 3, 3),
        attendees=[{"name": "Alice", "person_id": people.alice}, {"name": "Client rep", "person_id": None}],
        notes="Discussed the slab.",
        decisions=["Pour on Friday"],
        action_items=[
            {"title": "Book the pump", "assignee_ids": [people.alice], "due_on": date(2026, 3, 5)},
            {"title": "Order rebar"},
        ],
        meta=META,
    )
    project_now = app.project_in(people.id, plan.id)
    assert project_now.minutes_ids == [minutes.id]
    tasks = [app.get_task(people.id, item["task_id"]) for item in minutes.action_items]
    assert [t.title for t in tasks] == ["Book the pump", "Order rebar"]
    assert tasks[0].assignee_ids == [people.alice]


def test_minutes_with_a_bad_action_item_store_nothing(app: PlanningApplication) -> None:
    org = uuid4()
    plan = project(app, org)
    before = stored_events(app)
    with pytest.raises(DateOutsideProject):
        app.record_minutes(
            organisation_id=org,
            project_id=plan.id,
            title="Kick-off",
            held_on=date(2026, 3, 2),
            attendees=[{"name": "Ann", "person_id": None}],
            notes="",
            decisions=[],
            action_items=[{"title": "Fine"}, {"title": "Too late", "due_on": date(2030, 1, 1)}],
            meta=META,
        )
    assert stored_events(app) == before


def test_another_organisations_plan_is_not_found(app: PlanningApplication) -> None:
    org = uuid4()
    plan = project(app, org)
    with pytest.raises(NotInOrganisation):
        app.load_plan(uuid4(), plan.id)
    assert isinstance(app.project_in(org, plan.id), Project)
