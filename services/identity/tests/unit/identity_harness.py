"""Identity on the in-memory event store, for unit tests: the application, and the HTTP
app around it exactly as the wiring builds it (only the store and the hasher differ)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI

from trellis_identity.api.routes import identity_routers
from trellis_identity.api.throttles import IdentityLimits, Throttles
from trellis_identity.application.identity import IdentityApplication
from trellis_identity.application.keys import KeyRing
from trellis_identity.application.passwords import fast_passwords
from trellis_platform.auth.throttle import Rate
from trellis_platform.auth.tokens import TokenVerifier
from trellis_platform.http_app import new_http_app
from trellis_platform.testing.identities import TEST_TOKEN_SETTINGS

PASSWORD = "correct horse battery staple"
GENEROUS = IdentityLimits(
    login_failures_per_email=Rate.parse("1000/s"),
    attempts_per_address=Rate.parse("1000/s"),
    signups_per_address=Rate.parse("1000/s"),
)


def new_application() -> IdentityApplication:
    return IdentityApplication(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"},
        passwords=fast_passwords(),
        keys=KeyRing.generated(),
        token_settings=TEST_TOKEN_SETTINGS,
    )


def verifier_of(application: IdentityApplication) -> TokenVerifier:
    return TokenVerifier(application.keys, application.token_settings, revocation=application)


@dataclass
class HttpIdentity:
    application: IdentityApplication
    throttles: Throttles
    app: FastAPI


def http_identity(limits: IdentityLimits = GENEROUS) -> HttpIdentity:
    application = new_application()
    throttles = Throttles(limits)
    verifier = verifier_of(application)
    app = new_http_app(
        title="identity", routers=identity_routers(application, throttles, verifier), token_verifier=verifier
    )
    return HttpIdentity(application, throttles, app)
