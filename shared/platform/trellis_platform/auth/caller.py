"""The authenticated caller of a request, as every service sees it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal
from uuid import UUID


class StaffRole(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    PROJECT_MANAGER = "project_manager"
    MEMBER = "member"
    FINANCE = "finance"
    ANALYST = "analyst"
    AUDITOR = "auditor"


class ClientRole(StrEnum):
    VIEWER = "viewer"
    APPROVER = "approver"


CallerKind = Literal["staff", "client", "service"]


@dataclass(frozen=True)
class Caller:
    """A verified token's facts. ``organisation_id`` is the tenant every query is scoped by.

    Staff carry roles; a client user carries the client it belongs to and one client
    role; a service (API key) carries named permissions. ``session_id`` names what the
    token was issued under (a login session, or an API key): revoking it revokes the token.
    """

    subject: str
    organisation_id: UUID
    kind: CallerKind
    token_id: str
    staff_roles: frozenset[StaffRole] = field(default_factory=frozenset)
    client_id: UUID | None = None
    client_role: ClientRole | None = None
    permissions: frozenset[str] = field(default_factory=frozenset)
    session_id: str | None = None

    @property
    def is_staff(self) -> bool:
        return self.kind == "staff"

    @property
    def is_client(self) -> bool:
        return self.kind == "client"

    def actor(self) -> str:
        """How this caller is named in the audit trail of the events it causes."""
        return f"{self.kind}:{self.subject}"
