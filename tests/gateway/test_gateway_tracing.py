"""The gateway's server span is the parent of the upstream call, across real HTTP."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable

import httpx
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind


def _span(spans: InMemorySpanExporter, matches: Callable[[ReadableSpan], bool]) -> ReadableSpan:
    # The span ends just after the last byte is sent, so it may trail the response a little.
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        found = [span for span in spans.get_finished_spans() if matches(span)]
        if found:
            assert len(found) == 1
            return found[0]
        time.sleep(0.01)
    raise AssertionError("no such span")


def _upstream_traceparent(response: httpx.Response) -> tuple[str, str]:
    values = [value for name, value in response.json()["headers"] if name == "traceparent"]
    assert len(values) == 1
    _version, trace_id, parent_id, _flags = values[0].split("-")
    return trace_id, parent_id


def _server_span_of(spans: InMemorySpanExporter, trace_id: str) -> ReadableSpan:
    return _span(
        spans,
        lambda s: s.kind == SpanKind.SERVER and s.context is not None
        and format(s.context.trace_id, "032x") == trace_id,
    )


def test_upstream_continues_the_callers_trace_under_the_gateway_span(
    client: httpx.Client, spans: InMemorySpanExporter
) -> None:
    # Several requests on one keep-alive connection: each must start from its own
    # traceparent, not from the span of the request before it (see server.py).
    for path in ("/api/planning/things", "/api/planning/echo", "/api/portal/echo", "/api/planning/echo"):
        trace_id, caller_span_id = secrets.token_hex(16), secrets.token_hex(8)
        headers = {"traceparent": f"00-{trace_id}-{caller_span_id}-01"}
        if path.endswith("things"):
            assert client.post(path, json={}, headers=headers).status_code == 201
            continue

        upstream_trace_id, upstream_parent_id = _upstream_traceparent(client.get(path, headers=headers))

        assert upstream_trace_id == trace_id
        gateway_span = _server_span_of(spans, trace_id)
        assert gateway_span.context is not None
        assert gateway_span.parent is not None
        assert format(gateway_span.context.span_id, "016x") == upstream_parent_id
        assert format(gateway_span.parent.span_id, "016x") == caller_span_id
        assert gateway_span.name == f"GET /api/{path.split('/')[2]}"


def test_gateway_starts_a_trace_when_the_caller_has_none(
    client: httpx.Client, spans: InMemorySpanExporter
) -> None:
    echo = client.get("/api/portal/echo")

    trace_id, parent_id = _upstream_traceparent(echo)
    gateway_span = _server_span_of(spans, trace_id)
    assert gateway_span.context is not None
    assert format(gateway_span.context.span_id, "016x") == parent_id
    assert gateway_span.parent is None


def test_span_records_method_service_and_status(client: httpx.Client, spans: InMemorySpanExporter) -> None:
    trace_id = secrets.token_hex(16)

    response = client.post(
        "/api/planning/things", json={}, headers={"traceparent": f"00-{trace_id}-{secrets.token_hex(8)}-01"}
    )

    assert response.status_code == 201
    attributes = _server_span_of(spans, trace_id).attributes or {}
    assert attributes["trellis.gateway.service"] == "planning"
    assert attributes.get("http.request.method", attributes.get("http.method")) == "POST"
    assert attributes.get("http.response.status_code", attributes.get("http.status_code")) == 201


def test_answers_of_the_gateway_itself_are_traced_too(
    client: httpx.Client, spans: InMemorySpanExporter
) -> None:
    trace_id = secrets.token_hex(16)

    client.get("/api/billing/x", headers={"traceparent": f"00-{trace_id}-{secrets.token_hex(8)}-01"})

    span = _server_span_of(spans, trace_id)
    attributes = span.attributes or {}
    assert span.name == "GET"  # an unknown prefix does not become a span name of its own
    assert attributes.get("http.response.status_code", attributes.get("http.status_code")) == 404
