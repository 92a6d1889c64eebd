"""The gateway as one ASGI app: its own /healthz and /readyz, and the proxy for /api/*."""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import AsyncExitStack, asynccontextmanager

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
from trellis_gateway.authentication import AuthenticationMiddleware
from trellis_gateway.cors import cors_middleware
from trellis_gateway.proxy import UpstreamProxy
from trellis_gateway.rate_limits import RequestRateLimitMiddleware, SignInThrottleMiddleware
from trellis_gateway.readiness import READINESS_TIMEOUT, not_ready_upstreams
from trellis_gateway.revocation import RevocationClient
from trellis_gateway.settings import GatewayLimits
from trellis_gateway.tracing import span_details
from trellis_gateway.upstream_client import UPSTREAM_TIMEOUT
from trellis_platform.auth.tokens import TokenVerifier
from trellis_platform.body_limit import DEFAULT_MAX_BODY_BYTES, BodySizeLimitMiddleware, PathLimit
from trellis_platform.http_app import RequestIdMiddleware

DEFAULT_LIMITS = GatewayLimits()


# Document uploads stream through to planning, which enforces the exact limit itself;
# the gateway lets them past the 1 MiB JSON limit, with room for the multipart framing.
_UPLOAD_BYTES = int(os.environ.get("TRELLIS_DOCUMENT_MAX_BYTES", str(25 * 1_048_576))) + 65_536
UPLOAD_LIMITS: tuple[PathLimit, ...] = (
    (re.compile(r"^/api/planning/projects/[^/]+/documents$"), _UPLOAD_BYTES),
    (re.compile(r"^/api/planning/documents/[^/]+/versions$"), _UPLOAD_BYTES),
)


def create_gateway_app(
    upstreams: Mapping[str, str],
    *,
    verifier: TokenVerifier,
    revocation: RevocationClient | None = None,
    limits: GatewayLimits = DEFAULT_LIMITS,
    cors_origins: Sequence[str] = (),
    timeout: httpx.Timeout = UPSTREAM_TIMEOUT,
    readiness_timeout: float = READINESS_TIMEOUT,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    tracer_provider: TracerProvider | None = None,
) -> Starlette:
    """``upstreams`` maps service name -> base URL, as ``routes.upstreams_from_env`` returns.

    ``verifier`` checks every bearer token (there is no gateway without authentication);
    ``revocation`` asks the identity service whether a token was revoked. ``tracer_provider``
    defaults to the global one (``configure_telemetry``).
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
        async with AsyncExitStack() as running:
            await running.enter_async_context(proxy.running())
            if revocation is not None:
                await running.enter_async_context(revocation.running())
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
        # CORS, then authentication, then rate limits, in that order (a preflight carries no
        # token; the tenant is known only once authenticated): inside the span and request
        # id, so their refusals carry both, and before any body is read (but a sign-in's,
        # which the throttle reads for its email, up to a few KiB).
        cors_middleware(cors_origins),
        Middleware(AuthenticationMiddleware, verifier=verifier, revocation=revocation),
        Middleware(RequestRateLimitMiddleware, limits=limits),
        Middleware(SignInThrottleMiddleware, limits=limits),
        Middleware(BodySizeLimitMiddleware, max_bytes=max_body_bytes, path_limits=UPLOAD_LIMITS),
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
