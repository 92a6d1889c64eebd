"""Liveness and readiness: /healthz says the process runs, /readyz that its dependencies answer."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import psycopg
from fastapi import APIRouter
from starlette.responses import JSONResponse

from trellis_platform.problems import problem_response

ReadinessCheck = Callable[[], Awaitable[None]]


def database_check(database_url: str) -> ReadinessCheck:
    async def check() -> None:
        async with await psycopg.AsyncConnection.connect(database_url, connect_timeout=2) as conn:
            await conn.execute("SELECT 1")

    return check


def kafka_check(bootstrap: str) -> ReadinessCheck:
    from aiokafka.admin import AIOKafkaAdminClient

    async def check() -> None:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=2000)
        await admin.start()
        try:
            await admin.list_topics()
        finally:
            await admin.close()

    return check


def health_router(checks: dict[str, ReadinessCheck], *, prefix: str = "") -> APIRouter:
    router = APIRouter(prefix=prefix, tags=["health"])

    @router.get("/healthz", summary="The process is alive")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz", summary="The process's database and broker answer",
                responses={503: {"description": "A dependency does not answer"}})
    async def readyz() -> JSONResponse:
        names = list(checks)
        results = await asyncio.gather(
            *(asyncio.wait_for(checks[name](), timeout=3) for name in names), return_exceptions=True
        )
        failures = {
            name: repr(result)
            for name, result in zip(names, results, strict=True)
            if isinstance(result, BaseException)
        }
        if failures:
            return problem_response(
                503, "Not ready", "; ".join(f"{n}: {e}" for n, e in failures.items()),
                errors=[{"location": name, "message": error} for name, error in failures.items()],
            )
        return JSONResponse({"status": "ready", "checks": dict.fromkeys(names, "ok")})

    return router
