"""Identity on PostgreSQL: keys that survive restarts and rotate, argon2id hashes in the
store, the relay publishing the directory, and logs without secrets."""

import logging
from collections.abc import Iterator, Sequence

import psycopg
import pytest
from fastapi.testclient import TestClient

from trellis_contracts.identity.clients_v1 import ClientUserAddedV1
from trellis_contracts.registry import contract_for
from trellis_identity.application.passwords import Passwords, fast_passwords
from trellis_identity.wiring import Identity, build_identity
from trellis_platform.auth.tokens import InvalidToken
from trellis_platform.http_app import new_http_app
from trellis_platform.outgoing import OutgoingEvent
from trellis_platform.testing.identities import TEST_TOKEN_SETTINGS, bearer

PASSWORD = "correct horse battery staple"
META = {"actor": "test"}


def identity_on(database_url: str, **options: object) -> Identity:
    return build_identity(
        database_url,
        pool_size=2,
        token_settings=TEST_TOKEN_SETTINGS,
        passwords=options.pop("passwords", fast_passwords()),
        **options,
    )  # type: ignore[arg-type]


@pytest.fixture
def identity(database_url: str) -> Iterator[Identity]:
    service = identity_on(database_url)
    yield service
    service.close()


def signed_up_and_logged_in(identity: Identity, email: str = "olivia@acme.test") -> str:
    identity.application.sign_up(
        organisation_name="Acme", owner_name="Olivia", email=email, password=PASSWORD, meta=META
    )
    return identity.application.login(email=email, password=PASSWORD, meta=META).access.token


def test_a_restart_keeps_the_signing_key_and_the_tokens_valid(database_url: str, identity: Identity) -> None:
    token = signed_up_and_logged_in(identity)
    restarted = identity_on(database_url)
    try:
        assert restarted.keys.current.key_id == identity.keys.current.key_id
        assert restarted.token_verifier().verify(token).kind == "staff"
    finally:
        restarted.close()


def test_rotation_keeps_the_previous_key_published_and_retires_older_ones(
    database_url: str, identity: Identity
) -> None:
    first_key = identity.keys.current.key_id
    token = signed_up_and_logged_in(identity)
    second_key = identity.key_store.rotate().key_id
    identity.keys.reload()
    assert [k["kid"] for k in identity.keys.jwks()["keys"]] == [second_key, first_key]
    assert identity.token_verifier().verify(token), "signed with the previous key: still good"
    newer = identity.application.login(email="olivia@acme.test", password=PASSWORD, meta=META).access.token
    third_key = identity.key_store.rotate().key_id
    identity.keys.reload()
    assert [k["kid"] for k in identity.keys.jwks()["keys"]] == [third_key, second_key]
    with pytest.raises(InvalidToken, match="unknown signing key"):
        identity.token_verifier().verify(token)
    assert identity.token_verifier().verify(newer)


def test_keys_are_stored_encrypted_when_a_passphrase_is_set(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRELLIS_IDENTITY_KEY_PASSPHRASE", "a passphrase for the keys")
    service = identity_on(database_url)
    try:
        token = signed_up_and_logged_in(service)
        with psycopg.connect(database_url) as conn:
            (pem,) = conn.execute("SELECT private_key_pem FROM identity.signing_keys").fetchone() or ("",)
        assert pem.startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
        restarted = identity_on(database_url)
        assert restarted.token_verifier().verify(token)
        restarted.close()
    finally:
        service.close()


def test_passwords_are_stored_as_argon2id_hashes_with_the_recommended_parameters(database_url: str) -> None:
    service = identity_on(database_url, passwords=Passwords())
    try:
        signed_up_and_logged_in(service)
    finally:
        service.close()
    with psycopg.connect(database_url) as conn:
        rows = conn.execute("SELECT topic, state FROM identity.identity_events").fetchall()
    registered = [bytes(state) for topic, state in rows if topic.endswith("User.Registered")]
    assert len(registered) == 1
    assert b'"password_hash":"$argon2id$v=19$m=65536,t=3,p=4$' in registered[0]
    assert all(PASSWORD.encode() not in bytes(state) for _, state in rows)


class RecordingSink:
    def __init__(self) -> None:
        self.published: list[OutgoingEvent] = []

    async def publish(self, events: Sequence[OutgoingEvent]) -> None:
        self.published.extend(events)


async def test_the_relay_publishes_client_users_for_the_portal(identity: Identity) -> None:
    app = identity.application
    signed = app.sign_up(
        organisation_name="Acme", owner_name="O", email="o@acme.test", password=PASSWORD, meta=META
    )
    client = app.add_client(organisation_id=signed.organisation_id, name="Globex", meta=META)
    carl = app.add_client_user(
        organisation_id=signed.organisation_id,
        client_id=client.client_id,
        email="carl@globex.test",
        name="Carl",
        role="viewer",
        password=PASSWORD,
        meta=META,
    )
    sink = RecordingSink()
    relay = identity.relay(sink)
    while await relay.relay_batch():
        pass
    added = [contract_for(e.envelope.type).model_validate(e.envelope.data) for e in sink.published]
    (payload,) = [p for p in added if isinstance(p, ClientUserAddedV1)]
    assert (payload.client_id, payload.user_id, payload.role) == (client.client_id, carl.user_id, "viewer")
    assert relay.lag() == 0


def test_no_password_token_or_key_secret_reaches_the_logs(
    identity: Identity, caplog: pytest.LogCaptureFixture
) -> None:
    app = new_http_app(title="identity", routers=identity.routers(), token_verifier=identity.token_verifier())
    secrets: list[str] = [PASSWORD, "a wrong password!"]
    with caplog.at_level(logging.DEBUG), TestClient(app) as client:
        client.post(
            "/api/identity/signup",
            json={
                "organisation_name": "Acme",
                "name": "Olivia",
                "email": "olivia@acme.test",
                "password": PASSWORD,
            },
        )
        client.post(
            "/api/identity/login", json={"email": "olivia@acme.test", "password": "a wrong password!"}
        )
        client.post("/api/identity/login", json={"email": "olivia@acme.test", "password": PASSWORD, "x": 1})
        tokens = client.post(
            "/api/identity/login", json={"email": "olivia@acme.test", "password": PASSWORD}
        ).json()
        refreshed = client.post(
            "/api/identity/refresh", json={"refresh_token": tokens["refresh_token"]}
        ).json()
        owner = bearer(refreshed["access_token"])
        key = client.post(
            "/api/identity/api-keys",
            headers=owner,
            json={"name": "ERP", "permissions": ["planning.projects:read"]},
        ).json()
        service = client.post("/api/identity/service-tokens", json={"api_key": key["secret"]}).json()
        client.get("/api/identity/me", headers=bearer(service["access_token"]))
        client.post("/api/identity/refresh", json={"refresh_token": tokens["refresh_token"]})  # reuse
        client.get("/api/identity/me", headers=bearer(tokens["access_token"]))  # revoked by the reuse
        client.get("/api/identity/me", headers=bearer(tokens["access_token"] + "tampered"))
        secrets += [
            tokens["access_token"],
            tokens["refresh_token"],
            refreshed["access_token"],
            refreshed["refresh_token"],
            key["secret"],
            service["access_token"],
        ]
    assert caplog.records, "the test saw the logs"
    logged = "\n".join(f"{r.getMessage()} {r.args} {r.exc_text or ''}" for r in caplog.records)
    for secret in secrets:
        assert secret not in logged
        assert secret.split(".")[-1] not in logged
