"""Is this token revoked? The gateway asks the identity service, which owns the answer.

Every service verifies signatures and claims itself, but only identity knows which
tokens and sessions were revoked. The gateway asks it once per token and keeps a good
answer a couple of seconds (TRELLIS_GATEWAY_REVOCATION_CACHE_SECONDS, at most 5), so a
revocation takes effect at the gateway within that. A revoked answer never changes and
is kept until the token would have expired anyway. Concurrent requests with the same
new token share one question.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx

from trellis_platform.auth.caller import Caller

logger = logging.getLogger(__name__)

REVOKED_KEPT_SECONDS = 15 * 60.0  # the longest an access token lives
MAX_CACHED = 100_000
STATUS_TIMEOUT = httpx.Timeout(2.0)


class IdentityUnavailable(Exception):
    """Identity could not say; the request is refused (fail closed), with a 503."""


class RevocationClient:
    def __init__(self, status_url: str, *, cache_seconds: float = 2.0,
                 timeout: httpx.Timeout = STATUS_TIMEOUT,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._status_url = status_url
        self._cache_seconds = cache_seconds
        self._timeout = timeout
        self._clock = clock
        self._answers: dict[str, tuple[bool, float]] = {}
        self._asking: dict[str, asyncio.Future[bool]] = {}
        self._client: httpx.AsyncClient | None = None

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        async with httpx.AsyncClient(timeout=self._timeout, trust_env=False,
                                     follow_redirects=False) as client:
            self._client = client
            try:
                yield
            finally:
                self._client = None

    async def is_revoked(self, token: str, caller: Caller) -> bool:
        key = caller.token_id or f"{caller.subject}:{caller.session_id}"
        known = self._answers.get(key)
        if known is not None and self._clock() < known[1]:
            return known[0]
        asking = self._asking.get(key)
        if asking is None:
            asking = asyncio.ensure_future(self._ask(token))
            self._asking[key] = asking
            asking.add_done_callback(lambda _: self._asking.pop(key, None))
        revoked = await asyncio.shield(asking)
        if len(self._answers) >= MAX_CACHED:
            self._answers.clear()
        kept = REVOKED_KEPT_SECONDS if revoked else self._cache_seconds
        self._answers[key] = (revoked, self._clock() + kept)
        return revoked

    async def _ask(self, token: str) -> bool:
        if self._client is None:
            raise RuntimeError("the revocation client is not running; run the app's lifespan")
        try:
            response = await self._client.get(self._status_url, headers={"Authorization": f"Bearer {token}"})
        except httpx.HTTPError as err:
            logger.warning("cannot ask identity about a token: %r", err)
            raise IdentityUnavailable from None
        if response.status_code == 200:
            return False
        if response.status_code in (401, 403):
            return True
        logger.warning("identity answered %d to a token status question", response.status_code)
        raise IdentityUnavailable
