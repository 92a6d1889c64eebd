"""The portal's own access tokens for planning, issued by identity (distributed mode).

The portal serves every organisation, but no token does: identity issues the portal
(an internal client known by a secret provisioned by configuration) a short-lived
service token for ONE organisation at a time, carrying only ``planning.documents:read``.
Planning then checks that organisation against the document as for any caller. Tokens
are kept per organisation and asked for again before they expire, or at once when
planning refuses one (``renew=True``: a restart of identity, a revoked token id).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

import httpx

logger = logging.getLogger(__name__)

RENEW_AFTER = 0.8
"""Of a token's lifetime: a 5-minute token is replaced after 4, with a minute to spare."""
MAX_KEPT = 10_000


class TokenUnavailable(Exception):
    """Identity did not issue a token (down, or it refused the portal's secret)."""


@dataclass(frozen=True)
class _Kept:
    token: str
    renew_at: float


class InternalTokens:
    def __init__(self, token_url: str, secret: str, *, client: str = "portal",
                 transport: httpx.AsyncBaseTransport | None = None, timeout: float = 10.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """``token_url``: identity's ``/api/identity/internal-tokens``, reached directly."""
        self._token_url = token_url
        self._secret = secret
        self._client = client
        self._transport = transport
        self._timeout = timeout
        self._clock = clock
        self._kept: dict[UUID, _Kept] = {}

    async def token_for(self, organisation_id: UUID, *, renew: bool = False) -> str:
        """A token for ``organisation_id``: the one kept while it is fresh, unless ``renew``."""
        now = self._clock()
        kept = self._kept.get(organisation_id)
        if kept is not None and not renew and now < kept.renew_at:
            return kept.token
        # Two downloads of one organisation at once may both ask; both answers are good.
        token, expires_in = await self._issue(organisation_id)
        if len(self._kept) >= MAX_KEPT:
            self._kept = {org: k for org, k in self._kept.items() if now < k.renew_at}
        self._kept[organisation_id] = _Kept(token=token, renew_at=now + expires_in * RENEW_AFTER)
        return token

    async def _issue(self, organisation_id: UUID) -> tuple[str, float]:
        body = {"client": self._client, "secret": self._secret, "organisation_id": str(organisation_id)}
        try:
            async with httpx.AsyncClient(transport=self._transport, timeout=self._timeout) as http:
                response = await http.post(self._token_url, json=body)
        except httpx.HTTPError as error:
            raise TokenUnavailable(f"identity did not answer: {type(error).__name__}") from None
        if response.status_code != 200:
            # The status only: the body may echo what was sent.
            logger.warning("identity refused the portal a token (%s)", response.status_code)
            raise TokenUnavailable(f"identity answered {response.status_code}")
        try:
            answer = response.json()
            return str(answer["access_token"]), float(answer["expires_in"])
        except (ValueError, KeyError, TypeError):
            raise TokenUnavailable("identity's answer holds no token") from None
