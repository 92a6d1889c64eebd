"""Token buckets at the edge: requests per tenant, per API key, and sign-in attempts.

Authenticated requests draw from their organisation's bucket and, for a service token,
from its API key's too, so one busy integration cannot starve its own organisation's
people. Sign-up, login, refresh and the API key exchange draw from the client address's
bucket; sign-up and login from the email's as well (a successful login gives its email
token back: only failures count there). A refusal is 429 with Retry-After.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from trellis_gateway import problems
from trellis_gateway.authentication import caller_of, is_public
from trellis_gateway.settings import GatewayLimits
from trellis_platform.auth.throttle import Buckets, retry_after_header

SIGN_IN_PATHS = frozenset({"/api/identity/signup", "/api/identity/login", "/api/identity/refresh",
                           "/api/identity/service-tokens"})
EMAIL_PATHS = frozenset({"/api/identity/signup", "/api/identity/login"})
MAX_SIGN_IN_BODY = 16_384


class RequestRateLimitMiddleware:
    def __init__(self, app: ASGIApp, *, limits: GatewayLimits) -> None:
        self.app = app
        self.per_tenant = Buckets(limits.per_tenant)
        self.per_key = Buckets(limits.per_key)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        caller = caller_of(scope) if scope["type"] == "http" else None
        if caller is None:
            await self.app(scope, receive, send)
            return
        tenant = str(caller.organisation_id)
        if caller.kind == "service":
            wait = self.per_key.take(caller.subject)
            if wait:
                await _refuse(scope, receive, send, wait, "This API key's request rate is exceeded.")
                return
            wait = self.per_tenant.take(tenant)
            if wait:
                self.per_key.refund(caller.subject)
        else:
            wait = self.per_tenant.take(tenant)
        if wait:
            await _refuse(scope, receive, send, wait, "This organisation's request rate is exceeded.")
            return
        await self.app(scope, receive, send)


class SignInThrottleMiddleware:
    def __init__(self, app: ASGIApp, *, limits: GatewayLimits) -> None:
        self.app = app
        self.per_address = Buckets(limits.sign_in_per_address)
        self.per_email = Buckets(limits.sign_in_per_email)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "").rstrip("/")
        if scope["type"] != "http" or path not in SIGN_IN_PATHS or not is_public(scope["method"], path):
            await self.app(scope, receive, send)
            return
        address = (scope.get("client") or ("unknown", 0))[0]
        wait = self.per_address.take(address)
        if wait:
            await _refuse(scope, receive, send, wait, "Too many sign-in attempts from this address.")
            return
        if path not in EMAIL_PATHS:
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive, MAX_SIGN_IN_BODY)
        if body is None:
            await problems.body_too_large_to_check(scope["path"], MAX_SIGN_IN_BODY)(scope, receive, send)
            return
        email = _email_of(body)
        if email is None:
            await self.app(scope, _replay(body, receive), send)
            return
        wait = self.per_email.take(email)
        if wait:
            await _refuse(scope, receive, send, wait, "Too many sign-in attempts for this email.")
            return
        if path.endswith("/login"):
            send = _refund_on_success(send, lambda: self.per_email.refund(email))
        await self.app(scope, _replay(body, receive), send)


async def _refuse(scope: Scope, receive: Receive, send: Send, wait: float, detail: str) -> None:
    response = problems.too_many_requests(scope["path"], f"{detail} Retry later.", retry_after_header(wait))
    await response(scope, receive, send)


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole request body, or None when it is longer than ``limit``."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks)
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


def _email_of(body: bytes) -> str | None:
    try:
        document = json.loads(body)
    except ValueError:
        return None
    email = document.get("email") if isinstance(document, dict) else None
    return email.strip().lower() if isinstance(email, str) and email.strip() else None


def _refund_on_success(send: Send, refund: Callable[[], None]) -> Callable[[Message], Awaitable[None]]:
    async def watching(message: Message) -> None:
        if message["type"] == "http.response.start" and 200 <= message["status"] < 300:
            refund()
        await send(message)

    return watching
