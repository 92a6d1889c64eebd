"""Real accounts for end-to-end tests: sign up an organisation, log in its owner, and
call routes with the bearer token the identity service issued."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import uuid4

import httpx

PASSWORD = "correct horse battery staple"


@dataclass
class Account:
    organisation_id: str
    user_id: str
    email: str
    access_token: str
    refresh_token: str
    secrets: list[str] = field(default_factory=list)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


def sign_up(base_url: str, *, organisation: str = "Acme Builders", timeout: float = 30) -> Account:
    """A new organisation whose owner is logged in."""
    email = f"owner-{uuid4().hex[:12]}@acme.test"
    signed = httpx.post(f"{base_url}/api/identity/signup", timeout=timeout, json={
        "organisation_name": organisation, "name": "Olivia Owner", "email": email, "password": PASSWORD})
    assert signed.status_code == 201, signed.text
    tokens = httpx.post(f"{base_url}/api/identity/login", timeout=timeout,
                        json={"email": email, "password": PASSWORD})
    assert tokens.status_code == 200, tokens.text
    body = tokens.json()
    return Account(organisation_id=signed.json()["organisation_id"], user_id=signed.json()["user_id"],
                   email=email, access_token=body["access_token"], refresh_token=body["refresh_token"],
                   secrets=[PASSWORD, body["access_token"], body["refresh_token"]])


def exercise_every_secret(base_url: str, account: Account) -> None:
    """Refresh, create an API key and exchange it, fail a login, log out: every kind of
    secret crosses the wire once, for the tests that then read the logs."""
    refreshed = httpx.post(f"{base_url}/api/identity/refresh", json={"refresh_token": account.refresh_token})
    assert refreshed.status_code == 200, refreshed.text
    account.access_token = refreshed.json()["access_token"]
    account.refresh_token = refreshed.json()["refresh_token"]
    key = httpx.post(f"{base_url}/api/identity/api-keys", headers=account.headers,
                     json={"name": "ERP", "permissions": ["planning.projects:read"]})
    assert key.status_code == 201, key.text
    service = httpx.post(f"{base_url}/api/identity/service-tokens", json={"api_key": key.json()["secret"]})
    assert service.status_code == 200, service.text
    wrong = httpx.post(f"{base_url}/api/identity/login",
                       json={"email": account.email, "password": "an entirely wrong password"})
    assert wrong.status_code == 401
    account.secrets += [account.access_token, account.refresh_token, key.json()["secret"],
                        service.json()["access_token"], "an entirely wrong password"]


def assert_no_secret_in(text: str, secrets: list[str]) -> None:
    for secret in secrets:
        assert secret not in text
        # The signature or random part alone is as good as the whole for an attacker.
        assert secret.rsplit(".", 1)[-1] not in text
