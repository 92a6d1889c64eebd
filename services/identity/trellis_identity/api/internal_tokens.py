"""Tokens for Trellis's internal clients (the portal): a secret in, a service token for one
organisation out. Public like the other exchanges (the secret is the credential), and
throttled per address on failures only: the portal asks once per organisation every
few minutes, a guesser gets nowhere. The gateway does not list it among the routes
without a token: it is for services inside, which call identity directly."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request, Response

from trellis_identity.api.common import NO_STORE, PREFIX, PROBLEM_RESPONSES, answering_problems
from trellis_identity.api.schemas import InternalTokenRequest, TokenResponse
from trellis_identity.api.sessions import UNAUTHENTICATED_HEADERS
from trellis_identity.api.throttles import Throttles
from trellis_identity.application.errors import InternalClientRefused
from trellis_identity.application.identity import IdentityApplication
from trellis_platform.auth.access import PUBLIC
from trellis_platform.auth.guards import guarded
from trellis_platform.problems import Problem

logger = logging.getLogger(__name__)


def internal_tokens_router(app: IdentityApplication, throttles: Throttles) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["identity: internal clients"], responses=PROBLEM_RESPONSES)

    @router.post("/internal-tokens", response_model=TokenResponse, **guarded(PUBLIC),
                 responses={401: {"description": "Unknown internal client or wrong secret"}})
    def internal_token(body: InternalTokenRequest, request: Request, response: Response) -> TokenResponse:
        """A service token for one organisation, with the internal client's permissions only
        (the portal: ``planning.documents:read``), valid 5 minutes."""
        throttles.admit_attempt(request)
        try:
            with answering_problems():
                access = app.issue_internal_token(client=body.client, secret=body.secret.get_secret_value(),
                                                  organisation_id=body.organisation_id)
        except InternalClientRefused:
            logger.warning("an internal token was refused (client %r)", body.client[:64])
            raise Problem(401, "Internal client refused", "The client is unknown or the secret is wrong.",
                          headers=UNAUTHENTICATED_HEADERS) from None
        throttles.attempt_succeeded(request)
        response.headers.update(NO_STORE)
        return TokenResponse(access_token=access.token, expires_in=access.expires_in)

    return router
