"""Every change to the plan reaches Kafka as a documented, registered integration event."""

import json
from datetime import date
from pathlib import Path
from typing import Any
from uuid import uuid4

import jsonschema
from eventsourcing.domain import Aggregate
from plan_support import META, chain, in_memory_application, project, tenant

from trellis_contracts.registry import BY_TYPE
from trellis_planning.application.planning import PlanningApplication
from trellis_planning.domain.milestone import Milestone
from trellis_planning.domain.minutes import Minutes
from trellis_planning.domain.plan_settings import PlanSettings
from trellis_planning.domain.project import Project
from trellis_planning.domain.task import Task
from trellis_planning.publishing.mapping import to_integration_events

EXPORTED = Path(__file__).resolve().parents[4] / "shared" / "contracts" / "exported" / "schemas"
INTERNAL = {
    PlanSettings.Created,
    PlanSettings.TemplateSaved,
    Project.TaskAdded,
    Project.MilestoneAdded,
    Project.BaselineAdded,
    Project.MinutesAdded,
}
"""Indexes: the thing each points at publishes its own creation."""


def busy_plan() -> PlanningApplication:
    """One of every change the plan knows."""
    app = in_memory_application()
    people = tenant(app)
    org = people.id
    template_project, _ = app.create_project_from_template(
        organisation_id=org,
        template_id="construction",
        client_id=uuid4(),
        name="House",
        starts_on=date(2026, 3, 2),
        ends_on=None,
        meta=META,
    )
    app.save_project_as_template(
        organisation_id=org,
        project_id=template_project.id,
        name="Our house",
        industry="construction",
        description="",
        meta=META,
    )
    plan = project(app, org)
    money = app.define_custom_field(
        organisation_id=org,
        name="Value",
        type_="money",
        required=False,
        choices=[],
        scope="organisation",
        meta=META,
    )
    app.change_custom_field(organisation_id=org, field_id=money.id, name="Order value", meta=META)
    app.define_naming_rule(
        organisation_id=org, subject="milestone_name", pattern=".+", description="", meta=META
    )
    app.remove_naming_rule(organisation_id=org, subject="milestone_name", meta=META)
    app.define_calendar(organisation_id=org, weekend_days=[5, 6], holidays=[date(2026, 4, 3)], meta=META)
    milestone, _ = app.add_milestone(
        organisation_id=org,
        project_id=plan.id,
        name="Done",
        starts_on=date(2026, 3, 2),
        due_on=date(2026, 4, 30),
        meta=META,
    )
    a, b = chain(app, org, plan.id, "A", "B")
    app.save_baseline(organisation_id=org, project_id=plan.id, name="v1", meta=META)
    app.update_task(
        organisation_id=org,
        task_id=a.id,
        meta=META,
        changes={
            "title": "A2",
            "description": "d",
            "assignee_ids": [people.alice],
            "estimate_minutes": 60,
            "priority": "high",
            "tags": ["t"],
            "custom_values": {money.id: {"amount": "1.00", "currency": "EUR"}},
            "milestone_id": milestone.id,
            "duration_days": 4,
        },
    )
    app.change_status(organisation_id=org, task_id=a.id, status="done", meta=META)
    app.change_status(organisation_id=org, task_id=a.id, status="in_progress", meta=META)
    app.move_card(
        organisation_id=org,
        project_id=plan.id,
        task_id=b.id,
        to_status="todo",
        after_task_id=None,
        before_task_id=None,
        meta=META,
    )
    tasks = [app.get_task(org, b.id)]
    tasks[0].rebalance_rank("W", META)
    app.save(*tasks)
    app.change_milestone(organisation_id=org, milestone_id=milestone.id, name="Finished", meta=META)
    app.remove_dependency(
        organisation_id=org, project_id=plan.id, predecessor_id=a.id, successor_id=b.id, type_="FS", meta=META
    )
    app.retire_custom_field(organisation_id=org, field_id=money.id, meta=META)
    app.record_minutes(
        organisation_id=org,
        project_id=plan.id,
        title="Weekly",
        held_on=date(2026, 3, 3),
        attendees=[{"name": "Al", "person_id": None}],
        notes="",
        decisions=["Go"],
        action_items=[{"title": "Call client"}],
        meta=META,
    )
    return app


def test_every_domain_event_maps_to_a_registered_contract_and_validates_against_its_export() -> None:
    app = busy_plan()
    seen_domain: set[type[Any]] = set()
    seen_types: set[str] = set()
    envelope_schema = json.loads((EXPORTED / "cloudevent.json").read_text())
    for notification in app.recorder.select_notifications(0, 100_000):
        event = app.mapper.to_domain_event(notification)
        seen_domain.add(type(event))
        outgoing = to_integration_events(event, notification.id)
        if type(event) in INTERNAL:
            assert outgoing == []
            continue
        if not isinstance(event, Task | Milestone | Minutes) and type(event).__module__.startswith(
            ("trellis_planning.domain.resource", "trellis_planning.domain.time")
        ):
            continue
        assert outgoing, f"{type(event).__qualname__} is not published"
        for out in outgoing:
            document = json.loads(out.envelope.model_dump_json())
            assert out.envelope.type in BY_TYPE, "registered in the contract registry"
            schema = json.loads((EXPORTED / f"{out.envelope.type}.json").read_text())
            jsonschema.validate(document["data"], schema)
            jsonschema.validate(document, envelope_schema)
            assert out.key == str(event.originator_id)
            assert out.envelope.organisationid == document["data"]["organisation_id"]
            seen_types.add(out.envelope.type)
    plan_events = [
        cls
        for owner in (Task, Milestone, Project, PlanSettings)
        for cls in vars(owner).values()
        if isinstance(cls, type) and issubclass(cls, Aggregate.Event)
    ]
    assert len(plan_events) > 30
    missing = [c.__qualname__ for c in plan_events if c not in seen_domain and c.__name__ != "Event"]
    assert missing == [], "the busy plan exercises every event"
    assert len(seen_types) >= 30
