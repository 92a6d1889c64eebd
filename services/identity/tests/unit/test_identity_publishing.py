"""The directory's changes and revocations become public integration events; credentials never do."""

from identity_harness import PASSWORD, new_application

from trellis_contracts.identity.clients_v1 import ClientCreatedV1, ClientUserAddedV1, ClientUserRemovedV1
from trellis_contracts.identity.organisations_v1 import OrganisationCreatedV1, StaffUserAddedV1
from trellis_contracts.identity.revocations_v1 import SessionRevokedV1
from trellis_contracts.registry import contract_for
from trellis_contracts.topics import IDENTITY_EVENTS_V1
from trellis_identity.publishing.mapping import to_integration_events

META = {"actor": "test", "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}


def test_directory_events_are_published_keyed_by_organisation_and_secrets_are_not() -> None:
    app = new_application()
    signed = app.sign_up(
        organisation_name="Acme", owner_name="Olivia", email="o@acme.test", password=PASSWORD, meta=META
    )
    client = app.add_client(organisation_id=signed.organisation_id, name="Globex", meta=META)
    carl = app.add_client_user(
        organisation_id=signed.organisation_id,
        client_id=client.client_id,
        email="carl@globex.test",
        name="Carl",
        role="approver",
        password=PASSWORD,
        meta=META,
    )
    app.login(email="carl@globex.test", password=PASSWORD, meta=META)
    app.create_api_key(
        organisation_id=signed.organisation_id, name="ERP", permissions=["a.b:read"], meta=META
    )
    app.remove_client_user(
        organisation_id=signed.organisation_id, client_id=client.client_id, user_id=carl.user_id, meta=META
    )

    published = []
    for notification in app.recorder.select_notifications(1, 1000):
        domain_event = app.mapper.to_domain_event(notification)
        published.extend(to_integration_events(domain_event, notification.id))

    payloads = [contract_for(e.envelope.type).model_validate(e.envelope.data) for e in published]
    assert [type(p) for p in payloads] == [
        OrganisationCreatedV1,
        StaffUserAddedV1,
        ClientCreatedV1,
        ClientUserAddedV1,
        ClientUserRemovedV1,
        SessionRevokedV1,  # Carl's login session, revoked as he leaves
    ]
    assert {e.topic for e in published} == {IDENTITY_EVENTS_V1}
    assert {e.key for e in published} == {str(signed.organisation_id)}
    assert {e.envelope.organisationid for e in published} == {str(signed.organisation_id)}
    removed = payloads[-2]
    assert isinstance(removed, ClientUserRemovedV1)
    assert (removed.client_id, removed.user_id, removed.role) == (client.client_id, carl.user_id, "approver")
    assert all(e.headers == {"traceparent": META["traceparent"]} for e in published)
    text = " ".join(e.envelope.model_dump_json() for e in published)
    assert [secret for secret in ("argon2", PASSWORD, "trellis_ak_") if secret in text] == []
