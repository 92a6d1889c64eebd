"""Refuse oversized request bodies before they are read into memory."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

DEFAULT_MAX_BODY_BYTES = 1_048_576

PathLimit = tuple[re.Pattern[str], int]
"""A larger (or smaller) limit for the paths a pattern matches, e.g. an upload route."""


class BodyTooLarge(Exception):
    pass


class BodySizeLimitMiddleware:
    """Answers 413 with a problem body when a request body exceeds its path's limit.

    Checks Content-Length up front and counts streamed chunks for chunked bodies,
    so a client cannot get around the limit by omitting the header. ``path_limits``
    give some paths their own limit (the first pattern that matches wins); every
    other path has ``max_bytes``.
    """

    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_BODY_BYTES,
                 path_limits: Sequence[PathLimit] = ()) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.path_limits = tuple(path_limits)

    def limit_for(self, path: str) -> int:
        for pattern, limit in self.path_limits:
            if pattern.match(path):
                return limit
        return self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("path", ""))
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, send, limit)
            return

        received = 0
        tripped = False
        refused = False
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received, tripped
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    tripped = True
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started, refused
            if tripped and not response_started:
                # The app caught BodyTooLarge and answered something else (FastAPI turns
                # any error while parsing a body into a 400): the answer is ours, a 413.
                response_started = refused = True
                await self._refuse(scope, send, limit)
            if refused:
                return
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not response_started:
                await self._refuse(scope, send, limit)

    async def _refuse(self, scope: Scope, send: Send, limit: int) -> None:
        body = json.dumps(
            {
                "type": "about:blank",
                "title": "Content too large",
                "status": 413,
                "detail": f"The request body exceeds the limit of {limit} bytes.",
                "instance": scope.get("path", ""),
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
