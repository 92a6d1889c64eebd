"""Every /api request carries a valid bearer token, except the few that hand one out.

The gateway checks signature, algorithm, issuer, audience, expiry and not-before with the
same verifier the services use, then revocation with the identity service. The services
check again themselves: the gateway is the first wall, not the only one. The verified
caller is left in the ASGI scope for the rate limits.
"""

from __future__ import annotations

import logging

import anyio
from starlette.types import ASGIApp, Receive, Scope, Send

from trellis_gateway import problems
from trellis_gateway.headers import header
from trellis_gateway.revocation import IdentityUnavailable, RevocationClient
from trellis_platform.auth.caller import Caller
from trellis_platform.auth.tokens import InvalidToken, TokenVerifier

logger = logging.getLogger(__name__)

CALLER_SCOPE_KEY = "trellis.caller"
MAX_TOKEN_LENGTH = 8192

# How a caller gets a token in the first place, and what verifiers need to check one.
PUBLIC_ROUTES = frozenset({
    ("POST", "/api/identity/signup"),
    ("POST", "/api/identity/login"),
    ("POST", "/api/identity/refresh"),
    ("POST", "/api/identity/service-tokens"),
    ("GET", "/api/identity/.well-known/jwks.json"),
    ("GET", "/api/identity/.well-known/openid-configuration"),
})


def is_public(method: str, path: str) -> bool:
    if method == "HEAD":
        method = "GET"
    return (method, path.rstrip("/") or "/") in PUBLIC_ROUTES


def caller_of(scope: Scope) -> Caller | None:
    caller = scope.get(CALLER_SCOPE_KEY)
    return caller if isinstance(caller, Caller) else None


def bearer_token(scope: Scope) -> str | None:
    value = header(scope.get("headers", []), b"authorization")
    if value is None:
        return None
    scheme, _, token = value.decode("latin-1").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return token


class AuthenticationMiddleware:
    def __init__(self, app: ASGIApp, *, verifier: TokenVerifier, revocation: RevocationClient | None) -> None:
        self.app = app
        self.verifier = verifier
        self.revocation = revocation

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith("/api/") or is_public(scope["method"], path):
            await self.app(scope, receive, send)
            return
        token = bearer_token(scope)
        if token is None:
            await problems.unauthenticated(path, "This route needs a bearer token.")(scope, receive, send)
            return
        try:
            caller = await anyio.to_thread.run_sync(self.verifier.verify_signature_and_claims, token)
            if self.revocation is not None and await self.revocation.is_revoked(token, caller):
                raise InvalidToken("token has been revoked")
        except InvalidToken as invalid:
            # Why, for the operator; never the token itself.
            logger.info("refused a bearer token on %s %s: %s", scope["method"], path, invalid)
            await problems.unauthenticated(path, "The bearer token is not valid.")(scope, receive, send)
            return
        except IdentityUnavailable:
            await problems.identity_unavailable(path)(scope, receive, send)
            return
        await self.app({**scope, CALLER_SCOPE_KEY: caller}, receive, send)
