"""Planning's composition root: the one place its parts are put together."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter

from trellis_contracts.topics import PLANNING_EVENTS_V1
from trellis_planning.api.records import RecordsAdapters
from trellis_planning.api.routes import planning_routers
from trellis_planning.application.planning import PlanningApplication
from trellis_planning.publishing.mapping import to_integration_events
from trellis_planning.storage.document_settings import DocumentSettings, build_document_store
from trellis_planning.views.records_postgres import PostgresRecordsView
from trellis_platform.database import datastore, eventsourcing_env, schema_setup
from trellis_platform.outgoing import EventSink
from trellis_platform.pre_ping import quick_pre_ping_of
from trellis_platform.relay import NotificationRelay

SCHEMA = "planning"
PUBLISHED_TOPICS = (PLANNING_EVENTS_V1,)


@dataclass
class Planning:
    database_url: str
    application: PlanningApplication
    records: RecordsAdapters

    def routers(self) -> list[APIRouter]:
        return planning_routers(self.application, self.records)

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
        self.records.close()


def build_planning(database_url: str, *, pool_size: int = 10, document_dir: Path | None = None) -> Planning:
    """``document_dir``: where documents go when TRELLIS_DOCUMENT_STORE=disk names no directory."""
    with schema_setup(database_url, SCHEMA):
        application = PlanningApplication(env=eventsourcing_env(database_url, SCHEMA, pool_size=pool_size))
        quick_pre_ping_of(application)
        records = _records_adapters(database_url, document_dir)
    return Planning(database_url=database_url, application=application, records=records)


def _records_adapters(database_url: str, document_dir: Path | None) -> RecordsAdapters:
    settings = DocumentSettings.from_env(os.environ, default_directory=document_dir)
    view = PostgresRecordsView(datastore(database_url, SCHEMA, pool_size=2))
    view.create_table()
    return RecordsAdapters(records=view, documents=build_document_store(settings, database_url, SCHEMA),
                           max_document_bytes=settings.max_bytes)
