"""A client project: who it is for, what it is called, and when it runs.

Stored event topics are ``trellis_planning.domain.project:Project.<Event>``: part of
the stored data, so this module and these class names stay where they are.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from trellis_planning.domain.errors import PlanningRuleBroken

MAX_NAME_LENGTH = 200


class Project(Aggregate):
    class Created(Aggregate.Created):
        organisation_id: UUID
        client_id: UUID
        name: str
        starts_on: date
        ends_on: date
        meta: dict[str, str]

    @event(Created)
    def __init__(
        self,
        *,
        organisation_id: UUID,
        client_id: UUID,
        name: str,
        starts_on: date,
        ends_on: date,
        meta: dict[str, str],
    ) -> None:
        self.organisation_id = organisation_id
        self.client_id = client_id
        self.name = name
        self.starts_on = starts_on
        self.ends_on = ends_on

    @classmethod
    def create(
        cls,
        *,
        organisation_id: UUID,
        client_id: UUID,
        name: str,
        starts_on: date,
        ends_on: date,
        meta: dict[str, str],
    ) -> Project:
        name = name.strip()
        check_name(name)
        check_dates(starts_on, ends_on)
        return cls(
            organisation_id=organisation_id,
            client_id=client_id,
            name=name,
            starts_on=starts_on,
            ends_on=ends_on,
            meta=meta,
        )


def check_name(name: str) -> None:
    if not name:
        raise PlanningRuleBroken("A project needs a name.")
    if len(name) > MAX_NAME_LENGTH:
        raise PlanningRuleBroken(f"A project name has at most {MAX_NAME_LENGTH} characters.")


def check_dates(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise PlanningRuleBroken(
            f"A project cannot end ({ends_on.isoformat()}) before it starts ({starts_on.isoformat()})."
        )
