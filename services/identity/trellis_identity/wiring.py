"""Identity's composition root: the one place its parts are put together."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import partial

from fastapi import APIRouter

from trellis_contracts.topics import IDENTITY_EVENTS_V1
from trellis_identity.api.routes import identity_routers
from trellis_identity.api.throttles import IdentityLimits, Throttles
from trellis_identity.application.base import Lifetimes
from trellis_identity.application.identity import IdentityApplication
from trellis_identity.application.internal_clients import InternalClients
from trellis_identity.application.keys import KeyRing
from trellis_identity.application.passwords import Passwords
from trellis_identity.publishing.mapping import to_integration_events
from trellis_identity.storage.signing_keys import PostgresKeyStore
from trellis_platform.auth.tokens import TokenSettings, TokenVerifier
from trellis_platform.database import eventsourcing_env, schema_setup
from trellis_platform.outgoing import EventSink
from trellis_platform.relay import NotificationRelay

SCHEMA = "identity"
PUBLISHED_TOPICS = (IDENTITY_EVENTS_V1,)
DEFAULT_LIFETIMES = Lifetimes()


@dataclass
class Identity:
    database_url: str
    application: IdentityApplication
    key_store: PostgresKeyStore
    throttles: Throttles

    @property
    def keys(self) -> KeyRing:
        return self.application.keys

    @property
    def token_settings(self) -> TokenSettings:
        return self.application.token_settings

    def token_verifier(self) -> TokenVerifier:
        """Verifies with identity's own keys and asks its own store about revocation: what
        identity's routes use, and every route in the embedded mode."""
        return TokenVerifier(self.keys, self.token_settings, revocation=self.application)

    def routers(self) -> list[APIRouter]:
        return identity_routers(self.application, self.throttles, self.token_verifier())

    def relay(self, sink: EventSink, *, batch_size: int = 500) -> NotificationRelay:
        return NotificationRelay(
            application=self.application,
            translate=partial(to_integration_events, lifetimes=self.application.lifetimes),
            sink=sink,
            database_url=self.database_url,
            batch_size=batch_size,
        )

    def close(self) -> None:
        self.application.close()


def build_identity(
    database_url: str,
    *,
    pool_size: int = 10,
    token_settings: TokenSettings | None = None,
    passwords: Passwords | None = None,
    limits: IdentityLimits | None = None,
    lifetimes: Lifetimes = DEFAULT_LIFETIMES,
    revocation_cache_seconds: float | None = None,
) -> Identity:
    """Settings default to the environment: TRELLIS_AUTH_ISSUER/AUDIENCE, the
    TRELLIS_IDENTITY_* limits, TRELLIS_IDENTITY_KEY_PASSPHRASE, the internal clients' secrets
    (TRELLIS_PORTAL_CLIENT_SECRET)."""
    with schema_setup(database_url, SCHEMA):
        passphrase = os.environ.get("TRELLIS_IDENTITY_KEY_PASSPHRASE", "").encode() or None
        key_store = PostgresKeyStore(database_url, SCHEMA, passphrase=passphrase)
        key_store.create_table()
        if revocation_cache_seconds is None:
            revocation_cache_seconds = float(os.environ.get("TRELLIS_IDENTITY_REVOCATION_CACHE_SECONDS", "1"))
        application = IdentityApplication(
            env=eventsourcing_env(database_url, SCHEMA, pool_size=pool_size),
            passwords=passwords or Passwords(),
            keys=KeyRing(key_store),
            token_settings=token_settings or TokenSettings.from_env(),
            lifetimes=lifetimes,
            revocation_cache_seconds=revocation_cache_seconds,
            internal_clients=InternalClients.from_env(os.environ),
        )
    return Identity(database_url=database_url, application=application, key_store=key_store,
                    throttles=Throttles(limits or IdentityLimits.from_env()))
