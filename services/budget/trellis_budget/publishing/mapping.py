"""Domain events to integration events: the one place that imports both.

A domain event without a public counterpart (a threshold re-armed, a threshold
configuration) maps to nothing; it stays inside budget.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from trellis_budget.publishing.budgets import budget_events
from trellis_budget.publishing.change_orders import change_order_events
from trellis_budget.publishing.costs import cost_events
from trellis_budget.publishing.thresholds import threshold_events
from trellis_platform.outgoing import OutgoingEvent

Translator = Callable[[Any, int], Sequence[OutgoingEvent]]

TRANSLATORS: tuple[Translator, ...] = (budget_events, cost_events, change_order_events, threshold_events)


def to_integration_events(domain_event: Any, notification_id: int) -> Sequence[OutgoingEvent]:
    for translate in TRANSLATORS:
        found = translate(domain_event, notification_id)
        if found:
            return found
    return []
