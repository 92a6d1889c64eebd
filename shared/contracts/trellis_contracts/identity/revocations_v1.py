"""Version 1 of identity's revocations: access tokens that must be refused before they expire.

Every service verifies tokens itself and follows these to refuse revoked ones. A revocation
matters only while a token it covers can still be presented: ``expires_at`` says until when
(after it, remembering the revocation is pointless). Nothing secret is here: a token id
(``jti``) or a session id (``sid``) is not a credential.
"""

from __future__ import annotations

from uuid import UUID

from pydantic import AwareDatetime, Field

from trellis_contracts.event_contract import EventContract
from trellis_contracts.topics import IDENTITY_EVENTS_V1

SessionKind = str
"""login or api_key (a plain string, so that a kind added later does not break older readers)."""


class TokenRevokedV1(EventContract):
    event_type = "com.trellis.identity.token.revoked.v1"
    topic = IDENTITY_EVENTS_V1
    version = 1
    summary = "An access token was revoked (logout, or revoked by presenting it): refuse its jti."

    organisation_id: UUID
    token_id: str = Field(min_length=1, max_length=200, description="The token's jti claim.")
    revoked_at: AwareDatetime
    expires_at: AwareDatetime = Field(description="The token's own expiry (its exp claim).")


class SessionRevokedV1(EventContract):
    event_type = "com.trellis.identity.session.revoked.v1"
    topic = IDENTITY_EVENTS_V1
    version = 1
    summary = (
        "A login session or an API key was revoked (logout, password change, a reused refresh "
        "token, a deactivated or removed user, a revoked key): refuse every token whose sid it is."
    )

    organisation_id: UUID
    session_id: UUID = Field(description="The sid claim of the tokens issued under it.")
    kind: SessionKind
    reason: str = Field(max_length=200)
    revoked_at: AwareDatetime
    expires_at: AwareDatetime | None = Field(
        default=None,
        description="When the last access token issued under it expires, when known; "
                    "otherwise revoked_at plus the longest access token lifetime (15 minutes).",
    )
