"""One project's facts at one moment, and who is looking at them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from trellis_portal.domain.visibility import DEFAULT_VISIBILITY, Visibility
from trellis_portal.views import fact_kinds as kinds
from trellis_portal.views.facts import Fact


@dataclass(frozen=True)
class Viewer:
    """Staff see their organisation; a client user what is granted to them.

    ``client_id`` is the client the user belongs to (from their token when they ask, from
    identity's facts when a past view is reconstructed: the two are the same client).
    """

    organisation_id: UUID
    kind: Literal["staff", "client"]
    user_id: UUID | None = None
    client_id: UUID | None = None
    member_of: frozenset[UUID] = frozenset()  # clients the directory lists the user in, then

    @property
    def is_client(self) -> bool:
        return self.kind == "client"


@dataclass(frozen=True)
class ProjectSnapshot:
    project_id: UUID
    as_of: datetime
    by_kind: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

    @classmethod
    def of(cls, project_id: UUID, as_of: datetime, facts: list[Fact]) -> ProjectSnapshot:
        by_kind: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        for fact in facts:
            if fact.scope == project_id:
                by_kind[fact.kind][fact.key] = fact.body
        return cls(project_id=project_id, as_of=as_of, by_kind=dict(by_kind))

    def all(self, kind: str) -> dict[str, dict[str, Any]]:
        return self.by_kind.get(kind, {})

    def one(self, kind: str, key: str = "") -> dict[str, Any] | None:
        return self.all(kind).get(key)

    @property
    def project(self) -> dict[str, Any] | None:
        return self.one(kinds.PROJECT)

    @property
    def client_id(self) -> UUID | None:
        project = self.project
        return UUID(project["client_id"]) if project else None

    @property
    def visibility(self) -> Visibility:
        fields = self.one(kinds.VISIBILITY)
        return Visibility.from_fields(fields) if fields else DEFAULT_VISIBILITY

    def grants(self, user_id: UUID) -> bool:
        return str(user_id) in self.all(kinds.GRANT)

    def visible_to(self, viewer: Viewer) -> bool:
        """The object-level wall: checked on the project as it was at this moment."""
        if self.project is None:
            return False
        if not viewer.is_client:
            return True
        client_id = self.client_id
        return (viewer.user_id is not None and client_id is not None and viewer.client_id == client_id
                and client_id in viewer.member_of and self.grants(viewer.user_id))
