"""Reading the ledger and what reports need, scoped to one organisation.

``recorded_by`` reads the ledger as it stood at a recorded moment (entries and facts
recorded up to and including it); None reads it as it stands now.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.postgres import PostgresDatastore
from psycopg import sql

from trellis_budget.domain.exchange_rates import ExchangeRate
from trellis_budget.domain.schedule import ProgressReport, Span


@dataclass(frozen=True)
class BudgetRow:
    revision: int
    currency: str
    total: Decimal
    lines: list[dict[str, Any]]
    reason: str
    change_order_id: UUID | None
    recorded_at: datetime


@dataclass(frozen=True)
class DayTotal:
    worked_on: date
    currency: str
    amount: Decimal


@dataclass(frozen=True)
class MilestoneRow:
    milestone_id: UUID
    name: str
    span: Span


class CostQueries:
    def __init__(self, datastore: PostgresDatastore) -> None:
        self.datastore = datastore
        self.schema = datastore.schema

    def _t(self, name: str) -> sql.Identifier:
        return sql.Identifier(self.schema, name)

    def _all(self, query: sql.Composed, params: Sequence[Any]) -> list[dict[str, Any]]:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(query, params)
            return list(curs.fetchall())

    def budget(
        self, organisation_id: UUID, project_id: UUID, recorded_by: datetime | None
    ) -> BudgetRow | None:
        rows = self._all(
            sql.SQL(
                "SELECT * FROM {} WHERE organisation_id = %s AND project_id = %s"
                " AND (%s::timestamptz IS NULL OR recorded_at <= %s::timestamptz)"
                " ORDER BY revision DESC LIMIT 1"
            ).format(self._t("budget_revisions")),
            (organisation_id, project_id, recorded_by, recorded_by),
        )
        if not rows:
            return None
        row = rows[0]
        return BudgetRow(
            revision=row["revision"],
            currency=row["currency"].strip(),
            total=row["total"],
            lines=row["lines"],
            reason=row["reason"],
            change_order_id=row["change_order_id"],
            recorded_at=row["recorded_at"],
        )

    def daily_totals(
        self,
        organisation_id: UUID,
        project_id: UUID,
        *,
        cost_kind: str,
        recorded_by: datetime | None,
        milestone_id: UUID | None = None,
    ) -> list[DayTotal]:
        rows = self._all(
            sql.SQL(
                "SELECT worked_on, currency, sum(amount) AS amount FROM {} WHERE organisation_id = %s"
                " AND project_id = %s AND cost_kind = %s"
                " AND (%s::timestamptz IS NULL OR recorded_at <= %s::timestamptz)"
                " AND (%s::uuid IS NULL OR milestone_id = %s::uuid)"
                " GROUP BY worked_on, currency ORDER BY worked_on, currency"
            ).format(self._t("ledger_entries")),
            (organisation_id, project_id, cost_kind, recorded_by, recorded_by, milestone_id, milestone_id),
        )
        return [DayTotal(r["worked_on"], r["currency"].strip(), r["amount"]) for r in rows]

    def category_totals(
        self,
        organisation_id: UUID,
        project_id: UUID,
        *,
        recorded_by: datetime | None,
        worked_from: date | None,
        worked_to: date | None,
    ) -> list[dict[str, Any]]:
        return self._all(
            sql.SQL(
                "SELECT category, cost_kind, currency, sum(amount) AS amount,"
                " sum(bill_amount) AS bill_amount,"
                " count(*) AS entries FROM {} WHERE organisation_id = %s AND project_id = %s"
                " AND (%s::timestamptz IS NULL OR recorded_at <= %s::timestamptz)"
                " AND (%s::date IS NULL OR worked_on >= %s::date)"
                " AND (%s::date IS NULL OR worked_on <= %s::date)"
                " GROUP BY category, cost_kind, currency ORDER BY category, cost_kind, currency"
            ).format(self._t("ledger_entries")),
            (
                organisation_id,
                project_id,
                recorded_by,
                recorded_by,
                worked_from,
                worked_from,
                worked_to,
                worked_to,
            ),
        )

    def entries(
        self,
        organisation_id: UUID,
        project_id: UUID,
        *,
        recorded_by: datetime | None,
        worked_from: date | None,
        worked_to: date | None,
        after: int,
        limit: int,
    ) -> list[dict[str, Any]]:
        return self._all(
            sql.SQL(
                "SELECT * FROM {} WHERE organisation_id = %s AND project_id = %s AND entry_no > %s"
                " AND (%s::timestamptz IS NULL OR recorded_at <= %s::timestamptz)"
                " AND (%s::date IS NULL OR worked_on >= %s::date)"
                " AND (%s::date IS NULL OR worked_on <= %s::date)"
                " ORDER BY entry_no LIMIT %s"
            ).format(self._t("ledger_entries")),
            (
                organisation_id,
                project_id,
                after,
                recorded_by,
                recorded_by,
                worked_from,
                worked_from,
                worked_to,
                worked_to,
                limit,
            ),
        )

    def uncosted_sources(self, organisation_id: UUID, project_id: UUID) -> int:
        rows = self._all(
            sql.SQL(
                "SELECT count(*) AS n FROM {} WHERE organisation_id = %s AND project_id = %s AND uncosted"
                " AND NOT removed"
            ).format(self._t("ledger_sources")),
            (organisation_id, project_id),
        )
        return int(rows[0]["n"])

    def project_span(self, organisation_id: UUID, project_id: UUID) -> Span | None:
        rows = self._all(
            sql.SQL(
                "SELECT starts_on, ends_on FROM {} WHERE organisation_id = %s AND project_id = %s"
            ).format(self._t("plan_projects")),
            (organisation_id, project_id),
        )
        return Span(rows[0]["starts_on"], rows[0]["ends_on"]) if rows else None

    def project_organisation(self, project_id: UUID) -> UUID | None:
        """Whose project this is, once planning's event about it reached the ledger."""
        rows = self._all(
            sql.SQL("SELECT organisation_id FROM {} WHERE project_id = %s").format(self._t("plan_projects")),
            (project_id,),
        )
        return UUID(str(rows[0]["organisation_id"])) if rows else None

    def milestones(self, organisation_id: UUID, project_id: UUID) -> list[MilestoneRow]:
        rows = self._all(
            sql.SQL(
                "SELECT * FROM {} WHERE organisation_id = %s AND project_id = %s"
                " ORDER BY due_on, milestone_id"
            ).format(self._t("plan_milestones")),
            (organisation_id, project_id),
        )
        return [MilestoneRow(r["milestone_id"], r["name"], Span(r["starts_on"], r["due_on"])) for r in rows]

    def progress(
        self, organisation_id: UUID, project_id: UUID, recorded_by: datetime | None
    ) -> list[ProgressReport]:
        rows = self._all(
            sql.SQL(
                "SELECT as_of, percent_complete, milestones FROM {}"
                " WHERE organisation_id = %s AND project_id = %s"
                " AND (%s::timestamptz IS NULL OR recorded_at <= %s::timestamptz)"
                " ORDER BY as_of, recorded_at, event_id"
            ).format(self._t("plan_progress")),
            (organisation_id, project_id, recorded_by, recorded_by),
        )
        reports: dict[date, ProgressReport] = {}
        for r in rows:  # the last report recorded for a day stands for that day
            reports[r["as_of"]] = ProgressReport(
                r["as_of"], r["percent_complete"], {UUID(k): Decimal(v) for k, v in r["milestones"].items()}
            )
        return list(reports.values())

    def exchange_rates(self, organisation_id: UUID, recorded_by: datetime | None) -> list[ExchangeRate]:
        rows = self._all(
            sql.SQL(
                "SELECT * FROM {} WHERE organisation_id = %s"
                " AND (%s::timestamptz IS NULL OR recorded_at <= %s::timestamptz)"
            ).format(self._t("exchange_rates")),
            (organisation_id, recorded_by, recorded_by),
        )
        return [
            ExchangeRate(
                r["rate_id"], r["base"].strip(), r["quote"].strip(), r["on_date"], r["rate"], r["source"]
            )
            for r in rows
        ]

    def reporting_currency(self, organisation_id: UUID) -> str | None:
        rows = self._all(
            sql.SQL("SELECT currency FROM {} WHERE organisation_id = %s").format(
                self._t("reporting_currencies")
            ),
            (organisation_id,),
        )
        return str(rows[0]["currency"]).strip() if rows else None

    def projects_with_costs(self, organisation_id: UUID) -> list[UUID]:
        rows = self._all(
            sql.SQL(
                "SELECT DISTINCT project_id FROM {} WHERE organisation_id = %s ORDER BY project_id"
            ).format(self._t("ledger_entries")),
            (organisation_id,),
        )
        return [r["project_id"] for r in rows]
