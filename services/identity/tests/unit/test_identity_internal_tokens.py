"""Internal clients: the portal, known by a configured secret, gets short-lived service tokens
for one organisation at a time that only read planning's documents; nobody else gets any."""

from collections.abc import Iterator
from uuid import UUID, uuid4

import jwt
import pytest
from fastapi.testclient import TestClient
from identity_harness import GENEROUS, PASSWORD, verifier_of

from trellis_identity.api.routes import identity_routers
from trellis_identity.api.throttles import IdentityLimits, Throttles
from trellis_identity.application.errors import InternalClientRefused
from trellis_identity.application.identity import IdentityApplication
from trellis_identity.application.internal_clients import InternalClients
from trellis_identity.application.keys import KeyRing
from trellis_identity.application.passwords import fast_passwords
from trellis_identity.domain.errors import NotFound
from trellis_platform.auth.access import access
from trellis_platform.auth.caller import StaffRole
from trellis_platform.auth.throttle import Rate
from trellis_platform.http_app import new_http_app
from trellis_platform.testing.identities import TEST_TOKEN_SETTINGS

SECRET = "a-random-secret-of-the-portal-0123456789"
ROUTE = "/api/identity/internal-tokens"
META = {"actor": "anonymous"}


def application(environ: dict[str, str] | None = None) -> IdentityApplication:
    return IdentityApplication(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, passwords=fast_passwords(),
        keys=KeyRing.generated(),
        token_settings=TEST_TOKEN_SETTINGS,
        internal_clients=InternalClients.from_env({"TRELLIS_PORTAL_CLIENT_SECRET": SECRET}
                                                  if environ is None else environ))


def organisation_of(app: IdentityApplication) -> UUID:
    return app.sign_up(organisation_name="Acme", owner_name="Olivia", email=f"o-{uuid4().hex[:8]}@acme.test",
                       password=PASSWORD, meta=META).organisation_id


def test_the_portal_gets_a_service_token_for_the_organisation_it_names_reading_documents_only() -> None:
    app = application()
    organisation = organisation_of(app)
    issued = app.issue_internal_token(client="portal", secret=SECRET, organisation_id=organisation)
    caller = verifier_of(app).verify(issued.token)
    assert (caller.kind, caller.subject, caller.organisation_id) == ("service", "portal", organisation)
    assert caller.permissions == {"planning.documents:read"}
    assert caller.session_id is None
    assert caller.actor() == "service:portal"
    assert issued.expires_in == 300
    claims = jwt.decode(issued.token, options={"verify_signature": False})
    assert claims["aud"] == TEST_TOKEN_SETTINGS.audience
    assert claims["exp"] - claims["iat"] == 300
    # What that admits: planning's document routes, nothing a staff role or another permission guards.
    assert access(permission="planning.documents:read").allows(caller)
    assert not access(permission="planning.projects:read").allows(caller)
    assert not access(staff=frozenset(StaffRole)).allows(caller)


@pytest.mark.parametrize(("client", "secret"), [("portal", SECRET + "x"), ("portal", SECRET[:-1]),
                                                ("budget", SECRET), ("", SECRET)])
def test_an_unknown_client_or_a_wrong_secret_is_refused(client: str, secret: str) -> None:
    app = application()
    with pytest.raises(InternalClientRefused):
        app.issue_internal_token(client=client, secret=secret, organisation_id=organisation_of(app))


def test_without_a_configured_secret_there_is_no_internal_client() -> None:
    app = application({})
    with pytest.raises(InternalClientRefused):
        app.issue_internal_token(client="portal", secret="", organisation_id=organisation_of(app))


def test_the_secret_is_checked_before_the_organisation_and_an_unknown_one_is_not_found() -> None:
    app = application()
    with pytest.raises(InternalClientRefused):
        app.issue_internal_token(client="portal", secret="wrong", organisation_id=uuid4())
    with pytest.raises(NotFound):
        app.issue_internal_token(client="portal", secret=SECRET, organisation_id=uuid4())


def test_a_secret_too_short_to_be_random_refuses_to_start() -> None:
    with pytest.raises(RuntimeError, match="TRELLIS_PORTAL_CLIENT_SECRET"):
        InternalClients.from_env({"TRELLIS_PORTAL_CLIENT_SECRET": "changeme"})


def test_the_secret_is_kept_as_a_digest_and_never_shown() -> None:
    portal = InternalClients.from_env({"TRELLIS_PORTAL_CLIENT_SECRET": SECRET}).get("portal")
    assert portal is not None
    assert SECRET not in repr(portal)
    assert SECRET.encode() not in portal.secret_sha256


# -- over HTTP ---------------------------------------------------------------------------------

@pytest.fixture
def http() -> Iterator[tuple[IdentityApplication, TestClient]]:
    app = application()
    limits = IdentityLimits(login_failures_per_email=GENEROUS.login_failures_per_email,
                            attempts_per_address=Rate.parse("60/hour,burst=3"),
                            signups_per_address=GENEROUS.signups_per_address)
    verifier = verifier_of(app)
    web = new_http_app(title="identity", routers=identity_routers(app, Throttles(limits), verifier),
                       token_verifier=verifier)
    with TestClient(web) as client:
        yield app, client


def test_over_http_a_token_answers_no_store_and_failures_are_401_then_throttled(
        http: tuple[IdentityApplication, TestClient]) -> None:
    app, client = http
    organisation = str(organisation_of(app))
    body = {"client": "portal", "secret": SECRET, "organisation_id": organisation}
    for _ in range(5):  # successes take nothing from the address's attempts
        issued = client.post(ROUTE, json=body)
        assert issued.status_code == 200, issued.text
    assert issued.headers["cache-control"] == "no-store"
    assert issued.json()["expires_in"] == 300
    assert issued.json()["refresh_token"] is None
    wrong = {**body, "secret": "guess" * 8}
    refused = [client.post(ROUTE, json=wrong) for _ in range(4)]
    assert [r.status_code for r in refused] == [401, 401, 401, 429]
    assert refused[0].headers["content-type"] == "application/problem+json"
    assert "guess" not in refused[0].text


def test_over_http_the_request_is_strict(http: tuple[IdentityApplication, TestClient]) -> None:
    app, client = http
    body = {"client": "portal", "secret": SECRET, "organisation_id": str(organisation_of(app))}
    assert client.post(ROUTE, json={**body, "permissions": ["identity.users:write"]}).status_code == 422
    assert client.post(ROUTE, json={**body, "organisation_id": "everyone"}).status_code == 422
    assert client.post(ROUTE, json={**body, "organisation_id": str(uuid4())}).status_code == 404
