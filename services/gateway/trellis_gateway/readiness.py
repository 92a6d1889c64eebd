"""The gateway is ready when every upstream says it is ready."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

import httpx

READINESS_TIMEOUT = 2.0


async def _reason_not_ready(client: httpx.AsyncClient, base: str, timeout: float) -> str | None:
    try:
        async with asyncio.timeout(timeout):
            response = await client.get(f"{base}/readyz")
    except (TimeoutError, httpx.TimeoutException):
        return "timed out"
    except httpx.ConnectError:
        return "unreachable"
    except httpx.HTTPError:
        return "no valid response"
    return None if response.status_code == 200 else f"answered {response.status_code}"


async def not_ready_upstreams(
    client: httpx.AsyncClient, upstreams: Mapping[str, str], *, timeout: float = READINESS_TIMEOUT
) -> dict[str, str]:
    """Service -> short reason, for each upstream whose /readyz did not answer 200 in time."""
    services = list(upstreams)
    reasons = await asyncio.gather(
        *(_reason_not_ready(client, upstreams[service], timeout) for service in services)
    )
    return {service: reason for service, reason in zip(services, reasons, strict=True) if reason is not None}
