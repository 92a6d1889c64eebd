"""What a command needs to know of things the portal learnt from other contexts.

The HTTP adapter looks them up in the read models, within the caller's organisation,
and hands them in; the use cases decide with them.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class ProjectRef:
    organisation_id: UUID
    project_id: UUID
    client_id: UUID


@dataclass(frozen=True)
class ClientUserRef:
    organisation_id: UUID
    user_id: UUID
    client_id: UUID


@dataclass(frozen=True)
class ChangeOrderRef:
    """A change order budget sent to the client; ``status`` as budget last said."""

    change_order_id: UUID
    title: str
    status: str


@dataclass(frozen=True)
class SurveyRef:
    survey_id: UUID
    milestone_id: UUID
