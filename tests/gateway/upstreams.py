"""Small stand-ins for the services: real FastAPI apps on the platform's HTTP stack."""

from __future__ import annotations

import asyncio
import hashlib
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import StreamingResponse

from trellis_platform.http_app import new_http_app
from trellis_platform.problems import problem_response

BIG_CHUNKS = 50
BIG_CHUNK_SIZE = 10_000


def big_body() -> bytes:
    return b"".join(bytes([i % 256]) * BIG_CHUNK_SIZE for i in range(BIG_CHUNKS))


@dataclass
class UpstreamState:
    ready: bool = True
    endless_stream_closed: threading.Event = field(default_factory=threading.Event)
    seen: list[str] = field(default_factory=list)


def upstream_app(service: str, state: UpstreamState) -> FastAPI:
    api = APIRouter(prefix=f"/api/{service}")

    @api.api_route("/echo", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    @api.api_route("/echo/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    async def echo(request: Request) -> dict[str, Any]:
        body = await request.body()
        return {
            "service": service,
            "method": request.method,
            "raw_path": request.scope["raw_path"].decode(),
            "query": request.scope["query_string"].decode(),
            "headers": [[k.decode(), v.decode()] for k, v in request.scope["headers"]],
            "body": body.decode(),
            "peer_port": request.scope["client"][1],
        }

    @api.post("/things", status_code=201)
    async def create_thing(response: Response) -> dict[str, str]:
        response.headers["Location"] = f"/api/{service}/things/42"
        response.headers["X-Upstream"] = service
        response.headers.append("Set-Cookie", "a=1; Path=/")
        response.headers.append("Set-Cookie", "b=2; Path=/")
        return {"id": "42"}

    @api.get("/rule-broken")
    async def rule_broken() -> Response:
        return problem_response(422, "Invalid request", "ends_on is before starts_on")

    @api.post("/digest")
    async def digest(request: Request) -> dict[str, Any]:
        sha, size = hashlib.sha256(), 0
        async for chunk in request.stream():
            sha.update(chunk)
            size += len(chunk)
        return {"sha256": sha.hexdigest(), "size": size}

    @api.get("/big")
    async def big() -> StreamingResponse:
        async def chunks() -> AsyncIterator[bytes]:
            for i in range(BIG_CHUNKS):
                yield bytes([i % 256]) * BIG_CHUNK_SIZE

        return StreamingResponse(chunks(), media_type="application/octet-stream")

    @api.get("/endless")
    async def endless() -> StreamingResponse:
        async def chunks() -> AsyncIterator[bytes]:
            try:
                while True:
                    yield b"." * 1024
                    await asyncio.sleep(0.01)
            finally:
                state.endless_stream_closed.set()

        return StreamingResponse(chunks(), media_type="text/plain")

    @api.get("/slow")
    async def slow(seconds: float) -> dict[str, str]:
        await asyncio.sleep(seconds)
        return {"status": "late"}

    @api.get("/hop-by-hop")
    async def hop_by_hop() -> Response:
        return Response(
            b"ok",
            headers={
                "Connection": "X-Hop-Response",
                "X-Hop-Response": "1",
                "Keep-Alive": "timeout=99",
                "Proxy-Authenticate": "Basic",
                "Trailer": "X-Checksum",
                "Upgrade": "foo/1",
                "X-End-To-End": "kept",
            },
        )

    @api.post("/login")
    async def login(request: Request) -> Response:
        # Enough of identity's login for the gateway's sign-in throttle to watch.
        body = await request.json()
        if body.get("password") == "right password":
            return Response(b'{"access_token":"x"}', media_type="application/json")
        return problem_response(401, "Login failed", "The email or password is wrong.")

    @api.api_route("/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    async def anything_else(request: Request) -> dict[str, Any]:
        state.seen.append(f"{request.method} {request.url.path}")
        return {"service": service, "path": request.url.path}

    health = APIRouter()

    @health.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @health.get("/readyz")
    async def readyz() -> Response:
        if state.ready:
            return Response(b'{"status":"ready"}', media_type="application/json")
        return problem_response(503, "Not ready", "database: unreachable")

    return new_http_app(title=f"test {service}", routers=[api, health])
