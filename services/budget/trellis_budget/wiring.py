"""Budget's composition root: the one place its parts are put together."""

from __future__ import annotations

from dataclasses import dataclass

from eventsourcing.postgres import PostgresTrackingRecorder
from fastapi import APIRouter

from trellis_budget.api.routes import budget_routers
from trellis_budget.application.budget_app import BudgetApplication
from trellis_budget.consumers.client_decisions import ClientDecisionsToChangeOrders
from trellis_budget.consumers.ledger_consumer import LedgerConsumer
from trellis_budget.consumers.threshold_watch import ThresholdWatch
from trellis_budget.publishing.mapping import to_integration_events
from trellis_budget.views.cost_queries import CostQueries
from trellis_budget.views.earned_value_report import EarnedValueReports
from trellis_budget.views.ledger_store import LedgerStore
from trellis_contracts.topics import BUDGET_EVENTS_V1
from trellis_platform.database import datastore, eventsourcing_env, schema_setup
from trellis_platform.incoming import EventConsumer
from trellis_platform.outgoing import EventSink
from trellis_platform.relay import NotificationRelay

SCHEMA = "budget"
PUBLISHED_TOPICS = (BUDGET_EVENTS_V1,)


@dataclass
class Budget:
    database_url: str
    application: BudgetApplication
    ledger: LedgerStore
    queries: CostQueries
    reports: EarnedValueReports
    watch: ThresholdWatch
    decisions_tracking: PostgresTrackingRecorder

    def routers(self) -> list[APIRouter]:
        return budget_routers(self.application, self.queries, self.reports)

    def ledger_consumer(self) -> LedgerConsumer:
        return LedgerConsumer(self.ledger, self.watch)

    def client_decisions(self) -> ClientDecisionsToChangeOrders:
        return ClientDecisionsToChangeOrders(self.application, self.decisions_tracking)

    def consumers(self) -> list[EventConsumer]:
        return [self.ledger_consumer(), self.client_decisions()]

    def relay(self, sink: EventSink, *, batch_size: int = 500) -> NotificationRelay:
        return NotificationRelay(
            application=self.application,
            translate=to_integration_events,
            sink=sink,
            database_url=self.database_url,
            batch_size=batch_size,
        )

    def close(self) -> None:
        self.application.close()
        self.ledger.datastore.close()


def build_budget(database_url: str, *, pool_size: int = 10) -> Budget:
    with schema_setup(database_url, SCHEMA):
        application = BudgetApplication(env=eventsourcing_env(database_url, SCHEMA, pool_size=pool_size))
        store = datastore(database_url, SCHEMA, pool_size=pool_size)
        ledger = LedgerStore(store)
        ledger.create_table()
        queries = CostQueries(store)
        reports = EarnedValueReports(queries)
        decisions_tracking = PostgresTrackingRecorder(store, tracking_table_name="client_decisions_tracking")
        decisions_tracking.create_table()
    return Budget(
        database_url=database_url,
        application=application,
        ledger=ledger,
        queries=queries,
        reports=reports,
        watch=ThresholdWatch(ledger, reports, application),
        decisions_tracking=decisions_tracking,
    )
