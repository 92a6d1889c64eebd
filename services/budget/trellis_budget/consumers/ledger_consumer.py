"""The cost ledger's consumer: planning's record of work and budget's own costs, rates,
budgets and exchange rates, applied in batches (one transaction per batch, with the
batch's tracking records), then a look at the thresholds of the projects that moved."""

from __future__ import annotations

from collections.abc import Sequence

from eventsourcing.persistence import Tracking

from trellis_budget.consumers.ledger_dispatch import Applier, prefetch_keys
from trellis_budget.consumers.threshold_watch import ThresholdWatch
from trellis_budget.domain.errors import BudgetRuleBroken
from trellis_budget.domain.ledger.engine import LedgerEngine
from trellis_budget.views.ledger_store import LedgerStore
from trellis_contracts.envelope import CloudEvent
from trellis_contracts.event_contract import EventContract
from trellis_contracts.topics import BUDGET_EVENTS_V1, PLANNING_EVENTS_V1
from trellis_platform.incoming import IncomingEvent, PoisonEvent
from trellis_platform.parsing import read_event


class LedgerConsumer:
    name = "budget.ledger"
    topics: tuple[str, ...] = (PLANNING_EVENTS_V1, BUDGET_EVENTS_V1)

    def __init__(self, store: LedgerStore, watch: ThresholdWatch | None) -> None:
        self._store = store
        self._watch = watch

    def has_applied(self, position: Tracking) -> bool:
        return bool(self._store.has_tracking_id(position.application_name, position.notification_id))

    def apply(self, event: IncomingEvent) -> None:
        self.apply_batch([event])

    def record_position(self, position: Tracking) -> None:
        self._store.record_positions([position])

    def apply_batch(self, events: Sequence[IncomingEvent]) -> int:
        """Applies what is new in ``events``; returns how many were new.

        Raises PoisonEvent (and applies nothing) when any event cannot be read; the
        batch delivery then goes event by event to set that one aside.
        """
        read: list[tuple[CloudEvent, EventContract] | None] = [read_event(e) for e in events]
        known = [r for r in read if r is not None]
        payloads = [payload for _, payload in known]
        sources, people, organisations = prefetch_keys(payloads)
        organisations.update(p.organisation_id for p in payloads if hasattr(p, "organisation_id"))
        positions = [e.position for e in events]
        with self._store.batch(positions, organisations) as batch:
            fresh = batch.unapplied(positions)
            engine = LedgerEngine(batch.state)
            applier = Applier(batch, engine)
            batch.state.prefetch_sources(sources)
            batch.state.prefetch_people(people)
            batch.state.prefetch_rates({org for org, _ in people})
            for is_fresh, found in zip(fresh, read, strict=True):
                if is_fresh and found is not None:
                    try:
                        applier.apply(*found)
                    except BudgetRuleBroken as broken:
                        raise PoisonEvent(f"{found[0].type} {found[0].id}: {broken}") from None
            batch.check_thresholds(engine.touched_projects)
            batch.finish(engine.take_entries(), positions)
        if self._watch is not None:
            self._watch.sweep()
        return sum(fresh)
