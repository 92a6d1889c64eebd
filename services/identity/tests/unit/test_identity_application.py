"""Identity's use cases on the in-memory event store: sign-up, login, refresh, revocation,
API keys. Tokens are verified the way every service verifies them."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from identity_harness import PASSWORD, new_application, verifier_of

from trellis_identity.application.errors import ApiKeyRefused, ConcurrentChange, LoginFailed, RefreshRefused
from trellis_identity.application.identity import IdentityApplication
from trellis_identity.domain.errors import EmailTaken, IdentityRuleBroken, NotFound
from trellis_identity.domain.organisation import Organisation
from trellis_platform.auth.caller import ClientRole, StaffRole
from trellis_platform.auth.tokens import InvalidToken

META = {"actor": "anonymous"}


@pytest.fixture
def app() -> IdentityApplication:
    return new_application()


def signed_up(app: IdentityApplication, email: str = "olivia@acme.test") -> tuple[object, object]:
    done = app.sign_up(
        organisation_name="Acme", owner_name="Olivia", email=email, password=PASSWORD, meta=META
    )
    return done.organisation_id, done.user_id


def test_sign_up_then_log_in_as_the_owner(app: IdentityApplication) -> None:
    organisation_id, user_id = signed_up(app)
    tokens = app.login(email=" Olivia@ACME.test", password=PASSWORD, meta=META)
    caller = verifier_of(app).verify(tokens.access.token)
    assert caller.kind == "staff"
    assert caller.organisation_id == organisation_id
    assert caller.subject == str(user_id)
    assert caller.staff_roles == {StaffRole.OWNER}
    assert caller.session_id == str(tokens.session_id)
    assert tokens.access.expires_in == 15 * 60
    assert tokens.refresh_token.startswith("trellis_rt_")


def test_an_email_signs_in_one_account_only(app: IdentityApplication) -> None:
    signed_up(app)
    with pytest.raises(EmailTaken):
        signed_up(app, email="OLIVIA@acme.test")


@pytest.mark.parametrize(
    ("email", "password"), [("olivia@acme.test", "wrong password!!"), ("nobody@acme.test", PASSWORD)]
)
def test_a_failed_login_says_nothing_about_which_part_was_wrong(
    app: IdentityApplication, email: str, password: str
) -> None:
    signed_up(app)
    with pytest.raises(LoginFailed) as failure:
        app.login(email=email, password=password, meta=META)
    assert str(failure.value) == ""


def test_stored_passwords_are_argon2id_hashes(app: IdentityApplication) -> None:
    signed_up(app)
    stored = b"".join(n.state for n in app.recorder.select_notifications(1, 100))
    assert b"$argon2id$v=19$" in stored
    assert PASSWORD.encode() not in stored


def test_refresh_rotates_and_reuse_revokes_the_session(app: IdentityApplication) -> None:
    signed_up(app)
    verifier = verifier_of(app)
    first = app.login(email="olivia@acme.test", password=PASSWORD, meta=META)
    second = app.refresh(refresh_token=first.refresh_token, meta=META)
    third = app.refresh(refresh_token=second.refresh_token, meta=META)
    assert verifier.verify(third.access.token).session_id == str(first.session_id)
    with pytest.raises(RefreshRefused, match="reused"):
        app.refresh(refresh_token=first.refresh_token, meta=META)
    with pytest.raises(InvalidToken, match="revoked"):
        verifier.verify(third.access.token)
    with pytest.raises(RefreshRefused):
        app.refresh(refresh_token=third.refresh_token, meta=META)


@pytest.mark.parametrize(
    "token", ["", "trellis_rt_", "trellis_rt_nothex.secret", f"trellis_rt_{uuid4().hex}.x", "eyJhbGciOi..."]
)
def test_unknown_refresh_tokens_are_refused(app: IdentityApplication, token: str) -> None:
    with pytest.raises(RefreshRefused):
        app.refresh(refresh_token=token, meta=META)


def test_a_forged_secret_for_a_real_session_changes_nothing(app: IdentityApplication) -> None:
    signed_up(app)
    tokens = app.login(email="olivia@acme.test", password=PASSWORD, meta=META)
    forged = f"trellis_rt_{tokens.session_id.hex}.guessed-secret"
    with pytest.raises(RefreshRefused):
        app.refresh(refresh_token=forged, meta=META)
    assert app.refresh(refresh_token=tokens.refresh_token, meta=META)


def test_logout_revokes_the_session_and_its_token(app: IdentityApplication) -> None:
    signed_up(app)
    verifier = verifier_of(app)
    tokens = app.login(email="olivia@acme.test", password=PASSWORD, meta=META)
    other = app.login(email="olivia@acme.test", password=PASSWORD, meta=META)
    caller = verifier.verify(tokens.access.token)
    app.logout(
        organisation_id=caller.organisation_id,
        subject=caller.subject,
        token_id=caller.token_id,
        session_id=caller.session_id,
        expires_at=datetime.now(UTC) + timedelta(minutes=15),
        meta=META,
    )
    with pytest.raises(InvalidToken):
        verifier.verify(tokens.access.token)
    with pytest.raises(RefreshRefused):
        app.refresh(refresh_token=tokens.refresh_token, meta=META)
    assert verifier.verify(other.access.token), "another session lives on"


def test_revoking_one_access_token_by_its_id(app: IdentityApplication) -> None:
    signed_up(app)
    verifier = verifier_of(app)
    tokens = app.login(email="olivia@acme.test", password=PASSWORD, meta=META)
    caller = verifier.verify(tokens.access.token)
    app.revoke_access_token(
        token_id=caller.token_id,
        organisation_id=caller.organisation_id,
        subject=caller.subject,
        expires_at=datetime.now(UTC),
        meta=META,
    )
    app.revoke_access_token(
        token_id=caller.token_id,
        organisation_id=caller.organisation_id,
        subject=caller.subject,
        expires_at=datetime.now(UTC),
        meta=META,
    )  # idempotent
    with pytest.raises(InvalidToken):
        verifier.verify(tokens.access.token)
    refreshed = app.refresh(refresh_token=tokens.refresh_token, meta=META)
    assert verifier.verify(refreshed.access.token), "the session itself is still open"


def test_revoking_all_sessions_of_a_user(app: IdentityApplication) -> None:
    organisation_id, user_id = signed_up(app)
    verifier = verifier_of(app)
    logins = [app.login(email="olivia@acme.test", password=PASSWORD, meta=META) for _ in range(3)]
    assert app.revoke_all_sessions(organisation_id=organisation_id, user_id=user_id, meta=META) == 3
    for tokens in logins:
        with pytest.raises(InvalidToken):
            verifier.verify(tokens.access.token)
    assert app.revoke_all_sessions(organisation_id=organisation_id, user_id=user_id, meta=META) == 0


def test_a_deactivated_user_is_logged_out_and_cannot_log_in(app: IdentityApplication) -> None:
    organisation_id, _ = signed_up(app)
    member = app.add_staff_user(
        organisation_id=organisation_id,
        email="m@acme.test",
        name="Max",
        roles=["member"],
        password=PASSWORD,
        by_owner=True,
        meta=META,
    )
    tokens = app.login(email="m@acme.test", password=PASSWORD, meta=META)
    app.deactivate_staff_user(
        organisation_id=organisation_id, user_id=member.user_id, by_owner=True, meta=META
    )
    with pytest.raises(InvalidToken):
        verifier_of(app).verify(tokens.access.token)
    with pytest.raises(LoginFailed):
        app.login(email="m@acme.test", password=PASSWORD, meta=META)
    again = app.add_staff_user(
        organisation_id=organisation_id,
        email="m@acme.test",
        name="Max again",
        roles=["member"],
        password=PASSWORD,
        by_owner=True,
        meta=META,
    )
    assert app.login(email="m@acme.test", password=PASSWORD, meta=META).user_id == again.user_id


def test_new_roles_reach_the_token_at_the_next_refresh(app: IdentityApplication) -> None:
    organisation_id, _ = signed_up(app)
    member = app.add_staff_user(
        organisation_id=organisation_id,
        email="m@acme.test",
        name="Max",
        roles=["member"],
        password=PASSWORD,
        by_owner=True,
        meta=META,
    )
    tokens = app.login(email="m@acme.test", password=PASSWORD, meta=META)
    app.change_staff_roles(
        organisation_id=organisation_id,
        user_id=member.user_id,
        roles=["project_manager", "finance"],
        by_owner=False,
        meta=META,
    )
    refreshed = app.refresh(refresh_token=tokens.refresh_token, meta=META)
    assert verifier_of(app).verify(refreshed.access.token).staff_roles == {
        StaffRole.PROJECT_MANAGER,
        StaffRole.FINANCE,
    }


def test_a_client_users_token_names_its_client_and_role(app: IdentityApplication) -> None:
    organisation_id, _ = signed_up(app)
    client = app.add_client(organisation_id=organisation_id, name="Globex", meta=META)
    app.add_client_user(
        organisation_id=organisation_id,
        client_id=client.client_id,
        email="c@globex.test",
        name="Carl",
        role="viewer",
        password=PASSWORD,
        meta=META,
    )
    caller = verifier_of(app).verify(
        app.login(email="c@globex.test", password=PASSWORD, meta=META).access.token
    )
    assert (caller.kind, caller.client_id, caller.client_role) == (
        "client",
        client.client_id,
        ClientRole.VIEWER,
    )


def test_removing_a_client_user_ends_their_sessions(app: IdentityApplication) -> None:
    organisation_id, _ = signed_up(app)
    client = app.add_client(organisation_id=organisation_id, name="Globex", meta=META)
    member = app.add_client_user(
        organisation_id=organisation_id,
        client_id=client.client_id,
        email="c@globex.test",
        name="Carl",
        role="approver",
        password=PASSWORD,
        meta=META,
    )
    tokens = app.login(email="c@globex.test", password=PASSWORD, meta=META)
    app.remove_client_user(
        organisation_id=organisation_id, client_id=client.client_id, user_id=member.user_id, meta=META
    )
    with pytest.raises(InvalidToken):
        verifier_of(app).verify(tokens.access.token)
    with pytest.raises(RefreshRefused):
        app.refresh(refresh_token=tokens.refresh_token, meta=META)


def test_an_api_key_is_exchanged_for_a_service_token_with_its_permissions(app: IdentityApplication) -> None:
    organisation_id, _ = signed_up(app)
    created = app.create_api_key(
        organisation_id=organisation_id,
        name="ERP",
        permissions=["planning.projects:read", "budget.lines:read"],
        meta=META,
    )
    assert created.secret.startswith(f"trellis_ak_{created.entry.key_id.hex}.")
    stored = b"".join(n.state for n in app.recorder.select_notifications(1, 100))
    assert created.secret.split(".", 1)[1].encode() not in stored, "only the hash is stored"
    access = app.exchange_api_key(created.secret)
    caller = verifier_of(app).verify(access.token)
    assert caller.kind == "service"
    assert caller.permissions == {"planning.projects:read", "budget.lines:read"}
    assert caller.subject == caller.session_id == str(created.entry.key_id)
    assert access.expires_in == 5 * 60


def test_revoking_an_api_key_revokes_its_service_tokens(app: IdentityApplication) -> None:
    organisation_id, _ = signed_up(app)
    created = app.create_api_key(
        organisation_id=organisation_id, name="ERP", permissions=["a.b:read"], meta=META
    )
    access = app.exchange_api_key(created.secret)
    app.revoke_api_key(organisation_id=organisation_id, key_id=created.entry.key_id, meta=META)
    with pytest.raises(InvalidToken):
        verifier_of(app).verify(access.token)
    with pytest.raises(ApiKeyRefused):
        app.exchange_api_key(created.secret)
    assert app.api_keys(organisation_id) == []


@pytest.mark.parametrize("key", ["", "trellis_ak_", f"trellis_ak_{uuid4().hex}.nope", "trellis_rt_x.y"])
def test_unknown_api_keys_are_refused(app: IdentityApplication, key: str) -> None:
    with pytest.raises(ApiKeyRefused):
        app.exchange_api_key(key)


def test_another_organisations_things_are_not_found(app: IdentityApplication) -> None:
    mine, _ = signed_up(app)
    _, their_owner = signed_up(app, email="t@other.test")
    with pytest.raises(NotFound):
        app.change_staff_roles(
            organisation_id=mine, user_id=their_owner, roles=["member"], by_owner=True, meta=META
        )
    with pytest.raises(NotFound):
        app.revoke_all_sessions(organisation_id=mine, user_id=their_owner, meta=META)


def test_passwords_are_checked_before_anything_is_stored(app: IdentityApplication) -> None:
    with pytest.raises(IdentityRuleBroken):
        app.sign_up(
            organisation_name="Acme", owner_name="O", email="o@acme.test", password="short", meta=META
        )
    assert (app.recorder.max_notification_id() or 0) == 0


def test_concurrent_changes_to_one_organisation_do_not_both_win(app: IdentityApplication) -> None:
    organisation_id, _ = signed_up(app)
    stale = app.repository.get(organisation_id)
    assert isinstance(stale, Organisation)
    app.add_client(organisation_id=organisation_id, name="Globex", meta=META)
    stale.add_client(client_id=uuid4(), name="Initech", meta=META)
    with pytest.raises(ConcurrentChange):
        app._commit(stale)


def test_the_organisation_reloads_from_its_snapshot(app: IdentityApplication) -> None:
    organisation_id, _ = signed_up(app)
    client = app.add_client(organisation_id=organisation_id, name="Globex", meta=META)
    for n in range(120):
        app.add_client_user(
            organisation_id=organisation_id,
            client_id=client.client_id,
            email=f"c{n}@globex.test",
            name=f"C{n}",
            role="viewer",
            password=PASSWORD,
            meta=META,
        )
    assert app.snapshots is not None
    (snapshot,) = app.snapshots.get(organisation_id)
    assert snapshot.originator_version == 100
    organisation = app.organisation(organisation_id)
    assert len(organisation.members) == 121
    assert app.members(organisation_id, client_id=client.client_id)[0].email == "c0@globex.test"
