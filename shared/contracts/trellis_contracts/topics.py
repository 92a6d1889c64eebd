"""Kafka topic names. A topic carries one context's events of one major version."""

PLANNING_EVENTS_V1 = "trellis.planning.events.v1"
BUDGET_EVENTS_V1 = "trellis.budget.events.v1"
IDENTITY_EVENTS_V1 = "trellis.identity.events.v1"
PORTAL_EVENTS_V1 = "trellis.portal.events.v1"


def dead_letter_topic(topic: str) -> str:
    """Where a consumer puts a message it cannot apply, with the reason in headers."""
    return f"{topic}.dlq"
