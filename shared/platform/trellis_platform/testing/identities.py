"""Mint access tokens for tests, signed with a throwaway ES256 key."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from trellis_platform.auth.caller import ClientRole, StaffRole
from trellis_platform.auth.signing import SigningKey, StaticKeys, access_token_claims
from trellis_platform.auth.tokens import TokenSettings, TokenVerifier

TEST_TOKEN_SETTINGS = TokenSettings(issuer="https://trellis.test/identity", audience="trellis-api")
# Tests mint tokens when their module is collected, and a whole test session on a slow
# machine outlasts the 15 minutes a real access token lives; tests of expiry say their own.
OUTLASTS_A_TEST_SESSION = timedelta(hours=3)


class TestIdentities:
    __test__ = False  # not a pytest test class

    def __init__(self, settings: TokenSettings = TEST_TOKEN_SETTINGS) -> None:
        self.settings = settings
        self.key = SigningKey.generate()
        self.keys = StaticKeys(self.key)
        self.revoked: set[str] = set()

    def verifier(self) -> TokenVerifier:
        return TokenVerifier(self.keys, self.settings, is_revoked=self.revoked.__contains__)

    def staff(self, organisation_id: UUID, *roles: StaffRole, subject: str = "staff-user",
              lifetime: timedelta = OUTLASTS_A_TEST_SESSION) -> str:
        return self.key.sign(access_token_claims(
            self.settings, subject=subject, organisation_id=organisation_id, kind="staff",
            roles=[r.value for r in roles], lifetime=lifetime))

    def client_user(self, organisation_id: UUID, client_id: UUID, role: ClientRole,
                    subject: str = "client-user") -> str:
        return self.key.sign(access_token_claims(
            self.settings, subject=subject, organisation_id=organisation_id, kind="client",
            roles=[role.value], client_id=client_id, lifetime=OUTLASTS_A_TEST_SESSION))

    def service(self, organisation_id: UUID, *permissions: str, subject: str = "api-key") -> str:
        return self.key.sign(access_token_claims(
            self.settings, subject=subject, organisation_id=organisation_id, kind="service",
            permissions=list(permissions), lifetime=OUTLASTS_A_TEST_SESSION))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
