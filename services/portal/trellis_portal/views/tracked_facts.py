"""Applying one event to the facts exactly once: effect and tracking record in one transaction.

Each consumer has its own tracking table; they all write the same facts under the same
clock. The tracking record is checked after the clock is taken, so two deliveries of
the same event racing each other apply it once.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresTrackingRecorder
from psycopg import Cursor
from psycopg.rows import DictRow

from trellis_portal.views.facts import FactStore, FactWriter

Effect = Callable[[FactWriter, Cursor[DictRow]], None]


class TrackedFacts(PostgresTrackingRecorder):
    def __init__(self, facts: FactStore, *, tracking_table_name: str) -> None:
        super().__init__(facts.datastore, tracking_table_name=tracking_table_name)
        self.facts = facts

    def apply(self, tracking: Tracking, organisation_id: UUID, effect: Effect) -> bool:
        """Applies ``effect`` unless this position was applied already; True if it ran."""
        with self.datastore.transaction(commit=True) as curs:
            stamp = self.facts.stamp(curs)
            if self._applied(curs, tracking):
                return False
            effect(self.facts.writer(curs, organisation_id, stamp), curs)
            self._insert_tracking(curs, tracking)
            return True

    def skip(self, tracking: Tracking) -> None:
        """Moves past an event that changes nothing here (under the clock too, so that two
        followers racing over the same events never record a position out of order)."""
        with self.datastore.transaction(commit=True) as curs:
            self.facts.hold(curs)
            if not self._applied(curs, tracking):
                self._insert_tracking(curs, tracking)

    def _applied(self, curs: Cursor[DictRow], tracking: Tracking) -> bool:
        recorded = self._max_tracking_id(tracking.application_name, curs)
        return recorded is not None and recorded >= tracking.notification_id
