"""Loading an aggregate on behalf of an organisation: another tenant's is not found.

Absent, of another kind, or of another organisation all answer the same
``NotInOrganisation``, so an id never reveals whether it exists elsewhere.
"""

from __future__ import annotations

from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application

from trellis_planning.domain.plan_errors import NotInOrganisation

T = TypeVar("T")


def aggregate_in(app: Application[UUID], kind: type[T], label: str, organisation_id: UUID,
                 aggregate_id: UUID) -> T:
    try:
        found: Any = app.repository.get(aggregate_id)
    except AggregateNotFoundError:
        raise NotInOrganisation(label, aggregate_id) from None
    if not isinstance(found, kind) or getattr(found, "organisation_id", None) != organisation_id:
        raise NotInOrganisation(label, aggregate_id)
    return found
