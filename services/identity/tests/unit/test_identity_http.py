"""Identity's HTTP API: status codes, problem bodies, who may do what, and tenant walls."""

from collections.abc import Iterator
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from identity_harness import PASSWORD, HttpIdentity, http_identity

from trellis_identity.api.throttles import IdentityLimits
from trellis_platform.auth.throttle import Rate
from trellis_platform.testing.identities import TestIdentities, bearer

PROBLEM = "application/problem+json"


@pytest.fixture
def identity() -> HttpIdentity:
    return http_identity()


@pytest.fixture
def client(identity: HttpIdentity) -> Iterator[TestClient]:
    with TestClient(identity.app) as test_client:
        yield test_client


def sign_up(
    client: TestClient, email: str = "olivia@acme.test", organisation: str = "Acme"
) -> dict[str, str]:
    response = client.post(
        "/api/identity/signup",
        json={"organisation_name": organisation, "name": "Olivia", "email": email, "password": PASSWORD},
    )
    assert response.status_code == 201, response.text
    body: dict[str, str] = response.json()
    return body


def login(client: TestClient, email: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post("/api/identity/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    body: dict[str, str] = response.json()
    return body


def owner_headers(client: TestClient, email: str = "olivia@acme.test") -> dict[str, str]:
    sign_up(client, email=email, organisation=f"Org of {email}")
    return bearer(login(client, email)["access_token"])


def add_staff(client: TestClient, owner: dict[str, str], email: str, roles: list[str]) -> dict[str, str]:
    response = client.post(
        "/api/identity/users",
        headers=owner,
        json={"email": email, "name": email.split("@")[0], "roles": roles, "password": PASSWORD},
    )
    assert response.status_code == 201, response.text
    body: dict[str, str] = response.json()
    return body


def test_sign_up_log_in_and_see_yourself(client: TestClient) -> None:
    signed = sign_up(client)
    tokens = login(client, "Olivia@Acme.test")
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 900
    me = client.get("/api/identity/me", headers=bearer(tokens["access_token"]))
    assert me.status_code == 200
    assert me.json()["user"]["id"] == signed["user_id"]
    assert me.json()["organisation_id"] == signed["organisation_id"]
    assert me.json()["user"]["roles"] == ["owner"]


def test_token_answers_are_not_cached(client: TestClient) -> None:
    sign_up(client)
    response = client.post("/api/identity/login", json={"email": "olivia@acme.test", "password": PASSWORD})
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    ("body", "mentions"),
    [
        (
            {"organisation_name": "Acme", "name": "O", "email": "not-an-email", "password": PASSWORD},
            "not an email",
        ),
        (
            {"organisation_name": "Acme", "name": "O", "email": "o@acme.test", "password": "short"},
            "at least 12",
        ),
        (
            {"organisation_name": "", "name": "O", "email": "o@acme.test", "password": PASSWORD},
            "organisation_name",
        ),
        (
            {
                "organisation_name": "Acme",
                "name": "O",
                "email": "o@acme.test",
                "password": PASSWORD,
                "plan": "x",
            },
            "plan",
        ),
    ],
)
def test_bad_sign_ups_get_a_problem_naming_what_is_wrong(
    client: TestClient, body: dict[str, str], mentions: str
) -> None:
    response = client.post("/api/identity/signup", json=body)
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert mentions in response.json()["detail"]
    assert PASSWORD not in response.text


def test_the_same_email_twice_is_a_conflict(client: TestClient) -> None:
    sign_up(client)
    response = client.post(
        "/api/identity/signup",
        json={"organisation_name": "Other", "name": "O", "email": "OLIVIA@acme.test", "password": PASSWORD},
    )
    assert response.status_code == 409


def test_a_wrong_password_is_a_401_problem(client: TestClient) -> None:
    sign_up(client)
    for email, password in [("olivia@acme.test", "not the password"), ("nobody@acme.test", PASSWORD)]:
        response = client.post("/api/identity/login", json={"email": email, "password": password})
        assert response.status_code == 401
        assert response.headers["content-type"] == PROBLEM
        assert response.json()["detail"] == "The email or password is wrong, or the account is inactive."


def test_login_failures_are_throttled_per_email() -> None:
    limits = IdentityLimits(
        login_failures_per_email=Rate.parse("1/hour,burst=3"),
        attempts_per_address=Rate.parse("1000/s"),
        signups_per_address=Rate.parse("1000/s"),
    )
    with TestClient(http_identity(limits).app) as client:
        sign_up(client)
        sign_up(client, email="other@acme.test", organisation="Other")
        login(client, "olivia@acme.test")  # a success does not count
        statuses = [
            client.post(
                "/api/identity/login", json={"email": "olivia@acme.test", "password": "not the password"}
            ).status_code
            for _ in range(4)
        ]
        assert statuses == [401, 401, 401, 429]
        locked = client.post("/api/identity/login", json={"email": "olivia@acme.test", "password": PASSWORD})
        assert locked.status_code == 429, "even the right password waits"
        assert int(locked.headers["retry-after"]) > 0
        assert locked.headers["content-type"] == PROBLEM
        assert login(client, "other@acme.test"), "another email is not affected"


def test_sign_ups_are_throttled_per_address() -> None:
    limits = IdentityLimits(signups_per_address=Rate.parse("1/hour,burst=2"))
    with TestClient(http_identity(limits).app) as client:
        sign_up(client, email="a@acme.test")
        sign_up(client, email="b@acme.test")
        response = client.post(
            "/api/identity/signup",
            json={"organisation_name": "C", "name": "C", "email": "c@acme.test", "password": PASSWORD},
        )
        assert response.status_code == 429
        assert response.headers["retry-after"]


def test_refresh_rotates_and_a_reused_refresh_token_revokes_the_session(client: TestClient) -> None:
    sign_up(client)
    first = login(client, "olivia@acme.test")
    second = client.post("/api/identity/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    assert second.json()["refresh_token"] != first["refresh_token"]
    reused = client.post("/api/identity/refresh", json={"refresh_token": first["refresh_token"]})
    assert reused.status_code == 401
    after = client.get("/api/identity/me", headers=bearer(second.json()["access_token"]))
    assert after.status_code == 401, "the whole family is revoked"


def test_logout_ends_the_session(client: TestClient) -> None:
    sign_up(client)
    tokens = login(client, "olivia@acme.test")
    headers = bearer(tokens["access_token"])
    assert client.post("/api/identity/logout", headers=headers).status_code == 204
    assert client.get("/api/identity/me", headers=headers).status_code == 401
    assert (
        client.post("/api/identity/refresh", json={"refresh_token": tokens["refresh_token"]}).status_code
        == 401
    )


def test_token_status_is_what_the_gateway_asks(client: TestClient) -> None:
    signed = sign_up(client)
    tokens = login(client, "olivia@acme.test")
    status = client.get("/api/identity/token/status", headers=bearer(tokens["access_token"]))
    assert status.status_code == 200
    assert status.json()["active"] is True
    assert status.json()["organisation_id"] == signed["organisation_id"]
    client.post("/api/identity/logout", headers=bearer(tokens["access_token"]))
    assert client.get("/api/identity/token/status", headers=bearer(tokens["access_token"])).status_code == 401


def test_revoke_a_token_by_presenting_it(client: TestClient) -> None:
    owner = owner_headers(client)
    add_staff(client, owner, "m@acme.test", ["member"])
    member = login(client, "m@acme.test")
    other_member = login(client, "m@acme.test")
    # A member revokes one of their own tokens; the owner revokes the member's other session.
    revoked = client.post(
        "/api/identity/tokens/revoke",
        headers=bearer(member["access_token"]),
        json={"token": other_member["access_token"]},
    )
    assert revoked.status_code == 204
    assert client.get("/api/identity/me", headers=bearer(other_member["access_token"])).status_code == 401
    assert (
        client.post(
            "/api/identity/tokens/revoke", headers=owner, json={"token": member["refresh_token"]}
        ).status_code
        == 204
    )
    assert client.get("/api/identity/me", headers=bearer(member["access_token"])).status_code == 401
    assert (
        client.post("/api/identity/tokens/revoke", headers=owner, json={"token": "junk"}).status_code == 422
    )


def test_a_member_cannot_revoke_someone_elses_token(client: TestClient) -> None:
    owner = owner_headers(client)
    add_staff(client, owner, "m@acme.test", ["member"])
    member = login(client, "m@acme.test")
    owner_token = owner["Authorization"].removeprefix("Bearer ")
    response = client.post(
        "/api/identity/tokens/revoke", headers=bearer(member["access_token"]), json={"token": owner_token}
    )
    assert response.status_code == 403


def test_owners_and_admins_manage_users_and_others_may_not(client: TestClient) -> None:
    owner = owner_headers(client)
    admin_user = add_staff(client, owner, "a@acme.test", ["admin"])
    admin = bearer(login(client, "a@acme.test")["access_token"])
    member_user = add_staff(client, admin, "m@acme.test", ["member"])
    member = bearer(login(client, "m@acme.test")["access_token"])

    assert client.get("/api/identity/users", headers=member).status_code == 403
    assert (
        client.post(
            "/api/identity/users",
            headers=member,
            json={"email": "x@acme.test", "name": "X", "roles": ["member"], "password": PASSWORD},
        ).status_code
        == 403
    )
    listed = client.get("/api/identity/users", headers=admin).json()["items"]
    assert {u["email"] for u in listed} == {"olivia@acme.test", "a@acme.test", "m@acme.test"}
    # Everyone sees themselves, nobody else (unless an admin).
    assert client.get(f"/api/identity/users/{member_user['id']}", headers=member).status_code == 200
    assert client.get(f"/api/identity/users/{admin_user['id']}", headers=member).status_code == 404
    # Only an owner makes owners.
    promote = client.put(
        f"/api/identity/users/{member_user['id']}/roles", headers=admin, json={"roles": ["owner"]}
    )
    assert promote.status_code == 403
    changed = client.put(
        f"/api/identity/users/{member_user['id']}/roles", headers=admin, json={"roles": ["project_manager"]}
    )
    assert changed.json()["roles"] == ["project_manager"]
    assert (
        client.put(
            f"/api/identity/users/{member_user['id']}/roles", headers=owner, json={"roles": ["wizard"]}
        ).status_code
        == 422
    )


def test_deactivating_a_user_revokes_their_tokens(client: TestClient) -> None:
    owner = owner_headers(client)
    user = add_staff(client, owner, "m@acme.test", ["member"])
    member = bearer(login(client, "m@acme.test")["access_token"])
    response = client.post(f"/api/identity/users/{user['id']}/deactivate", headers=owner)
    assert response.status_code == 200
    assert response.json()["active"] is False
    assert client.get("/api/identity/me", headers=member).status_code == 401


def test_the_last_owner_cannot_leave(client: TestClient) -> None:
    owner = owner_headers(client)
    me = client.get("/api/identity/me", headers=owner).json()["user"]["id"]
    response = client.post(f"/api/identity/users/{me}/deactivate", headers=owner)
    assert response.status_code == 422
    assert "owner" in response.json()["detail"]


def test_clients_and_client_users(client: TestClient) -> None:
    owner = owner_headers(client)
    created = client.post("/api/identity/clients", headers=owner, json={"name": "Globex"})
    assert created.status_code == 201
    client_id = created.json()["id"]
    assert created.headers["location"] == f"/api/identity/clients/{client_id}"
    user = client.post(
        f"/api/identity/clients/{client_id}/users",
        headers=owner,
        json={"email": "carl@globex.test", "name": "Carl", "role": "approver", "password": PASSWORD},
    )
    assert user.status_code == 201
    assert (user.json()["kind"], user.json()["client_id"]) == ("client", client_id)
    carl = bearer(login(client, "carl@globex.test")["access_token"])
    assert client.get(f"/api/identity/clients/{client_id}", headers=carl).status_code == 200
    other = client.post("/api/identity/clients", headers=owner, json={"name": "Initech"}).json()["id"]
    assert client.get(f"/api/identity/clients/{other}", headers=carl).status_code == 404
    assert [c["id"] for c in client.get("/api/identity/clients", headers=carl).json()["items"]] == [client_id]
    assert client.get("/api/identity/users", headers=carl).status_code == 403
    assert client.post("/api/identity/clients", headers=carl, json={"name": "Mine"}).status_code == 403
    role = client.put(
        f"/api/identity/clients/{client_id}/users/{user.json()['id']}/role",
        headers=owner,
        json={"role": "viewer"},
    )
    assert role.json()["roles"] == ["viewer"]
    removed = client.delete(f"/api/identity/clients/{client_id}/users/{user.json()['id']}", headers=owner)
    assert removed.status_code == 204
    assert client.get("/api/identity/me", headers=carl).status_code == 401


def test_api_keys_show_their_secret_once(client: TestClient) -> None:
    owner = owner_headers(client)
    created = client.post(
        "/api/identity/api-keys",
        headers=owner,
        json={"name": "ERP", "permissions": ["planning.projects:read"]},
    )
    assert created.status_code == 201
    secret = created.json()["secret"]
    listed = client.get("/api/identity/api-keys", headers=owner)
    assert secret not in listed.text
    token = client.post("/api/identity/service-tokens", json={"api_key": secret})
    assert token.status_code == 200
    assert token.json()["expires_in"] == 300
    assert token.json()["refresh_token"] is None
    service = bearer(token.json()["access_token"])
    me = client.get("/api/identity/me", headers=service).json()
    assert (me["kind"], me["api_key"]["permissions"]) == ("service", ["planning.projects:read"])
    # A key cannot manage keys or users, whatever its permissions.
    assert (
        client.post(
            "/api/identity/api-keys",
            headers=service,
            json={"name": "More", "permissions": ["identity.users:write"]},
        ).status_code
        == 403
    )
    assert client.delete(f"/api/identity/api-keys/{created.json()['id']}", headers=owner).status_code == 204
    assert client.get("/api/identity/me", headers=service).status_code == 401
    assert client.post("/api/identity/service-tokens", json={"api_key": secret}).status_code == 401


def test_another_organisations_users_clients_and_keys_are_not_found(client: TestClient) -> None:
    mine = owner_headers(client, "o@mine.test")
    theirs = owner_headers(client, "o@theirs.test")
    their_user = add_staff(client, theirs, "m@theirs.test", ["member"])
    their_client = client.post("/api/identity/clients", headers=theirs, json={"name": "Globex"}).json()["id"]
    their_key = client.post(
        "/api/identity/api-keys", headers=theirs, json={"name": "ERP", "permissions": ["a.b:read"]}
    ).json()["id"]
    attempts = [
        client.get(f"/api/identity/users/{their_user['id']}", headers=mine),
        client.put(f"/api/identity/users/{their_user['id']}/roles", headers=mine, json={"roles": ["admin"]}),
        client.post(f"/api/identity/users/{their_user['id']}/deactivate", headers=mine),
        client.post(f"/api/identity/users/{their_user['id']}/sessions/revoke", headers=mine),
        client.get(f"/api/identity/clients/{their_client}", headers=mine),
        client.post(
            f"/api/identity/clients/{their_client}/users",
            headers=mine,
            json={"email": "x@x.test", "name": "X", "role": "viewer", "password": PASSWORD},
        ),
        client.get(f"/api/identity/clients/{their_client}/users", headers=mine),
        client.delete(f"/api/identity/api-keys/{their_key}", headers=mine),
    ]
    assert [a.status_code for a in attempts] == [404] * len(attempts)
    their_token = theirs["Authorization"].removeprefix("Bearer ")
    assert (
        client.post("/api/identity/tokens/revoke", headers=mine, json={"token": their_token}).status_code
        == 404
    )
    assert client.get("/api/identity/me", headers=theirs).status_code == 200


def test_tokens_of_another_issuer_are_refused(client: TestClient) -> None:
    strangers = TestIdentities()
    token = strangers.staff(uuid4())
    assert client.get("/api/identity/me", headers=bearer(token)).status_code == 401


def test_every_route_but_the_public_ones_needs_a_token(identity: HttpIdentity, client: TestClient) -> None:
    public = {
        ("POST", "/api/identity/signup"),
        ("POST", "/api/identity/login"),
        ("POST", "/api/identity/refresh"),
        ("POST", "/api/identity/service-tokens"),
        ("POST", "/api/identity/internal-tokens"),
        ("GET", "/api/identity/.well-known/jwks.json"),
        ("GET", "/api/identity/.well-known/openid-configuration"),
    }
    schema = client.get("/openapi.json").json()
    seen_public = set()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            declared = operation["x-trellis-access"]
            concrete = (
                path.replace("{user_id}", str(uuid4()))
                .replace("{client_id}", str(uuid4()))
                .replace("{key_id}", str(uuid4()))
            )
            if declared["public"]:
                seen_public.add((method.upper(), path))
                continue
            response = client.request(method.upper(), concrete, json={})
            assert response.status_code == 401, (method, path)
            assert response.headers["www-authenticate"].startswith("Bearer")
    assert seen_public == public


def test_jwks_and_discovery(client: TestClient, identity: HttpIdentity) -> None:
    jwks = client.get("/api/identity/.well-known/jwks.json").json()
    assert [k["kid"] for k in jwks["keys"]] == [identity.application.keys.current.key_id]
    assert all("d" not in k for k in jwks["keys"]), "never the private part"
    assert {k["alg"] for k in jwks["keys"]} == {"ES256"}
    discovery = client.get("/api/identity/.well-known/openid-configuration").json()
    assert discovery["issuer"] == identity.application.token_settings.issuer
    assert discovery["jwks_uri"] == f"{discovery['issuer']}/.well-known/jwks.json"


def test_after_a_key_rotation_old_tokens_still_verify_and_the_jwks_lists_both(
    client: TestClient, identity: HttpIdentity
) -> None:
    owner = owner_headers(client)
    old = identity.application.keys.current.key_id
    new = identity.application.keys.rotate_in_memory().key_id
    assert client.get("/api/identity/me", headers=owner).status_code == 200
    kids = [k["kid"] for k in client.get("/api/identity/.well-known/jwks.json").json()["keys"]]
    assert kids == [new, old]
    fresh = login(client, "olivia@acme.test")
    assert client.get("/api/identity/me", headers=bearer(fresh["access_token"])).status_code == 200


def test_change_my_password_ends_my_other_sessions(client: TestClient) -> None:
    owner = owner_headers(client)
    other = login(client, "olivia@acme.test")
    wrong = client.post(
        "/api/identity/me/password",
        headers=owner,
        json={"current_password": "wrong password", "new_password": "a brand new password"},
    )
    assert wrong.status_code == 401
    changed = client.post(
        "/api/identity/me/password",
        headers=owner,
        json={"current_password": PASSWORD, "new_password": "a brand new password"},
    )
    assert changed.status_code == 204
    assert client.get("/api/identity/me", headers=owner).status_code == 200, "this session goes on"
    assert client.get("/api/identity/me", headers=bearer(other["access_token"])).status_code == 401
    assert login(client, "olivia@acme.test", "a brand new password")
