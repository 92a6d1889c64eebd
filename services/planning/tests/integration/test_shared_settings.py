"""On a real PostgreSQL: creating a project reads its organisation's settings from what is
kept between commands, and still sees every change at once, made by this process or by
another one on the same event store."""

from collections.abc import Iterator
from datetime import date
from uuid import UUID, uuid4

import pytest

from trellis_planning.domain.plan_errors import NamingRuleBroken, WorkflowRuleBroken
from trellis_planning.wiring import Planning, build_planning

META = {"actor": "staff:admin", "request_id": "req-1"}


@pytest.fixture
def two_processes(database_url: str) -> Iterator[tuple[Planning, Planning]]:
    first, second = build_planning(database_url, pool_size=2), build_planning(database_url, pool_size=2)
    yield first, second
    first.close()
    second.close()


def create(planning: Planning, org: UUID, name: str, workflow_id: str = "default") -> None:
    planning.application.create_project(organisation_id=org, client_id=uuid4(), name=name,
                                        starts_on=date(2026, 1, 5), ends_on=date(2026, 6, 26), meta=META,
                                        workflow_id=workflow_id)


def name_rule(planning: Planning, org: UUID, pattern: str) -> None:
    planning.application.define_naming_rule(organisation_id=org, subject="project_name", pattern=pattern,
                                            description=f"Names match {pattern}", meta=META)


def test_a_rule_defined_by_another_process_governs_the_next_project(
        two_processes: tuple[Planning, Planning]) -> None:
    first, second = two_processes
    org = uuid4()
    create(first, org, "anything goes")  # the defaults, now kept by the first process
    name_rule(second, org, r"P-\d+ .+")
    with pytest.raises(NamingRuleBroken, match=r"P-\\d\+ \.\+"):
        create(first, org, "still anything")
    create(first, org, "P-1 Fit-out")
    name_rule(second, org, r"Q-\d+ .+")
    with pytest.raises(NamingRuleBroken):
        create(first, org, "P-2 Fit-out")
    create(first, org, "Q-1 Fit-out")


def test_a_change_made_here_is_seen_by_the_next_command_here(
        two_processes: tuple[Planning, Planning]) -> None:
    first, _ = two_processes
    org = uuid4()
    with pytest.raises(WorkflowRuleBroken):
        create(first, org, "Kanban", workflow_id="kanban")
    first.application.define_workflow(
        organisation_id=org, workflow_id="kanban", name="Kanban",
        statuses=[("todo", "To do", "todo", None, False), ("done", "Done", "done", None, False)],
        transitions={"todo": ["done"]}, initial=None, meta=META)
    create(first, org, "Kanban", workflow_id="kanban")


def test_organisations_keep_their_own_settings(two_processes: tuple[Planning, Planning]) -> None:
    first, second = two_processes
    strict, relaxed = uuid4(), uuid4()
    name_rule(second, strict, r"S-\d+ .+")
    with pytest.raises(NamingRuleBroken):
        create(first, strict, "no key")
    create(first, relaxed, "no key")
