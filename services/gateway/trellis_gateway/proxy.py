"""The reverse proxy: ``/api/<service>/...`` to that service, path and query unchanged.

A raw ASGI app rather than framework routes, so every method passes and neither body is
ever held whole in memory: the request streams to the upstream as the client sends it,
and the response streams back as the upstream sends it.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

import anyio
import httpx
from opentelemetry import trace
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from trellis_gateway import problems
from trellis_gateway.headers import header, to_client, to_upstream
from trellis_gateway.routes import has_dot_segments, service_of
from trellis_gateway.upstream_client import UPSTREAM_TIMEOUT, new_upstream_client

logger = logging.getLogger(__name__)


class ClientDisconnected(Exception):
    """The client went away while its request body was still being forwarded."""


class UpstreamProxy:
    def __init__(self, upstreams: Mapping[str, str], *, timeout: httpx.Timeout = UPSTREAM_TIMEOUT) -> None:
        self._upstreams = dict(upstreams)
        self._timeout = timeout
        self._client: httpx.AsyncClient | None = None

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            raise RuntimeError("the upstream client is not open; run the app's lifespan")
        return self._client

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        async with new_upstream_client(self._timeout) as client:
            self._client = client
            try:
                yield
            finally:
                self._client = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope["path"]
        service = service_of(path)
        base = self._upstreams.get(service) if service is not None else None
        if service is None or base is None:
            await problems.no_route(path, self._upstreams)(scope, receive, send)
            return
        if has_dot_segments(path):
            reason = "The path must not contain '.' or '..' segments."
            await problems.invalid_path(path, reason)(scope, receive, send)
            return
        try:
            request = _upstream_request(scope, receive, base)
        except httpx.InvalidURL:
            await problems.invalid_path(path, "The path or query cannot be forwarded.")(scope, receive, send)
            return

        try:
            response = await self.client.send(request, stream=True)
        except ClientDisconnected:
            logger.info("client left during the request body of %s %s", scope["method"], path)
            return
        except httpx.HTTPError as err:
            logger.warning("%s %s -> %s failed: %r", scope["method"], path, service, err)
            await problem_for(err, service, path)(scope, receive, send)
            return

        try:
            await send({
                "type": "http.response.start",
                "status": response.status_code,
                "headers": to_client(response.headers.raw),
            })
            await _relay_body(response, receive, send, service=service, path=path)
        finally:
            await response.aclose()


def _upstream_request(scope: Scope, receive: Receive, base: str) -> httpx.Request:
    # raw_path is the path exactly as the client sent it (percent-escapes untouched).
    raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
    query: bytes = scope.get("query_string", b"")
    target = raw_path.decode("utf-8", "replace")
    if query:
        target += "?" + query.decode("utf-8", "replace")
    incoming = scope["headers"]
    return httpx.Request(
        scope["method"],
        httpx.URL(base + target),
        headers=to_upstream(incoming, client=scope.get("client"), scheme=scope.get("scheme", "http")),
        content=_request_body(incoming, receive),
    )


def _request_body(headers: list[tuple[bytes, bytes]], receive: Receive) -> AsyncIterator[bytes] | None:
    content_length = header(headers, b"content-length")
    if header(headers, b"transfer-encoding") is None and content_length in (None, b"0"):
        # No body: sending an (empty) stream would make httpx add Transfer-Encoding.
        return None
    return _stream_body(receive)


async def _stream_body(receive: Receive) -> AsyncIterator[bytes]:
    # Content-Length, when the client sent one, is forwarded with the headers, so httpx
    # frames the stream by it; otherwise it re-chunks.
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnected
        chunk: bytes = message.get("body", b"")
        if chunk:
            yield chunk
        if not message.get("more_body", False):
            return


def problem_for(err: httpx.HTTPError, service: str, path: str) -> JSONResponse:
    """The answer when the upstream call failed before a response started."""
    if isinstance(err, httpx.PoolTimeout):
        return problems.gateway_busy(service, path)
    if isinstance(err, httpx.TimeoutException):
        return problems.upstream_timeout(service, path)
    if isinstance(err, httpx.ConnectError):
        return problems.upstream_unreachable(service, path)
    return problems.upstream_broken(service, path)


async def _relay_body(
    response: httpx.Response, receive: Receive, send: Send, *, service: str, path: str
) -> None:
    # uvicorn drops writes to a client that has left instead of raising, so without watching
    # for the disconnect the gateway would keep pulling a long upstream response for no one.
    async with anyio.create_task_group() as tasks:

        async def stop_when_client_leaves() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass
            tasks.cancel_scope.cancel()

        tasks.start_soon(stop_when_client_leaves)
        try:
            async for chunk in response.aiter_raw():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        except httpx.HTTPError as err:
            # Too late for a problem body: leaving the response incomplete makes the server
            # drop the connection, so the client sees a truncated response, not a short one.
            logger.warning("%s response for %s broke off: %r", service, path, err)
            trace.get_current_span().set_status(trace.StatusCode.ERROR, "upstream response broke off")
        else:
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        tasks.cancel_scope.cancel()
