"""Planning's composition root: the one place its parts are put together."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter

from trellis_contracts.topics import PLANNING_EVENTS_V1
from trellis_planning.api.routes import planning_routers
from trellis_planning.application.planning import PlanningApplication
from trellis_planning.publishing.mapping import to_integration_events
from trellis_platform.database import ensure_schema, eventsourcing_env
from trellis_platform.outgoing import EventSink
from trellis_platform.relay import NotificationRelay

SCHEMA = "planning"
PUBLISHED_TOPICS = (PLANNING_EVENTS_V1,)


@dataclass
class Planning:
    database_url: str
    application: PlanningApplication

    def routers(self) -> list[APIRouter]:
        return planning_routers(self.application)

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


def build_planning(database_url: str, *, pool_size: int = 10) -> Planning:
    ensure_schema(database_url, SCHEMA)
    application = PlanningApplication(env=eventsourcing_env(database_url, SCHEMA, pool_size=pool_size))
    return Planning(database_url=database_url, application=application)
