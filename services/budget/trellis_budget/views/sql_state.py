"""The ledger engine's state for one batch: what it reads is loaded from PostgreSQL
(in bulk where the batch says what it will need), what it changes is kept in memory
and written back when the batch commits, in the batch's transaction."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date
from typing import Any
from uuid import UUID

from psycopg import Cursor, sql
from psycopg.rows import DictRow

from trellis_budget.domain.ledger.model import Person, Source, SubjectRate
from trellis_budget.domain.ledger.state import MemoryLedgerState
from trellis_budget.domain.rate_card import RatePeriod
from trellis_budget.views.source_codec import decode_source


class SqlLedgerState(MemoryLedgerState):
    def __init__(self, curs: Cursor[DictRow], schema: str) -> None:
        super().__init__()
        self._curs = curs
        self._schema = schema
        self._missing_sources: set[UUID] = set()
        self._missing_people: set[tuple[UUID, UUID]] = set()
        self._rates_loaded: set[UUID] = set()
        self.dirty_sources: set[UUID] = set()
        self.new_sources: set[UUID] = set()  # known absent from the table when first put
        self.dirty_people: set[tuple[UUID, UUID]] = set()
        self.dirty_rates: set[UUID] = set()

    def _table(self, name: str) -> sql.Identifier:
        return sql.Identifier(self._schema, name)

    # -- bulk loading --------------------------------------------------------------------

    def prefetch_sources(self, source_ids: Iterable[UUID]) -> None:
        wanted = [i for i in set(source_ids) if i not in self.sources and i not in self._missing_sources]
        if not wanted:
            return
        self._curs.execute(
            sql.SQL(
                "SELECT source_id, organisation_id, version, removed, data FROM {} WHERE source_id = ANY(%s)"
            ).format(self._table("ledger_sources")),
            (wanted,),
        )
        for row in self._curs.fetchall():
            self._keep_source(row)
        self._missing_sources.update(i for i in wanted if i not in self.sources)

    def prefetch_people(self, keys: Iterable[tuple[UUID, UUID]]) -> None:
        wanted = [k for k in set(keys) if k not in self.people and k not in self._missing_people]
        if not wanted:
            return
        self._curs.execute(
            sql.SQL(
                "SELECT p.* FROM {} p JOIN unnest(%s::uuid[], %s::uuid[]) AS k(o, r)"
                " ON p.organisation_id = k.o AND p.resource_id = k.r"
            ).format(self._table("ledger_people")),
            ([k[0] for k in wanted], [k[1] for k in wanted]),
        )
        for row in self._curs.fetchall():
            self.people[(row["organisation_id"], row["resource_id"])] = _person(row)
        self._missing_people.update(k for k in wanted if k not in self.people)

    def prefetch_rates(self, organisation_ids: Iterable[UUID]) -> None:
        wanted = [o for o in set(organisation_ids) if o not in self._rates_loaded]
        if not wanted:
            return
        self._curs.execute(
            sql.SQL("SELECT * FROM {} WHERE organisation_id = ANY(%s)").format(self._table("ledger_rates")),
            (wanted,),
        )
        for row in self._curs.fetchall():
            if row["period_id"] not in self.rates_by_period:
                MemoryLedgerState.put_rate(self, _rate(row))
        self._rates_loaded.update(wanted)

    def _keep_source(self, row: dict[str, Any]) -> None:
        if row["source_id"] not in self.sources:
            self.sources[row["source_id"]] = decode_source(
                row["source_id"], row["organisation_id"], row["version"], row["removed"], row["data"]
            )

    # -- LedgerState, loading what is missing --------------------------------------------

    def source(self, source_id: UUID) -> Source | None:
        if source_id not in self.sources and source_id not in self._missing_sources:
            self.prefetch_sources([source_id])
        return self.sources.get(source_id)

    def put_source(self, source: Source) -> None:
        if source.source_id in self._missing_sources:
            self.new_sources.add(source.source_id)
            self._missing_sources.discard(source.source_id)
        super().put_source(source)
        self.dirty_sources.add(source.source_id)

    def sources_of(
        self, organisation_id: UUID, subject_ids: Collection[UUID], first: date | None, last: date | None
    ) -> list[Source]:
        if subject_ids:
            self._curs.execute(
                sql.SQL(
                    "SELECT source_id, organisation_id, version, removed, data FROM {}"
                    " WHERE organisation_id = %s AND subject_id = ANY(%s) AND NOT removed"
                    " AND (%s::date IS NULL OR last_day >= %s::date)"
                    " AND (%s::date IS NULL OR first_day <= %s::date)"
                ).format(self._table("ledger_sources")),
                (organisation_id, list(subject_ids), first, first, last, last),
            )
            for row in self._curs.fetchall():
                self._keep_source(row)
        return super().sources_of(organisation_id, subject_ids, first, last)

    def person(self, organisation_id: UUID, resource_id: UUID) -> Person | None:
        key = (organisation_id, resource_id)
        if key not in self.people and key not in self._missing_people:
            self.prefetch_people([key])
        return self.people.get(key)

    def put_person(self, person: Person) -> None:
        super().put_person(person)
        key = (person.organisation_id, person.resource_id)
        self._missing_people.discard(key)
        self.dirty_people.add(key)

    def people_with_role(self, organisation_id: UUID, role: str) -> list[UUID]:
        self._curs.execute(
            sql.SQL("SELECT resource_id FROM {} WHERE organisation_id = %s AND role = %s").format(
                self._table("ledger_people")
            ),
            (organisation_id, role),
        )
        self.prefetch_people((organisation_id, row["resource_id"]) for row in self._curs.fetchall())
        return super().people_with_role(organisation_id, role)

    def rates(self, organisation_id: UUID, subject_kind: str, subject: str) -> list[SubjectRate]:
        if organisation_id not in self._rates_loaded:
            self.prefetch_rates([organisation_id])
        return super().rates(organisation_id, subject_kind, subject)

    def rate(self, period_id: UUID) -> SubjectRate | None:
        found = super().rate(period_id)
        if found is None:
            self._curs.execute(
                sql.SQL("SELECT * FROM {} WHERE period_id = %s").format(self._table("ledger_rates")),
                (period_id,),
            )
            row = self._curs.fetchone()
            if row is not None:
                found = _rate(row)
                MemoryLedgerState.put_rate(self, found)
        return found

    def put_rate(self, rate: SubjectRate) -> None:
        self.prefetch_rates([rate.organisation_id])
        super().put_rate(rate)
        self.dirty_rates.add(rate.period.period_id)


def _person(row: dict[str, Any]) -> Person:
    return Person(
        organisation_id=row["organisation_id"],
        resource_id=row["resource_id"],
        role=row["role"],
        hours_per_day=row["hours_per_day"],
        version=row["version"],
    )


def _rate(row: dict[str, Any]) -> SubjectRate:
    return SubjectRate(
        organisation_id=row["organisation_id"],
        subject_kind=row["subject_kind"],
        subject=row["subject"],
        period=RatePeriod(
            period_id=row["period_id"],
            effective_from=row["effective_from"],
            effective_to=row["effective_to"],
            unit=row["unit"],
            cost_rate=row["cost_rate"],
            bill_rate=row["bill_rate"],
            currency=row["currency"].strip(),
        ),
        version=row["version"],
    )
