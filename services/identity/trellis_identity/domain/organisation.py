"""An organisation (a tenant) and its directory: staff users and their roles, clients
and their users, API keys. One aggregate, so that the rules spanning members (there is
always an active owner; only an owner makes or unmakes owners) hold under concurrency.

Credentials are not here: password hashes live in ``User``, key secrets in ``ApiKey``.

Stored event topics are ``trellis_identity.domain.organisation:Organisation.<Event>``:
part of the stored data, so this module and these class names stay where they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from trellis_identity.domain.checks import (
    checked_client_role,
    checked_name,
    checked_permissions,
    checked_staff_roles,
)
from trellis_identity.domain.errors import IdentityRuleBroken, NotAllowed, NotFound
from trellis_identity.domain.roles import OWNER

STAFF = "staff"
CLIENT = "client"


@dataclass(frozen=True)
class Member:
    """A person of the organisation: staff (roles) or a client user (one client, one role)."""

    user_id: UUID
    email: str
    name: str
    kind: str
    roles: tuple[str, ...]
    client_id: UUID | None
    active: bool

    @property
    def is_owner(self) -> bool:
        return self.kind == STAFF and OWNER in self.roles


@dataclass(frozen=True)
class ClientCompany:
    client_id: UUID
    name: str


@dataclass(frozen=True)
class ApiKeyEntry:
    key_id: UUID
    name: str
    permissions: tuple[str, ...]
    created_at: datetime
    active: bool


class Organisation(Aggregate):
    class Created(Aggregate.Created):
        name: str
        meta: dict[str, str]

    @event(Created)
    def __init__(self, *, name: str, meta: dict[str, str]) -> None:
        self.name = name
        # Keyed by str(UUID): plain JSON in snapshots.
        self.members: dict[str, Member] = {}
        self.clients: dict[str, ClientCompany] = {}
        self.api_keys: dict[str, ApiKeyEntry] = {}

    @classmethod
    def found(cls, *, name: str, meta: dict[str, str]) -> Organisation:
        return cls(name=checked_name(name, "An organisation's name"), meta=meta)

    # --- reading -----------------------------------------------------------------

    def member(self, user_id: UUID) -> Member:
        try:
            return self.members[str(user_id)]
        except KeyError:
            raise NotFound(f"No user {user_id} in this organisation.") from None

    def active_member(self, user_id: UUID) -> Member:
        member = self.member(user_id)
        if not member.active:
            raise NotFound(f"No active user {user_id} in this organisation.")
        return member

    def client(self, client_id: UUID) -> ClientCompany:
        try:
            return self.clients[str(client_id)]
        except KeyError:
            raise NotFound(f"No client {client_id} in this organisation.") from None

    def client_user(self, client_id: UUID, user_id: UUID) -> Member:
        self.client(client_id)
        member = self.members.get(str(user_id))
        if member is None or member.kind != CLIENT or member.client_id != client_id or not member.active:
            raise NotFound(f"No user {user_id} at client {client_id}.")
        return member

    def api_key(self, key_id: UUID) -> ApiKeyEntry:
        try:
            return self.api_keys[str(key_id)]
        except KeyError:
            raise NotFound(f"No API key {key_id} in this organisation.") from None

    def active_owners(self) -> list[Member]:
        return [m for m in self.members.values() if m.active and m.is_owner]

    # --- staff -------------------------------------------------------------------

    class StaffUserAdded(Aggregate.Event):
        user_id: UUID
        email: str
        name: str
        roles: list[str]
        meta: dict[str, str]

    def add_staff_user(self, *, user_id: UUID, email: str, name: str, roles: Iterable[str],
                       by_owner: bool, meta: dict[str, str]) -> None:
        chosen = checked_staff_roles(roles)
        if OWNER in chosen and not by_owner:
            raise NotAllowed("Only an owner can make someone an owner.")
        self._staff_user_added(user_id=user_id, email=email, name=checked_name(name), roles=chosen,
                               meta=meta)

    @event(StaffUserAdded)
    def _staff_user_added(self, *, user_id: UUID, email: str, name: str, roles: list[str],
                          meta: dict[str, str]) -> None:
        self.members[str(user_id)] = Member(user_id=user_id, email=email, name=name, kind=STAFF,
                                            roles=tuple(roles), client_id=None, active=True)

    class StaffRolesChanged(Aggregate.Event):
        user_id: UUID
        roles: list[str]
        meta: dict[str, str]

    def change_staff_roles(self, *, user_id: UUID, roles: Iterable[str], by_owner: bool,
                           meta: dict[str, str]) -> bool:
        """False when the roles are already those (nothing to record)."""
        member = self._active_staff(user_id)
        chosen = checked_staff_roles(roles)
        if list(member.roles) == chosen:
            return False
        touches_owner = member.is_owner or OWNER in chosen
        if touches_owner and not by_owner:
            raise NotAllowed("Only an owner can make or unmake an owner, or change an owner's roles.")
        if member.is_owner and OWNER not in chosen:
            self._keep_an_owner(user_id)
        self._staff_roles_changed(user_id=user_id, roles=chosen, meta=meta)
        return True

    @event(StaffRolesChanged)
    def _staff_roles_changed(self, *, user_id: UUID, roles: list[str], meta: dict[str, str]) -> None:
        key = str(user_id)
        self.members[key] = replace(self.members[key], roles=tuple(roles))

    class StaffUserDeactivated(Aggregate.Event):
        user_id: UUID
        meta: dict[str, str]

    def deactivate_staff_user(self, *, user_id: UUID, by_owner: bool, meta: dict[str, str]) -> Member:
        member = self._active_staff(user_id)
        if member.is_owner:
            if not by_owner:
                raise NotAllowed("Only an owner can deactivate an owner.")
            self._keep_an_owner(user_id)
        self._staff_user_deactivated(user_id=user_id, meta=meta)
        return member

    @event(StaffUserDeactivated)
    def _staff_user_deactivated(self, *, user_id: UUID, meta: dict[str, str]) -> None:
        key = str(user_id)
        self.members[key] = replace(self.members[key], active=False)

    def _active_staff(self, user_id: UUID) -> Member:
        member = self.active_member(user_id)
        if member.kind != STAFF:
            raise NotFound(f"No staff user {user_id} in this organisation.")
        return member

    def _keep_an_owner(self, leaving: UUID) -> None:
        if not [m for m in self.active_owners() if m.user_id != leaving]:
            raise IdentityRuleBroken("An organisation keeps at least one active owner.")

    # --- clients and their users ----------------------------------------------------

    class ClientAdded(Aggregate.Event):
        client_id: UUID
        name: str
        meta: dict[str, str]

    def add_client(self, *, client_id: UUID, name: str, meta: dict[str, str]) -> None:
        name = checked_name(name, "A client's name")
        if any(c.name.casefold() == name.casefold() for c in self.clients.values()):
            raise IdentityRuleBroken(f"There already is a client called {name!r}.")
        self._client_added(client_id=client_id, name=name, meta=meta)

    @event(ClientAdded)
    def _client_added(self, *, client_id: UUID, name: str, meta: dict[str, str]) -> None:
        self.clients[str(client_id)] = ClientCompany(client_id=client_id, name=name)

    class ClientUserAdded(Aggregate.Event):
        user_id: UUID
        client_id: UUID
        email: str
        name: str
        role: str
        meta: dict[str, str]

    def add_client_user(self, *, client_id: UUID, user_id: UUID, email: str, name: str, role: str,
                        meta: dict[str, str]) -> None:
        self.client(client_id)
        self._client_user_added(user_id=user_id, client_id=client_id, email=email, name=checked_name(name),
                                role=checked_client_role(role), meta=meta)

    @event(ClientUserAdded)
    def _client_user_added(self, *, user_id: UUID, client_id: UUID, email: str, name: str, role: str,
                           meta: dict[str, str]) -> None:
        self.members[str(user_id)] = Member(user_id=user_id, email=email, name=name, kind=CLIENT,
                                            roles=(role,), client_id=client_id, active=True)

    class ClientUserRoleChanged(Aggregate.Event):
        user_id: UUID
        client_id: UUID
        role: str
        meta: dict[str, str]

    def change_client_role(self, *, client_id: UUID, user_id: UUID, role: str,
                           meta: dict[str, str]) -> bool:
        member = self.client_user(client_id, user_id)
        role = checked_client_role(role)
        if member.roles == (role,):
            return False
        self._client_user_role_changed(user_id=user_id, client_id=client_id, role=role, meta=meta)
        return True

    @event(ClientUserRoleChanged)
    def _client_user_role_changed(self, *, user_id: UUID, client_id: UUID, role: str,
                                  meta: dict[str, str]) -> None:
        key = str(user_id)
        self.members[key] = replace(self.members[key], roles=(role,))

    class ClientUserRemoved(Aggregate.Event):
        user_id: UUID
        client_id: UUID
        role: str
        meta: dict[str, str]

    def remove_client_user(self, *, client_id: UUID, user_id: UUID, meta: dict[str, str]) -> Member:
        member = self.client_user(client_id, user_id)
        self._client_user_removed(user_id=user_id, client_id=client_id, role=member.roles[0], meta=meta)
        return member

    @event(ClientUserRemoved)
    def _client_user_removed(self, *, user_id: UUID, client_id: UUID, role: str,
                             meta: dict[str, str]) -> None:
        key = str(user_id)
        self.members[key] = replace(self.members[key], active=False)

    # --- API keys -------------------------------------------------------------------

    class ApiKeyCreated(Aggregate.Event):
        key_id: UUID
        name: str
        permissions: list[str]
        created_at: datetime
        meta: dict[str, str]

    def create_api_key(self, *, key_id: UUID, name: str, permissions: Iterable[str], created_at: datetime,
                       meta: dict[str, str]) -> None:
        self._api_key_created(key_id=key_id, name=checked_name(name, "An API key's name"),
                              permissions=checked_permissions(permissions), created_at=created_at,
                              meta=meta)

    @event(ApiKeyCreated)
    def _api_key_created(self, *, key_id: UUID, name: str, permissions: list[str], created_at: datetime,
                         meta: dict[str, str]) -> None:
        self.api_keys[str(key_id)] = ApiKeyEntry(key_id=key_id, name=name, permissions=tuple(permissions),
                                                 created_at=created_at, active=True)

    class ApiKeyRevoked(Aggregate.Event):
        key_id: UUID
        meta: dict[str, str]

    def revoke_api_key(self, *, key_id: UUID, meta: dict[str, str]) -> bool:
        """False when it already was revoked."""
        if not self.api_key(key_id).active:
            return False
        self._api_key_revoked(key_id=key_id, meta=meta)
        return True

    @event(ApiKeyRevoked)
    def _api_key_revoked(self, *, key_id: UUID, meta: dict[str, str]) -> None:
        key = str(key_id)
        self.api_keys[key] = replace(self.api_keys[key], active=False)
