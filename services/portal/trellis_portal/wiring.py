"""The portal's composition root: the one place its parts are put together."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from fastapi import APIRouter

from trellis_contracts.topics import PORTAL_EVENTS_V1
from trellis_platform.async_reads import AsyncReads
from trellis_platform.database import datastore, eventsourcing_env, schema_setup
from trellis_platform.incoming import EventConsumer
from trellis_platform.outgoing import EventSink
from trellis_platform.pre_ping import quick_pre_ping, quick_pre_ping_of
from trellis_platform.relay import NotificationRelay
from trellis_portal.api.common import PortalContext
from trellis_portal.api.routes import portal_routers
from trellis_portal.application.portal import PortalApplication
from trellis_portal.consumers.budget_events import BudgetEventsToPortal
from trellis_portal.consumers.identity_events import IdentityEventsToPortal
from trellis_portal.consumers.own_events import OwnEventsProjector
from trellis_portal.consumers.planning_events import PlanningEventsToPortal
from trellis_portal.content.document_content import DocumentContent
from trellis_portal.content.internal_tokens import InternalTokens
from trellis_portal.content.planning_documents import PlanningDocuments
from trellis_portal.publishing.mapping import to_integration_events
from trellis_portal.views.client.reader import ClientViews
from trellis_portal.views.facts import FactStore
from trellis_portal.views.projects import ProjectsView
from trellis_portal.views.tracked_facts import TrackedFacts

SCHEMA = "portal"
PUBLISHED_TOPICS = (PORTAL_EVENTS_V1,)

# The distributed mode's downloads (the embedded app hands build_portal planning's store instead).
DOCUMENT_URL = "TRELLIS_PORTAL_DOCUMENT_URL"
"""Planning's download route for a version, with ``{document_id}`` and ``{version}``."""
TOKEN_URL = "TRELLIS_PORTAL_TOKEN_URL"  # noqa: S105 - the name of a setting, not a secret
"""Identity's ``/api/identity/internal-tokens``, where the portal gets its tokens for planning."""
CLIENT_SECRET = "TRELLIS_PORTAL_CLIENT_SECRET"  # noqa: S105 - the name of a setting, not a secret
"""The portal's secret as an internal client of identity (identity is given the same)."""


@dataclass
class Portal:
    database_url: str
    application: PortalApplication
    reads: AsyncReads
    """The read routes' pool on the serving loop: ``await reads.close()`` as the app shuts down."""
    projects: ProjectsView
    facts: FactStore
    views: ClientViews
    projector: OwnEventsProjector
    tracking: dict[str, TrackedFacts]
    documents: DocumentContent | None

    def routers(self) -> list[APIRouter]:
        return portal_routers(PortalContext(application=self.application, views=self.views,
                                            projects=self.projects, catch_up=self.projector.catch_up,
                                            documents=self.documents))

    def consumers(self) -> list[EventConsumer]:
        """Other contexts' events in: one consumer per topic, each with its own tracking."""
        return [
            PlanningEventsToPortal(self.tracking["planning"], self.projects),
            BudgetEventsToPortal(self.tracking["budget"]),
            IdentityEventsToPortal(self.tracking["identity"]),
        ]

    def relay(self, sink: EventSink, *, batch_size: int = 500) -> NotificationRelay:
        return NotificationRelay(application=self.application, translate=to_integration_events, sink=sink,
                                 database_url=self.database_url, batch_size=batch_size)

    def close(self) -> None:
        self.application.close()
        self.facts.datastore.close()


def documents_from(environ: Mapping[str, str]) -> DocumentContent | None:
    """Planning over HTTP with tokens from identity; None (downloads answer 503) when
    nothing is configured, and a refusal to start when only part of it is."""
    settings = {name: environ.get(name, "") for name in (DOCUMENT_URL, TOKEN_URL, CLIENT_SECRET)}
    if not any(settings.values()):
        return None
    missing = [name for name, value in settings.items() if not value]
    if missing:
        raise RuntimeError(f"portal downloads are half configured: set {', '.join(missing)} too")
    tokens = InternalTokens(settings[TOKEN_URL], settings[CLIENT_SECRET])
    return PlanningDocuments(settings[DOCUMENT_URL], tokens)


def build_portal(database_url: str, *, pool_size: int = 10, documents: DocumentContent | None = None,
                 environ: Mapping[str, str] | None = None) -> Portal:
    with schema_setup(database_url, SCHEMA):
        application = PortalApplication(env=eventsourcing_env(database_url, SCHEMA, pool_size=pool_size))
        quick_pre_ping_of(application)
        store = quick_pre_ping(datastore(database_url, SCHEMA, pool_size=pool_size))
        reads = AsyncReads(database_url, max_size=pool_size)
        projects = ProjectsView(store, reads)
        projects.create_table()
        facts = FactStore(store)
        facts.create_tables()
        tracking = {
            # "projects_tracking": the planning consumer's positions from before the client views.
            "planning": TrackedFacts(facts, tracking_table_name="projects_tracking"),
            "budget": TrackedFacts(facts, tracking_table_name="budget_tracking"),
            "identity": TrackedFacts(facts, tracking_table_name="identity_tracking"),
            "own": TrackedFacts(facts, tracking_table_name="own_events_tracking"),
        }
        for tracked in tracking.values():
            tracked.create_table()
    return Portal(
        database_url=database_url, application=application, reads=reads, projects=projects, facts=facts,
        views=ClientViews(facts), projector=OwnEventsProjector(application, tracking["own"]),
        tracking=tracking,
        documents=documents or documents_from(os.environ if environ is None else environ),
    )
