"""Who caused a fact and in which request: stored with every domain event.

The trace context travels with the event through the event store, so the relay and
every consumer continue the HTTP request's trace.
"""

from __future__ import annotations

from opentelemetry import context as otel_context
from opentelemetry import propagate

ACTOR = "actor"
REQUEST_ID = "request_id"


def command_meta(*, actor: str, request_id: str | None = None) -> dict[str, str]:
    meta: dict[str, str] = {ACTOR: actor}
    if request_id:
        meta[REQUEST_ID] = request_id
    propagate.inject(meta)
    return meta


def trace_headers(meta: dict[str, str]) -> dict[str, str]:
    """The W3C trace-context entries of a stored event's meta, for message headers."""
    return {k: v for k, v in meta.items() if k in ("traceparent", "tracestate")}


def context_from(carrier: dict[str, str]) -> otel_context.Context:
    return propagate.extract(carrier)
