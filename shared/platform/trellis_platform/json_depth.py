"""Refuse JSON bodies nested deeper than any request of ours needs, while they stream in.

Python's json parser recurses once per level: ten thousand nested arrays exhaust the
interpreter's recursion limit (FastAPI then answers a vague 400), and a few hundred
levels inside a free-form field (custom values) would be accepted, stored in an event
and break every later read of the aggregate. Counting brackets as the bytes arrive
refuses such a body before it is parsed at all, with a problem that says why.
"""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Receive, Scope, Send

from trellis_platform.body_refusal import BodyRefused, call_checking_body

DEFAULT_MAX_JSON_DEPTH = 64

# Only these bytes change the nesting or whether a bracket is inside a string.
_SIGNIFICANT = re.compile(rb'[\[\]{}"\\]')
_OPENING = frozenset(b"[{")
_CLOSING = frozenset(b"]}")
_QUOTE = ord('"')
_BACKSLASH = ord("\\")


class JsonTooDeep(BodyRefused):
    status = 422
    title = "Invalid request"


class NestingCounter:
    """The nesting depth of a JSON text fed in pieces; strings and escapes are skipped."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.depth = 0
        self._in_string = False
        self._escaped = False

    def feed(self, chunk: bytes) -> None:
        """Raises JsonTooDeep as soon as the depth exceeds the limit."""
        if not chunk:
            return  # an escape pending from the last chunk applies to the next byte there is
        skip_to = 0
        if self._escaped:
            # The previous chunk ended on a backslash inside a string: this byte is escaped.
            self._escaped = False
            skip_to = 1
        for match in _SIGNIFICANT.finditer(chunk):
            at = match.start()
            if at < skip_to:
                continue
            byte = chunk[at]
            if self._in_string:
                if byte == _BACKSLASH:
                    if at + 1 == len(chunk):
                        self._escaped = True
                    skip_to = at + 2
                elif byte == _QUOTE:
                    self._in_string = False
            elif byte == _QUOTE:
                self._in_string = True
            elif byte in _OPENING:
                self.depth += 1
                if self.depth > self.limit:
                    raise JsonTooDeep(f"The JSON body nests deeper than {self.limit} levels.")
            elif byte in _CLOSING:
                self.depth -= 1


def _is_json(scope: Scope) -> bool:
    content_type = dict(scope.get("headers", [])).get(b"content-type", b"")
    media_type = content_type.split(b";", 1)[0].strip().lower()
    # FastAPI reads a body without a Content-Type as JSON too.
    return media_type in (b"", b"application/json") or media_type.endswith(b"+json")


class JsonDepthLimitMiddleware:
    """Answers 422 with a problem body when a JSON request body nests deeper than ``max_depth``."""

    def __init__(self, app: ASGIApp, max_depth: int = DEFAULT_MAX_JSON_DEPTH) -> None:
        self.app = app
        self.max_depth = max_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _is_json(scope):
            await self.app(scope, receive, send)
            return
        await call_checking_body(self.app, scope, receive, send, NestingCounter(self.max_depth).feed)
