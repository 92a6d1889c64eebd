"""FastAPI dependencies that authenticate the caller and apply a route's access policy.

Usage in a router::

    @router.post("/projects", **guarded(access(staff=MANAGERS)))
    def create_project(body: ..., caller: CurrentCaller) -> ...:

An unauthenticated request gets 401 with a WWW-Authenticate header; an authenticated
caller the policy does not admit gets 403. Neither says anything about the resource.

Both dependencies are async: a sync one costs a hop to the threadpool and back, twice
per request. A token verified a moment ago is answered on the event loop
(``TokenVerifier.known``); only a new one, or a revocation check that asks a database, is
verified in the threadpool (the JWKS may have to be fetched, the check may query).
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from trellis_platform.auth.access import ACCESS_EXTENSION, Access
from trellis_platform.auth.caller import Caller
from trellis_platform.auth.tokens import InvalidToken, RevocationsUnknown, TokenVerifier
from trellis_platform.problems import Problem

logger = logging.getLogger(__name__)

_bearer = HTTPBearer(auto_error=False, description="An access token from the identity service")

UNAUTHENTICATED_HEADERS = {"WWW-Authenticate": 'Bearer realm="trellis"'}


def _verifier(request: Request) -> TokenVerifier:
    verifier = getattr(request.app.state, "token_verifier", None)
    if verifier is None:
        raise RuntimeError("app.state.token_verifier is not configured")
    assert isinstance(verifier, TokenVerifier)
    return verifier


async def authenticated_caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    if credentials is None:
        raise Problem(401, "Unauthenticated", "This route needs a bearer token.",
                      headers=UNAUTHENTICATED_HEADERS)
    verifier = _verifier(request)
    token = credentials.credentials
    try:
        known = verifier.known(token)
        return known if known is not None else await run_in_threadpool(verifier.verify, token)
    except InvalidToken as invalid:
        # Why, for the operator; never the token itself.
        logger.info("refused a bearer token on %s %s: %s", request.method, request.url.path, invalid)
        raise Problem(401, "Unauthenticated", "The bearer token is not valid.",
                      headers=UNAUTHENTICATED_HEADERS) from None
    except RevocationsUnknown:
        # The token may well be good: a 401 would send the client to sign in again.
        raise Problem(503, "Not ready", "This service is still reading which tokens were revoked; "
                      "retry shortly.", headers={"Retry-After": "1"}) from None


CurrentCaller = Annotated[Caller, Depends(authenticated_caller)]


def _policy_dependency(policy: Access) -> Any:
    async def check(caller: CurrentCaller) -> Caller:
        if not policy.allows(caller):
            raise Problem(403, "Forbidden", "Your role does not allow this action.")
        return caller

    return Depends(check)


def guarded(policy: Access) -> dict[str, Any]:
    """Decorator keyword arguments: the policy's check and its OpenAPI declaration."""
    extra = {ACCESS_EXTENSION: policy.describe()}
    if policy.public:
        return {"openapi_extra": extra}
    return {
        "dependencies": [_policy_dependency(policy)],
        "openapi_extra": extra,
        "responses": {401: {"description": "No valid bearer token"},
                      403: {"description": "The caller's role does not allow this"}},
    }
