"""Every revocation identity records is published, so that every service can refuse the
revoked tokens itself: a service that knows only the published events (as it reads them
from Kafka) refuses exactly the tokens identity refuses."""

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent, Tracking
from identity_harness import PASSWORD, new_application

from trellis_contracts.event_contract import EventContract
from trellis_contracts.identity.revocations_v1 import SessionRevokedV1, TokenRevokedV1
from trellis_identity.application.errors import RefreshRefused
from trellis_identity.application.identity import IdentityApplication
from trellis_identity.domain.session import Session
from trellis_identity.publishing.mapping import to_integration_events
from trellis_platform.auth.revocations import RevokedIds
from trellis_platform.auth.tokens import InvalidToken, TokenVerifier
from trellis_platform.incoming import IncomingEvent
from trellis_platform.parsing import read_event

META = {"actor": "test"}


class Published:
    """What a service learns from identity's topic, as far as the last call."""

    def __init__(self, app: IdentityApplication) -> None:
        self.app = app
        self.position = 0
        self.revoked = RevokedIds()

    def read(self) -> list[EventContract]:
        payloads = []
        for notification in self.app.recorder.select_notifications(self.position + 1, 10_000):
            self.position = notification.id
            domain_event = self.app.mapper.to_domain_event(notification)
            for outgoing in to_integration_events(domain_event, notification.id):
                read = read_event(IncomingEvent(topic=outgoing.topic, key=outgoing.key,
                                                value=outgoing.envelope.model_dump_json().encode(),
                                                position=Tracking("identity", notification.id)))
                assert read is not None
                payloads.append(read[1])
                self.revoked.apply(read[1])
        return payloads

    def service_verifier(self) -> TokenVerifier:
        return TokenVerifier(self.app.keys, self.app.token_settings, revocation=self.revoked)


@pytest.fixture
def app() -> IdentityApplication:
    return new_application()


def sign_up(app: IdentityApplication) -> tuple[UUID, UUID]:
    done = app.sign_up(organisation_name="Acme", owner_name="Olivia", email="olivia@acme.test",
                       password=PASSWORD, meta=META)
    return done.organisation_id, done.user_id


def log_in(app: IdentityApplication, email: str = "olivia@acme.test") -> tuple[str, str, UUID]:
    tokens = app.login(email=email, password=PASSWORD, meta=META)
    return tokens.access.token, tokens.refresh_token, tokens.session_id


def test_every_way_of_revoking_reaches_a_service_that_reads_only_the_published_events(
    app: IdentityApplication,
) -> None:
    organisation_id, owner_id = sign_up(app)
    published = Published(app)
    service = published.service_verifier()
    identity = TokenVerifier(app.keys, app.token_settings, revocation=app)
    member = app.add_staff_user(organisation_id=organisation_id, email="max@acme.test", name="Max",
                                roles=["member"], password=PASSWORD, by_owner=True, meta=META)

    logged_out, _, _ = log_in(app)
    one_token, _, _ = log_in(app)
    revoked_session, _, revoked_session_id = log_in(app)
    reused, reused_refresh, _ = log_in(app)
    leaver, _, _ = log_in(app, "max@acme.test")
    key = app.create_api_key(organisation_id=organisation_id, name="ERP", permissions=["a.b:read"], meta=META)
    service_token = app.exchange_api_key(key.secret).token
    kept, _, _ = log_in(app)
    published.read()
    everyone = [logged_out, one_token, revoked_session, reused, leaver, service_token, kept]
    assert all(service.verify(token) for token in everyone)

    caller = service.verify(logged_out)
    app.logout(organisation_id=organisation_id, subject=caller.subject, token_id=caller.token_id,
               session_id=caller.session_id, expires_at=datetime.now(UTC) + timedelta(minutes=15), meta=META)
    caller = service.verify(one_token)
    app.revoke_access_token(token_id=caller.token_id, organisation_id=organisation_id, subject=caller.subject,
                            expires_at=datetime.now(UTC) + timedelta(minutes=15), meta=META)
    app.revoke_session(organisation_id=organisation_id, session_id=revoked_session_id, reason="lost laptop",
                       meta=META)
    app.refresh(refresh_token=reused_refresh, meta=META)
    with pytest.raises(RefreshRefused):
        app.refresh(refresh_token=reused_refresh, meta=META)
    app.deactivate_staff_user(organisation_id=organisation_id, user_id=member.user_id, by_owner=True,
                              meta=META)
    app.revoke_api_key(organisation_id=organisation_id, key_id=key.entry.key_id, meta=META)

    assert all(service.verify(token) for token in everyone), "nothing read yet"
    published.read()
    for token in everyone[:-1]:
        with pytest.raises(InvalidToken, match="revoked"):
            identity.verify(token)
        with pytest.raises(InvalidToken, match="revoked"):
            service.verify(token)
    assert service.verify(kept).subject == str(owner_id), "an untouched session lives on"


def test_revocations_say_until_when_they_matter(app: IdentityApplication) -> None:
    organisation_id, _ = sign_up(app)
    published = Published(app)
    access, _, session_id = log_in(app)
    key = app.create_api_key(organisation_id=organisation_id, name="ERP", permissions=["a.b:read"], meta=META)
    published.read()
    caller = published.service_verifier().verify(access)
    token_expires_at = datetime.now(UTC) + timedelta(minutes=15)

    app.logout(organisation_id=organisation_id, subject=caller.subject, token_id=caller.token_id,
               session_id=caller.session_id, expires_at=token_expires_at, meta=META)
    app.revoke_api_key(organisation_id=organisation_id, key_id=key.entry.key_id, meta=META)
    session, token, api_key = published.read()

    assert isinstance(session, SessionRevokedV1)
    assert (session.organisation_id, session.session_id, session.kind, session.reason) == (
        organisation_id, session_id, "login", "logged out")
    assert session.expires_at == session.revoked_at + timedelta(minutes=15), "the longest access token"
    assert isinstance(token, TokenRevokedV1)
    assert (token.organisation_id, token.token_id, token.expires_at) == (
        organisation_id, caller.token_id, token_expires_at)
    assert isinstance(api_key, SessionRevokedV1)
    assert (api_key.session_id, api_key.kind) == (key.entry.key_id, "api_key")
    assert api_key.expires_at == api_key.revoked_at + timedelta(minutes=5), "the longest service token"
    assert all(e.revoked_at.tzinfo is not None for e in (session, token, api_key))


def test_a_session_revoked_before_revocations_were_published_still_loads_and_is_not_published(
    app: IdentityApplication,
) -> None:
    sign_up(app)
    _, _, session_id = log_in(app)
    app.revoke_all_sessions(organisation_id=app.repository.get(session_id).organisation_id,
                            user_id=app.repository.get(session_id).user_id, meta=META)
    stored = app.recorder.select_events(session_id)[-1]
    assert stored.topic.endswith("Session.Revoked")
    # As version 1 stored it: no class_version, no organisation.
    state = app.mapper.transcoder.decode(stored.state)
    del state["class_version"], state["organisation_id"]
    old = StoredEvent(originator_id=stored.originator_id, originator_version=stored.originator_version,
                      topic=stored.topic, state=app.mapper.transcoder.encode(state))

    domain_event = app.mapper.to_domain_event(old)
    assert isinstance(domain_event, Session.Revoked)
    assert domain_event.organisation_id is None
    assert to_integration_events(domain_event, 1) == []
