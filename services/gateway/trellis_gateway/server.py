"""How uvicorn runs the gateway (shared by ``python -m trellis_gateway`` and the tests)."""

from __future__ import annotations

import uvicorn
from starlette.types import ASGIApp


def server_config(app: ASGIApp, *, host: str, port: int) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        lifespan="on",
        log_config=None,
        access_log=False,
        # The gateway is the edge: X-Forwarded-* from a client are not to be believed, and
        # uvicorn would otherwise take them as the client address for requests from 127.0.0.1.
        proxy_headers=False,
        server_header=False,
        # Without it, asyncio can start a request's task in the context of the previous request
        # on the same keep-alive connection (CPython issue 140947): OpenTelemetry then sees that
        # request's span as current and nests this one under it, ignoring its traceparent.
        reset_contextvars=True,
        timeout_graceful_shutdown=10,
    )
