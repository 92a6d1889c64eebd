"""What identity's HTTP API accepts and returns. Passwords, refresh tokens and API keys
come in as SecretStr, so that no repr, log line or validation error ever shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from trellis_identity.domain.checks import MAX_EMAIL_LENGTH, MAX_NAME_LENGTH, MAX_PASSWORD_LENGTH
from trellis_identity.domain.organisation import ApiKeyEntry, ClientCompany, Member
from trellis_platform.auth.caller import ClientRole, StaffRole

Name = Field(min_length=1, max_length=MAX_NAME_LENGTH)
Email = Field(min_length=3, max_length=MAX_EMAIL_LENGTH)
Password = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)
Secret = Field(min_length=1, max_length=500)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SignupRequest(Strict):
    organisation_name: str = Name
    name: str = Name
    email: str = Email
    password: SecretStr = Password


class SignupResponse(BaseModel):
    organisation_id: UUID
    user_id: UUID


class LoginRequest(Strict):
    email: str = Email
    password: SecretStr = Password


class RefreshRequest(Strict):
    refresh_token: SecretStr = Secret


class ServiceTokenRequest(Strict):
    api_key: SecretStr = Secret


class InternalTokenRequest(Strict):
    client: str = Field(min_length=1, max_length=64, description="The internal client's name, e.g. portal")
    secret: SecretStr = Secret
    organisation_id: UUID = Field(description="The one organisation the token is for")


class RevokeTokenRequest(Strict):
    token: SecretStr = Field(min_length=1, max_length=8000)


class TokenResponse(BaseModel):
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 (the scheme's name, not a secret)
    expires_in: int
    refresh_token: str | None = None
    refresh_expires_in: int | None = None


class TokenStatusResponse(BaseModel):
    active: bool
    subject: str
    organisation_id: UUID
    kind: str
    session_id: str | None


class UserResponse(BaseModel):
    id: UUID
    email: str
    name: str
    kind: Literal["staff", "client"]
    roles: list[str]
    client_id: UUID | None
    active: bool

    @classmethod
    def of(cls, member: Member) -> UserResponse:
        return cls(id=member.user_id, email=member.email, name=member.name,
                   kind="staff" if member.kind == "staff" else "client", roles=list(member.roles),
                   client_id=member.client_id, active=member.active)


class UserList(BaseModel):
    items: list[UserResponse]


class CreateStaffUserRequest(Strict):
    email: str = Email
    name: str = Name
    roles: list[StaffRole] = Field(min_length=1, max_length=len(StaffRole))
    password: SecretStr = Password


class ChangeRolesRequest(Strict):
    roles: list[StaffRole] = Field(min_length=1, max_length=len(StaffRole))


class ChangePasswordRequest(Strict):
    current_password: SecretStr = Password
    new_password: SecretStr = Password


class SessionsRevoked(BaseModel):
    revoked: int


class ClientRequest(Strict):
    name: str = Name


class ClientResponse(BaseModel):
    id: UUID
    name: str

    @classmethod
    def of(cls, client: ClientCompany) -> ClientResponse:
        return cls(id=client.client_id, name=client.name)


class ClientList(BaseModel):
    items: list[ClientResponse]


class CreateClientUserRequest(Strict):
    email: str = Email
    name: str = Name
    role: ClientRole
    password: SecretStr = Password


class ChangeClientRoleRequest(Strict):
    role: ClientRole


class CreateApiKeyRequest(Strict):
    name: str = Name
    permissions: list[str] = Field(min_length=1, max_length=100)


class ApiKeyResponse(BaseModel):
    id: UUID
    name: str
    permissions: list[str]
    created_at: datetime

    @classmethod
    def of(cls, entry: ApiKeyEntry) -> ApiKeyResponse:
        return cls(id=entry.key_id, name=entry.name, permissions=list(entry.permissions),
                   created_at=entry.created_at)


class CreatedApiKeyResponse(ApiKeyResponse):
    secret: str = Field(description="The key itself. Shown this once; only its hash is kept.")


class ApiKeyList(BaseModel):
    items: list[ApiKeyResponse]


class OrganisationResponse(BaseModel):
    id: UUID
    name: str


class MeResponse(BaseModel):
    kind: str
    subject: str
    organisation_id: UUID
    user: UserResponse | None = None
    api_key: ApiKeyResponse | None = None
