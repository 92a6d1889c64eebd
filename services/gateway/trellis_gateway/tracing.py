"""The gateway's server span: one per request, the parent of the upstream call.

The span is opened by OpenTelemetry's ASGI middleware (which also records method and
status, and continues an incoming ``traceparent``); the proxy injects its context into the
upstream request. Names stay low-cardinality: one per routed service, not per path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from opentelemetry.util.http import sanitize_method

from trellis_gateway.routes import service_of

SERVICE_ATTRIBUTE = "trellis.gateway.service"
OWN_PATHS = ("/healthz", "/readyz")

SpanDetails = Callable[[dict[str, Any]], tuple[str, dict[str, str]]]


def span_details(upstreams: Mapping[str, str]) -> SpanDetails:
    def details(scope: dict[str, Any]) -> tuple[str, dict[str, str]]:
        method = sanitize_method(str(scope.get("method", "")).strip()) or "HTTP"
        if method == "_OTHER":
            method = "HTTP"
        path = str(scope.get("path", ""))
        service = service_of(path)
        if service is not None and service in upstreams:
            return f"{method} /api/{service}", {SERVICE_ATTRIBUTE: service}
        if path in OWN_PATHS:
            return f"{method} {path}", {}
        return method, {}

    return details
