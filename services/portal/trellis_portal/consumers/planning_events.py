"""Planning's events into the portal: the staff's project list and the client views' facts,
in one transaction with one tracking record."""

from __future__ import annotations

from collections.abc import Sequence

from psycopg import Cursor
from psycopg.rows import DictRow

from trellis_contracts.envelope import CloudEvent
from trellis_contracts.event_contract import EventContract
from trellis_contracts.planning.projects_v1 import ProjectCreatedV1
from trellis_contracts.topics import PLANNING_EVENTS_V1
from trellis_platform.incoming import IncomingEvent
from trellis_portal.consumers.fact_batches import apply_facts_batch
from trellis_portal.consumers.facts_consumer import EffectFor, FactsConsumer, Putter
from trellis_portal.consumers.milestone_facts import milestone_effect
from trellis_portal.consumers.record_facts import record_effect
from trellis_portal.consumers.task_facts import task_effect
from trellis_portal.views import fact_kinds as kinds
from trellis_portal.views.facts import FactWriter
from trellis_portal.views.projects import ProjectsView
from trellis_portal.views.tracked_facts import Effect, TrackedFacts

EFFECTS: tuple[EffectFor, ...] = (milestone_effect, task_effect, record_effect)


class PlanningEventsToPortal(FactsConsumer):
    name = "portal.projects"
    topics: tuple[str, ...] = (PLANNING_EVENTS_V1,)

    def __init__(self, tracked: TrackedFacts, projects: ProjectsView) -> None:
        super().__init__(tracked)
        self._projects = projects

    def apply_batch(self, events: Sequence[IncomingEvent]) -> int:
        """Many events in one transaction (rebuilds, catching up): see fact_batches."""
        return apply_facts_batch(self, self._tracked, events)

    def effect_for(self, envelope: CloudEvent, payload: EventContract) -> Effect | None:
        if isinstance(payload, ProjectCreatedV1):
            return self._project_created(envelope, payload)
        for effect_for in EFFECTS:
            effect = effect_for(envelope, payload)
            if effect is not None:
                return effect
        return None

    def _project_created(self, envelope: CloudEvent, created: ProjectCreatedV1) -> Effect:
        facts = Putter(envelope)

        def project(w: FactWriter, curs: Cursor[DictRow]) -> None:
            self._projects.insert(curs, envelope, created)
            facts.put(w, created.project_id, kinds.PROJECT, "", {
                "name": created.name, "client_id": created.client_id, "starts_on": created.starts_on,
                "ends_on": created.ends_on, "created_at": envelope.time})
        return project
