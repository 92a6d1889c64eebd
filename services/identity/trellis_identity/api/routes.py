"""All of identity's routes, one router per area."""

from __future__ import annotations

from fastapi import APIRouter

from trellis_identity.api.api_keys import api_keys_router
from trellis_identity.api.clients import clients_router
from trellis_identity.api.internal_tokens import internal_tokens_router
from trellis_identity.api.sessions import sessions_router
from trellis_identity.api.throttles import Throttles
from trellis_identity.api.users import users_router
from trellis_identity.api.well_known import well_known_router
from trellis_identity.application.identity import IdentityApplication
from trellis_platform.auth.tokens import TokenVerifier


def identity_routers(app: IdentityApplication, throttles: Throttles,
                     verifier: TokenVerifier) -> list[APIRouter]:
    return [
        well_known_router(app.keys, app.token_settings),
        sessions_router(app, throttles, verifier),
        users_router(app),
        clients_router(app),
        api_keys_router(app),
        internal_tokens_router(app, throttles),
    ]
