"""Refuse oversized request bodies before they are read into memory."""

from __future__ import annotations

import re
from collections.abc import Sequence

from starlette.types import ASGIApp, Receive, Scope, Send

from trellis_platform.body_refusal import BodyRefused, answer_refusal, call_checking_body

DEFAULT_MAX_BODY_BYTES = 1_048_576

PathLimit = tuple[re.Pattern[str], int]
"""A larger (or smaller) limit for the paths a pattern matches, e.g. an upload route."""


class BodyTooLarge(BodyRefused):
    status = 413
    title = "Content too large"

    def __init__(self, limit: int) -> None:
        super().__init__(f"The request body exceeds the limit of {limit} bytes.")


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
            await answer_refusal(BodyTooLarge(limit), scope, receive, send)
            return

        received = 0

        def count(chunk: bytes) -> None:
            nonlocal received
            received += len(chunk)
            if received > limit:
                raise BodyTooLarge(limit)

        await call_checking_body(self.app, scope, receive, send, count)
