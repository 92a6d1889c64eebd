"""The FastAPI app every service (and the embedded process) is built on."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from trellis_platform.auth.tokens import TokenVerifier
from trellis_platform.body_limit import BodySizeLimitMiddleware, PathLimit
from trellis_platform.json_depth import JsonDepthLimitMiddleware
from trellis_platform.problems import install_problem_handlers

REQUEST_ID_HEADER = b"x-request-id"
# Visible ASCII, as ids are (UUIDs, trace ids, a gateway's own), and short.
_SANE_REQUEST_ID = re.compile(rb"[\x21-\x7e]{1,128}")


class RequestIdMiddleware:
    """Keeps the caller's (or gateway's) request id, or makes one, and echoes it back."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        given = headers.get(REQUEST_ID_HEADER)
        sane = given is not None and _SANE_REQUEST_ID.fullmatch(given) is not None
        request_id = given if given is not None and sane else uuid.uuid4().hex.encode()
        if not sane:
            # A missing or hostile id (CR/LF, control characters, kilobytes) is replaced, not
            # echoed into the response's headers, the logs and every stored event's meta.
            kept = [(name, value) for name, value in scope["headers"] if name != REQUEST_ID_HEADER]
            scope = {**scope, "headers": [*kept, (REQUEST_ID_HEADER, request_id)]}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", []), (REQUEST_ID_HEADER, request_id)]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_id)


def new_http_app(
    *,
    title: str,
    routers: Sequence[APIRouter],
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[Any]] | None = None,
    max_body_bytes: int = 1_048_576,
    token_verifier: TokenVerifier | None = None,
) -> FastAPI:
    app = FastAPI(title=title, version="0.1.0", lifespan=lifespan)
    app.state.token_verifier = token_verifier
    for router in routers:
        app.include_router(router)
    install_problem_handlers(app)
    FastAPIInstrumentor.instrument_app(app, exclude_spans=["receive", "send"])
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=max_body_bytes,
                       path_limits=route_body_limits(routers))
    app.add_middleware(JsonDepthLimitMiddleware)
    app.add_middleware(RequestIdMiddleware)
    return app


def route_body_limits(routers: Sequence[APIRouter]) -> list[PathLimit]:
    """The routes declared with their own ``max_body_size`` (an upload route, say) get that
    limit instead of the app-wide one: the outer middleware must not refuse them first."""
    limits: list[PathLimit] = []
    for router in routers:
        for route in router.routes:
            if isinstance(route, APIRoute) and route.max_body_size is not None:
                limits.append((route.path_regex, route.max_body_size))
    return limits
