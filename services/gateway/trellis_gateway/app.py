"""The gateway as one ASGI app: its own /healthz and /readyz, and the proxy for /api/*."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

import httpx
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from opentelemetry.trace import TracerProvider
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from trellis_gateway import problems
from trellis_gateway.proxy import UpstreamProxy
from trellis_gateway.readiness import READINESS_TIMEOUT, not_ready_upstreams
from trellis_gateway.tracing import span_details
from trellis_gateway.upstream_client import UPSTREAM_TIMEOUT
from trellis_platform.body_limit import DEFAULT_MAX_BODY_BYTES, BodySizeLimitMiddleware
from trellis_platform.http_app import RequestIdMiddleware


def create_gateway_app(
    upstreams: Mapping[str, str],
    *,
    timeout: httpx.Timeout = UPSTREAM_TIMEOUT,
    readiness_timeout: float = READINESS_TIMEOUT,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    tracer_provider: TracerProvider | None = None,
) -> Starlette:
    """``upstreams`` maps service name -> base URL, as ``routes.upstreams_from_env`` returns.

    ``tracer_provider`` defaults to the global one (``configure_telemetry``).
    """
    if not upstreams:
        raise ValueError("the gateway needs at least one upstream")
    upstreams = dict(upstreams)
    proxy = UpstreamProxy(upstreams, timeout=timeout)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        reasons = await not_ready_upstreams(proxy.client, upstreams, timeout=readiness_timeout)
        if reasons:
            return problems.not_ready(reasons, request.url.path)
        return JSONResponse({"status": "ready", "upstreams": dict.fromkeys(upstreams, "ready")})

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if exc.status_code == 404:
            return problems.no_route(request.url.path, upstreams)
        return problems.http_error(exc.status_code, exc.detail, request.url.path, exc.headers)

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        # Starlette logs the exception and re-raises it to the server after this answer.
        return problems.unexpected(request.url.path)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with proxy.running():
            yield

    middleware = [
        # Outermost, so that every answer below (a 413 or 404 too) is in the span.
        Middleware(
            OpenTelemetryMiddleware,
            tracer_provider=tracer_provider,
            default_span_details=span_details(upstreams),
            exclude_spans=["receive", "send"],
        ),
        Middleware(RequestIdMiddleware),
        # CORS, then authentication, then per-tenant rate limits go here, in that order
        # (a preflight carries no token; the tenant is known only once authenticated): inside
        # the span and request id, so their refusals carry both, and before any body is read.
        Middleware(BodySizeLimitMiddleware, max_bytes=max_body_bytes),
    ]
    return Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/api/{path:path}", proxy),
        ],
        middleware=middleware,
        exception_handlers={HTTPException: on_http_error, Exception: on_unexpected},
        lifespan=lifespan,
    )
