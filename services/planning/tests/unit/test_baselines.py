"""Baselines: save any number, compare two or one against now, with who moved each slip."""

from datetime import date
from uuid import uuid4

import pytest
from plan_support import META, chain, in_memory_application, project

from trellis_planning.application.planning import PlanningApplication
from trellis_planning.domain.errors import PlanningRuleBroken
from trellis_planning.domain.plan_errors import NotInOrganisation


@pytest.fixture
def app() -> PlanningApplication:
    return in_memory_application()


def test_each_slipped_task_comes_with_the_change_that_moved_it(app: PlanningApplication) -> None:
    org = uuid4()
    plan = project(app, org)
    design, build, test = chain(app, org, plan.id, "Design", "Build", "Test", days=2)
    original = app.save_baseline(organisation_id=org, project_id=plan.id, name="Signed plan", meta=META)
    app.update_task(
        organisation_id=org,
        task_id=build.id,
        changes={"duration_days": 4},
        meta={"actor": "staff:carol", "request_id": "req-7"},
    )
    found = app.compare_baselines(
        organisation_id=org, project_id=plan.id, reference_id=original.id, current_id=None
    )
    slipped = {v.activity_id: v for v in found.comparison.slipped}
    assert set(slipped) == {str(build.id), str(test.id)}
    assert slipped[str(test.id)].finish_variance == 2
    (cause,) = found.causes[str(test.id)]
    assert (cause.actor, cause.command, cause.request_id) == ("staff:carol", "update task 'Build'", "req-7")
    assert (cause.finish_before, cause.finish_after) == (date(2026, 3, 9), date(2026, 3, 11))
    assert str(design.id) not in slipped


def test_two_baselines_compare_with_the_changes_made_between_them(app: PlanningApplication) -> None:
    org = uuid4()
    plan = project(app, org)
    first, second = chain(app, org, plan.id, "First", "Second", days=2)
    v1 = app.save_baseline(organisation_id=org, project_id=plan.id, name="v1", meta=META)
    app.update_task(
        organisation_id=org, task_id=first.id, changes={"duration_days": 3}, meta={"actor": "staff:dan"}
    )
    v2 = app.save_baseline(organisation_id=org, project_id=plan.id, name="v2", meta=META)
    app.update_task(
        organisation_id=org, task_id=first.id, changes={"duration_days": 9}, meta={"actor": "staff:erin"}
    )
    found = app.compare_baselines(
        organisation_id=org, project_id=plan.id, reference_id=v1.id, current_id=v2.id
    )
    assert found.comparison.project_finish_variance == 1
    assert [c.actor for c in found.causes[str(second.id)]] == ["staff:dan"], "only changes between the two"
    assert len(app.baselines_of(org, plan.id)) == 2
    with pytest.raises(PlanningRuleBroken, match="saved before"):
        app.compare_baselines(organisation_id=org, project_id=plan.id, reference_id=v2.id, current_id=v1.id)


def test_a_baseline_of_another_project_or_tenant_is_not_found(app: PlanningApplication) -> None:
    org = uuid4()
    plan, other = project(app, org), project(app, org)
    chain(app, org, plan.id, "Only", days=1)
    baseline = app.save_baseline(organisation_id=org, project_id=plan.id, name="v1", meta=META)
    with pytest.raises(NotInOrganisation):
        app.compare_baselines(
            organisation_id=org, project_id=other.id, reference_id=baseline.id, current_id=None
        )
    with pytest.raises(NotInOrganisation):
        app.baselines_of(uuid4(), plan.id)


def test_the_timeline_draws_the_baseline_as_ghosts(app: PlanningApplication) -> None:
    org = uuid4()
    plan = project(app, org)
    first, second = chain(app, org, plan.id, "First", "Second", days=2)
    baseline = app.save_baseline(organisation_id=org, project_id=plan.id, name="v1", meta=META)
    app.update_task(organisation_id=org, task_id=first.id, changes={"duration_days": 5}, meta=META)
    timeline = app.timeline_of(org, plan.id, baseline.id)
    bars = {b.task_id: b for b in timeline.bars}
    assert bars[second.id].ghost is not None
    assert bars[second.id].ghost.finishes_on < bars[second.id].finishes_on
    assert timeline.critical_path == (first.id, second.id)
    assert [(a.predecessor_id, a.successor_id, a.critical) for a in timeline.arrows] == [
        (first.id, second.id, True)
    ]
