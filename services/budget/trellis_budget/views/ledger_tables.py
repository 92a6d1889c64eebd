"""The ledger's tables in budget's schema: the analysts' stable SQL surface.

ledger_entries is append-only: a row is never updated or deleted. Money columns are
numeric (exact), never float. ``recorded_at`` is when the fact that caused the entry
was recorded upstream (the event's time), so a rebuild from history gives the same
rows; ``worked_on`` is the day the cost belongs to.
"""

from __future__ import annotations

from psycopg import sql

TABLES = {
    "ledger_entries": (
        "entry_no bigserial PRIMARY KEY,"
        " organisation_id uuid NOT NULL, project_id uuid NOT NULL,"
        " source_kind text NOT NULL, source_id uuid NOT NULL, category text NOT NULL,"
        " cost_kind text NOT NULL, milestone_id uuid, worked_on date NOT NULL,"
        " quantity numeric NOT NULL, unit text NOT NULL, rate numeric, rate_ref uuid,"
        " amount numeric NOT NULL, bill_amount numeric NOT NULL, currency char(3) NOT NULL,"
        " cause text NOT NULL, reversal boolean NOT NULL, recorded_at timestamptz NOT NULL"
    ),
    "ledger_sources": (
        "source_id uuid PRIMARY KEY, organisation_id uuid NOT NULL, project_id uuid NOT NULL,"
        " subject_id uuid, first_day date NOT NULL, last_day date NOT NULL, version bigint NOT NULL,"
        " removed boolean NOT NULL, uncosted boolean NOT NULL, data json NOT NULL"
    ),
    "ledger_people": (
        "organisation_id uuid NOT NULL, resource_id uuid NOT NULL, role text,"
        " hours_per_day numeric NOT NULL, version bigint NOT NULL,"
        " PRIMARY KEY (organisation_id, resource_id)"
    ),
    "ledger_rates": (
        "period_id uuid PRIMARY KEY, organisation_id uuid NOT NULL, subject_kind text NOT NULL,"
        " subject text NOT NULL, effective_from date NOT NULL, effective_to date, unit text NOT NULL,"
        " cost_rate numeric NOT NULL, bill_rate numeric NOT NULL, currency char(3) NOT NULL,"
        " version bigint NOT NULL"
    ),
    "plan_projects": (
        "project_id uuid PRIMARY KEY, organisation_id uuid NOT NULL, name text NOT NULL,"
        " starts_on date NOT NULL, ends_on date NOT NULL"
    ),
    "plan_milestones": (
        "milestone_id uuid PRIMARY KEY, organisation_id uuid NOT NULL, project_id uuid NOT NULL,"
        " name text NOT NULL, starts_on date NOT NULL, due_on date NOT NULL, version bigint NOT NULL"
    ),
    "plan_progress": (
        "event_id text PRIMARY KEY, organisation_id uuid NOT NULL, project_id uuid NOT NULL,"
        " as_of date NOT NULL, percent_complete numeric NOT NULL, milestones jsonb NOT NULL,"
        " recorded_at timestamptz NOT NULL"
    ),
    "budget_revisions": (
        "project_id uuid NOT NULL, revision int NOT NULL, organisation_id uuid NOT NULL,"
        " currency char(3) NOT NULL, total numeric NOT NULL, lines jsonb NOT NULL, reason text NOT NULL,"
        " change_order_id uuid, recorded_at timestamptz NOT NULL, PRIMARY KEY (project_id, revision)"
    ),
    "exchange_rates": (
        "rate_id uuid PRIMARY KEY, organisation_id uuid NOT NULL, base char(3) NOT NULL,"
        " quote char(3) NOT NULL, on_date date NOT NULL, rate numeric NOT NULL, source text NOT NULL,"
        " recorded_at timestamptz NOT NULL"
    ),
    "reporting_currencies": (
        "organisation_id uuid PRIMARY KEY, currency char(3) NOT NULL, version bigint NOT NULL"
    ),
    # generation: bumped by every batch that marks the project again, so a sweep clears
    # only the mark it looked at (see LedgerStore.threshold_checked).
    "threshold_checks_pending": (
        "organisation_id uuid NOT NULL, project_id uuid NOT NULL, generation bigint NOT NULL DEFAULT 0,"
        " PRIMARY KEY (organisation_id, project_id)"
    ),
}

# Columns added after a table was first created, for stores created before them.
ADDED_COLUMNS = (
    ("threshold_checks_pending", "generation bigint NOT NULL DEFAULT 0"),
)

INDEXES = (
    ("ledger_entries_by_project", "ledger_entries", "(organisation_id, project_id, worked_on)"),
    ("ledger_sources_by_subject", "ledger_sources", "(organisation_id, subject_id, first_day)"),
    ("ledger_people_by_role", "ledger_people", "(organisation_id, role)"),
    ("ledger_rates_by_org", "ledger_rates", "(organisation_id)"),
    ("plan_progress_by_project", "plan_progress", "(organisation_id, project_id, as_of)"),
    ("plan_milestones_by_project", "plan_milestones", "(organisation_id, project_id)"),
)


def create_statements(schema: str) -> list[sql.Composed]:
    statements = [
        sql.SQL("CREATE TABLE IF NOT EXISTS {} ({})").format(sql.Identifier(schema, name), sql.SQL(columns))
        for name, columns in TABLES.items()
    ]
    statements.extend(
        sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} {}").format(
            sql.Identifier(index), sql.Identifier(schema, table), sql.SQL(columns)
        )
        for index, table, columns in INDEXES
    )
    statements.extend(
        sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS {}").format(
            sql.Identifier(schema, table), sql.SQL(column)
        )
        for table, column in ADDED_COLUMNS
    )
    return statements
