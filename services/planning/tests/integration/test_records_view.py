"""The records read model, held to one behaviour by both implementations (memory and
PostgreSQL): it follows planning's notification log, lists and pages exactly, survives
concurrent catch-ups, and can be rebuilt from history with the same content."""

import threading
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from trellis_planning.application.planning import PlanningApplication
from trellis_planning.domain.document import StoredContent
from trellis_planning.domain.resource import ResourceKind
from trellis_planning.views.catch_up import catch_up
from trellis_planning.views.records import RecordsView, TimeEntryFilter
from trellis_planning.views.records_memory import MemoryRecordsView
from trellis_planning.views.records_postgres import PostgresRecordsView
from trellis_platform.database import datastore, ensure_schema

META = {"actor": "test"}
MONDAY = date(2026, 3, 2)


@pytest.fixture
def app() -> PlanningApplication:
    return PlanningApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


@pytest.fixture(params=["memory", "postgres"])
def new_view(request: pytest.FixtureRequest) -> Iterator[Any]:
    """Makes empty views of one implementation (several, to compare a rebuild)."""
    made: list[RecordsView] = []
    if request.param == "memory":

        def memory() -> RecordsView:
            made.append(MemoryRecordsView())
            return made[-1]

        yield memory
        return
    database_url: str = request.getfixturevalue("database_url")

    def postgres() -> RecordsView:
        schema = f"planning_{len(made)}"
        ensure_schema(database_url, schema)
        view = PostgresRecordsView(datastore(database_url, schema, pool_size=4))
        view.create_table()
        made.append(view)
        return view

    yield postgres
    for view in made:
        view.close()


class Tenant:
    def __init__(self, app: PlanningApplication) -> None:
        self.id = uuid4()
        self.project = app.create_project(
            organisation_id=self.id,
            client_id=uuid4(),
            name="Fit-out",
            starts_on=MONDAY,
            ends_on=MONDAY + timedelta(days=90),
            meta=META,
        ).id
        self.task = app.create_task(
            organisation_id=self.id, project_id=self.project, title="Walls", meta=META
        )[0].id
        self.person = app.register_resource(
            organisation_id=self.id,
            kind=ResourceKind.PERSON,
            name="Ann",
            hours_per_day=Decimal(8),
            working_weekdays=frozenset(range(1, 6)),
            meta=META,
        ).id

    def log(self, app: PlanningApplication, day: int, minutes: int = 60) -> UUID:
        return app.log_time(
            organisation_id=self.id,
            task_id=self.task,
            person_id=self.person,
            worked_on=MONDAY + timedelta(days=day),
            minutes=minutes,
            billable=True,
            note="",
            meta=META,
        ).id


def test_time_entries_follow_the_log_with_corrections_and_deletions(
    app: PlanningApplication, new_view: Any
) -> None:
    view: RecordsView = new_view()
    tenant, other = Tenant(app), Tenant(app)
    first, second, third = (tenant.log(app, day) for day in (0, 1, 2))
    other.log(app, 0)
    catch_up(app, view)
    logged = view.time_entries(TimeEntryFilter(tenant.id), limit=10, after=None).items
    app.correct_time_entry(organisation_id=tenant.id, entry_id=second, minutes=90, meta=META)
    app.delete_time_entry(organisation_id=tenant.id, entry_id=third, meta=META)
    catch_up(app, view)
    rows = view.time_entries(TimeEntryFilter(tenant.id), limit=10, after=None).items
    assert [(r.id, r.minutes) for r in rows] == [(first, 60), (second, 90)]
    assert rows[1].recorded_at == logged[1].recorded_at, "a correction keeps when the entry was first logged"
    assert rows[1].changed_at > rows[1].recorded_at
    assert rows[1].version == 2


def test_time_entries_are_filtered_and_paged_by_day(app: PlanningApplication, new_view: Any) -> None:
    view: RecordsView = new_view()
    tenant = Tenant(app)
    ids = [tenant.log(app, day) for day in (3, 0, 2, 1, 0)]
    catch_up(app, view)
    where = TimeEntryFilter(
        tenant.id,
        person_id=tenant.person,
        worked_from=MONDAY + timedelta(days=1),
        worked_to=MONDAY + timedelta(days=2),
    )
    assert {r.id for r in view.time_entries(where, limit=10, after=None).items} == {ids[2], ids[3]}
    assert view.time_entries(TimeEntryFilter(tenant.id, task_id=uuid4()), limit=10, after=None).items == []
    seen, after = [], None
    while True:
        page = view.time_entries(TimeEntryFilter(tenant.id, project_id=tenant.project), limit=2, after=after)
        seen += page.items
        if not page.has_more:
            break
        after = (page.items[-1].worked_on, page.items[-1].id)
    assert [r.worked_on for r in seen] == sorted(r.worked_on for r in seen)
    assert sorted(r.id for r in seen) == sorted(ids)


def test_documents_and_resources_are_listed_by_name(app: PlanningApplication, new_view: Any) -> None:
    view: RecordsView = new_view()
    tenant = Tenant(app)
    for name in ("Plans", "Contract"):
        document = app.add_document(
            organisation_id=tenant.id,
            project_id=tenant.project,
            name=name,
            content=StoredContent(key="a" * 64, size=3, sha256="a" * 64),
            content_type="application/pdf",
            filename=None,
            uploaded_by="staff:x",
            meta=META,
        )
    app.add_document_version(
        organisation_id=tenant.id,
        document_id=document.id,
        content=StoredContent(key="b" * 64, size=5, sha256="b" * 64),
        content_type=None,
        filename="c.bin",
        uploaded_by="staff:x",
        meta=META,
    )
    crane = app.register_resource(
        organisation_id=tenant.id,
        kind=ResourceKind.EQUIPMENT,
        name="Crane",
        hours_per_day=Decimal(10),
        working_weekdays=frozenset(range(1, 6)),
        meta=META,
    )
    app.change_capacity(
        organisation_id=tenant.id,
        resource_id=crane.id,
        hours_per_day=Decimal("7.5"),
        working_weekdays=frozenset({1, 2}),
        meta=META,
    )
    catch_up(app, view)
    documents = view.documents(tenant.id, tenant.project, limit=10, after=None).items
    assert [(d.name, d.latest_version, d.size, d.content_type) for d in documents] == [
        ("Contract", 2, 5, "application/octet-stream"),
        ("Plans", 1, 3, "application/pdf"),
    ]
    assert view.documents(uuid4(), tenant.project, limit=10, after=None).items == []
    everyone = view.resources(tenant.id, kind=None, limit=1, after=None)
    assert ([r.name for r in everyone.items], everyone.has_more) == (["Ann"], True)
    rest = view.resources(tenant.id, kind=None, limit=5, after=(everyone.items[0].name, everyone.items[0].id))
    assert [(r.name, r.hours_per_day) for r in rest.items] == [("Crane", Decimal("7.5"))]
    assert [r.name for r in view.resources(tenant.id, kind="equipment", limit=5, after=None).items] == [
        "Crane"
    ]


def test_catching_up_again_applies_nothing_and_a_rebuild_gives_the_same_content(
    app: PlanningApplication,
    new_view: Any,
) -> None:
    live: RecordsView = new_view()
    tenant = Tenant(app)
    for day in range(5):
        tenant.log(app, day)
        catch_up(app, live, batch_size=2)
    assert catch_up(app, live) == 0
    rebuilt: RecordsView = new_view()
    catch_up(app, rebuilt, batch_size=3)
    assert rebuilt.position() == live.position()
    everything = TimeEntryFilter(tenant.id)
    assert rebuilt.time_entries(everything, limit=50, after=None) == live.time_entries(
        everything, limit=50, after=None
    )
    assert rebuilt.resources(tenant.id, kind=None, limit=50, after=None) == live.resources(
        tenant.id, kind=None, limit=50, after=None
    )


def test_concurrent_catch_ups_apply_each_change_once(app: PlanningApplication, new_view: Any) -> None:
    view: RecordsView = new_view()
    tenant = Tenant(app)
    for day in range(20):
        tenant.log(app, day % 5, minutes=10)
    errors: list[BaseException] = []

    def follow() -> None:
        try:
            catch_up(app, view, batch_size=3)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=follow) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    rows = view.time_entries(TimeEntryFilter(tenant.id), limit=50, after=None).items
    assert len(rows) == 20
    assert catch_up(app, view) == 0, "nothing is left to apply"


def test_the_position_moves_past_events_the_view_does_not_follow(
    app: PlanningApplication, new_view: Any
) -> None:
    view: RecordsView = new_view()
    tenant = Tenant(app)
    tenant.log(app, 0)
    for n in range(3):
        app.create_project(
            organisation_id=tenant.id,
            client_id=uuid4(),
            name=f"Other {n}",
            starts_on=MONDAY,
            ends_on=MONDAY,
            meta=META,
        )
    catch_up(app, view, batch_size=2)
    assert view.position() == app.recorder.max_notification_id(), "the next catch-up starts after them"
