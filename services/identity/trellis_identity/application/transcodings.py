"""How the organisation's directory entries are stored in snapshots."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Transcoding

from trellis_identity.domain.organisation import ApiKeyEntry, ClientCompany, Member


class MemberAsDict(Transcoding):
    type = Member
    name = "identity_member"

    def encode(self, obj: Member) -> dict[str, Any]:
        return {"user_id": obj.user_id, "email": obj.email, "name": obj.name, "kind": obj.kind,
                "roles": list(obj.roles), "client_id": obj.client_id, "active": obj.active}

    def decode(self, data: dict[str, Any]) -> Member:
        return Member(user_id=data["user_id"], email=data["email"], name=data["name"], kind=data["kind"],
                      roles=tuple(data["roles"]), client_id=data["client_id"], active=data["active"])


class ClientCompanyAsDict(Transcoding):
    type = ClientCompany
    name = "identity_client"

    def encode(self, obj: ClientCompany) -> dict[str, Any]:
        return {"client_id": obj.client_id, "name": obj.name}

    def decode(self, data: dict[str, Any]) -> ClientCompany:
        return ClientCompany(client_id=data["client_id"], name=data["name"])


class ApiKeyEntryAsDict(Transcoding):
    type = ApiKeyEntry
    name = "identity_api_key"

    def encode(self, obj: ApiKeyEntry) -> dict[str, Any]:
        return {"key_id": obj.key_id, "name": obj.name, "permissions": list(obj.permissions),
                "created_at": obj.created_at, "active": obj.active}

    def decode(self, data: dict[str, Any]) -> ApiKeyEntry:
        created_at = data["created_at"]
        assert isinstance(created_at, datetime)
        key_id = data["key_id"]
        assert isinstance(key_id, UUID)
        return ApiKeyEntry(key_id=key_id, name=data["name"], permissions=tuple(data["permissions"]),
                           created_at=created_at, active=data["active"])
