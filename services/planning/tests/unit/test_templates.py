"""Industry templates differ for real, and a project comes from one in a single command."""

from datetime import date
from uuid import uuid4

import pytest
from plan_support import META, in_memory_application, stored_events, tenant

from trellis_planning.application.planning import PlanningApplication
from trellis_planning.domain.errors import PlanningRuleBroken
from trellis_planning.domain.task import Task
from trellis_planning.domain.templates import BUILT_IN_TEMPLATES


@pytest.fixture
def app() -> PlanningApplication:
    return in_memory_application()


def test_the_three_industry_templates_differ_in_workflow_fields_and_phases() -> None:
    construction = BUILT_IN_TEMPLATES["construction"]
    agency = BUILT_IN_TEMPLATES["creative-agency"]
    delivery = BUILT_IN_TEMPLATES["it-delivery"]
    statuses = {t.key: {s.key for s in t.workflow.statuses} for t in (construction, agency, delivery)}
    assert {"awaiting_inspection", "change_order", "rework"} <= statuses["construction"]
    assert {"internal_review", "client_review", "revisions"} <= statuses["creative-agency"]
    assert {"in_review", "testing", "blocked"} <= statuses["it-delivery"]
    assert len({frozenset(s) for s in statuses.values()}) == 3
    assert any("inspection" in t.title.lower() for t in construction.tasks)
    assert sum("review round" in t.title.lower() for t in agency.tasks) == 3
    assert {"Discovery complete", "UAT sign-off", "Go-live"} <= {m.name for m in delivery.milestones}
    assert {f.type.value for f in construction.custom_fields} >= {"money", "date", "single_choice", "user"}
    assert {d.type for d in construction.dependencies} >= {"FS", "SS", "FF"}


@pytest.mark.parametrize("template_id", sorted(BUILT_IN_TEMPLATES))
def test_one_command_creates_the_project_with_its_milestones_tasks_and_dependencies(
    app: PlanningApplication,
    template_id: str,
) -> None:
    org = uuid4()
    definition = BUILT_IN_TEMPLATES[template_id]
    before = stored_events(app)
    project, settled = app.create_project_from_template(
        organisation_id=org,
        template_id=template_id,
        client_id=uuid4(),
        name="New build",
        starts_on=date(2026, 3, 2),
        ends_on=None,
        meta=META,
    )
    assert len(project.milestone_ids) == len(definition.milestones)
    assert len(project.task_ids) == len(definition.tasks)
    assert len(project.dependencies) == len(definition.dependencies)
    assert project.workflow_id == definition.workflow.id
    assert project.ends_on == settled.schedule.project_finish
    settings = app.plan_settings(org)
    assert {f.id for f in definition.custom_fields} <= set(settings.fields())
    task = app.get_task(org, project.task_ids[0])
    assert isinstance(task, Task)
    assert task.status == definition.workflow.initial
    milestone = app.milestone_in(org, project.milestone_ids[0])
    first_tasks = [t for t in definition.tasks if t.milestone == definition.milestones[0].key]
    assert milestone.starts_on == date(2026, 3, 2)
    assert first_tasks
    assert stored_events(app) > before


def test_a_project_too_short_for_the_template_is_refused_with_the_date_it_needs(
    app: PlanningApplication,
) -> None:
    with pytest.raises(PlanningRuleBroken, match="needs until"):
        app.create_project_from_template(
            organisation_id=uuid4(),
            template_id="construction",
            client_id=uuid4(),
            name="Rushed",
            starts_on=date(2026, 3, 2),
            ends_on=date(2026, 3, 20),
            meta=META,
        )
    assert stored_events(app) == 0


def test_an_organisation_keeps_its_own_version_of_a_template_workflow(app: PlanningApplication) -> None:
    org = tenant(app).id
    app.define_workflow(
        organisation_id=org,
        workflow_id="delivery",
        name="Our delivery",
        statuses=[("todo", "To do", "todo", None, False), ("done", "Done", "done", None, False)],
        transitions={"todo": ["done"]},
        initial=None,
        meta=META,
    )
    project, _ = app.create_project_from_template(
        organisation_id=org,
        template_id="it-delivery",
        client_id=uuid4(),
        name="Portal",
        starts_on=date(2026, 3, 2),
        ends_on=None,
        meta=META,
    )
    assert app.get_task(org, project.task_ids[0]).status == "todo"


def test_a_project_saved_as_a_template_makes_the_same_plan_again(app: PlanningApplication) -> None:
    org = uuid4()
    original, first = app.create_project_from_template(
        organisation_id=org,
        template_id="creative-agency",
        client_id=uuid4(),
        name="Spring campaign",
        starts_on=date(2026, 3, 2),
        ends_on=None,
        meta=META,
    )
    template = app.save_project_as_template(
        organisation_id=org,
        project_id=original.id,
        name="Our campaign",
        industry="agency",
        description="",
        meta=META,
    )
    assert [d.key for d, built_in in app.templates_for(org) if not built_in] == [str(template.id)]
    copy, second = app.create_project_from_template(
        organisation_id=org,
        template_id=str(template.id),
        client_id=uuid4(),
        name="Autumn campaign",
        starts_on=date(2026, 3, 2),
        ends_on=None,
        meta=META,
    )
    assert len(copy.task_ids) == len(original.task_ids)
    assert len(copy.dependencies) == len(original.dependencies)
    assert second.schedule.project_finish == first.schedule.project_finish
    titles = [app.get_task(org, t).title for t in copy.task_ids]
    assert titles == [app.get_task(org, t).title for t in original.task_ids]


def test_another_organisation_cannot_use_a_saved_template(app: PlanningApplication) -> None:
    org = uuid4()
    project, _ = app.create_project_from_template(
        organisation_id=org,
        template_id="construction",
        client_id=uuid4(),
        name="House",
        starts_on=date(2026, 3, 2),
        ends_on=None,
        meta=META,
    )
    template = app.save_project_as_template(
        organisation_id=org, project_id=project.id, name="Ours", industry="", description="", meta=META
    )
    with pytest.raises(LookupError):
        app.template_for(uuid4(), str(template.id))
