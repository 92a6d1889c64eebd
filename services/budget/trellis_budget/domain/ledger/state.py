"""Where the ledger engine reads and keeps its working state; kept in memory for the
pure tests, and backed by PostgreSQL (loaded per batch) in the service."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Protocol
from uuid import UUID

from trellis_budget.domain.ledger.model import Person, Source, SubjectRate


class LedgerState(Protocol):
    def source(self, source_id: UUID) -> Source | None: ...

    def put_source(self, source: Source) -> None: ...

    def sources_of(
        self, organisation_id: UUID, subject_ids: Collection[UUID], first: date | None, last: date | None
    ) -> list[Source]:
        """Sources priced by these subjects with a day in [first, last] (None: unbounded)."""

    def person(self, organisation_id: UUID, resource_id: UUID) -> Person | None: ...

    def put_person(self, person: Person) -> None: ...

    def people_with_role(self, organisation_id: UUID, role: str) -> list[UUID]: ...

    def rates(self, organisation_id: UUID, subject_kind: str, subject: str) -> list[SubjectRate]: ...

    def rate(self, period_id: UUID) -> SubjectRate | None: ...

    def put_rate(self, rate: SubjectRate) -> None: ...


class MemoryLedgerState:
    def __init__(self) -> None:
        self.sources: dict[UUID, Source] = {}
        self.people: dict[tuple[UUID, UUID], Person] = {}
        self.rates_by_period: dict[UUID, SubjectRate] = {}
        self._rates_by_subject: dict[tuple[UUID, str, str], dict[UUID, SubjectRate]] = {}

    def source(self, source_id: UUID) -> Source | None:
        return self.sources.get(source_id)

    def put_source(self, source: Source) -> None:
        self.sources[source.source_id] = source

    def sources_of(
        self, organisation_id: UUID, subject_ids: Collection[UUID], first: date | None, last: date | None
    ) -> list[Source]:
        wanted = set(subject_ids)
        return [
            s
            for s in self.sources.values()
            if s.facts.organisation_id == organisation_id
            and s.facts.subject_id in wanted
            and (last is None or s.facts.first_day <= last)
            and (first is None or s.facts.last_day >= first)
        ]

    def person(self, organisation_id: UUID, resource_id: UUID) -> Person | None:
        return self.people.get((organisation_id, resource_id))

    def put_person(self, person: Person) -> None:
        self.people[(person.organisation_id, person.resource_id)] = person

    def people_with_role(self, organisation_id: UUID, role: str) -> list[UUID]:
        return [
            p.resource_id for (org, _), p in self.people.items() if org == organisation_id and p.role == role
        ]

    def rates(self, organisation_id: UUID, subject_kind: str, subject: str) -> list[SubjectRate]:
        return list(self._rates_by_subject.get((organisation_id, subject_kind, subject), {}).values())

    def rate(self, period_id: UUID) -> SubjectRate | None:
        return self.rates_by_period.get(period_id)

    def put_rate(self, rate: SubjectRate) -> None:
        self.rates_by_period[rate.period.period_id] = rate
        key = (rate.organisation_id, rate.subject_kind, rate.subject)
        self._rates_by_subject.setdefault(key, {})[rate.period.period_id] = rate
