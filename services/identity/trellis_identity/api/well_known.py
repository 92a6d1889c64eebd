"""What a verifier needs to know: the public keys (JWKS) and the OpenID discovery document."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from trellis_identity.api.common import PREFIX
from trellis_identity.application.keys import KeyRing
from trellis_platform.auth.access import PUBLIC
from trellis_platform.auth.guards import guarded
from trellis_platform.auth.tokens import ALGORITHMS, TokenSettings


def discovery_document(settings: TokenSettings) -> dict[str, Any]:
    issuer = settings.issuer.rstrip("/")
    return {
        "issuer": settings.issuer,
        "jwks_uri": f"{issuer}/.well-known/jwks.json",
        "token_endpoint": f"{issuer}/login",
        "grant_types_supported": ["password", "refresh_token", "client_credentials"],
        "response_types_supported": ["token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ALGORITHMS,
        "token_endpoint_auth_methods_supported": ["none"],
        "claims_supported": ["iss", "aud", "sub", "iat", "nbf", "exp", "jti", "org", "kind", "roles",
                             "client", "perms", "sid"],
    }


def well_known_router(keys: KeyRing, settings: TokenSettings) -> APIRouter:
    router = APIRouter(prefix=f"{PREFIX}/.well-known", tags=["identity: discovery"])

    @router.get("/jwks.json", **guarded(PUBLIC), response_class=JSONResponse, responses={
        200: {"description": "The JSON Web Key Set (RFC 7517)",
              "content": {"application/jwk-set+json": {"schema": {"type": "object"}}}}})
    def jwks() -> JSONResponse:
        """The current signing key and the previous one (kept while its tokens live)."""
        return JSONResponse(keys.jwks(), headers={"Cache-Control": "public, max-age=60"},
                            media_type="application/jwk-set+json")

    @router.get("/openid-configuration", **guarded(PUBLIC))
    def openid_configuration() -> JSONResponse:
        return JSONResponse(discovery_document(settings), headers={"Cache-Control": "public, max-age=300"})

    return router
