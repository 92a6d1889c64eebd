"""A project is created for a client with a name and dates that make sense."""

from datetime import date
from uuid import uuid4

import pytest

from trellis_planning.domain.errors import PlanningRuleBroken
from trellis_planning.domain.project import Project

META = {"actor": "user-1"}


def create(**overrides: object) -> Project:
    fields: dict[str, object] = {
        "organisation_id": uuid4(), "client_id": uuid4(), "name": "Kitchen refit",
        "starts_on": date(2026, 1, 5), "ends_on": date(2026, 3, 27), "meta": META,
    }
    fields.update(overrides)
    return Project.create(**fields)  # type: ignore[arg-type]


def test_a_new_project_records_one_created_event_with_its_facts() -> None:
    project = create(name="  Kitchen refit ")
    events = project.collect_events()
    assert len(events) == 1
    created = events[0]
    assert isinstance(created, Project.Created)
    assert created.name == "Kitchen refit"
    assert created.meta == META
    assert project.version == 1


def test_a_project_cannot_end_before_it_starts() -> None:
    with pytest.raises(PlanningRuleBroken, match="cannot end"):
        create(starts_on=date(2026, 3, 1), ends_on=date(2026, 2, 28))


def test_a_one_day_project_is_allowed() -> None:
    assert create(starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 1)).starts_on == date(2026, 3, 1)


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_a_project_needs_a_sensible_name(name: str) -> None:
    with pytest.raises(PlanningRuleBroken):
        create(name=name)
