"""Kafka topic names. A topic carries one context's events of one major version."""

PLANNING_EVENTS_V1 = "trellis.planning.events.v1"


def dead_letter_topic(topic: str) -> str:
    """Where a consumer puts a message it cannot apply, with the reason in headers."""
    return f"{topic}.dlq"
