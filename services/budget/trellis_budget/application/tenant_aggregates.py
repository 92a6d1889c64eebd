"""Loading an aggregate for a caller's organisation: another tenant's is not found."""

from __future__ import annotations

from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application

from trellis_budget.domain.errors import NotFound

T = TypeVar("T")


class TenantAggregates(Application[UUID]):
    def load(self, kind: type[T], aggregate_id: UUID, organisation_id: UUID, what: str) -> T:
        found = self.find(kind, aggregate_id, organisation_id)
        if found is None:
            raise NotFound(f"No {what} {aggregate_id} in this organisation.")
        return found

    def find(self, kind: type[T], aggregate_id: UUID, organisation_id: UUID) -> T | None:
        try:
            aggregate: Any = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        if not isinstance(aggregate, kind) or getattr(aggregate, "organisation_id", None) != organisation_id:
            return None
        return aggregate
