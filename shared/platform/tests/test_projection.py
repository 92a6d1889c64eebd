"""Aggregates read back through a ProjectsDirectly application are what eventsourcing's own
projection makes of the same events, whether from the first event, from a snapshot, at an
earlier version or from the aggregate cache."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from eventsourcing.application import project_aggregate
from eventsourcing.domain import Aggregate, event
from hypothesis import given
from hypothesis import strategies as st

from trellis_platform.projection import DirectlyProjectingRepository, ProjectsDirectly, project_events


class Dog(Aggregate):
    @event("Registered")
    def __init__(self, name: str) -> None:
        self.name = name
        self.tricks: list[str] = []

    @event("TrickAdded")
    def add_trick(self, trick: str) -> None:
        self.tricks.append(trick)


class Kennel(ProjectsDirectly):
    def register(self, name: str, tricks: list[str]) -> UUID:
        dog = Dog(name)
        for trick in tricks:
            dog.add_trick(trick)
        self.save(dog)
        return dog.id

    def teach(self, dog_id: UUID, trick: str) -> None:
        dog: Dog = self.repository.get(dog_id)
        dog.add_trick(trick)
        self.save(dog)


def as_eventsourcing_projects(app: Kennel, dog_id: UUID, version: int | None = None) -> Any:
    return project_aggregate(None, app.events.get(dog_id, lte=version))


def state(dog: Any) -> dict[str, Any]:
    return {**vars(dog)}


@given(name=st.text(max_size=8), tricks=st.lists(st.text(max_size=5), max_size=12))
def test_projecting_directly_makes_what_eventsourcing_makes(name: str, tricks: list[str]) -> None:
    dog = Dog(name)
    for trick in tricks:
        dog.add_trick(trick)
    events = dog.collect_events()
    assert state(project_events(None, events)) == state(project_aggregate(None, events))


def test_no_events_project_to_nothing() -> None:
    assert project_events(None, []) is None


def test_an_event_that_cannot_mutate_fails_loudly() -> None:
    with pytest.raises(AttributeError, match="mutate"):
        project_events(None, [object()])


def test_the_repository_reads_back_every_version_as_eventsourcing_would() -> None:
    kennel = Kennel()
    assert isinstance(kennel.repository, DirectlyProjectingRepository)
    dog_id = kennel.register("Fido", ["sit", "roll"])
    kennel.teach(dog_id, "fetch")
    assert state(kennel.repository.get(dog_id)) == state(as_eventsourcing_projects(kennel, dog_id))
    assert kennel.repository.get(dog_id).tricks == ["sit", "roll", "fetch"]
    assert state(kennel.repository.get(dog_id, version=2)) == state(
        as_eventsourcing_projects(kennel, dog_id, version=2))


def test_snapshots_are_projected_from_too() -> None:
    class SnapshottingKennel(Kennel):
        snapshotting_intervals = {Dog: 2}

    kennel = SnapshottingKennel()
    dog_id = kennel.register("Rex", [])
    for trick in ("sit", "stay", "heel"):
        kennel.teach(dog_id, trick)
    assert kennel.snapshots is not None
    assert list(kennel.snapshots.get(dog_id)), "a snapshot was taken"
    assert kennel.repository.get(dog_id).tricks == ["sit", "stay", "heel"]


def test_the_aggregate_cache_is_configured_as_eventsourcing_configures_it() -> None:
    kennel = Kennel(env={"AGGREGATE_CACHE_MAXSIZE": "10", "AGGREGATE_CACHE_FASTFORWARD": "n"})
    assert kennel.repository.cache is not None
    assert kennel.repository.fastforward is False
    dog_id = kennel.register("Bo", ["sit"])
    kennel.teach(dog_id, "beg")
    assert kennel.repository.get(dog_id).tricks == ["sit", "beg"]
    assert Kennel().repository.cache is None
