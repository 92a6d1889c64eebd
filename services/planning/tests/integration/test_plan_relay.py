"""On a real PostgreSQL: the plan's changes are stored atomically and the relay publishes
each of them as its documented integration event."""

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any
from uuid import uuid4

import pytest

from trellis_contracts.registry import contract_for
from trellis_planning.domain.errors import PlanningRuleBroken
from trellis_planning.wiring import Planning, build_planning
from trellis_platform.outgoing import OutgoingEvent

META = {"actor": "staff:pm", "request_id": "req-1"}


class RecordingSink:
    def __init__(self) -> None:
        self.published: list[OutgoingEvent] = []

    async def publish(self, events: Sequence[OutgoingEvent]) -> None:
        self.published.extend(events)


@pytest.fixture
def planning(database_url: str) -> Iterator[Planning]:
    service = build_planning(database_url, pool_size=2)
    yield service
    service.close()


async def relay_all(planning: Planning) -> list[OutgoingEvent]:
    sink = RecordingSink()
    relay = planning.relay(sink, batch_size=50)
    while await relay.relay_batch():
        pass
    assert relay.lag() == 0
    return sink.published


async def test_a_project_from_a_template_reaches_the_broker_as_documented_events(planning: Planning) -> None:
    app = planning.application
    org = uuid4()
    project, _ = app.create_project_from_template(
        organisation_id=org,
        template_id="construction",
        client_id=uuid4(),
        name="Riverside house",
        starts_on=date(2026, 3, 2),
        ends_on=None,
        meta=META,
    )
    first = project.task_ids[0]
    app.update_task(organisation_id=org, task_id=first, changes={"duration_days": 6}, meta=META)
    app.change_status(organisation_id=org, task_id=first, status="in_progress", meta=META)
    app.save_baseline(organisation_id=org, project_id=project.id, name="Agreed", meta=META)
    published = await relay_all(planning)
    types = {e.envelope.type for e in published}
    assert {
        "com.trellis.planning.project.created.v1",
        "com.trellis.planning.project.plan_configured.v1",
        "com.trellis.planning.workflow.defined.v1",
        "com.trellis.planning.custom_field.defined.v1",
        "com.trellis.planning.milestone.scheduled.v1",
        "com.trellis.planning.task.created.v1",
        "com.trellis.planning.dependency.added.v1",
        "com.trellis.planning.schedule.shifted.v1",
        "com.trellis.planning.project.progress_changed.v1",
        "com.trellis.planning.task.rescheduled.v1",
        "com.trellis.planning.task.status_changed.v1",
        "com.trellis.planning.baseline.saved.v1",
    } <= types
    versions: dict[str, list[int]] = defaultdict(list)
    for event in published:
        contract_for(event.envelope.type).model_validate(event.envelope.data)
        assert event.envelope.organisationid == str(org)
        assert event.key == event.envelope.subject
        versions[event.key].append(event.envelope.aggregateversion)
    assert all(v == sorted(v) for v in versions.values()), "one aggregate's events keep their order"
    shifted = [e for e in published if e.envelope.type.endswith("schedule.shifted.v1")]
    assert shifted[-1].envelope.data["actor"] == "staff:pm"


async def test_a_refused_command_stores_nothing_on_postgresql(planning: Planning) -> None:
    app = planning.application
    before = app.recorder.max_notification_id() or 0
    with pytest.raises(PlanningRuleBroken):
        app.create_project_from_template(
            organisation_id=uuid4(),
            template_id="it-delivery",
            client_id=uuid4(),
            name="Too short",
            starts_on=date(2026, 3, 2),
            ends_on=date(2026, 3, 6),
            meta=META,
        )
    assert (app.recorder.max_notification_id() or 0) == before


async def test_a_plan_reloaded_from_postgresql_is_the_plan_that_was_saved(planning: Planning) -> None:
    app = planning.application
    org = uuid4()
    project, settled = app.create_project_from_template(
        organisation_id=org,
        template_id="creative-agency",
        client_id=uuid4(),
        name="Campaign",
        starts_on=date(2026, 3, 2),
        ends_on=None,
        meta=META,
    )
    reloaded = app.load_plan(org, project.id)
    assert reloaded.schedule().entries == settled.schedule.entries
    assert reloaded.project.scheduled == settled.plan.project.scheduled
    assert reloaded.project.progress == settled.plan.project.progress


async def test_a_project_read_back_from_its_snapshot_is_the_project_that_was_saved(
    planning: Planning,
) -> None:
    app = planning.application
    org = uuid4()
    project, _ = app.create_project_from_template(
        organisation_id=org,
        template_id="it-delivery",
        client_id=uuid4(),
        name="Platform",
        starts_on=date(2026, 3, 2),
        ends_on=None,
        meta=META,
    )
    assert app.project_in(org, project.id).version > 50, "a snapshot was taken"
    assert app.snapshots is not None
    assert list(app.snapshots.get(project.id))
    for days in (3, 4, 5):
        app.update_task(
            organisation_id=org, task_id=project.task_ids[0], changes={"duration_days": days}, meta=META
        )
    from_snapshot = app.project_in(org, project.id)
    replayed: Any = None
    for event in app.repository.event_store.get(project.id):
        replayed = event.mutate(replayed)
    assert vars(from_snapshot) == vars(replayed), "snapshot and full replay agree"
