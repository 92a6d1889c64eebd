"""API keys for systems: created with permissions (the secret shown once), exchanged for
short-lived service tokens, revoked. A service token names its key as its session, so
revoking the key revokes the tokens it was exchanged for."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID, uuid4

from trellis_identity.application.base import IdentityBase
from trellis_identity.application.credentials import API_KEY_PREFIX, compose, new_secret, parse, secret_hash
from trellis_identity.application.errors import ApiKeyRefused
from trellis_identity.application.results import CreatedApiKey, IssuedAccess
from trellis_identity.domain.api_key import ApiKey
from trellis_identity.domain.organisation import ApiKeyEntry


class ApiKeyUseCases(IdentityBase):
    def create_api_key(self, *, organisation_id: UUID, name: str, permissions: Iterable[str],
                       meta: dict[str, str]) -> CreatedApiKey:
        organisation = self.organisation(organisation_id)
        secret = new_secret()
        key_id = uuid4()
        organisation.create_api_key(key_id=key_id, name=name, permissions=permissions,
                                    created_at=self.clock(), meta=meta)
        key = ApiKey.issue(key_id=key_id, organisation_id=organisation_id, secret_hash=secret_hash(secret),
                           meta=meta)
        self._commit(organisation, key)
        return CreatedApiKey(entry=organisation.api_key(key_id),
                             secret=compose(API_KEY_PREFIX, key_id, secret))

    def api_keys(self, organisation_id: UUID) -> list[ApiKeyEntry]:
        keys = self.organisation(organisation_id).api_keys.values()
        return sorted((k for k in keys if k.active), key=lambda k: (k.created_at, str(k.key_id)))

    def revoke_api_key(self, *, organisation_id: UUID, key_id: UUID, meta: dict[str, str]) -> None:
        organisation = self.organisation(organisation_id)
        if not organisation.revoke_api_key(key_id=key_id, meta=meta):
            return
        key = self._load(key_id, ApiKey)
        if key is not None and not key.revoked:
            key.revoke(meta=meta)
            self._commit(organisation, key)
        else:
            self._commit(organisation)

    def exchange_api_key(self, api_key: str) -> IssuedAccess:
        """A service token carrying the key's permissions, for a short while."""
        parsed = parse(API_KEY_PREFIX, api_key)
        key = self._load(parsed[0], ApiKey) if parsed else None
        if parsed is None or key is None or not key.matches(secret_hash(parsed[1])) or key.revoked:
            raise ApiKeyRefused
        entry = self.organisation(key.organisation_id).api_keys.get(str(key.id))
        if entry is None or not entry.active:
            raise ApiKeyRefused
        return self._issue(subject=str(key.id), organisation_id=key.organisation_id, kind="service",
                           permissions=list(entry.permissions), session_id=key.id,
                           lifetime=self.lifetimes.service)
