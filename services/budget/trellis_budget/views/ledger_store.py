"""Budget's read side on PostgreSQL: the cost ledger and what reports need, kept with
tracking records (eventsourcing's idiom), written one batch per transaction.

A batch takes an advisory lock per organisation it touches (in a fixed order), so two
consumer processes never price the same organisation's costs from a stale view of its
rates; it skips positions already applied, and commits its effects, its tracking
records and the projects whose thresholds need a look in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple
from uuid import UUID

from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from psycopg import Cursor, sql
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

from trellis_budget.domain.ledger.model import Entry
from trellis_budget.views.ledger_tables import create_statements
from trellis_budget.views.source_codec import encode_source
from trellis_budget.views.sql_state import SqlLedgerState

ENTRY_COLUMNS = (
    "organisation_id",
    "project_id",
    "source_kind",
    "source_id",
    "category",
    "cost_kind",
    "milestone_id",
    "worked_on",
    "quantity",
    "unit",
    "rate",
    "rate_ref",
    "amount",
    "bill_amount",
    "currency",
    "cause",
    "reversal",
    "recorded_at",
)
_LOCK_NAMESPACE = 0x7B75


@dataclass(frozen=True)
class ProgressFact:
    event_id: str
    organisation_id: UUID
    project_id: UUID
    as_of: date
    percent: Decimal
    milestones: dict[str, str]
    recorded_at: datetime


class LedgerBatch:
    """One transaction's worth of ledger work; made by ``LedgerStore.batch``."""

    def __init__(self, curs: Cursor[DictRow], schema: str, tracking: LedgerStore) -> None:
        self.curs = curs
        self.schema = schema
        self.state = SqlLedgerState(curs, schema)
        self._tracking = tracking
        self._applied: dict[str, int] = {}
        self.pending_checks: set[tuple[UUID, UUID]] = set()

    def _t(self, name: str) -> sql.Identifier:
        return sql.Identifier(self.schema, name)

    def unapplied(self, positions: Sequence[Tracking]) -> list[bool]:
        """For each position: True when it has not been applied yet."""
        streams = sorted({p.application_name for p in positions})
        self.curs.execute(
            sql.SQL(
                "SELECT application_name, notification_id FROM {} WHERE application_name = ANY(%s)"
            ).format(sql.Identifier(self.schema, self._tracking.tracking_table_name)),
            (streams,),
        )
        self._applied = {row["application_name"]: row["notification_id"] for row in self.curs.fetchall()}
        return [p.notification_id > self._applied.get(p.application_name, -1) for p in positions]

    # -- plain projections ---------------------------------------------------------------

    def project(
        self, organisation_id: UUID, project_id: UUID, name: str, starts_on: date, ends_on: date
    ) -> None:
        self.curs.execute(
            sql.SQL(
                "INSERT INTO {} VALUES (%s, %s, %s, %s, %s) ON CONFLICT (project_id) DO UPDATE"
                " SET name = EXCLUDED.name, starts_on = EXCLUDED.starts_on, ends_on = EXCLUDED.ends_on"
            ).format(self._t("plan_projects")),
            (project_id, organisation_id, name, starts_on, ends_on),
        )

    def milestone(
        self,
        organisation_id: UUID,
        project_id: UUID,
        milestone_id: UUID,
        name: str,
        starts_on: date,
        due_on: date,
        version: int,
    ) -> None:
        self.curs.execute(
            sql.SQL(
                "INSERT INTO {t} VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (milestone_id) DO UPDATE"
                " SET name = EXCLUDED.name, starts_on = EXCLUDED.starts_on, due_on = EXCLUDED.due_on,"
                " version = EXCLUDED.version WHERE {t}.version < EXCLUDED.version"
            ).format(t=self._t("plan_milestones")),
            (milestone_id, organisation_id, project_id, name, starts_on, due_on, version),
        )

    def progress(self, fact: ProgressFact) -> None:
        self.curs.execute(
            sql.SQL(
                "INSERT INTO {} VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (event_id) DO NOTHING"
            ).format(self._t("plan_progress")),
            (
                fact.event_id,
                fact.organisation_id,
                fact.project_id,
                fact.as_of,
                fact.percent,
                Jsonb(fact.milestones),
                fact.recorded_at,
            ),
        )
        self.pending_checks.add((fact.organisation_id, fact.project_id))

    def budget_revision(
        self,
        *,
        organisation_id: UUID,
        project_id: UUID,
        revision: int,
        currency: str,
        total: Decimal,
        lines: list[dict[str, Any]],
        reason: str,
        change_order_id: UUID | None,
        recorded_at: datetime,
    ) -> None:
        self.curs.execute(
            sql.SQL(
                "INSERT INTO {} VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING"
            ).format(self._t("budget_revisions")),
            (
                project_id,
                revision,
                organisation_id,
                currency,
                total,
                Jsonb(lines),
                reason,
                change_order_id,
                recorded_at,
            ),
        )
        self.pending_checks.add((organisation_id, project_id))

    def exchange_rate(
        self,
        *,
        organisation_id: UUID,
        rate_id: UUID,
        base: str,
        quote: str,
        on: date,
        rate: Decimal,
        source: str,
        recorded_at: datetime,
    ) -> None:
        self.curs.execute(
            sql.SQL("INSERT INTO {} VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING").format(
                self._t("exchange_rates")
            ),
            (rate_id, organisation_id, base, quote, on, rate, source, recorded_at),
        )

    def reporting_currency(self, organisation_id: UUID, currency: str, version: int) -> None:
        self.curs.execute(
            sql.SQL(
                "INSERT INTO {t} VALUES (%s, %s, %s) ON CONFLICT (organisation_id) DO UPDATE"
                " SET currency = EXCLUDED.currency, version = EXCLUDED.version"
                " WHERE {t}.version < EXCLUDED.version"
            ).format(t=self._t("reporting_currencies")),
            (organisation_id, currency, version),
        )

    def check_thresholds(self, projects: Iterable[tuple[UUID, UUID]]) -> None:
        self.pending_checks.update(projects)

    # -- committing ----------------------------------------------------------------------

    def finish(self, entries: Sequence[Entry], positions: Sequence[Tracking]) -> None:
        self._write_state()
        if entries:
            with self.curs.copy(
                sql.SQL("COPY {} ({}) FROM STDIN").format(
                    self._t("ledger_entries"), sql.SQL(", ").join(map(sql.Identifier, ENTRY_COLUMNS))
                )
            ) as copy:
                for e in entries:
                    copy.write_row(
                        (
                            e.organisation_id,
                            e.project_id,
                            e.source_kind,
                            e.source_id,
                            e.category,
                            e.cost_kind,
                            e.milestone_id,
                            e.worked_on,
                            e.quantity,
                            e.unit,
                            e.rate,
                            e.rate_ref,
                            e.amount,
                            e.bill_amount,
                            e.currency,
                            e.cause,
                            e.reversal,
                            e.recorded_at,
                        )
                    )
        if self.pending_checks:
            self.curs.executemany(
                sql.SQL(
                    "INSERT INTO {} AS p (organisation_id, project_id) VALUES (%s, %s)"
                    " ON CONFLICT (organisation_id, project_id) DO UPDATE SET generation = p.generation + 1"
                ).format(self._t("threshold_checks_pending")),
                sorted(self.pending_checks),
            )
        last: dict[str, int] = {}
        for p in positions:
            last[p.application_name] = max(p.notification_id, last.get(p.application_name, -1))
        for stream, notification_id in sorted(last.items()):
            if notification_id > self._applied.get(stream, -1):
                self._tracking.insert_tracking_in(self.curs, Tracking(stream, notification_id))

    def _upsert_sources(self, rows: list[tuple[object, ...]]) -> None:
        self.curs.execute(
            sql.SQL(
                "CREATE TEMP TABLE IF NOT EXISTS ledger_sources_batch"
                " (LIKE {} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
            ).format(self._t("ledger_sources"))
        )
        with self.curs.copy("COPY ledger_sources_batch FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        self.curs.execute(
            sql.SQL(
                "INSERT INTO {} SELECT * FROM ledger_sources_batch"
                " ON CONFLICT (source_id) DO UPDATE SET project_id = EXCLUDED.project_id,"
                " subject_id = EXCLUDED.subject_id, first_day = EXCLUDED.first_day,"
                " last_day = EXCLUDED.last_day, version = EXCLUDED.version, removed = EXCLUDED.removed,"
                " uncosted = EXCLUDED.uncosted, data = EXCLUDED.data"
            ).format(self._t("ledger_sources"))
        )

    def _write_state(self) -> None:
        state = self.state
        if state.dirty_sources:
            new_rows: list[tuple[object, ...]] = []
            changed_rows: list[tuple[object, ...]] = []
            for source_id in sorted(state.dirty_sources):
                source = state.sources[source_id]
                f = source.facts
                row = (
                    source_id,
                    f.organisation_id,
                    f.project_id,
                    f.subject_id,
                    f.first_day,
                    f.last_day,
                    source.version,
                    source.removed,
                    source.uncosted,
                    json.dumps(encode_source(source), separators=(",", ":")),
                )
                (new_rows if source_id in state.new_sources else changed_rows).append(row)
            # Sources seen for the first time (most of them: time just logged) go in by
            # plain COPY; changed ones by COPY into a scratch table and one upsert. Either
            # way a handful of round trips per batch, not one per row.
            if new_rows:
                with self.curs.copy(sql.SQL("COPY {} FROM STDIN").format(self._t("ledger_sources"))) as copy:
                    for new_row in new_rows:
                        copy.write_row(new_row)
            if changed_rows:
                self._upsert_sources(changed_rows)
        if state.dirty_people:
            self.curs.executemany(
                sql.SQL(
                    "INSERT INTO {} VALUES (%s, %s, %s, %s, %s) ON CONFLICT (organisation_id, resource_id)"
                    " DO UPDATE SET role = EXCLUDED.role, hours_per_day = EXCLUDED.hours_per_day,"
                    " version = EXCLUDED.version"
                ).format(self._t("ledger_people")),
                [
                    (p.organisation_id, p.resource_id, p.role, p.hours_per_day, p.version)
                    for p in (state.people[k] for k in sorted(state.dirty_people))
                ],
            )
        if state.dirty_rates:
            rate_rows: list[tuple[object, ...]] = []
            for period_id in sorted(state.dirty_rates):
                r = state.rates_by_period[period_id]
                p = r.period
                rate_rows.append(
                    (
                        period_id,
                        r.organisation_id,
                        r.subject_kind,
                        r.subject,
                        p.effective_from,
                        p.effective_to,
                        p.unit,
                        p.cost_rate,
                        p.bill_rate,
                        p.currency,
                        r.version,
                    )
                )
            self.curs.executemany(
                sql.SQL(
                    "INSERT INTO {} VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
                    " ON CONFLICT (period_id)"
                    " DO UPDATE SET effective_to = EXCLUDED.effective_to, unit = EXCLUDED.unit,"
                    " cost_rate = EXCLUDED.cost_rate, bill_rate = EXCLUDED.bill_rate,"
                    " currency = EXCLUDED.currency, version = EXCLUDED.version"
                ).format(self._t("ledger_rates")),
                rate_rows,
            )


class PendingCheck(NamedTuple):
    """A project whose thresholds need a look, as marked ``generation`` times over."""

    organisation_id: UUID
    project_id: UUID
    generation: int


class LedgerStore(PostgresTrackingRecorder):
    def __init__(self, datastore: PostgresDatastore, *, tracking_table_name: str = "ledger_tracking") -> None:
        super().__init__(datastore, tracking_table_name=tracking_table_name)
        self.schema = datastore.schema
        self.sql_create_statements.extend(create_statements(self.schema))

    def insert_tracking_in(self, curs: Cursor[DictRow], tracking: Tracking) -> None:
        self._insert_tracking(curs, tracking)

    @contextmanager
    def batch(self, positions: Sequence[Tracking], organisation_ids: Iterable[UUID]) -> Iterator[LedgerBatch]:
        """Locks the batch's streams, then its organisations, each in a fixed order (so
        two processes never deadlock), and reads which positions are already applied."""
        with self.datastore.transaction(commit=True) as curs:
            keys = [("s", s) for s in sorted({p.application_name for p in positions})]
            keys += [("o", str(o)) for o in sorted(set(organisation_ids))]
            for kind, key in keys:
                curs.execute(
                    "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (_LOCK_NAMESPACE, f"{kind}:{key}")
                )
            batch = LedgerBatch(curs, self.schema, self)
            batch.unapplied(positions)
            yield batch

    def record_positions(self, positions: Sequence[Tracking]) -> None:
        """Moves past events without an effect (not ours, or dead-lettered)."""
        with self.batch(positions, ()) as batch:
            batch.finish([], positions)

    def pending_threshold_checks(self, limit: int = 500) -> list[PendingCheck]:
        """Projects to look at; a project without a budget has no threshold to cross (its
        budget, when set, marks it again), so its mark is simply cleared."""
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                sql.SQL(
                    "DELETE FROM {} p WHERE NOT EXISTS (SELECT 1 FROM {} b"
                    " WHERE b.project_id = p.project_id AND b.organisation_id = p.organisation_id)"
                ).format(
                    sql.Identifier(self.schema, "threshold_checks_pending"),
                    sql.Identifier(self.schema, "budget_revisions"),
                )
            )
            curs.execute(
                sql.SQL(
                    "SELECT organisation_id, project_id, generation FROM {} ORDER BY 1, 2 LIMIT %s"
                ).format(sql.Identifier(self.schema, "threshold_checks_pending")),
                (limit,),
            )
            return [PendingCheck(row["organisation_id"], row["project_id"], row["generation"])
                    for row in curs.fetchall()]

    def threshold_checked(self, check: PendingCheck) -> None:
        """Clears the mark the sweep looked at, and only that one: a batch that marked the
        project again meanwhile (another consumer process, costs the sweep's figures may
        not hold) bumped its generation, and the mark stays for the next look."""
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                sql.SQL(
                    "DELETE FROM {} WHERE organisation_id = %s AND project_id = %s AND generation = %s"
                ).format(sql.Identifier(self.schema, "threshold_checks_pending")),
                (check.organisation_id, check.project_id, check.generation),
            )
