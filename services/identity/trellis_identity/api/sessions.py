"""Signing up, logging in, refreshing, logging out, service tokens, and revocation.

Sign-up, login, refresh and the API key exchange are public (they are how a caller gets
a token) and throttled per address; failed logins are throttled per email too.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Body, Request, Response, status

from trellis_identity.api.common import (
    NO_STORE,
    PREFIX,
    PROBLEM_RESPONSES,
    answering_problems,
    is_admin,
    meta_for,
)
from trellis_identity.api.schemas import (
    LoginRequest,
    RefreshRequest,
    RevokeTokenRequest,
    ServiceTokenRequest,
    SignupRequest,
    SignupResponse,
    TokenResponse,
    TokenStatusResponse,
)
from trellis_identity.api.throttles import Throttles
from trellis_identity.application.credentials import REFRESH_TOKEN_PREFIX
from trellis_identity.application.errors import ApiKeyRefused, LoginFailed, RefreshRefused
from trellis_identity.application.identity import IdentityApplication
from trellis_identity.application.results import SessionTokens
from trellis_platform.auth.access import PUBLIC, SIGNED_IN
from trellis_platform.auth.guards import CurrentCaller, guarded
from trellis_platform.auth.tokens import InvalidToken, TokenVerifier
from trellis_platform.problems import Problem

logger = logging.getLogger(__name__)

UNAUTHENTICATED_HEADERS = {"WWW-Authenticate": 'Bearer realm="trellis"'}


def _session_response(tokens: SessionTokens, response: Response) -> TokenResponse:
    response.headers.update(NO_STORE)
    return TokenResponse(access_token=tokens.access.token, expires_in=tokens.access.expires_in,
                         refresh_token=tokens.refresh_token, refresh_expires_in=tokens.refresh_expires_in)


def sessions_router(app: IdentityApplication, throttles: Throttles, verifier: TokenVerifier) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["identity: sessions"], responses=PROBLEM_RESPONSES)

    @router.post("/signup", status_code=status.HTTP_201_CREATED, response_model=SignupResponse,
                 **guarded(PUBLIC))
    def sign_up(body: SignupRequest, request: Request) -> SignupResponse:
        """A new organisation and its first owner, who then logs in."""
        throttles.admit_signup(request)
        with answering_problems():
            signed_up = app.sign_up(organisation_name=body.organisation_name, owner_name=body.name,
                                    email=body.email, password=body.password.get_secret_value(),
                                    meta=meta_for(request, None))
        return SignupResponse(organisation_id=signed_up.organisation_id, user_id=signed_up.user_id)

    @router.post("/login", response_model=TokenResponse, **guarded(PUBLIC),
                 responses={401: {"description": "Wrong email or password"}})
    def login(body: LoginRequest, request: Request, response: Response) -> TokenResponse:
        throttles.admit_attempt(request)
        throttles.admit_login_for(body.email)
        try:
            with answering_problems():
                tokens = app.login(email=body.email, password=body.password.get_secret_value(),
                                   meta=meta_for(request, None))
        except LoginFailed:
            # Not even the email: people type passwords into the wrong field.
            logger.info("a login failed")
            raise Problem(401, "Login failed", "The email or password is wrong, or the account is inactive.",
                          headers=UNAUTHENTICATED_HEADERS) from None
        throttles.login_succeeded(body.email)
        return _session_response(tokens, response)

    @router.post("/refresh", response_model=TokenResponse, **guarded(PUBLIC),
                 responses={401: {"description": "The refresh token is not (or no longer) valid"}})
    def refresh(body: RefreshRequest, request: Request, response: Response) -> TokenResponse:
        """Rotates the refresh token. Presenting a replaced one revokes the whole session."""
        throttles.admit_attempt(request)
        try:
            with answering_problems():
                tokens = app.refresh(refresh_token=body.refresh_token.get_secret_value(),
                                     meta=meta_for(request, None))
        except RefreshRefused as refused:
            logger.warning("a refresh was refused: %s", refused)
            raise Problem(401, "Refresh refused", "The refresh token is not valid; log in again.",
                          headers=UNAUTHENTICATED_HEADERS) from None
        return _session_response(tokens, response)

    @router.post("/service-tokens", response_model=TokenResponse, **guarded(PUBLIC),
                 responses={401: {"description": "Unknown or revoked API key"}})
    def service_token(body: ServiceTokenRequest, request: Request, response: Response) -> TokenResponse:
        """An API key exchanged for a short-lived service token with the key's permissions."""
        throttles.admit_attempt(request)
        try:
            with answering_problems():
                access = app.exchange_api_key(body.api_key.get_secret_value())
        except ApiKeyRefused:
            raise Problem(401, "API key refused", "The API key is unknown or revoked.",
                          headers=UNAUTHENTICATED_HEADERS) from None
        response.headers.update(NO_STORE)
        return TokenResponse(access_token=access.token, expires_in=access.expires_in)

    @router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, **guarded(SIGNED_IN))
    def logout(caller: CurrentCaller, request: Request) -> Response:
        """Ends the caller's session and revokes the token it called with."""
        with answering_problems():
            app.logout(organisation_id=caller.organisation_id, subject=caller.subject,
                       token_id=caller.token_id, session_id=caller.session_id,
                       expires_at=datetime.now(UTC) + app.lifetimes.access, meta=meta_for(request, caller))
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    @router.get("/token/status", response_model=TokenStatusResponse, **guarded(SIGNED_IN))
    def token_status(caller: CurrentCaller, response: Response) -> TokenStatusResponse:
        """200 while the bearer token is good, revocation included; 401 once it is not.
        The gateway asks this (and caches the answer a few seconds)."""
        response.headers.update(NO_STORE)
        return TokenStatusResponse(active=True, subject=caller.subject,
                                   organisation_id=caller.organisation_id, kind=caller.kind,
                                   session_id=caller.session_id)

    @router.post("/tokens/revoke", status_code=status.HTTP_204_NO_CONTENT, **guarded(SIGNED_IN))
    def revoke_token(body: Annotated[RevokeTokenRequest, Body()], caller: CurrentCaller,
                     request: Request) -> Response:
        """Revokes an access token (by its id) or a refresh token (its whole session).
        Your own, or, for an owner or admin, anyone's in the organisation."""
        token = body.token.get_secret_value()
        meta = meta_for(request, caller)
        with answering_problems():
            if token.startswith(REFRESH_TOKEN_PREFIX):
                session = app.session_of_refresh_token(token)
                if session.organisation_id != caller.organisation_id:
                    raise Problem(404, "Not found", "No such session in this organisation.")
                if str(session.user_id) != caller.subject and not is_admin(caller):
                    raise Problem(403, "Forbidden",
                                  "Only an owner or admin revokes another person's session.")
                app.revoke_session(organisation_id=caller.organisation_id, session_id=session.id,
                                   reason="revoked", meta=meta)
                return Response(status_code=status.HTTP_204_NO_CONTENT)
            try:
                claims = verifier.claims(token, verify_expiry=False)
            except InvalidToken:
                raise Problem(422, "Not a token", "That is not a token issued here.") from None
            if str(claims.get("org")) != str(caller.organisation_id):
                raise Problem(404, "Not found", "No such token in this organisation.")
            if str(claims["sub"]) != caller.subject and not is_admin(caller):
                raise Problem(403, "Forbidden", "Only an owner or admin revokes another person's token.")
            app.revoke_access_token(token_id=str(claims["jti"]), organisation_id=caller.organisation_id,
                                    subject=str(claims["sub"]),
                                    expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC), meta=meta)
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    return router
