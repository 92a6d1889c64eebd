"""Tokens for Trellis's internal clients (OAuth2 client credentials, in spirit): the portal
asks, with its secret, for a service token of one organisation to read that
organisation's document content at planning.

The token is an ordinary service token (kind ``service``, subject the client's name,
its permissions only, the usual audience, a service token's 5 minutes), so every
service verifies and scopes it as any other: planning finds the document in the
token's organisation or answers 404. It names no session (there is no key to revoke:
changing the secret stops new tokens, and the last ones expire within minutes).
"""

from __future__ import annotations

from uuid import UUID

from trellis_identity.application.base import IdentityBase
from trellis_identity.application.errors import InternalClientRefused
from trellis_identity.application.results import IssuedAccess


class InternalTokenUseCases(IdentityBase):
    def issue_internal_token(self, *, client: str, secret: str, organisation_id: UUID) -> IssuedAccess:
        """Raises InternalClientRefused for an unknown client or a wrong secret (before
        anything about the organisation is looked at), NotFound for an unknown organisation."""
        known = self.internal_clients.get(client)
        if known is None or not known.matches(secret):
            raise InternalClientRefused
        self.organisation(organisation_id)
        return self._issue(subject=known.name, organisation_id=organisation_id, kind="service",
                           permissions=list(known.permissions), session_id=None,
                           lifetime=self.lifetimes.service)
